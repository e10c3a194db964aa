//! `clickpath guide` end to end (issue 14, "Guides"): a real sandbox run of
//! the Xero invite through headless Chromium, then guides written from it by
//! the built binary, with no browser; and guides from hand-written manifests
//! for the error paths.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

mod binary;

use binary::{require_browser, stderr, Clickpath};

use clickpath::sandbox::{DEFAULT_TOTP_SEED, SANDBOX_EMAIL, SANDBOX_PASSWORD};

const XERO: &str = "runbooks/xero/10-invite_user.yaml";
const QBO: &str = "runbooks/qbo/10-add_user.yaml";

/// Every file under `dir`, by path relative to it, with its bytes.
fn files(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    fn walk(root: &Path, dir: &Path, out: &mut BTreeMap<PathBuf, Vec<u8>>) {
        for entry in std::fs::read_dir(dir).expect("read dir") {
            let path = entry.expect("entry").path();
            if path.is_dir() {
                walk(root, &path, out);
            } else {
                let rel = path.strip_prefix(root).expect("under root").to_path_buf();
                out.insert(rel, std::fs::read(&path).expect("read"));
            }
        }
    }
    let mut out = BTreeMap::new();
    walk(dir, dir, &mut out);
    out
}

/// The image paths a Markdown page links (`](flow/NAME.png)`).
fn image_links(md: &str) -> Vec<String> {
    md.lines()
        .filter_map(|l| {
            let l = l.trim();
            let start = l.strip_prefix("![")?;
            let open = start.rfind("](")?;
            Some(start[open + 2..].trim_end_matches(')').to_string())
        })
        .collect()
}

#[test]
fn issue_14_guide_lists_every_step_with_its_image_and_never_a_value() {
    require_browser();
    let tmp = tempfile::tempdir().expect("temp dir");
    Clickpath::new()
        .args(["run", "--sandbox", "--var", "customer=acme"])
        .out(&tmp.path().join("shots"), "g")
        .arg(XERO)
        .expect_exit(0);
    let run_dir = tmp.path().join("shots/g");
    let flow_dir = run_dir.join("xero/invite_user");
    let manifest = binary::manifest(&flow_dir);
    let out = tmp.path().join("guides");

    // A runbook without a manifest in the run: named, exit 2 (as `fix`
    // exits on a usage error), and the other guide is still written.
    let err = Clickpath::new()
        .args(["guide", XERO, QBO, "--from"])
        .arg(&run_dir)
        .arg("--out")
        .arg(&out)
        .expect_exit(2);
    assert!(
        err.contains(&format!("{QBO}: no manifest for qbo/add_user in")),
        "{err}"
    );
    assert!(err.contains("1 guide written"), "{err}");

    let md = std::fs::read_to_string(out.join("xero/invite_user.md")).expect("markdown");
    let html = std::fs::read_to_string(out.join("xero/invite_user.html")).expect("html");

    // Every step, numbered, with an existing image file for each screenshot.
    assert_eq!(manifest.steps.len(), manifest.steps_total);
    let links = image_links(&md);
    for step in &manifest.steps {
        assert!(
            md.contains(&format!("\n{}. ", step.number)),
            "step {} is listed:\n{md}",
            step.number
        );
        assert!(step.screenshot.is_some(), "every step has a screenshot");
        // A `screenshot: {of: …}` step shows its crop (the invite's row).
        let shot = step
            .crop
            .as_ref()
            .and_then(|c| c.file.as_deref())
            .or(step.screenshot.as_deref())
            .expect("an image");
        let link = format!("invite_user/{shot}");
        assert!(links.contains(&link), "{link} is linked:\n{md}");
        let copied = std::fs::read(out.join("xero").join(&link)).expect("image copied");
        let original = std::fs::read(flow_dir.join(shot)).expect("run image");
        assert_eq!(copied, original, "{link} is the run's image");
        assert!(html.contains(&format!("src=\"{link}\"")), "{link} in HTML");
    }
    assert_eq!(links.len(), manifest.steps.len());
    assert!(
        links.iter().any(|l| l.ends_with("-crop.png")),
        "the invite's row is shown as its crop:\n{md}"
    );

    // Templates as the runbook writes them, prerequisites by name, and no
    // value of the run: not the var, not the login, not a secret.
    assert!(md.contains("dp-{customer}@drivetrain.ai"), "{md}");
    assert!(md.contains("# Invite the Drivetrain temporary user to Xero\n"));
    for name in ["`customer`", "`login_email`", "`password`", "`totp_seed`"] {
        assert!(md.contains(name), "{name} in prerequisites:\n{md}");
    }
    assert!(html.contains("<strong>Send Invite</strong>"), "bold kept");
    for page in [&md, &html] {
        for value in [
            "dp-acme",
            SANDBOX_EMAIL,
            SANDBOX_PASSWORD,
            DEFAULT_TOTP_SEED,
        ] {
            assert!(!page.contains(value), "`{value}` leaked into a guide");
        }
    }

    // Regenerating gives the same bytes, and leaves nothing stale behind.
    let before = files(&out);
    std::fs::write(out.join("xero/invite_user/stale.png"), b"old").expect("write");
    Clickpath::new()
        .args(["guide", XERO, "--from"])
        .arg(&run_dir)
        .arg("--out")
        .arg(&out)
        .expect_exit(0);
    assert_eq!(files(&out), before, "regenerated byte for byte");
}

