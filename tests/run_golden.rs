//! `clickpath run` failures as golden files, hurl style: each directory under
//! `tests/fixtures/run/` is one case: `args` (one argument a line), the
//! runbooks it names, `stderr` (what a user reads, normalised) and `exit`
//! (the exit code), and for an interrupted run `signal` (`INT 1`: the signal
//! to send once the manifest holds that many steps). Together the cases show
//! every row of the exit-code table in the README: 0 passed, 1 the page
//! differs, 2 usage or invalid runbook, 3 the environment failed, 130
//! interrupted, and that the most serious kind wins.
//!
//! Placeholders in `args`: `{case}` the case directory (relative to the
//! crate root, where the binary runs), `{out}` a fresh evidence directory
//! (`--out` is added when no argument names one), `{file}` a regular file
//! (an evidence root that cannot be a directory), `{refused}` a loopback URL
//! where nothing listens, `{server500}` a loopback server that answers every
//! request with HTTP 500.
//!
//! Normalised in `stderr`: the evidence directory (`<out>`), loopback ports
//! (`127.0.0.1:<port>`) and step durations (`<ms> ms`). `BLESS=1` rewrites
//! the golden files after a deliberate change; review the diff.

mod binary;

use std::net::TcpListener;
use std::path::{Path, PathBuf};

use binary::{require_browser, serve_pages, Clickpath, Reply};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// A loopback server answering every request with `500 Internal Server Error`.
fn server_500() -> String {
    let port = serve_pages(|_| {
        Reply::status(
            "500 Internal Server Error",
            "<!doctype html><title>Error</title><h1>Internal Server Error</h1>",
        )
    });
    format!("http://127.0.0.1:{port}")
}

/// A loopback URL where nothing listens (a port the OS just handed out and took back).
fn refused() -> String {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap_or_else(|e| panic!("bind: {e}"));
    let addr = listener
        .local_addr()
        .unwrap_or_else(|e| panic!("local addr: {e}"));
    drop(listener);
    format!("http://{addr}")
}

/// Replace `127.0.0.1:<digits>` ports and `(<digits> ms)` durations.
fn normalise(text: &str, out: &Path) -> String {
    let text = text.replace(&out.display().to_string(), "<out>");
    let mut result = String::with_capacity(text.len());
    let mut rest = text.as_str();
    while let Some(i) = rest.find("127.0.0.1:") {
        let (head, tail) = rest.split_at(i + "127.0.0.1:".len());
        result.push_str(head);
        let digits = tail.chars().take_while(char::is_ascii_digit).count();
        if digits > 0 {
            result.push_str("<port>");
        }
        rest = &tail[digits..];
    }
    result.push_str(rest);
    result
        .lines()
        .map(|line| match line.rfind(" ms)") {
            Some(end) => {
                let start = line[..end].rfind('(').map_or(end, |p| p + 1);
                if line[start..end].chars().all(|c| c.is_ascii_digit()) && start < end {
                    format!("{}<ms>{}", &line[..start], &line[end..])
                } else {
                    line.to_string()
                }
            }
            None => line.to_string(),
        })
        .collect::<Vec<_>>()
        .join("\n")
        + if result.ends_with('\n') { "\n" } else { "" }
}

struct Outcome {
    exit: Option<i32>,
    stderr: String,
}

fn run_case(case: &Path) -> Outcome {
    let name = case
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let args =
        std::fs::read_to_string(case.join("args")).unwrap_or_else(|e| panic!("{name}/args: {e}"));
    let tmp = tempfile::tempdir().unwrap_or_else(|e| panic!("temp dir: {e}"));
    let out = tmp.path().join("out");
    let file = tmp.path().join("file");
    std::fs::write(&file, "not a directory").unwrap_or_else(|e| panic!("{e}"));
    let rel_case = format!("tests/fixtures/run/{name}");
    let args: Vec<String> = args
        .lines()
        .filter(|l| !l.is_empty())
        .map(|a| {
            let mut a = a.replace("{case}", &rel_case);
            a = a.replace("{out}", &out.display().to_string());
            a = a.replace("{file}", &file.display().to_string());
            if a.contains("{refused}") {
                a = a.replace("{refused}", &refused());
            }
            if a.contains("{server500}") {
                a = a.replace("{server500}", &server_500());
            }
            a
        })
        .collect();
    let mut cmd = Clickpath::new()
        .current_dir(root())
        .env("RUST_LOG", "")
        .args(&args);
    if args.first().is_some_and(|a| a == "run") && !args.iter().any(|a| a == "--out") {
        cmd = cmd.arg("--out").arg(&out);
    }
    if args.first().is_some_and(|a| a == "run") {
        cmd = cmd.args(["--run-id", "golden", "--timeout", "5s"]);
    }
    let output = match std::fs::read_to_string(case.join("signal")) {
        Ok(spec) => interrupt(cmd, &spec, &out, &name),
        Err(_) => cmd.run(),
    };
    let stderr = String::from_utf8_lossy(&output.stderr);
    let stderr = normalise(&stderr, &out);
    let stderr = stderr.replace(&file.display().to_string(), "<out>/file");
    Outcome {
        exit: output.status.code(),
        stderr,
    }
}

