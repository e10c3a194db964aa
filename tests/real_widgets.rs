//! Issue 10, part 6: clickpath on real component libraries. The widgets test
//! app (`tests/apps/widgets/`: stock MUI, Shoelace, a same-origin and a
//! cross-origin iframe, a new tab, a contenteditable box, a file upload, a
//! hover-only menu, an image-only status) is built from its pinned npm
//! packages by `tests/apps/widgets/build.sh` and served from `dist/` on
//! 127.0.0.1, its "partner" origin (the cross-origin frame) from a second
//! port. Every runbook in `tests/apps/widgets/runbooks/` runs through the
//! built binary in headless Chromium and must pass; against `dist-drift/`
//! (the same app built with `__DRIFT__`), each drifted runbook must fail at
//! its step, with its failure kind and drift class, and with the intended
//! replacement as the first suggestion in `manifest.json`.
//!
//! Run with `--nocapture` for one line per case and the counts:
//! `cargo test --test real_widgets -- --nocapture`.
//!
//! See: issue 10, "Real web apps, not only our replicas".

use std::path::{Path, PathBuf};
use std::sync::Mutex;

mod binary;
mod widgets_app;

use binary::{require_browser, Clickpath};
use clickpath::locate::DriftClass;
use clickpath::outcome::{FailureKind, RunOutcome as Manifest};
use widgets_app::{built_app, serve, Site, APP};

/// Step deadline of each run: the app is static and local.
const TIMEOUT: &str = "5s";

/// One widget case: a runbook that must pass on `dist/`.
struct Case {
    /// File name in `tests/apps/widgets/runbooks/`.
    runbook: &'static str,
    /// What it proves, for the summary line.
    covers: &'static str,
    /// Whether it needs `--var partner=ORIGIN` (the cross-origin frame).
    partner: bool,
}

const CASES: &[Case] = &[
    Case {
        runbook: "invite_user.yaml",
        covers: "MUI Dialog, prefilled React-controlled TextFields, Select, Autocomplete, control:",
        partner: false,
    },
    Case {
        runbook: "change_role.yaml",
        covers: "MUI Select in a table row (aria-label), columnheader, table caption",
        partner: false,
    },
    Case {
        runbook: "remove_user.yaml",
        covers: "MUI Menu, confirmation Dialog, cell",
        partner: false,
    },
    Case {
        runbook: "member_list.yaml",
        covers: "image-only status tick (img alt True/False), table caption, combobox",
        partner: false,
    },
    Case {
        runbook: "notifications.yaml",
        covers: "MUI Tabs, styled Checkbox, Switch, fieldset legend, expect checked/unchecked",
        partner: false,
    },
    Case {
        runbook: "announcement.yaml",
        covers: "contenteditable message box",
        partner: false,
    },
    Case {
        runbook: "upload_logo.yaml",
        covers: "file upload behind a styled button (hidden input), image",
        partner: false,
    },
    Case {
        runbook: "keyboard_shortcuts.yaml",
        covers: "hover-only menu",
        partner: false,
    },
    Case {
        runbook: "about_roles.yaml",
        covers: "link to a new tab, switch_window, close_window",
        partner: false,
    },
    Case {
        runbook: "workspace_settings.yaml",
        covers: "Shoelace shadow DOM: sl-input, sl-select, sl-checkbox, sl-switch, sl-button",
        partner: false,
    },
    Case {
        runbook: "payment_details.yaml",
        covers: "same-origin iframe form, frame with an inner region (fieldset legend)",
        partner: false,
    },
    Case {
        runbook: "tax_details.yaml",
        covers: "cross-origin iframe form (second port), native select in a frame",
        partner: true,
    },
];

/// One drifted runbook: where and how it must fail on `dist-drift/`.
struct Drift {
    /// The change in `dist-drift/`.
    change: &'static str,
    runbook: &'static str,
    /// 1-based number of the step that must fail.
    step: usize,
    kind: FailureKind,
    class: DriftClass,
    /// `role "name"` of the first suggestion (the intended replacement).
    suggestion: &'static str,
    /// For `hidden`: the control the diagnosis says to click first.
    reveal: Option<&'static str>,
}

