//! Issue 11: no secret leaves clickpath, in any encoding, through any output.
//!
//! Each test runs the real binary at `-vvv` with every report kind and its
//! temporary directory (`TMPDIR`, where Chromium's profile lives) inside the
//! test's own directory, then scans every byte it wrote: every file under
//! that directory (evidence, manifests, reports, whatever the browser left
//! behind), stdout and stderr, for every form [`clickpath::secret::forms`]
//! knows (as typed, URL-, HTML-, XML-, JSON- and `{:?}`-encoded, once and
//! twice): zero occurrences.

use std::path::{Path, PathBuf};
use std::process::Output;

mod binary;

use binary::{require_browser, stderr, Clickpath};
use clickpath::sandbox::{self, SandboxConfig};

/// A TOTP seed nothing else contains (base32, 160 bits).
const SEED: &str = "KRUGKIDTMVRXEZLUEBZWKZLEEBWW65DIMVZCAZDP";

/// A password whose every encoding differs: a quote, a space, `&`, `<`,
/// `>`, `%`, `'` and a backslash.
const PASSWORD: &str = "Qx7\"mZ &<wv>%4k'\\Rj9";

/// A run's directory: `TMPDIR` for the binary, evidence and reports.
struct Scene {
    dir: tempfile::TempDir,
}

impl Scene {
    fn new() -> Self {
        let dir = tempfile::tempdir().expect("temp dir");
        std::fs::create_dir_all(dir.path().join("tmp")).expect("tmp dir");
        Scene { dir }
    }

    fn path(&self, p: &str) -> PathBuf {
        self.dir.path().join(p)
    }

    /// `clickpath -vvv run` with every report, the evidence and `TMPDIR` here.
    fn run(&self) -> Clickpath {
        Clickpath::new()
            .env("TMPDIR", self.path("tmp"))
            // -vvv decides the log level, whatever the test's environment says.
            .env("RUST_LOG", "")
            .args(["-vvv", "run"])
            .out(&self.path("out"), "leak")
            .arg("--report")
            .arg(format!("junit={}", self.path("report.xml").display()))
            .arg("--report")
            .arg(format!("json={}", self.path("report.json").display()))
            .arg("--report")
            .arg(format!("html={}", self.path("html").display()))
    }

    /// Every form of every secret in every byte the run wrote: files under
    /// this directory (a profile left in `TMPDIR` included), stdout, stderr.
    fn assert_no_leak(&self, out: &Output, secrets: &[&str]) {
        let mut files = Vec::new();
        walk(self.dir.path(), &mut files);
        let reports = ["report.xml", "report.json", "html/index.html"];
        for r in reports {
            assert!(
                files.contains(&self.path(r)),
                "the {r} report was written: {files:#?}"
            );
        }
        assert!(
            files.iter().any(|f| f.ends_with("manifest.json")),
            "manifests were written"
        );
        let mut outputs: Vec<(String, Vec<u8>)> = vec![
            ("stdout".into(), out.stdout.clone()),
            ("stderr".into(), out.stderr.clone()),
        ];
        for f in &files {
            let bytes = std::fs::read(f).unwrap_or_default();
            outputs.push((f.display().to_string(), bytes));
        }
        let mut leaks = Vec::new();
        for secret in secrets {
            let forms = scan_forms(secret);
            for (name, bytes) in &outputs {
                for form in &forms {
                    if contains(bytes, form.as_bytes()) {
                        leaks.push(format!("{name}: {form}"));
                    }
                }
            }
        }
        assert!(
            leaks.is_empty(),
            "secrets leaked ({} of {} outputs scanned):\n{}",
            leaks.len(),
            outputs.len(),
            leaks.join("\n")
        );
    }
}