/// A manifest for the runbook at `runbook` (steps 1 and 2, with only the
/// first's screenshot on disk) in `run_dir/demo/secret_flow/`.
fn fake_run(run_dir: &Path, runbook: &Path) {
    let flow = run_dir.join("demo/secret_flow");
    std::fs::create_dir_all(&flow).expect("dirs");
    let step = |n: usize, shot: Option<&str>| {
        serde_json::json!({
            "id": format!("step-{n}"), "number": n, "doc": "rendered",
            "source": {"file": runbook, "line": 1, "column": 1},
            "action": "fill", "locator": null, "element": null, "url": null,
            "title": null, "navigated": false, "duration_ms": 1, "round_trips": 1,
            "screenshot": shot, "capture": null, "status": "passed", "failure": null
        })
    };
    let manifest = serde_json::json!({
        "schema_version": clickpath::outcome::SCHEMA_VERSION,
        "clickpath_version": "0.1.0", "run_id": "r", "runbook": runbook,
        "name": "Secret flow", "provider": "demo", "flow": "secret_flow",
        "browser": {"name": "chrome", "version": "1", "driver_version": null, "headed": false},
        "viewport": {"width": 800, "height": 600}, "base_url": "http://127.0.0.1:1",
        "vars": {"who": "value-of-who", "token": "***"},
        "started_at": "2026-12-01T00:00:00.000Z", "finished_at": "2026-12-01T00:00:01.000Z",
        "status": "passed", "steps_total": 2,
        "steps": [step(1, Some("01-a.png")), step(2, Some("02-gone.png"))]
    });
    std::fs::write(
        flow.join("manifest.json"),
        serde_json::to_vec_pretty(&manifest).expect("json"),
    )
    .expect("write manifest");
    std::fs::write(flow.join("01-a.png"), b"png bytes").expect("write image");
}

#[test]
fn issue_14_guide_notes_a_step_without_screenshot_and_names_secrets_only() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let runbook = tmp.path().join("secret_flow.yaml");
    std::fs::write(
        &runbook,
        "name: Secret flow\nprovider: demo\nbase_url: http://127.0.0.1:1\nsource: https://help.example.test/a\n\
         vars:\n  who: {required: true, description: The **user** to add}\n\
         secrets:\n  token: {env: DEMO_TOKEN, description: The API token}\n\
         steps:\n  - doc: Type *{who}* in `Name`\n    fill: {label: Name, value: \"{who}\"}\n\
         \x20 - doc: Paste the token\n    fill: {label: Token, secret: token}\n",
    )
    .expect("write runbook");
    let run_dir = tmp.path().join("run");
    fake_run(&run_dir, &runbook);
    let out = tmp.path().join("out");
    let err = Clickpath::new()
        .arg("guide")
        .arg(&runbook)
        .arg("--from")
        .arg(&run_dir)
        .arg("--out")
        .arg(&out)
        .expect_exit(0);
    assert!(
        err.contains("step 2 is listed without an image: its screenshot `02-gone.png` is not in the run folder"),
        "{err}"
    );
    let md = std::fs::read_to_string(out.join("demo/secret_flow.md")).expect("md");
    assert!(md.contains("1. Type *{who}* in `Name`\n"), "{md}");
    assert!(
        md.contains("![Step 1: Type {who} in Name](secret_flow/01-a.png)"),
        "{md}"
    );
    assert!(
        md.contains("2. Paste the token\n\n   *No image: its screenshot"),
        "{md}"
    );
    assert!(md.contains("- `token`: The API token"), "{md}");
    assert!(
        md.contains("[https://help.example.test/a](<https://help.example.test/a>)"),
        "{md}"
    );
    let html = std::fs::read_to_string(out.join("demo/secret_flow.html")).expect("html");
    assert!(
        html.contains("Type <em>{who}</em> in <code>Name</code>"),
        "{html}"
    );
    for page in [&md, &html] {
        assert!(!page.contains("value-of-who") && !page.contains("DEMO_TOKEN"));
    }
    assert_eq!(
        std::fs::read(out.join("demo/secret_flow/01-a.png")).expect("copied"),
        b"png bytes"
    );
}

#[test]
fn issue_14_guide_without_manifests_is_a_usage_error() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let out = Clickpath::new()
        .args(["guide", XERO, "--from"])
        .arg(tmp.path())
        .arg("--out")
        .arg(tmp.path().join("out"))
        .run();
    binary::assert_exit(&out, 2);
    assert!(
        stderr(&out).contains("no manifest.json found"),
        "{}",
        stderr(&out)
    );
    assert!(!tmp.path().join("out").exists(), "nothing written");
}
