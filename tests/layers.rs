//! The architecture, checked: every `crate::` path in `src/` points at a
//! module of a lower stage, never back up (issue 9: "no import circle and no
//! arrow from a lower stage back up").
//!
//! The stages, top first: cli → report → evidence → execute → outcome →
//! locate → browser → runbook; beside them `sandbox` (the replica server,
//! used only by the CLI), and below all of them the small shared modules
//! `diagnostic`, `secret`, `suggest`, `time`, `escape`. Reports read run
//! outcomes and never use the executor or the browser. Doc comments may
//! link anywhere; code may not.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// Each module and the modules its code may use: the stages below it, and
/// the shared modules everyone may use.
fn allowed() -> BTreeMap<&'static str, Vec<&'static str>> {
    const SHARED: [&str; 5] = ["diagnostic", "secret", "suggest", "time", "escape"];
    // Top first: each stage may use every stage after it.
    const STAGES: [&str; 8] = [
        "cli", "report", "evidence", "execute", "outcome", "locate", "browser", "runbook",
    ];
    let mut m = BTreeMap::new();
    for (i, stage) in STAGES.iter().enumerate() {
        let mut may: Vec<&'static str> = STAGES[i + 1..].to_vec();
        may.extend(SHARED);
        m.insert(*stage, may);
    }
    if let Some(cli) = m.get_mut("cli") {
        cli.push("sandbox");
    }
    // Reports read the run outcome, never the executor or the browser.
    if let Some(report) = m.get_mut("report") {
        report.retain(|d| !matches!(*d, "execute" | "browser"));
    }
    m.insert("sandbox", SHARED.to_vec());
    m.insert("diagnostic", vec!["secret"]);
    for leaf in ["secret", "suggest", "time", "escape"] {
        m.insert(leaf, Vec::new());
    }
    m
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display())) {
        let path = entry.unwrap_or_else(|e| panic!("{e}")).path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// The top-level module a file belongs to (`src/execute/runner.rs` → `execute`).
fn module_of(src: &Path, file: &Path) -> Option<String> {
    let rel = file.strip_prefix(src).ok()?;
    let first = rel.components().next()?.as_os_str().to_string_lossy();
    Some(first.trim_end_matches(".rs").to_string())
}

/// The modules named by `crate::NAME` in code (not in `//` comments).
fn uses(text: &str) -> BTreeSet<String> {
    let mut found = BTreeSet::new();
    for line in text.lines() {
        let code = line.split("//").next().unwrap_or_default();
        let mut rest = code;
        while let Some(i) = rest.find("crate::") {
            rest = &rest[i + "crate::".len()..];
            let name: String = rest
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                .collect();
            if !name.is_empty() {
                found.insert(name);
            }
        }
    }
    found
}

#[test]
fn issue_9_no_stage_uses_a_stage_above_it() {
    let src = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("src");
    let allowed = allowed();
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    let mut violations = Vec::new();
    for file in &files {
        let Some(module) = module_of(&src, file) else {
            continue;
        };
        if module == "lib" || module == "main" {
            continue;
        }
        let Some(may) = allowed.get(module.as_str()) else {
            violations.push(format!(
                "{}: module `{module}` is not in the layer table",
                file.display()
            ));
            continue;
        };
        let text = std::fs::read_to_string(file).unwrap_or_else(|e| panic!("{e}"));
        for used in uses(&text) {
            if used != module && !may.contains(&used.as_str()) {
                violations.push(format!(
                    "{}: `{module}` uses `crate::{used}`",
                    file.display()
                ));
            }
        }
    }
    assert!(
        violations.is_empty(),
        "arrows back up the stages:\n{}",
        violations.join("\n")
    );
}

#[test]
fn the_scan_sees_code_and_ignores_comments() {
    let text = "use crate::outcome::X; // see crate::report\n/// [`crate::cli`]\nlet a = crate::time::now();";
    let got: Vec<String> = uses(text).into_iter().collect();
    assert_eq!(got, ["outcome", "time"]);
}

#[test]
fn no_source_file_is_over_800_lines() {
    let src = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    let long: Vec<String> = files
        .iter()
        .filter_map(|f| {
            let n = std::fs::read_to_string(f).ok()?.lines().count();
            (n > 800).then(|| format!("{}: {n} lines", f.display()))
        })
        .collect();
    assert!(long.is_empty(), "split these by concern: {long:?}");
}
