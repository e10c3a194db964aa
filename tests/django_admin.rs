//! Issue 10, part 6: a real application this project did not write. A stock
//! Django admin (PyPI `django`, pinned in `tests/apps/django/setup.sh`) is
//! migrated into a throwaway SQLite file, given a superuser and a group, and
//! served by `manage.py runserver` on a free loopback port; then the built
//! binary runs the grant-then-revoke runbooks of `tests/apps/django/runbooks/`,
//! written in Django's documentation's words, and the database says what they
//! did. The server is killed at the end, also when an assertion fails.
//!
//! See: issue 10 ("Proof on real components and a real app").

mod binary;

use std::collections::hash_map::RandomState;
use std::hash::{BuildHasher, Hasher};
use std::io::{Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::time::Duration;

use binary::{assert_exit, manifest, poll, require_browser, stderr, stdout, Clickpath};

/// The directory of the Django test app.
fn app_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/apps/django")
}

/// A password nobody can guess or find in the repository.
fn fresh_secret(tag: &str) -> String {
    let mut h = RandomState::new().build_hasher();
    h.write(tag.as_bytes());
    let a = h.finish();
    let mut h = RandomState::new().build_hasher();
    h.write_u64(a);
    format!("Cp-{a:016x}-{:016x}", h.finish())
}

/// The Django site: its database and the environment every `manage.py`
/// command gets.
struct Site {
    _dir: tempfile::TempDir,
    env: Vec<(&'static str, String)>,
}

impl Site {
    /// Install Django if missing (setup.sh is fast when it is there) and
    /// point a fresh SQLite file at a temporary directory.
    fn new() -> Self {
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

    /// `python3 manage.py ARGS` in the project, with `extra` environment.
    fn manage(&self, args: &[&str], extra: &[(&str, &str)]) -> Command {
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
    fn run(&self, args: &[&str], extra: &[(&str, &str)]) -> String {
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

    /// The user's staff flag and groups, as the database has them, or
    /// `absent`.
    fn user_state(&self, username: &str) -> String {
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
struct Server {
    child: Child,
    port: u16,
}

impl Server {
    fn start(site: &Site) -> Self {
        // The OS picks a free port; runserver binds it right after (a small
        // window another process could take: the start would then fail loudly).
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .expect("a free loopback port")
            .port();
        let addr = format!("127.0.0.1:{port}");
        let mut cmd = site.manage(&["runserver", &addr, "--noreload", "--insecure"], &[]);
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

    fn base_url(&self) -> String {
        format!("http://127.0.0.1:{}/admin", self.port)
    }

    /// Kill the process group and reap the child.
    fn stop(&mut self) {
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
fn http_status(port: u16, path: &str) -> Option<u16> {
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

#[test]
fn issue_10_django_admin_grant_then_revoke_from_the_documentation_words() {
    require_browser();
    let site = Site::new();
    let admin_password = fresh_secret("admin");
    let new_password = fresh_secret("new user");
    site.run(&["migrate", "-v", "0"], &[]);
    site.run(
        &[
            "createsuperuser",
            "--noinput",
            "--username",
            "admin",
            "--email",
            "admin@example.com",
        ],
        &[("DJANGO_SUPERUSER_PASSWORD", &admin_password)],
    );
    site.run(
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
    let mut server = Server::start(&site);
    let out_dir = tempfile::tempdir().expect("evidence directory");
    let runbooks = app_dir().join("runbooks");
    let run = |file: &str, vars: &[&str]| {
        let mut c = Clickpath::new()
            .arg("run")
            .args(["--base-url", &server.base_url()])
            .args([
                "--var",
                "admin_username=admin",
                "--var",
                "username=drivetrain",
            ])
            .out(out_dir.path(), "django")
            .env("DJANGO_ADMIN_PASSWORD", &admin_password)
            .env("DJANGO_NEW_USER_PASSWORD", &new_password);
        for v in vars {
            c = c.args(["--var", v]);
        }
        let out = c.arg(runbooks.join(file)).run();
        for (what, text) in [("stderr", stderr(&out)), ("stdout", stdout(&out))] {
            assert!(
                !text.contains(&admin_password) && !text.contains(&new_password),
                "{file}: a password reached {what}"
            );
        }
        assert_exit(&out, 0);
    };

    run("10-grant_staff_access.yaml", &["group=Support"]);
    assert_eq!(
        site.user_state("drivetrain"),
        "is_staff=True groups=['Support']",
        "the grant runbook passed, so the user exists with staff status and the group"
    );
    let grant = manifest(&out_dir.path().join("django/django/grant_staff_access"));
    assert_eq!(grant.steps.len(), 17, "every grant step was recorded");

    run("20-revoke_staff_access.yaml", &[]);
    assert_eq!(
        site.user_state("drivetrain"),
        "absent",
        "the revoke runbook passed, so the user is deleted"
    );

    let group = server.child.id() as i32;
    server.stop();
    // SAFETY: signal 0 only asks whether any process of the group is left.
    #[cfg(unix)]
    let left = unsafe { libc::kill(-group, 0) } == 0;
    #[cfg(not(unix))]
    let left = false;
    assert!(
        !left,
        "processes of runserver's group {group} are still running"
    );
}
