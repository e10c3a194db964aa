//! `clickpath check` driven through the built binary, hurl/just style: every
//! broken runbook in `tests/fixtures/invalid/` (a file, or a directory for
//! multi-file cases) has a `<case>.stderr` golden file holding the exact
//! rendered diagnostics. Set `BLESS=1` to rewrite the golden files after a
//! deliberate change, then review the diff.

use std::path::PathBuf;

mod binary;

use binary::{stderr, Clickpath};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

#[test]
fn every_invalid_fixture_renders_its_golden_diagnostics() {
    let dir = root().join("tests/fixtures/invalid");
    let mut cases: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_none_or(|e| e != "stderr"))
        .collect();
    cases.sort();
    let names: Vec<String> = cases
        .iter()
        .map(|p| {
            p.file_stem()
                .unwrap_or_default()
                .to_string_lossy()
                .into_owned()
        })
        .collect();
    for required in [
        "unknown_action",
        "two_actions",
        "unknown_var",
        "literal_secret",
        "missing_use",
        "circular_use",
        "duplicate_ids",
        "locator_no_target",
        "malformed_yaml",
        "empty",
        "binary",
    ] {
        assert!(
            names.iter().any(|n| n == required),
            "fixture `{required}` is missing"
        );
    }
    let bless = std::env::var_os("BLESS").is_some();
    let mut failures = Vec::new();
    for (case, name) in cases.iter().zip(&names) {
        let rel = case
            .strip_prefix(root())
            .unwrap_or(case)
            .to_string_lossy()
            .into_owned();
        let out = Clickpath::new().args(["check", &rel]).run();
        let got = stderr(&out);
        let golden = dir.join(format!("{name}.stderr"));
        if bless {
            std::fs::write(&golden, &got).unwrap_or_else(|e| panic!("{e}"));
            continue;
        }
        let want = std::fs::read_to_string(&golden)
            .unwrap_or_else(|e| panic!("{}: {e} (run with BLESS=1)", golden.display()));
        if got != want {
            failures.push(format!("--- {name}: expected\n{want}--- got\n{got}"));
        }
        let errors = !want.contains(" 0 errors,");
        let code = out.status.code();
        if code != Some(if errors { 1 } else { 0 }) {
            failures.push(format!("--- {name}: exit code {code:?}"));
        }
        assert!(!got.contains("panicked"), "{name} panicked:\n{got}");
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn literal_secret_value_is_never_printed() {
    let err = Clickpath::new()
        .args(["check", "tests/fixtures/invalid/literal_secret.yaml"])
        .expect_exit(1);
    assert!(
        err.contains("secret `password` is given as a literal value"),
        "{err}"
    );
    assert!(!err.contains("hunter2"), "{err}");
}

#[test]
fn committed_runbooks_check_clean_against_their_articles() {
    let err = Clickpath::new()
        .args(["check", "--against-source"])
        .expect_exit(0);
    assert!(!err.contains("warning:"), "{err}");
    let summary = err.lines().last().unwrap_or_default();
    let n: usize = summary
        .strip_prefix("checked ")
        .and_then(|s| s.split_whitespace().next())
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("bad summary: {summary}"));
    assert!(n >= 15, "{summary}");
    assert!(summary.ends_with(": 0 errors, 0 warnings"), "{summary}");
}

#[test]
fn against_source_reports_words_the_article_no_longer_says() {
    let err = Clickpath::new()
        .args([
            "check",
            "--against-source",
            "tests/fixtures/against_source/invite.yaml",
        ])
        .expect_exit(1);
    assert!(
        err.contains("error: step 3 quotes `Send the Invite`, which its article no longer says\n  --> tests/fixtures/against_source/invite.yaml:11:5"),
        "{err}"
    );
    assert!(
        err.contains("warning: step 2's button `Invite someone` matches none of the words its doc quotes\n --> tests/fixtures/against_source/invite.yaml:8:13"),
        "{err}"
    );
    assert!(
        err.ends_with("checked 1 runbook: 1 error, 2 warnings\n"),
        "{err}"
    );
    // Without the flag the same runbook is valid.
    Clickpath::new()
        .args(["check", "tests/fixtures/against_source/invite.yaml"])
        .expect_exit(0);
}

#[test]
fn ten_megabyte_file_is_refused_without_reading_it_all() {
    let tmp = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let big = tmp.path().join("big.yaml");
    let line = "  - doc: Click **Invite a User**.\n    click: {button: Invite a user}\n";
    let mut text = String::from("name: Big\nbase_url: https://x\nsteps:\n");
    while text.len() < 10 * 1024 * 1024 {
        text.push_str(line);
    }
    let size = text.len();
    std::fs::write(&big, text).unwrap_or_else(|e| panic!("{e}"));
    let err = Clickpath::new()
        .args(["check", "big.yaml"])
        .current_dir(tmp.path())
        .expect_exit(1);
    assert_eq!(
        err,
        format!("error: file too large for a runbook\n --> big.yaml:1:1\n  = this file is {size} bytes; runbooks are at most 1048576 bytes (1 MiB)\n\nchecked 1 runbook: 1 error, 0 warnings\n")
    );
}