/// What to look for: the redactor's forms, and this test's own list of
/// the encodings outputs use (so a redactor that forgets one still fails).
fn scan_forms(secret: &str) -> Vec<String> {
    let unquote = |q: String| q[1..q.len() - 1].to_string();
    let debug = unquote(format!("{secret:?}"));
    let json = unquote(serde_json::to_string(secret).expect("json"));
    let json_of_debug = unquote(serde_json::to_string(&debug).expect("json"));
    let form: String = url::form_urlencoded::byte_serialize(secret.as_bytes()).collect();
    let own = [
        secret.to_string(),
        form.clone(),
        form.replace('+', "%20"),
        html(secret),
        html(secret).replace("&#39;", "&apos;"),
        secret
            .replace('&', "&amp;")
            .replace('<', "&lt;")
            .replace('>', "&gt;"),
        json,
        debug,
        json_of_debug,
    ];
    let mut forms = clickpath::secret::forms(secret);
    assert!(forms.iter().any(|f| f == secret));
    for f in own {
        if !forms.contains(&f) {
            forms.push(f);
        }
    }
    forms
}

fn walk(dir: &Path, files: &mut Vec<PathBuf>) {
    for e in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        let path = e.path();
        match e.file_type() {
            Ok(t) if t.is_dir() => walk(&path, files),
            Ok(t) if t.is_file() => files.push(path),
            _ => {}
        }
    }
}

fn contains(hay: &[u8], needle: &[u8]) -> bool {
    !needle.is_empty() && hay.windows(needle.len()).any(|w| w == needle)
}

/// Every committed runbook against the in-process sandbox, with a seed of
/// our own. The sandbox's password is fixed (`sandbox::SANDBOX_PASSWORD`,
/// "sandbox-password"): the sandbox accepts no other, so it is scanned for
/// as it is, and its encodings are all the same text.
#[test]
fn every_runbook_at_vvv_with_every_report_leaks_no_secret() {
    require_browser();
    let scene = Scene::new();
    let out = scene.run().args(["--sandbox", "--totp-seed", SEED]).run();
    binary::assert_exit(&out, 0);
    let err = stderr(&out);
    assert!(err.contains("12 passed, 0 failed"), "{err}");
    scene.assert_no_leak(&out, &[SEED, sandbox::SANDBOX_PASSWORD]);
}

/// A page that echoes the typed password back: in its title, heading, a
/// link, a landmark's name, the button the runbook clicks (a passing step
/// whose element's name holds the secret) and, after a GET form, the URL.
/// The last step looks for a button the page does not have, so the failure
/// lists what the page offers and a diagnosis, all full of the secret.
#[test]
fn a_page_that_echoes_the_secret_leaks_it_nowhere() {
    require_browser();
    let base = echo_server();
    let scene = Scene::new();
    let runbook = scene.path("echo/10-echo.yaml");
    std::fs::create_dir_all(runbook.parent().expect("parent")).expect("runbook dir");
    std::fs::write(
        &runbook,
        format!(
            "name: A page that echoes the password
provider: echo
base_url: {base}
secrets:
  password: {{env: LEAK_PASSWORD}}
steps:
  - doc: Open the sign-in page
    goto: /login
  - doc: Enter the password
    fill: {{label: Password, secret: password}}
  - doc: Continue as yourself
    click: {{button: Continue as, contains: true}}
  - doc: See the welcome page
    expect: {{heading: Welcome, contains: true}}
  - doc: Click **Finish setup**
    click: {{button: Finish setup}}
"
        ),
    )
    .expect("runbook written");
    let out = scene
        .run()
        .env("LEAK_PASSWORD", PASSWORD)
        .args(["--timeout", "2s"])
        .arg(&runbook)
        .run();
    binary::assert_exit(&out, 1);
    scene.assert_no_leak(&out, &[PASSWORD]);
    // The run did see the secret where this test put it, redacted.
    let m = binary::manifest(&scene.path("out/leak/echo/echo"));
    let passed = &m.steps[2];
    assert_eq!(passed.status.name(), "passed", "{m:#?}");
    let name = passed.element.as_ref().map(|e| e.name.as_str());
    assert_eq!(name, Some("Continue as ***"), "{m:#?}");
    let url = m.steps[3].url.as_deref().unwrap_or_default();
    assert!(url.contains("pw=***"), "{url}");
    let failure = m.steps[4].failure.as_ref().expect("the last step failed");
    assert!(
        failure.offers.iter().any(|c| c.name.contains("***")),
        "the page offers echo the secret: {failure:#?}"
    );
    assert!(failure.diagnosis.is_some(), "{failure:#?}");
}

