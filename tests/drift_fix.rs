//! Issue 13: from drift to fix, on every sandbox drift variant. A passing
//! run of the affected runbooks is the last good run; each variant then
//! fails at its step with the intended replacement as the FIRST
//! suggestion, `clickpath fix --write` edits a copy of the runbooks, and
//! the edited runbooks pass on the drifted screens.
//!
//! Run with `--nocapture` to print the table of the README's "From drift
//! to fix" section.

mod binary;

use std::path::{Path, PathBuf};

use binary::{assert_exit, manifest, require_browser, stderr, Clickpath};
use clickpath::locate::DriftClass;
use clickpath::outcome::{RunOutcome, StepStatus};

/// One variant and what its failed run must propose.
struct Case {
    variant: &'static str,
    /// Runbooks run together on one in-process sandbox (a removal needs
    /// the user its grant added).
    runbooks: &'static [&'static str],
    /// The flow that fails (`provider/flow`).
    fails: &'static str,
    class: DriftClass,
    /// `role "name"` of the first suggestion.
    intended: &'static str,
    /// The edit the diagnosis proposes, as the manifest's `fix` prints it.
    edit: &'static str,
}

const XERO: &[&str] = &["xero/10-invite_user.yaml"];
const QBO_ADD: &[&str] = &["qbo/10-add_user.yaml"];
const QBO_BOTH: &[&str] = &["qbo/10-add_user.yaml", "qbo/20-remove_user.yaml"];

const CASES: &[Case] = &[
    Case {
        variant: "renamed-invite",
        runbooks: XERO,
        fails: "xero/invite_user",
        class: DriftClass::Renamed,
        intended: "button \"Invite user\"",
        edit: "use button \"Invite user\"",
    },
    Case {
        variant: "moved-invite",
        runbooks: XERO,
        fails: "xero/invite_user",
        class: DriftClass::Hidden,
        intended: "menuitem \"Invite a user\"",
        edit: "click button \"More\" first, then use menuitem \"Invite a user\"",
    },
    Case {
        variant: "removed-last-name",
        runbooks: XERO,
        fails: "xero/invite_user",
        class: DriftClass::Gone,
        intended: "none",
        edit: "remove the step",
    },
    Case {
        variant: "relabelled-email",
        runbooks: XERO,
        fails: "xero/invite_user",
        class: DriftClass::Renamed,
        intended: "textbox \"Email address\"",
        edit: "use label \"Email address\"",
    },
    Case {
        variant: "duplicated-send",
        runbooks: XERO,
        fails: "xero/invite_user",
        class: DriftClass::Ambiguous,
        intended: "button \"Send invite\"",
        edit: "add nth: 2",
    },
    Case {
        variant: "swapped-send",
        runbooks: XERO,
        fails: "xero/invite_user",
        class: DriftClass::Renamed,
        intended: "button \"Continue\"",
        edit: "use button \"Continue\"",
    },
    Case {
        variant: "reworded-add-user",
        runbooks: QBO_ADD,
        fails: "qbo/add_user",
        class: DriftClass::Renamed,
        intended: "button \"New\"",
        edit: "use button \"New\"",
    },
    Case {
        variant: "renamed-qbo-delete",
        runbooks: QBO_BOTH,
        fails: "qbo/remove_user",
        class: DriftClass::Renamed,
        intended: "button \"Remove access\"",
        edit: "use button \"Remove access\"",
    },
    Case {
        variant: "duplicated-row-delete",
        runbooks: QBO_BOTH,
        fails: "qbo/remove_user",
        class: DriftClass::Ambiguous,
        intended: "button \"Delete\"",
        edit: "add nth: 2",
    },
];

/// A copy of the repository's runbooks under `dir/repo/runbooks`, with the
/// seed articles where their relative `source:` paths expect them.
fn runbook_copy(dir: &Path) -> PathBuf {
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    let to = dir.join("repo/runbooks");
    for provider in ["xero", "qbo"] {
        let dst = to.join(provider);
        std::fs::create_dir_all(&dst).expect("runbook copy");
        for e in std::fs::read_dir(repo.join("runbooks").join(provider)).expect("runbooks") {
            let p = e.expect("entry").path();
            std::fs::copy(&p, dst.join(p.file_name().expect("name"))).expect("copy");
        }
    }
    let shared = repo.join("../shared");
    if shared.is_dir() {
        #[cfg(unix)]
        std::os::unix::fs::symlink(shared, dir.join("shared")).expect("articles");
    }
    to
}