#[test]
fn directory_with_hundreds_of_runbooks_reports_every_broken_one() {
    let tmp = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let dir = tmp.path().join("runbooks/xero");
    std::fs::create_dir_all(&dir).unwrap_or_else(|e| panic!("{e}"));
    for i in 0..300 {
        let action = if i % 100 == 7 { "clik" } else { "click" };
        let text = format!(
            "name: Flow {i}\nbase_url: https://go.xero.com\nsteps:\n  - doc: Click **Invite a User**.\n    {action}: {{button: Invite a user}}\n    destructive: false\n"
        );
        std::fs::write(dir.join(format!("{i:03}-flow.yaml")), text)
            .unwrap_or_else(|e| panic!("{e}"));
    }
    let err = Clickpath::new()
        .arg("check")
        .current_dir(tmp.path())
        .expect_exit(1);
    let flagged: Vec<&str> = err.lines().filter(|l| l.contains("--> ")).collect();
    assert_eq!(
        flagged,
        vec![
            " --> runbooks/xero/007-flow.yaml:5:5",
            " --> runbooks/xero/107-flow.yaml:5:5",
            " --> runbooks/xero/207-flow.yaml:5:5",
        ]
    );
    assert!(
        err.ends_with("checked 300 runbooks: 3 errors, 0 warnings\n"),
        "{err}"
    );
}

#[test]
fn missing_path_and_usage_errors_have_distinct_exit_codes() {
    let err = Clickpath::new()
        .args(["check", "no/such/dir"])
        .expect_exit(1);
    assert_eq!(
        err,
        "error: no such file or directory\n  --> no/such/dir\n\nchecked 0 runbooks: 1 error, 0 warnings\n"
    );
    Clickpath::new()
        .args(["check", "--no-such-flag"])
        .expect_exit(2);
}

#[test]
fn schema_command_prints_the_committed_schema() {
    let out = Clickpath::new().arg("schema").run();
    binary::assert_exit(&out, 0);
    let committed = std::fs::read_to_string(root().join("runbook.schema.json"))
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(binary::stdout(&out), committed);
}

#[test]
fn every_committed_runbook_points_editors_at_the_schema() {
    Clickpath::new().arg("check").expect_exit(0);
    let mut files = Vec::new();
    for p in ["xero", "qbo", "myxero"] {
        for e in std::fs::read_dir(root().join("runbooks").join(p))
            .unwrap_or_else(|e| panic!("{e}"))
            .flatten()
        {
            files.push(e.path());
        }
    }
    assert!(files.len() >= 15);
    for f in files {
        let text = std::fs::read_to_string(&f).unwrap_or_else(|e| panic!("{e}"));
        assert!(
            text.starts_with("# yaml-language-server: $schema=../../runbook.schema.json\n"),
            "{}",
            f.display()
        );
    }
}

#[test]
fn deeply_nested_yaml_is_an_error_not_a_crash() {
    let tmp = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let text = format!("name: x\nsteps: {}\n", "[".repeat(100_000));
    std::fs::write(tmp.path().join("deep.yaml"), text).unwrap_or_else(|e| panic!("{e}"));
    let err = Clickpath::new()
        .args(["check", "deep.yaml"])
        .current_dir(tmp.path())
        .expect_exit(1);
    assert!(
        err.starts_with("error: malformed YAML\n --> deep.yaml:2:"),
        "{err}"
    );
    assert!(
        err.lines().all(|l| l.len() < 400),
        "long line not cut:\n{err}"
    );
}

/// Issue 10: the new locator kinds check clean, and `select`'s own `option:`
/// is still the choice, not an `option:` locator.
#[test]
fn issue_10_new_locator_kinds_check_clean() {
    let tmp = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let file = tmp.path().join("kinds.yaml");
    std::fs::write(
        &file,
        "name: Kinds\nprovider: site\nbase_url: https://example.com\nsteps:\n\
         \x20 - doc: Click **Add a user**\n    click: {control: Add a user}\n\
         \x20 - doc: Active\n    expect: {image: \"True\", within: {region: Users}}\n\
         \x20 - doc: Admin\n    click: {option: Admin}\n\
         \x20 - doc: Dark mode\n    click: {switch: Dark mode}\n\
         \x20 - doc: Role\n    select: {combobox: Role, option: Admin}\n\
         \x20 - doc: Jane\n    expect: {cell: Jane}\n\
         \x20 - doc: Email\n    expect: {columnheader: Email, within: {region: Permissions}}\n",
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let err = Clickpath::new().arg("check").arg(&file).expect_exit(0);
    assert!(err.contains("0 errors, 0 warnings"), "{err}");
}