const DRIFTS: &[Drift] = &[
    Drift {
        change: "renamed option: Role \"Billing manager\" reads \"Billing admin\"",
        runbook: "change_role.yaml",
        step: 3,
        kind: FailureKind::NotFound,
        class: DriftClass::Renamed,
        suggestion: "option \"Billing admin\"",
        reveal: None,
    },
    Drift {
        change: "renamed shadow-DOM button: sl-button \"Save changes\" reads \"Apply changes\"",
        runbook: "workspace_settings.yaml",
        step: 7,
        kind: FailureKind::NotFound,
        class: DriftClass::Renamed,
        suggestion: "button \"Apply changes\"",
        reveal: None,
    },
    Drift {
        change: "item moved into a menu: \"Invite user\" is in the \"More\" menu",
        runbook: "invite_user.yaml",
        step: 3,
        kind: FailureKind::NotVisible,
        class: DriftClass::Hidden,
        suggestion: "menuitem \"Invite user\"",
        reveal: Some("button \"More\""),
    },
    Drift {
        change: "changed label in the cross-origin frame: \"VAT number\" reads \"VAT registration number\"",
        runbook: "tax_details.yaml",
        step: 2,
        kind: FailureKind::NotFound,
        class: DriftClass::Renamed,
        suggestion: "textbox \"VAT registration number\"",
        reveal: None,
    },
];

/// The browser runs one at a time: two cores are shared with the rest.
fn one_run_at_a_time() -> std::sync::MutexGuard<'static, ()> {
    static RUNS: Mutex<()> = Mutex::new(());
    RUNS.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// What one run left: its exit code and manifest (when one was written),
/// and its stderr.
struct Ran {
    code: Option<i32>,
    manifest: Option<Manifest>,
    stderr: String,
}

/// Run one runbook of the app against `site`.
fn run(site: &Site, runbook: &str, partner: bool, out: &Path, run_id: &str) -> Ran {
    let path = Path::new(APP).join("runbooks").join(runbook);
    let mut cmd = Clickpath::new()
        .args(["run", "--base-url", &site.base_url, "--timeout", TIMEOUT])
        .out(out, run_id);
    if partner {
        cmd = cmd.arg("--var").arg(format!("partner={}", site.partner));
    }
    let output = {
        let _one = one_run_at_a_time();
        cmd.arg(&path).run()
    };
    let manifest = find_manifest(&out.join(run_id)).map(|dir| binary::manifest(&dir));
    Ran {
        code: output.status.code(),
        manifest,
        stderr: binary::stderr(&output),
    }
}

/// The directory holding the one `manifest.json` under `dir`.
fn find_manifest(dir: &Path) -> Option<PathBuf> {
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).into_iter().flatten().flatten() {
            let p = entry.path();
            if p.is_dir() {
                stack.push(p);
            } else if p.file_name().is_some_and(|n| n == "manifest.json") {
                return Some(d);
            }
        }
    }
    None
}

/// `step 3 ("Click **Invite user**"): not_found: no button named …`, or
/// the first lines of stderr when the run wrote no manifest (a runbook the
/// loader refused).
fn why_failed(ran: &Ran) -> String {
    let failed = ran.manifest.as_ref().and_then(|m| m.failed_step());
    match failed {
        Some(s) => {
            let f = s.failure.as_ref();
            format!(
                "step {} ({:?}): {}: {}",
                s.number,
                s.doc,
                f.map_or("?", |f| f.kind.name()),
                f.map_or("", |f| f.message.as_str())
            )
        }
        None => {
            let first: Vec<&str> = ran.stderr.lines().take(3).collect();
            format!("exit {:?}: {}", ran.code, first.join(" | "))
        }
    }
}

// See: issue 10, part 6. Every runbook is listed in CASES, so none is
// forgotten and none runs unasserted.
#[test]
fn issue_10_every_widget_runbook_is_a_case() {
    let mut on_disk: Vec<String> = std::fs::read_dir(Path::new(APP).join("runbooks"))
        .unwrap_or_else(|e| panic!("{APP}/runbooks: {e}"))
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".yaml"))
        .collect();
    on_disk.sort();
    let mut listed: Vec<String> = CASES.iter().map(|c| c.runbook.to_string()).collect();
    listed.sort();
    assert_eq!(on_disk, listed, "tests/apps/widgets/runbooks/ vs CASES");
    for d in DRIFTS {
        assert!(
            listed.iter().any(|r| r == d.runbook),
            "{} is a case",
            d.runbook
        );
    }
}

