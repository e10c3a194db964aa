//! chromedriver and one headless Chromium session for the oracle.

use std::io::{Read, Write};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use fantoccini::{Client, ClientBuilder};
use serde_json::json;

use crate::binary::poll;

/// chromedriver on a free loopback port, killed with its process group (and
/// so Chromium) on drop.
pub struct Driver {
    child: Child,
    port: u16,
    _profile: tempfile::TempDir,
}

impl Driver {
    pub fn start() -> Self {
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .expect("a free loopback port")
            .port();
        let mut cmd = Command::new("chromedriver");
        cmd.arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null());
        #[cfg(unix)]
        std::os::unix::process::CommandExt::process_group(&mut cmd, 0);
        let child = cmd.spawn().expect("chromedriver starts");
        let driver = Driver {
            child,
            port,
            _profile: tempfile::tempdir().expect("profile directory"),
        };
        poll(Duration::from_secs(20), || {
            let mut s =
                std::net::TcpStream::connect(("127.0.0.1", port)).map_err(|e| e.to_string())?;
            s.set_read_timeout(Some(Duration::from_secs(2)))
                .map_err(|e| e.to_string())?;
            write!(
                s,
                "GET /status HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"
            )
            .map_err(|e| e.to_string())?;
            // Read what arrives: the driver may keep the connection open.
            let mut buf = [0u8; 4096];
            let mut body = String::new();
            while let Ok(n) = s.read(&mut buf) {
                if n == 0 {
                    break;
                }
                body.push_str(&String::from_utf8_lossy(&buf[..n]));
                if body.contains("\"ready\"") {
                    break;
                }
            }
            if body.contains("\"ready\":true") {
                Ok(())
            } else {
                Err(format!("/status: {body}"))
            }
        })
        .unwrap_or_else(|e| panic!("chromedriver did not become ready: {e}"));
        driver
    }

    pub async fn connect(&self) -> Client {
        let mut args = vec![
            "--headless=new".to_string(),
            "--disable-gpu".into(),
            "--disable-dev-shm-usage".into(),
            "--no-first-run".into(),
            "--window-size=1280,800".into(),
            format!("--user-data-dir={}", self._profile.path().display()),
        ];
        // SAFETY: geteuid has no preconditions.
        #[cfg(unix)]
        if unsafe { libc::geteuid() } == 0 {
            args.push("--no-sandbox".into());
        }
        let binary = std::env::var_os("PATH")
            .and_then(|p| {
                std::env::split_paths(&p)
                    .map(|d| d.join("chromium"))
                    .find(|b| b.is_file())
            })
            .expect("chromium on PATH (require_browser checked it)");
        let mut caps = serde_json::Map::new();
        caps.insert("browserName".into(), json!("chrome"));
        caps.insert(
            "goog:chromeOptions".into(),
            json!({ "args": args, "binary": binary.display().to_string() }),
        );
        let url = format!("http://127.0.0.1:{}", self.port);
        let mut builder = ClientBuilder::native();
        builder.capabilities(caps);
        let connect = builder.connect(&url);
        tokio::time::timeout(Duration::from_secs(60), connect)
            .await
            .unwrap_or_else(|_| panic!("chromedriver gave no session within 60 s"))
            .unwrap_or_else(|e| panic!("new WebDriver session: {e}"))
    }
}

impl Drop for Driver {
    fn drop(&mut self) {
        #[cfg(unix)]
        // SAFETY: a plain kill(2) of the process group this test started.
        unsafe {
            libc::kill(-(self.child.id() as i32), libc::SIGKILL);
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
