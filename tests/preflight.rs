//! `clickpath run`'s pre-flight checks through the built binary: a bad URL, a
//! run id that is not a plain name, and evidence or report paths that cannot
//! be written are refused before any sandbox, driver or browser starts, with
//! the flag and the path in the message (issue 11, "Survive faults and bad
//! input").
//!
//! Every case also passes `--chromedriver` pointing at nothing: had the check
//! come after the browser launch, the run would fail there instead, with
//! another message.

use std::path::Path;

mod binary;

use binary::Clickpath;

const RUNBOOK: &str = "runbooks/xero/10-invite_user.yaml";
const NO_DRIVER: &str = "/nonexistent/chromedriver";

/// `clickpath run --sandbox RUNBOOK` with no usable driver, plus `args`.
fn run(args: &[&str]) -> Clickpath {
    Clickpath::new()
        .args(["run", "--sandbox", "--chromedriver", NO_DRIVER])
        .args(args)
        .arg(RUNBOOK)
}

#[track_caller]
fn assert_refused_before_start(err: &str, names: &str) {
    assert!(err.contains(names), "does not name `{names}`:\n{err}");
    assert!(err.contains("nothing was run"), "{err}");
    assert!(!err.contains("sandbox at"), "the sandbox started:\n{err}");
    assert!(
        !err.contains(NO_DRIVER),
        "a browser launch was tried:\n{err}"
    );
}

fn tmp() -> tempfile::TempDir {
    tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"))
}

fn file_in(dir: &Path) -> String {
    let f = dir.join("a-file");
    std::fs::write(&f, "x").unwrap_or_else(|e| panic!("{e}"));
    f.display().to_string()
}

#[test]
fn issue_11_base_url_that_is_not_a_url_is_a_usage_error() {
    let err = Clickpath::new()
        .args(["run", "--chromedriver", NO_DRIVER, "--base-url", "notaurl"])
        .arg(RUNBOOK)
        .expect_exit(2);
    assert_refused_before_start(&err, "--base-url `notaurl`");
}

#[test]
fn issue_11_sandbox_url_that_is_not_a_url_is_a_usage_error() {
    let err = Clickpath::new()
        .args(["run", "--chromedriver", NO_DRIVER])
        .args(["--sandbox-url", "127.0.0.1:8080"])
        .arg(RUNBOOK)
        .expect_exit(2);
    assert_refused_before_start(&err, "--sandbox-url `127.0.0.1:8080`");
}

#[test]
fn issue_11_out_that_is_a_file_is_an_environment_error_naming_it() {
    let dir = tmp();
    let file = file_in(dir.path());
    let err = run(&["--out", &file]).expect_exit(3);
    assert_refused_before_start(&err, &format!("--out {file}: `{file}` is a file"));
    let deeper = format!("{file}/shots");
    let err = run(&["--out", &deeper]).expect_exit(3);
    assert_refused_before_start(&err, &format!("`{file}` is a file, not a directory"));
}

#[test]
fn issue_11_report_paths_under_a_file_are_environment_errors() {
    let dir = tmp();
    let file = file_in(dir.path());
    let out = dir.path().join("shots").display().to_string();
    let html = format!("html={file}");
    let err = run(&["--out", &out, "--report", &html]).expect_exit(3);
    assert_refused_before_start(&err, &format!("--report html={file}: `{file}` is a file"));
    let junit = format!("junit={file}/junit.xml");
    let err = run(&["--out", &out, "--report", &junit]).expect_exit(3);
    assert_refused_before_start(&err, &format!("--report junit={file}/junit.xml"));
    let json = format!("json={}", dir.path().display());
    let err = run(&["--out", &out, "--report", &json]).expect_exit(3);
    assert_refused_before_start(&err, "is a directory, not a file");
    assert!(!Path::new(&out).exists(), "--out was created");
}

#[test]
fn issue_11_unwritable_out_directory_is_an_environment_error() {
    // As root every mode bit is ignored; sysfs refuses new files to root too.
    let dir = tmp();
    let locked = dir.path().join("locked");
    let target = if running_as_root() {
        Path::new("/sys/clickpath-evidence").to_path_buf()
    } else {
        std::fs::create_dir(&locked).unwrap_or_else(|e| panic!("{e}"));
        set_mode(&locked, 0o555);
        locked.join("shots")
    };
    let shown = target.display().to_string();
    let err = run(&["--out", &shown]).expect_exit(3);
    if locked.exists() {
        set_mode(&locked, 0o755);
    }
    assert_refused_before_start(&err, &format!("--out {shown}: cannot write in"));
}

#[test]
fn issue_11_run_ids_that_leave_out_are_usage_errors() {
    let dir = tmp();
    let out = dir.path().join("a/b/shots");
    let escape = dir.path().join("x");
    for id in ["../../x", &escape.display().to_string(), "latest"] {
        let err = run(&[]).out(&out, id).expect_exit(2);
        assert_refused_before_start(&err, &format!("--run-id `{id}`"));
    }
    assert_eq!(
        std::fs::read_dir(dir.path()).map(Iterator::count).ok(),
        Some(0),
        "something was written"
    );
}

fn running_as_root() -> bool {
    #[cfg(unix)]
    {
        std::process::Command::new("id")
            .arg("-u")
            .output()
            .is_ok_and(|o| String::from_utf8_lossy(&o.stdout).trim() == "0")
    }
    #[cfg(not(unix))]
    {
        false
    }
}

fn set_mode(path: &Path, mode: u32) {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode))
            .unwrap_or_else(|e| panic!("{e}"));
    }
    #[cfg(not(unix))]
    let _ = (path, mode);
}
