//! The widgets test app (`tests/apps/widgets/`), built once per test binary
//! and served from `dist/` or `dist-drift/` on two loopback origins: the app
//! and its "partner" (the billing page's cross-origin frame, `?partner=`).
//! Shared by tests/real_widgets.rs and tests/oracle.rs.

use std::io::{BufRead, BufReader, Write};
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

/// The app's folder.
pub const APP: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/apps/widgets");

/// The packages build.sh installs, for the message when it cannot.
const NPM_PACKAGES: &str = "@mui/material, @emotion/react, @emotion/styled, react, react-dom, \
                            @shoelace-style/shoelace and esbuild";

/// Build the app once per test binary (build.sh is a no-op when up to
/// date); fail, never skip, naming what is missing.
pub fn built_app() -> &'static Path {
    static BUILT: OnceLock<Result<(), String>> = OnceLock::new();
    let built = BUILT.get_or_init(|| {
        let out = Command::new("bash")
            .arg(Path::new(APP).join("build.sh"))
            .output()
            .map_err(|e| format!("cannot run bash: {e}"))?;
        if !out.status.success() {
            return Err(String::from_utf8_lossy(&out.stderr).into_owned());
        }
        for site in ["dist", "dist-drift"] {
            let index = Path::new(APP).join(site).join("index.html");
            if !index.is_file() {
                return Err(format!("{} is missing after the build", index.display()));
            }
        }
        Ok(())
    });
    if let Err(why) = built {
        panic!(
            "the widgets test app could not be built: tests/apps/widgets/build.sh installs \
             {NPM_PACKAGES} from the npm registry (pinned in package-lock.json) with Node.js and \
             npm (apt-get install nodejs npm, or ./scripts/deps.sh), then bundles dist/ and \
             dist-drift/ with esbuild:\n{why}"
        );
    }
    Path::new(APP)
}
/// Content type by file extension, for the static sites.
fn content_type(path: &Path) -> &'static str {
    match path.extension().and_then(|e| e.to_str()) {
        Some("html") => "text/html; charset=utf-8",
        Some("js") => "text/javascript; charset=utf-8",
        Some("css") => "text/css; charset=utf-8",
        Some("svg") => "image/svg+xml",
        Some("png") => "image/png",
        Some("json") => "application/json",
        _ => "application/octet-stream",
    }
}

/// Serve the files under `root` on 127.0.0.1 (port chosen by the OS), one
/// thread per connection, for as long as the test binary runs. `GET /`
/// answers `index.html`; the query is ignored; anything outside `root` or
/// missing is a 404.
fn serve_dir(root: PathBuf) -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap_or_else(|e| panic!("bind: {e}"));
    let port = listener
        .local_addr()
        .unwrap_or_else(|e| panic!("local addr: {e}"))
        .port();
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { continue };
            let root = root.clone();
            std::thread::spawn(move || {
                let Ok(read_half) = stream.try_clone() else {
                    return;
                };
                let mut reader = BufReader::new(read_half);
                let mut line = String::new();
                if reader.read_line(&mut line).is_err() {
                    return;
                }
                let mut header = String::new();
                while reader.read_line(&mut header).is_ok_and(|n| n > 2) {
                    header.clear();
                }
                let target = line.split_whitespace().nth(1).unwrap_or("/");
                let path = target.split(['?', '#']).next().unwrap_or("/");
                let rel = path.trim_start_matches('/');
                let rel = if rel.is_empty() { "index.html" } else { rel };
                let file = root.join(rel);
                let safe = !rel.split('/').any(|part| part == ".." || part.is_empty());
                let (status, kind, body) = match std::fs::read(&file) {
                    Ok(bytes) if safe => ("200 OK", content_type(&file), bytes),
                    _ => ("404 Not Found", "text/plain", b"not found".to_vec()),
                };
                let head = format!(
                    "HTTP/1.1 {status}\r\ncontent-type: {kind}\r\ncontent-length: {}\r\n\
                     cache-control: no-store\r\nconnection: close\r\n\r\n",
                    body.len()
                );
                let _ = stream.write_all(head.as_bytes());
                if !line.starts_with("HEAD ") {
                    let _ = stream.write_all(&body);
                }
                let _ = stream.flush();
            });
        }
    });
    port
}

/// One build of the app on two loopback origins: the app and its partner.
pub struct Site {
    pub base_url: String,
    pub partner: String,
}

/// `site` (`dist` or `dist-drift`) on two fresh loopback ports.
pub fn serve(site: &str) -> Site {
    let root = built_app().join(site);
    Site {
        base_url: format!("http://127.0.0.1:{}", serve_dir(root.clone())),
        partner: format!("http://127.0.0.1:{}", serve_dir(root)),
    }
}