// See: issue 10, part 6. The two builds differ exactly by the drift: each
// drifted text is in one bundle and not the other (esbuild folds the
// `__DRIFT__` branches away), so a run against dist/ cannot see a drift and
// one against dist-drift/ cannot miss it. No browser needed.
#[test]
fn issue_10_the_drifted_build_differs_from_the_app_only_by_the_drift() {
    let app = built_app();
    let read = |site: &str, file: &str| {
        std::fs::read_to_string(app.join(site).join(file))
            .unwrap_or_else(|e| panic!("{site}/{file}: {e}"))
    };
    // (bundle, text in dist/ only, text in dist-drift/ only); "Invite user"
    // is in both (the dialog's title), the More menu is new.
    let drifted = [
        ("team.js", Some("Billing manager"), "Billing admin"),
        ("team.js", None, "Download CSV"),
        ("workspace.js", Some("Save changes"), "Apply changes"),
        (
            "frames.js",
            Some("\"VAT number\""),
            "VAT registration number",
        ),
    ];
    for (file, app_only, drift_only) in drifted {
        let (normal, drift) = (read("dist", file), read("dist-drift", file));
        assert!(
            !normal.contains(drift_only),
            "dist/{file} has no {drift_only}"
        );
        assert!(
            drift.contains(drift_only),
            "dist-drift/{file} has {drift_only}"
        );
        if let Some(text) = app_only {
            assert!(normal.contains(text), "dist/{file} has {text}");
            assert!(!drift.contains(text), "dist-drift/{file} has no {text}");
        }
    }
    let files = |site: &str| {
        let mut names: Vec<String> = std::fs::read_dir(app.join(site))
            .unwrap_or_else(|e| panic!("{site}: {e}"))
            .flatten()
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    };
    assert_eq!(
        files("dist"),
        files("dist-drift"),
        "both builds hold the same files"
    );
}

// See: issue 10, part 6: "Every widget case above passes on the
// real-library test app, headless, in CI".
#[test]
fn issue_10_every_widget_case_passes_on_the_real_library_app() {
    require_browser();
    let site = serve("dist");
    let out = tempfile::tempdir().expect("temp dir");
    let mut failures = Vec::new();
    for case in CASES {
        let id = format!("widgets-{}", case.runbook.trim_end_matches(".yaml"));
        let ran = run(&site, case.runbook, case.partner, out.path(), &id);
        let passed = ran.code == Some(0) && ran.manifest.as_ref().is_some_and(Manifest::passed);
        if passed {
            println!(
                "widget case {:<24} passed   ({})",
                case.runbook, case.covers
            );
        } else {
            let why = why_failed(&ran);
            println!("widget case {:<24} FAILED   {why}", case.runbook);
            failures.push(format!("{}: {why}", case.runbook));
        }
    }
    let passed = CASES.len() - failures.len();
    println!(
        "real widgets: {passed}/{} cases passed on dist/ (cargo test --test real_widgets -- --nocapture)",
        CASES.len()
    );
    assert!(
        failures.is_empty(),
        "{} of {} widget cases failed:\n{}",
        failures.len(),
        CASES.len(),
        failures.join("\n")
    );
}

// See: issue 10, part 6: "every drifted case fails at the right step with
// the right class and the intended replacement first".
#[test]
fn issue_10_each_drifted_widget_fails_at_its_step_with_the_replacement_first() {
    require_browser();
    let site = serve("dist-drift");
    let out = tempfile::tempdir().expect("temp dir");
    let (mut right_step, mut right_class, mut right_first) = (0, 0, 0);
    let mut wrong = Vec::new();
    for d in DRIFTS {
        let partner = CASES.iter().any(|c| c.runbook == d.runbook && c.partner);
        let id = format!("drift-{}", d.runbook.trim_end_matches(".yaml"));
        let ran = run(&site, d.runbook, partner, out.path(), &id);
        let step = ran.manifest.as_ref().and_then(|m| m.failed_step());
        let failure = step.and_then(|s| s.failure.as_ref());
        let diagnosis = failure.and_then(|f| f.diagnosis.as_ref());
        let got_step = step.map(|s| s.number);
        let got_kind = failure.map(|f| f.kind);
        let got_class = diagnosis.map(|g| g.class);
        let got_first = diagnosis
            .and_then(|g| g.suggestion.as_ref())
            .map(|c| c.role_name());
        let got_reveal = diagnosis.and_then(|g| g.reveal.clone());
        // Exit 1 (the page differs), every step before the drifted one
        // passed, and the drifted one failed with the expected kind.
        let before_passed = ran.manifest.as_ref().is_some_and(|m| {
            m.steps
                .iter()
                .take_while(|s| s.number < d.step)
                .all(|s| s.status.is_ok())
        });
        let step_ok = ran.code == Some(1)
            && before_passed
            && got_step == Some(d.step)
            && got_kind == Some(d.kind);
        let class_ok = step_ok && got_class == Some(d.class);
        let first_ok = class_ok
            && got_first.as_deref() == Some(d.suggestion)
            && d.reveal.is_none_or(|r| got_reveal.as_deref() == Some(r));
        right_step += usize::from(step_ok);
        right_class += usize::from(class_ok);
        right_first += usize::from(first_ok);
        let shown = |o: Option<String>| o.unwrap_or_else(|| "none".into());
        let line = format!(
            "drift {:<24} {}: step {} (want {}), kind {} (want {}), class {} (want {}), \
             first suggestion {}{} (want {}{})",
            d.runbook,
            d.change,
            shown(got_step.map(|n| n.to_string())),
            d.step,
            shown(got_kind.map(|k| k.name().to_string())),
            d.kind.name(),
            shown(got_class.map(|c| c.name().to_string())),
            d.class.name(),
            shown(got_first),
            got_reveal
                .map(|r| format!(", reveal {r}"))
                .unwrap_or_default(),
            d.suggestion,
            d.reveal
                .map(|r| format!(", reveal {r}"))
                .unwrap_or_default(),
        );
        println!("{line}: {}", if first_ok { "as expected" } else { "WRONG" });
        if !first_ok {
            wrong.push(format!("{line}\n    {}", why_failed(&ran)));
        }
    }
    println!(
        "real widgets drift: {} cases, {right_step} at the right step and kind, {right_class} right class, \
         {right_first} right first suggestion (cargo test --test real_widgets -- --nocapture)",
        DRIFTS.len()
    );
    assert!(
        wrong.is_empty(),
        "{} of {} drift cases did not fail as expected:\n{}",
        wrong.len(),
        DRIFTS.len(),
        wrong.join("\n")
    );
}

