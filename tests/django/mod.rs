//! The Django test site (tests/apps/django): Django installed by its
//! setup.sh, a throwaway SQLite database, `manage.py` commands, and
//! `runserver` on a free loopback port, killed with its process group on
//! drop. Shared by tests/django_admin.rs and tests/oracle.rs.
#![allow(dead_code)]

use std::collections::hash_map::RandomState;
use std::hash::{BuildHasher, Hasher};
use std::io::{Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::time::Duration;

use crate::binary::poll;

/// The directory of the Django test app.
pub fn app_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/apps/django")
}

/// A password nobody can guess or find in the repository.
pub fn fresh_secret(tag: &str) -> String {
    let mut h = RandomState::new().build_hasher();
    h.write(tag.as_bytes());
    let a = h.finish();
    let mut h = RandomState::new().build_hasher();
    h.write_u64(a);
    format!("Cp-{a:016x}-{:016x}", h.finish())
}

/// The Django site: its database and the environment every `manage.py`
/// command gets.
pub struct Site {
    _dir: tempfile::TempDir,
    env: Vec<(&'static str, String)>,
}

impl Site {
    /// Install Django if missing (setup.sh is fast when it is there) and
    /// point a fresh SQLite file at a temporary directory.
    pub fn new() -> Self {
        let setup = app_dir().join("setup.sh");
        let out = Command::new("bash")
            .arg(&setup)
            .output()
            .unwrap_or_else(|e| panic!("cannot run {}: {e}", setup.display()));
        assert!(
            out.status.success(),
            "{} failed ({}): it installs Django from PyPI with python3 -m pip; \
             run ./scripts/deps.sh\n{}",
            setup.display(),
            out.status,
            String::from_utf8_lossy(&out.stderr)
        );
        let dir = tempfile::tempdir().expect("temporary directory");
        let db = dir.path().join("db.sqlite3");
        let env = vec![
            ("PYTHONPATH", app_dir().join(".pkgs").display().to_string()),
            ("PYTHONDONTWRITEBYTECODE", "1".to_string()),
            ("CLICKPATH_DJANGO_DB", db.display().to_string()),
            ("CLICKPATH_DJANGO_SECRET_KEY", fresh_secret("secret key")),
        ];
        Site { _dir: dir, env }
    }

    /// Keep the database as it is now; [`Site::restore`] brings it back.
    pub fn snapshot(&self) {
        let db = self.db();
        std::fs::copy(&db, db.with_extension("snapshot")).expect("database snapshot");
    }

    /// Put the [`Site::snapshot`] back (atomically: the server opens the
    /// file per request).
    pub fn restore(&self) {
        let db = self.db();
        let tmp = db.with_extension("restoring");
        std::fs::copy(db.with_extension("snapshot"), &tmp).expect("copy the snapshot");
        std::fs::rename(&tmp, &db).expect("restore the database");
    }

    fn db(&self) -> PathBuf {
        self.env
            .iter()
            .find(|(k, _)| *k == "CLICKPATH_DJANGO_DB")
            .map(|(_, v)| PathBuf::from(v))
            .expect("the database path")
    }

    /// `python3 manage.py ARGS` in the project, with `extra` environment.
    pub fn manage(&self, args: &[&str], extra: &[(&str, &str)]) -> Command {
        let mut cmd = Command::new("python3");
        cmd.arg("manage.py")
            .args(args)
            .current_dir(app_dir().join("project"))
            .stdin(Stdio::null());
        for (k, v) in &self.env {
            cmd.env(k, v);
        }
        for (k, v) in extra {
            cmd.env(k, v);
        }
        cmd
    }