/// `run --sandbox-url` against a sandbox serving another seed signs in
/// when given that seed with `--totp-seed`, and not without it.
#[test]
fn sandbox_url_runs_use_the_seed_given_with_totp_seed() {
    require_browser();
    let rt = tokio::runtime::Runtime::new().expect("tokio runtime");
    let sb = rt
        .block_on(sandbox::start(SandboxConfig {
            totp_seed: SEED.to_string(),
            ..SandboxConfig::default()
        }))
        .expect("sandbox starts");
    let root = format!("http://{}", sb.addr());
    let login = "runbooks/xero/login.yaml";
    let scene = Scene::new();
    let out = scene
        .run()
        .args(["--sandbox-url", &root, "--totp-seed", SEED, login])
        .run();
    binary::assert_exit(&out, 0);
    scene.assert_no_leak(&out, &[SEED]);

    let without = Scene::new();
    let err = without
        .run()
        .args(["--sandbox-url", &root, "--timeout", "2s", login])
        .expect_exit(1);
    assert!(err.contains("Dashboard"), "{err}");

    let err = Clickpath::new()
        .args(["run", "--totp-seed", SEED, login])
        .expect_exit(2);
    assert!(err.contains("--totp-seed") && !err.contains(SEED), "{err}");
    rt.block_on(sb.shutdown());
}

/// A loopback server whose pages echo the `pw` query value (the typed
/// password, sent by a GET form) and, before it is typed, the password the
/// test knows, HTML-escaped into text and attributes.
fn echo_server() -> String {
    let port = binary::serve_pages(|target| {
        let (status, body) = page(target);
        binary::Reply::status(status, body)
    });
    format!("http://127.0.0.1:{port}")
}

fn page(target: &str) -> (&'static str, String) {
    let s = html(PASSWORD);
    let (path, query) = target.split_once('?').unwrap_or((target, ""));
    match path {
        "/login" => (
            "200 OK",
            format!(
                "<!doctype html><html><head><title>Sign in, {s}</title></head><body>\
                 <h1>Sign in as {s}</h1>\
                 <a href=\"/help?who={s}\">Help for {s}</a>\
                 <form action=\"/welcome\" method=\"get\" aria-label=\"Sign-in form of {s}\">\
                 <label for=\"pw\">Password</label> <input id=\"pw\" name=\"pw\" type=\"text\">\
                 <button type=\"submit\">Continue as {s}</button></form></body></html>"
            ),
        ),
        "/welcome" => {
            let typed = query
                .split('&')
                .find_map(|kv| kv.strip_prefix("pw="))
                .map(|v| {
                    url::form_urlencoded::parse(format!("pw={v}").as_bytes())
                        .next()
                        .map(|(_, v)| v.into_owned())
                        .unwrap_or_default()
                })
                .unwrap_or_default();
            let t = html(&typed);
            (
                "200 OK",
                format!(
                    "<!doctype html><html><head><title>Welcome {t}</title></head><body>\
                     <main aria-label=\"Account of {t}\"><h1>Welcome, {t}</h1>\
                     <p>Your password is {t}.</p>\
                     <a href=\"/login?again={t}\">Not {t}? Sign in again</a>\
                     <button type=\"button\">Finish as {t}</button>\
                     <button type=\"button\" title=\"{t}\">Set up {t}</button>\
                     </main></body></html>"
                ),
            )
        }
        _ => (
            "404 Not Found",
            format!("<h1>No page {}</h1>", html(target)),
        ),
    }
}

fn html(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
        .replace('\'', "&#39;")
}