/// A case with a `signal` file (`INT 1`: the signal, then how many steps
/// the manifest must hold first) is sent that signal mid-run.
fn interrupt(cmd: Clickpath, spec: &str, out: &Path, name: &str) -> std::process::Output {
    let mut words = spec.split_whitespace();
    let signal = words.next().unwrap_or("INT").to_string();
    let after: usize = words.next().and_then(|n| n.parse().ok()).unwrap_or(1);
    let child = cmd.spawn();
    let manifests = out.join("golden");
    let steps = || -> usize {
        let mut found = 0;
        for provider in std::fs::read_dir(&manifests)
            .into_iter()
            .flatten()
            .flatten()
        {
            for flow in std::fs::read_dir(provider.path())
                .into_iter()
                .flatten()
                .flatten()
            {
                let text = std::fs::read_to_string(flow.path().join("manifest.json"));
                found += text
                    .ok()
                    .and_then(|t| serde_json::from_str::<serde_json::Value>(&t).ok())
                    .and_then(|v| v["steps"].as_array().map(Vec::len))
                    .unwrap_or(0);
            }
        }
        found
    };
    binary::poll(std::time::Duration::from_secs(60), || {
        let n = steps();
        if n >= after {
            Ok(())
        } else {
            Err(n)
        }
    })
    .unwrap_or_else(|n| panic!("{name}: {n} steps after 60 s, waiting for {after}"));
    let sent = std::process::Command::new("kill")
        .args([format!("-{signal}"), child.id().to_string()])
        .status()
        .unwrap_or_else(|e| panic!("kill: {e}"));
    assert!(sent.success(), "{name}: kill -{signal} failed");
    child
        .wait_with_output()
        .unwrap_or_else(|e| panic!("{name}: {e}"))
}

#[test]
fn every_run_case_exits_with_its_kind_and_says_why() {
    require_browser();
    let dir = root().join("tests/fixtures/run");
    let mut cases: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.join("args").is_file())
        .collect();
    cases.sort();
    assert!(cases.len() >= 10, "the run cases are missing: {cases:?}");
    let bless = std::env::var_os("BLESS").is_some();
    let mut failures = Vec::new();
    for case in &cases {
        let name = case
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let got = run_case(case);
        let exit = got.exit.map_or("signal".to_string(), |c| c.to_string());
        if bless {
            std::fs::write(case.join("stderr"), &got.stderr).unwrap_or_else(|e| panic!("{e}"));
            std::fs::write(case.join("exit"), format!("{exit}\n"))
                .unwrap_or_else(|e| panic!("{e}"));
            continue;
        }
        let want_exit = std::fs::read_to_string(case.join("exit")).unwrap_or_default();
        let want_stderr = std::fs::read_to_string(case.join("stderr")).unwrap_or_default();
        if want_exit.trim() != exit {
            failures.push(format!(
                "--- {name}: exit {exit}, expected {}\n{}",
                want_exit.trim(),
                got.stderr
            ));
        } else if want_stderr != got.stderr {
            failures.push(format!(
                "--- {name}: stderr differs\n--- expected\n{want_stderr}--- got\n{}",
                got.stderr
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} run cases differ (BLESS=1 to accept):\n{}",
        failures.len(),
        cases.len(),
        failures.join("\n")
    );
}

#[test]
fn normalising_replaces_ports_durations_and_the_evidence_root() {
    let out = Path::new("/tmp/x/out");
    assert_eq!(
        normalise(
            "at http://127.0.0.1:41234/qbo\n[qbo/x] step 1 ok  Open (231 ms)\nsee /tmp/x/out/golden\n",
            out
        ),
        "at http://127.0.0.1:<port>/qbo\n[qbo/x] step 1 ok  Open (<ms> ms)\nsee <out>/golden\n"
    );
}
