//! Issue 12, "faster than Playwright": one `clickpath run` starts one
//! chromedriver and one browser for all its runbooks, and each runbook
//! still finds the browser as if it were new: no cookie, local or session
//! storage, IndexedDB database, cache storage or window of the runbook
//! before it. A runbook that hangs the page does not break the next one:
//! the session is closed and a new one started.
//!
//! Real headless Chromium through the built binary, pages on 127.0.0.1.
//!
//! See: issue 12 ("faster than Playwright").

use std::collections::BTreeSet;
use std::path::Path;
use std::process::Output;
use std::time::Duration;

mod binary;

use binary::{
    assert_exit, assert_no_processes_left, processes_with_marker, require_browser, serve_pages,
    Clickpath, Reply,
};

/// The script every page of the site carries: it answers other windows
/// of the site on a `BroadcastChannel` (which reaches every same-origin
/// window of the browser, opener or not), and `look()` lists what the
/// page finds of earlier visits, one `<li>` each.
const LOOK: &str = r#"<script>
const me = Math.random();
const channel = new BroadcastChannel('clickpath-traces');
channel.onmessage = e => { if (e.data.who !== undefined && e.data.who !== me) channel.postMessage({ here: me }); };
async function look() {
  const seen = [];
  seen.push(document.cookie ? 'cookie ' + document.cookie : 'no cookie');
  const local = localStorage.getItem('trace');
  seen.push(local ? 'local storage ' + local : 'no local storage');
  const session = sessionStorage.getItem('trace');
  seen.push(session ? 'session storage ' + session : 'no session storage');
  const dbs = (await indexedDB.databases()).map(d => d.name);
  seen.push(dbs.length ? 'IndexedDB ' + dbs.join(' ') : 'no IndexedDB');
  const kept = await caches.keys();
  seen.push(kept.length ? 'cache storage ' + kept.join(' ') : 'no cache storage');
  const others = new Set();
  const ask = new BroadcastChannel('clickpath-traces');
  ask.onmessage = e => { if (e.data.here !== undefined && e.data.here !== me) others.add(e.data.here); };
  ask.postMessage({ who: me });
  await new Promise(done => setTimeout(done, 500));
  seen.push(others.size ? others.size + ' other window' : 'no other window');
  document.getElementById('seen').innerHTML = seen.map(s => '<li>' + s + '</li>').join('');
}
async function leave() {
  document.cookie = 'trace=A; max-age=3600';
  localStorage.setItem('trace', 'A');
  sessionStorage.setItem('trace', 'A');
  await new Promise((done, failed) => {
    const open = indexedDB.open('traces-db', 1);
    open.onupgradeneeded = () => open.result.createObjectStore('visits');
    open.onsuccess = () => { open.result.close(); done(); };
    open.onerror = failed;
  });
  await (await caches.open('traces-cache')).put('/kept', new Response('kept'));
  window.open('/second', '_blank');
  document.getElementById('done').textContent = 'Traces left';
}
</script>"#;

/// `/` "Traces" (lists what it finds; **Leave traces** leaves some and
/// opens `/second`), `/second` "Second window", `/hang` a page whose
/// **Go on** button never returns.
fn site() -> u16 {
    serve_pages(|target| match target {
        "/" => Reply::ok(format!(
            "<!doctype html><title>Traces</title>{LOOK}<h1>Traces</h1>\
             <button onclick=\"leave()\">Leave traces</button><p id=done></p>\
             <ul id=seen></ul><script>look();</script>"
        )),
        "/second" => Reply::ok(format!(
            "<!doctype html><title>Second window</title>{LOOK}<h1>Second window</h1>"
        )),
        "/hang" => Reply::ok(
            "<!doctype html><title>Busy</title><h1>Busy</h1>\
             <button onclick=\"for (;;) {}\">Go on</button>",
        ),
        _ => Reply::status("404 Not Found", "<!doctype html><h1>Not found</h1>"),
    })
}

/// Runbook A: leave every trace, open a second window, and check that the
/// page itself sees them all (so B's "no ..." means they were removed).
const LEAVE: &str = "  - doc: Open the traces page\n    goto: /\n\
     \x20 - doc: Click **Leave traces**\n    click: {button: Leave traces}\n\
     \x20 - doc: It says so\n    expect: {text: Traces left}\n\
     \x20 - doc: The second window opened\n    switch_window: {title: Second window}\n\
     \x20 - doc: Back to the first\n    switch_window: main\n\
     \x20 - doc: Open the traces page again\n    goto: /\n\
     \x20 - doc: The cookie is seen\n    expect: {text: cookie trace=A}\n\
     \x20 - doc: Local storage is seen\n    expect: {text: local storage A}\n\
     \x20 - doc: Session storage is seen\n    expect: {text: session storage A}\n\
     \x20 - doc: The database is seen\n    expect: {text: IndexedDB traces-db}\n\
     \x20 - doc: The cache is seen\n    expect: {text: cache storage traces-cache}\n\
     \x20 - doc: The second window answers\n    expect: {text: 1 other window}\n";

/// Runbook B: the traces page finds nothing of anybody.
const FIND_NONE: &str = "  - doc: Open the traces page\n    goto: /\n\
     \x20 - doc: No cookie\n    expect: {text: no cookie}\n\
     \x20 - doc: No local storage\n    expect: {text: no local storage}\n\
     \x20 - doc: No session storage\n    expect: {text: no session storage}\n\
     \x20 - doc: No database\n    expect: {text: no IndexedDB}\n\
     \x20 - doc: No cache\n    expect: {text: no cache storage}\n\
     \x20 - doc: No other window\n    expect: {text: no other window}\n";

/// Runbook H: hang the page with a click.
const HANG: &str = "  - doc: Open the busy page\n    goto: /hang\n\
     \x20 - doc: Click **Go on**\n    click: {button: Go on}\n";