    /// Run a `manage.py` command to the end; fail the test when it fails.
    pub fn run(&self, args: &[&str], extra: &[(&str, &str)]) -> String {
        let out: Output = self
            .manage(args, extra)
            .output()
            .unwrap_or_else(|e| panic!("cannot run manage.py {args:?}: {e}"));
        assert!(
            out.status.success(),
            "manage.py {} failed ({})\n{}",
            args.first().unwrap_or(&""),
            out.status,
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    /// Migrate, create the superuser `admin` with `admin_password` (given
    /// through the environment, never on a command line) and a group
    /// `Support`.
    pub fn prepare(&self, admin_password: &str) {
        self.run(&["migrate", "-v", "0"], &[]);
        self.run(
            &[
                "createsuperuser",
                "--noinput",
                "--username",
                "admin",
                "--email",
                "admin@example.com",
            ],
            &[("DJANGO_SUPERUSER_PASSWORD", admin_password)],
        );
        self.run(
            &[
                "shell",
                "-v",
                "0",
                "-c",
                "from django.contrib.auth.models import Group\n\
                 Group.objects.get_or_create(name='Support')",
            ],
            &[],
        );
    }

    /// The user's staff flag and groups, as the database has them, or
    /// `absent`.
    pub fn user_state(&self, username: &str) -> String {
        let code = format!(
            "from django.contrib.auth.models import User\n\
             u = User.objects.filter(username={username:?}).first()\n\
             print('absent' if u is None else \
             f'is_staff={{u.is_staff}} groups={{sorted(u.groups.values_list(\"name\", flat=True))}}')"
        );
        self.run(&["shell", "-v", "0", "-c", &code], &[])
            .trim()
            .to_string()
    }
}

/// `manage.py runserver` on a loopback port; its whole process group is
/// killed on drop (no orphans, also when an assertion fails).
pub struct Server {
    /// The runserver process (its pid is its process group).
    pub child: Child,
    /// The loopback port it serves.
    pub port: u16,
}

impl Server {
    /// Start runserver and wait (polling) until the login page answers 200.
    pub fn start(site: &Site) -> Self {
        Self::start_with(site, &[])
    }

    /// [`Server::start`] with `extra` environment (a template directory).
    pub fn start_with(site: &Site, extra: &[(&str, &str)]) -> Self {
        // The OS picks a free port; runserver binds it right after (a small
        // window another process could take: the start would then fail loudly).
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .expect("a free loopback port")
            .port();
        let addr = format!("127.0.0.1:{port}");
        let mut cmd = site.manage(&["runserver", &addr, "--noreload", "--insecure"], extra);
        cmd.stdout(Stdio::null()).stderr(Stdio::piped());
        #[cfg(unix)]
        std::os::unix::process::CommandExt::process_group(&mut cmd, 0);
        let child = cmd.spawn().expect("manage.py runserver starts");
        let mut server = Server { child, port };
        let ready = poll(Duration::from_secs(30), || {
            if let Ok(Some(status)) = server.child.try_wait() {
                return Ok(Err(format!("runserver exited: {status}")));
            }
            match http_status(port, "/admin/login/") {
                Some(200) => Ok(Ok(())),
                seen => Err(format!("GET /admin/login/ answered {seen:?}")),
            }
        });
        match ready {
            Ok(Ok(())) => server,
            Ok(Err(why)) | Err(why) => {
                let mut log = String::new();
                server.stop();
                if let Some(mut e) = server.child.stderr.take() {
                    let _ = e.read_to_string(&mut log);
                }
                panic!("the Django server on {addr} did not come up: {why}\n{log}");
            }
        }
    }

    pub fn base_url(&self) -> String {
        format!("http://127.0.0.1:{}/admin", self.port)
    }

    /// Kill the process group and reap the child.
    pub fn stop(&mut self) {
        #[cfg(unix)]
        // SAFETY: a plain kill(2) of the process group this test started.
        unsafe {
            libc::kill(-(self.child.id() as i32), libc::SIGKILL);
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.stop();
    }
}

/// The status of `GET path` on the loopback port, or `None` when nothing
/// answers (yet).
pub fn http_status(port: u16, path: &str) -> Option<u16> {
    let mut s = TcpStream::connect(("127.0.0.1", port)).ok()?;
    s.set_read_timeout(Some(Duration::from_secs(2))).ok()?;
    write!(
        s,
        "GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"
    )
    .ok()?;
    let mut head = [0u8; 12];
    s.read_exact(&mut head).ok()?;
    std::str::from_utf8(&head[9..12]).ok()?.parse().ok()
}
