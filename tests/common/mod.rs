//! Shared harness for executor tests: a small page server on 127.0.0.1:0,
//! a real headless Chromium through our own `browser::launch`, runbooks built
//! in Rust, and cleanup that always runs (even when the test body panics).
#![allow(dead_code)]

use std::future::Future;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use axum::response::Html;
use axum::routing::get;
use axum::Router;
use clickpath::browser::{self, Browser, BrowserConfig};
use clickpath::diagnostic::Span;
use clickpath::runbook::{Action, By, Origin, Runbook, Scope, Step, Target, Template, Viewport};

/// Viewport used by every test (small screenshots are fast).
pub const VIEWPORT: Viewport = Viewport {
    width: 800,
    height: 600,
};

const STYLE: &str = "<style>body{font-family:sans-serif;margin:20px} \
    .overlay{position:fixed;inset:0;background:rgba(0,0,0,.4)} \
    .modal{position:fixed;top:100px;left:100px;background:#fff;padding:20px} \
    .menu{display:none}</style>";

fn page(title: &str, body: &str) -> Html<String> {
    Html(format!(
        "<!doctype html><html><head><meta charset=utf-8><title>{title}</title>{STYLE}</head>\
         <body>{body}</body></html>"
    ))
}

/// The test pages.
pub fn app() -> Router {
    Router::new()
        .route(
            "/app/",
            get(|| async {
                page(
                    "Home",
                    r#"<header><nav><a href="/app/settings">Settings</a></nav></header>
<main>
<h1>Invite someone</h1>
<form onsubmit="return false">
  <label for="email">Email</label> <input id="email" type="email">
  <label>Password <input id="pw" type="password"></label>
  <label for="role">Role</label>
  <select id="role"><option>Standard</option><option>Admin</option></select>
  <label><input id="copy" type="checkbox"> Send me a copy</label>
  <input type="text" placeholder="Search users" id="q">
  <button id="save" type="button">Save</button>
</form>
<p id="status"></p>
<table><tr><td>alice@example.com</td><td><button type="button" onclick="this.closest('tr').remove()">Remove</button></td></tr>
<tr><td>bob@example.com</td><td><button type="button" onclick="this.closest('tr').remove()">Remove</button></td></tr></table>
</main>
<script>
document.getElementById('save').addEventListener('click', () => {
  const e = document.getElementById('email').value;
  const r = document.getElementById('role').value;
  const c = document.getElementById('copy').checked;
  document.getElementById('status').textContent = 'Saved ' + e + ' as ' + r + (c ? ' with copy' : '');
  document.body.style.background = '#efe';
});
</script>"#,
                )
            }),
        )
        .route(
            "/app/settings",
            get(|| async {
                page(
                    "Users | Settings",
                    r#"<main><h1>Users</h1>
<button type="button">Invite user</button>
<button type="button">Add Xero support</button>
<a href="/app/">Back</a></main>"#,
                )
            }),
        )
        .route(
            "/app/dupes",
            get(|| async {
                page(
                    "Dupes",
                    r#"<main><section aria-label="Top"><button type="button">Save</button></section>
<section aria-label="Bottom"><button type="button" style="margin-top:200px">Save</button></section></main>"#,
                )
            }),
        )
        .route(
            "/app/modal",
            get(|| async {
                page(
                    "Modal",
                    r#"<main><button type="button" id="del">Delete</button></main>
<div class="overlay" id="backdrop"></div>
<div class="modal" role="dialog" aria-label="Cookie consent"><p>We use cookies</p><button type="button">Accept</button></div>"#,
                )
            }),
        )
        .route(
            "/app/late",
            get(|| async {
                page(
                    "Late",
                    r#"<main id="m"><p>Loading…</p></main>
<script>setTimeout(() => {
  document.getElementById('m').innerHTML = '<button type="button" onclick="document.title=\'Continued\'">Continue</button>';
}, 700);</script>"#,
                )
            }),
        )
        .route(
            "/app/rerender",
            get(|| async {
                page(
                    "Rerender",
                    r#"<main id="m"></main>
<script>
let clicks = 0;
function render() {
  document.getElementById('m').innerHTML =
    '<button type="button" onclick="clicks++; document.title = \'Clicked \' + clicks">Refresh</button>';
}
render();
// Like a framework reacting to the first measurement: replace the button
// right after clickpath's first stability check: frame 1 is the page-state
// read after loading, frame 2 the resolver's one-frame stability check.
const raf = window.requestAnimationFrame.bind(window);
let frames = 0;
window.requestAnimationFrame = (cb) => raf((ts) => { cb(ts); if (++frames === 2) setTimeout(render, 0); });
</script>"#,
                )
            }),
        )
        .route(
            "/app/names",
            get(|| async {
                page(
                    "Names",
                    r##"<header><button type="button" aria-label="Settings"><svg width="16" height="16"><circle cx="8" cy="8" r="6"/></svg></button>
<button type="button"><img alt="Help" width="16" height="16" src="data:image/gif;base64,R0lGODlhAQABAAAAACw="></button>
<a href="#menu" title="Menu"><span style="display:inline-block;width:16px;height:16px;background:#333"></span></a></header>
<main><form onsubmit="document.title='Sent'; return false">
<span id="cn">Company name</span> <input aria-labelledby="cn">
<input placeholder="Search">
<input type="submit" value="Send invite">
</form>
<div role="dialog" aria-label="Invite"><h2>Invite</h2><button type="button" onclick="document.title='Dialog OK'">OK</button></div>
<section aria-label="Other"><button type="button">OK</button></section></main>"##,
                )
            }),
        )
        .route(
            "/app/login",
            get(|| async {
                page(
                    "Sign in",
                    r#"<main><form method="get" action="/app/login"><label>Password <input name="pw" type="password"></label>
<button type="submit">Log in</button></form></main>"#,
                )
            }),
        )
        .route(
            "/app/expiring",
            get(|| async {
                page(
                    "Users",
                    r#"<main><h1>Users</h1><button type="button">Invite user</button></main>
<script>setTimeout(() => { location.href = '/app/login'; }, 1500);</script>"#,
                )
            }),
        )
        .route(
            "/app/hidden",
            get(|| async {
                page(
                    "Hidden",
                    r#"<main><button type="button">Menu</button><div class="menu" id="more"><button type="button">Export</button></div></main>"#,
                )
            }),
        )
}