/// Write runbook `file` (flow `name`, provider `site`) into `dir`.
fn write_runbook(dir: &Path, file: &str, name: &str, steps: &str) {
    std::fs::write(
        dir.join(file),
        format!("name: {name}\nprovider: site\nbase_url: http://127.0.0.1:1\nsteps:\n{steps}"),
    )
    .unwrap_or_else(|e| panic!("write {file}: {e}"));
}

/// `clickpath -vv run` of `paths` against the site on `port`, with a
/// marker on its processes; evidence under `out/r`.
fn run(out: &Path, port: u16, marker: &str, paths: &[&Path]) -> Output {
    require_browser();
    Clickpath::new()
        .args(["-vv", "run", "--base-url"])
        .arg(format!("http://127.0.0.1:{port}"))
        .out(out, "r")
        .args(["--timeout", "3s"])
        .args(paths)
        .env("CLICKPATH_TEST_MARKER", marker)
        .run()
}

/// How many sessions a `-vv` run opened.
fn sessions_opened(stderr: &str) -> usize {
    stderr
        .lines()
        .filter(|l| l.contains("webdriver: new_session"))
        .count()
}

#[test]
fn issue_12_a_runbook_finds_nothing_of_the_one_before_in_the_shared_browser() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let port = site();
    let books = tmp.path().join("books");
    std::fs::create_dir(&books).expect("mkdir");
    write_runbook(&books, "10-leave.yaml", "leave", LEAVE);
    write_runbook(&books, "20-find_none.yaml", "find_none", FIND_NONE);
    let marker = format!("reuse-isolation-{}", std::process::id());

    // Control: B alone, in a new browser, passes: its "no ..." lines are
    // what a fresh browser shows.
    let alone = run(
        &tmp.path().join("alone"),
        port,
        &marker,
        &[&books.join("20-find_none.yaml")],
    );
    assert_exit(&alone, 0);

    // A then B in one run, one browser: B passes all the same.
    let out = run(&tmp.path().join("both"), port, &marker, &[&books]);
    let err = binary::stderr(&out);
    assert_exit(&out, 0);
    let a = binary::manifest(&tmp.path().join("both/r/site/leave"));
    let b = binary::manifest(&tmp.path().join("both/r/site/find_none"));
    assert_eq!(a.status.name(), "passed", "A left its traces: {a:#?}");
    assert_eq!(b.status.name(), "passed", "B found none: {b:#?}");
    assert_eq!(sessions_opened(&err), 1, "one session for both:\n{err}");
    assert!(
        err.contains("session isolated for the next runbook"),
        "isolated, not restarted:\n{err}"
    );
    assert!(!err.contains("could not be isolated"), "{err}");
    assert_no_processes_left(&marker, Duration::from_secs(10));
}

#[test]
fn issue_12_one_run_of_several_runbooks_starts_one_chromedriver() {
    require_browser();
    let tmp = tempfile::tempdir().expect("temp dir");
    let marker = format!("reuse-one-driver-{}", std::process::id());
    // The two QuickBooks flows each sign in from scratch: with the first
    // one's session cookie, the second would land past the sign-in page.
    let child = Clickpath::new()
        .args(["-vv", "run", "--sandbox", "runbooks/qbo"])
        .out(tmp.path(), "r")
        .env("CLICKPATH_TEST_MARKER", &marker)
        .spawn();
    let mut drivers = BTreeSet::new();
    let mut child = child;
    loop {
        for (pid, cmd) in processes_with_marker(&marker) {
            if cmd.contains("chromedriver") {
                drivers.insert(pid);
            }
        }
        match child.try_wait() {
            Ok(Some(_)) => break,
            Ok(None) => std::thread::sleep(binary::POLL_INTERVAL),
            Err(e) => panic!("waiting for clickpath: {e}"),
        }
    }
    let out = child.wait_with_output().expect("clickpath exits");
    let err = binary::stderr(&out);
    assert_exit(&out, 0);
    for flow in ["add_user", "remove_user"] {
        let m = binary::manifest(&tmp.path().join("r/qbo").join(flow));
        assert_eq!(m.status.name(), "passed", "{flow}: {m:#?}");
    }
    assert_eq!(drivers.len(), 1, "chromedrivers seen: {drivers:?}\n{err}");
    assert_eq!(sessions_opened(&err), 1, "{err}");
    assert_no_processes_left(&marker, Duration::from_secs(10));
}

#[test]
fn issue_12_a_hung_page_costs_a_new_session_not_the_next_runbook() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let port = site();
    let books = tmp.path().join("books");
    std::fs::create_dir(&books).expect("mkdir");
    write_runbook(&books, "10-hang.yaml", "hang", HANG);
    write_runbook(&books, "20-find_none.yaml", "find_none", FIND_NONE);
    let marker = format!("reuse-hang-{}", std::process::id());
    let out = run(tmp.path(), port, &marker, &[&books]);
    let err = binary::stderr(&out);
    // The hung page is the environment's failure (exit 3); the next
    // runbook passes in a new session.
    assert_exit(&out, 3);
    let hang = binary::manifest(&tmp.path().join("r/site/hang"));
    assert_eq!(hang.status.name(), "failed", "{hang:#?}");
    let next = binary::manifest(&tmp.path().join("r/site/find_none"));
    assert_eq!(next.status.name(), "passed", "{next:#?}\n{err}");
    assert!(
        err.contains("could not be isolated for the next runbook")
            && err.contains("closing it and starting a new one"),
        "the fallback is logged:\n{err}"
    );
    assert_eq!(sessions_opened(&err), 2, "{err}");
    assert_no_processes_left(&marker, Duration::from_secs(10));
}