fn run(
    runbooks: &Path,
    files: &[&str],
    variant: Option<&str>,
    out: &Path,
    run_id: &str,
    extra: &[&str],
) -> std::process::Output {
    let mut c = Clickpath::new().args(["run", "--sandbox", "--timeout", "3s"]);
    if let Some(v) = variant {
        c = c.args(["--variant", v]);
    }
    c.args(extra)
        .out(out, run_id)
        .args(files.iter().map(|f| runbooks.join(f)))
        .run()
}

fn flow(out: &Path, run_id: &str, flow: &str) -> RunOutcome {
    manifest(&out.join(run_id).join(flow))
}

#[test]
fn issue_13_every_drift_variant_is_fixed_from_the_last_good_run() {
    require_browser();
    let work = tempfile::tempdir().expect("work dir");
    // The last good run, on the documented screens.
    let base_out = work.path().join("base-out");
    let base_runbooks = runbook_copy(&work.path().join("base"));
    let out = run(
        &base_runbooks,
        &[
            "xero/10-invite_user.yaml",
            "qbo/10-add_user.yaml",
            "qbo/20-remove_user.yaml",
        ],
        None,
        &base_out,
        "base",
        &[],
    );
    assert_exit(&out, 0);
    let baseline = base_out.join("base").display().to_string();

    let mut rows = Vec::new();
    for (i, c) in CASES.iter().enumerate() {
        let dir = work.path().join(c.variant);
        let runbooks = runbook_copy(&dir);
        // The first case finds its witness itself, in --out; the others are
        // given it (their --out has no passing run).
        let (out_dir, extra): (PathBuf, Vec<&str>) = if i == 0 {
            (base_out.clone(), vec![])
        } else {
            (dir.join("out"), vec!["--baseline", baseline.as_str()])
        };
        let output = run(
            &runbooks,
            c.runbooks,
            Some(c.variant),
            &out_dir,
            c.variant,
            &extra,
        );
        assert_exit(&output, 1);
        let m = flow(&out_dir, c.variant, c.fails);
        let step = m.failed_step().expect("a failed step");
        let d = step
            .failure
            .as_ref()
            .and_then(|f| f.diagnosis.as_ref())
            .unwrap_or_else(|| panic!("{}: a diagnosis\n{}", c.variant, stderr(&output)));
        let top = d
            .suggestion
            .as_ref()
            .map_or("none".to_string(), |s| format!("{} {:?}", s.role, s.name));
        assert_eq!(d.class, c.class, "{}: {}", c.variant, d.summary);
        assert_eq!(top, c.intended, "{}: {}", c.variant, d.summary);
        let edit = clickpath::runbook::edit::describe(&d.fix);
        assert_eq!(edit, c.edit, "{}: {}", c.variant, d.summary);

        let fixed = Clickpath::new()
            .arg("fix")
            .arg(out_dir.join(c.variant))
            .arg("--write")
            .run();
        assert_exit(&fixed, 0);
        let again = run(
            &runbooks,
            c.runbooks,
            Some(c.variant),
            &dir.join("after"),
            "fixed",
            &[],
        );
        assert_exit(&again, 0);
        let m = flow(&dir.join("after"), "fixed", c.fails);
        assert!(
            m.steps.iter().all(|s| s.status == StepStatus::Passed),
            "{}",
            c.variant
        );
        rows.push(format!(
            "| `{}` | {} | {}: {} | {} | {} | `{}` | passes |",
            c.variant,
            c.fails,
            step.number,
            step.doc.replace('|', "\\|"),
            d.class,
            c.intended,
            c.edit
        ));
    }
    println!("| variant | runbook | failing step | class | first suggestion | edit (`fix --write`) | re-run |");
    println!("|---|---|---|---|---|---|---|");
    for r in &rows {
        println!("{r}");
    }
    println!(
        "sandbox drift: intended replacement first and fixed: {}/{}",
        rows.len(),
        CASES.len()
    );
}