// See: issue 14, "Deterministic captures": on pages nobody here wrote (MUI's
// ripples, Grow and Fade transitions, Shoelace's Web Animations in shadow
// roots, a caret in a focused field), the same runbook gives the same
// screenshots run after run: counted byte for byte, and none may differ
// past `run --compare`'s default tolerance.
#[test]
fn issue_14_real_library_captures_are_the_same_run_after_run() {
    require_browser();
    let site = serve("dist");
    let out = tempfile::tempdir().expect("temp dir");
    let (mut same, mut total) = (0, 0);
    let (mut differ, mut visible) = (Vec::new(), Vec::new());
    for case in CASES {
        let flow = case.runbook.trim_end_matches(".yaml");
        let runs: Vec<Ran> = ["a", "b"]
            .iter()
            .map(|r| {
                let id = format!("same-{flow}-{r}");
                run(&site, case.runbook, case.partner, out.path(), &id)
            })
            .collect();
        let dirs: Vec<PathBuf> = ["a", "b"]
            .iter()
            .map(|r| find_manifest(&out.path().join(format!("same-{flow}-{r}"))))
            .collect::<Option<_>>()
            .unwrap_or_else(|| panic!("{flow}: a run left no manifest"));
        for r in &runs {
            assert_eq!(r.code, Some(0), "{flow}: {}", why_failed(r));
        }
        let m = runs[0].manifest.as_ref().expect("manifest");
        for step in &m.steps {
            let Some(name) = step.screenshot.as_deref() else {
                continue;
            };
            total += 1;
            let a = std::fs::read(dirs[0].join(name)).expect("run a");
            let b = std::fs::read(dirs[1].join(name)).unwrap_or_default();
            if a == b {
                same += 1;
            } else {
                let (n, what) = binary::png_difference(&a, &b);
                // Over `run --compare`'s default tolerance: a visible change.
                if n > binary::COMPARE_AREA_PIXELS {
                    visible.push(format!("{flow} step {}: {name}: {what}", step.number));
                }
                differ.push(format!("{flow} step {}: {name}: {what}", step.number));
                if std::env::var_os("KEEP_DIFFERING").is_some() {
                    let keep = std::env::temp_dir().join(format!("differs-{flow}-{}", step.number));
                    let _ = std::fs::create_dir_all(&keep);
                    let _ = std::fs::write(keep.join("a.png"), &a);
                    let _ = std::fs::write(keep.join("b.png"), &b);
                }
            }
        }
    }
    for d in &differ {
        println!("differs: {d}");
    }
    println!(
        "real widgets: {same}/{total} screenshots byte-identical over two runs, {} of them \
         within run --compare's default tolerance (cargo test --test real_widgets -- --nocapture)",
        total - visible.len()
    );
    assert!(
        visible.is_empty(),
        "screenshots that differ visibly between two runs:\n{}",
        visible.join("\n")
    );
}