/// Serve the test pages on 127.0.0.1:0; returns the base URL (`http://127.0.0.1:PORT`).
pub async fn serve() -> String {
    let listener = tokio::net::TcpListener::bind(("127.0.0.1", 0))
        .await
        .expect("bind 127.0.0.1:0");
    let addr = listener.local_addr().expect("local addr");
    tokio::spawn(async move {
        let _ = axum::serve(listener, app()).await;
    });
    format!("http://{addr}")
}

/// Processes below `root` (Linux /proc), with their state letter.
pub fn descendants(root: u32) -> Vec<u32> {
    let mut pairs = Vec::new();
    if let Ok(dir) = std::fs::read_dir("/proc") {
        for e in dir.flatten() {
            let Some(pid) = e.file_name().to_str().and_then(|s| s.parse::<u32>().ok()) else {
                continue;
            };
            if let Some((ppid, _)) = stat(pid) {
                pairs.push((pid, ppid));
            }
        }
    }
    let mut out = Vec::new();
    let mut todo = vec![root];
    while let Some(p) = todo.pop() {
        for &(pid, ppid) in &pairs {
            if ppid == p && !out.contains(&pid) {
                out.push(pid);
                todo.push(pid);
            }
        }
    }
    out
}

/// (parent pid, state) of a process, if it exists.
fn stat(pid: u32) -> Option<(u32, char)> {
    let s = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    let rest = &s[s.rfind(')')? + 2..];
    let mut it = rest.split_whitespace();
    let state = it.next()?.chars().next()?;
    let ppid = it.next()?.parse().ok()?;
    Some((ppid, state))
}

/// Whether `pid` is a live (non-zombie) process.
pub fn alive(pid: u32) -> bool {
    matches!(stat(pid), Some((_, s)) if s != 'Z' && s != 'X')
}

/// Start headless Chromium through our own `Browser::launch`, failing (never
/// skipping) when it cannot: the launch error names the packages to install.
pub async fn launch(viewport: Viewport) -> Box<dyn Browser> {
    let config = BrowserConfig {
        viewport,
        ..BrowserConfig::default()
    };
    browser::launch(&config)
        .await
        .unwrap_or_else(|e| panic!("could not start headless Chromium for the tests: {e}"))
}

/// Start the page server and a headless browser, run `body`, then ALWAYS
/// close the browser and assert that no chromedriver/chromium we started is
/// left, re-raising the body's panic afterwards.
pub async fn with_browser<F, Fut>(body: F)
where
    F: FnOnce(Arc<dyn Browser>, String) -> Fut,
    Fut: Future<Output = ()> + Send + 'static,
{
    let base = serve().await;
    let browser: Arc<dyn Browser> = Arc::from(launch(VIEWPORT).await);
    let driver = browser.driver_pid().expect("we started chromedriver");
    let result = tokio::spawn(body(browser.clone(), base)).await;
    let mut spawned = descendants(driver);
    spawned.push(driver);
    // Close even when the body panicked and still holds a clone.
    browser.close().await;
    let left: Vec<u32> = spawned.into_iter().filter(|p| alive(*p)).collect();
    assert!(left.is_empty(), "processes left after close: {left:?}");
    if let Err(e) = result {
        std::panic::resume_unwind(e.into_panic());
    }
}

/// A locator in documentation words.
pub fn target(by: By, name: &str) -> Target {
    Target::new(by, Template::literal(name), Span::on_line(1, 1, 1))
}

/// `target` scoped to the row containing `row`.
pub fn in_row(mut t: Target, row: &str) -> Target {
    t.within = Some(Box::new(Scope::Row(Template::literal(row))));
    t
}

/// A step whose origin is line `line` of `runbooks/test/flow.yaml`.
pub fn step(line: usize, doc: &str, action: Action) -> Step {
    Step {
        id: None,
        doc: Template::literal(doc),
        action,
        timeout: None,
        destructive: false,
        note: None,
        mask: Vec::new(),
        origin: Origin {
            file: PathBuf::from("runbooks/test/flow.yaml"),
            span: Span::on_line(line, 5, 4),
            via: Vec::new(),
        },
    }
}

/// A runbook of `steps` for provider `test`, flow `flow`.
pub fn runbook(flow: &str, steps: Vec<Step>) -> Runbook {
    Runbook {
        path: PathBuf::from(format!("runbooks/test/{flow}.yaml")),
        name: flow.to_string(),
        provider: "test".into(),
        flow: flow.to_string(),
        source: None,
        base_url: "http://unused.invalid".into(),
        vars: Vec::new(),
        secrets: Vec::new(),
        viewport: Some(VIEWPORT),
        partial: false,
        mask: Vec::new(),
        steps,
    }
}

/// Decode a PNG and return its size.
pub fn png_size(path: &Path) -> (u32, u32) {
    let img = image::open(path).unwrap_or_else(|e| panic!("{} is not a PNG: {e}", path.display()));
    (img.width(), img.height())
}
