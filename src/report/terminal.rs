//! The terminal report: a failed run as a [`Diagnostic`], so a step failure
//! is printed in the same shape as a runbook error (title, `--> file:line:col`,
//! the step's source line with a caret, then the facts as `= ...` notes).
//!
//! It reads the run outcome only; the texts in it are already redacted.

use crate::diagnostic::{Diagnostic, Pos, Span};
use crate::outcome::{FailureClass, FailureKind, RunOutcome};

/// The diagnostic of a run that did not pass, or `None` when it passed.
pub fn failure(run: &RunOutcome) -> Option<Diagnostic> {
    let failure = run.failure()?;
    let Some(step) = run.failed_step() else {
        let d = Diagnostic::error(
            &run.runbook,
            None,
            format!(
                "{} could not run: {}",
                run.runbook.display(),
                failure.message
            ),
        );
        return Some(with_evidence(d, run, None));
    };
    let start = Pos {
        line: step.source.line,
        column: step.source.column,
    };
    let label = match failure.kind.class() {
        FailureClass::Page => "the page does not match this step",
        FailureClass::Usage => "this step cannot run as invoked",
        FailureClass::Environment | FailureClass::Interrupted => {
            "the environment failed at this step"
        }
    };
    let mut d = Diagnostic::error(
        &step.source.file,
        Some(Span { start, end: start }),
        format!(
            "step {} of {} failed: {}",
            step.number,
            run.runbook.display(),
            failure.message
        ),
    )
    .with_label(label);
    for via in &step.source.via {
        d = d.with_note(format!("included from {via}"));
    }
    d = d.with_note(format!("doc: {}", step.doc));
    if let Some(l) = &step.locator {
        d = d.with_note(format!("locator: {l}"));
    }
    if let Some(u) = &step.url {
        d = d.with_note(format!("url: {u}"));
    }
    if failure.kind != FailureKind::Ambiguous && !failure.offers.is_empty() {
        let list: Vec<String> = failure.offers.iter().map(ToString::to_string).collect();
        d = d.with_note(format!("page offers: {}", list.join(", ")));
    }
    if let Some(diag) = &failure.diagnosis {
        d = d.with_note(format!("diagnosis: {} — {}", diag.class, diag.summary));
    }
    if let Some(fix) = run.fix() {
        let edits: Vec<String> = fix.edits.iter().map(|e| e.edit.to_string()).collect();
        let at = match &run.evidence_dir {
            Some(dir) => format!(
                "{} (apply it with `clickpath fix {} --write`)",
                dir.join(&fix.patch).display(),
                dir.display()
            ),
            None => fix.patch.clone(),
        };
        d = d.with_note(format!("fix: {}: {at}", edits.join(", ")));
        for a in &fix.article {
            d = d.with_note(format!(
                "article: {a}; the documentation needs the same change"
            ));
        }
    }
    Some(with_evidence(d, run, step.screenshot.as_deref()))
}

fn with_evidence(mut d: Diagnostic, run: &RunOutcome, screenshot: Option<&str>) -> Diagnostic {
    if let Some(dir) = &run.evidence_dir {
        if let Some(name) = screenshot {
            d = d.with_note(format!("screenshot: {}", dir.join(name).display()));
        }
        d = d.with_note(format!(
            "manifest: {}",
            dir.join(crate::evidence::MANIFEST).display()
        ));
    }
    d
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::fixtures;

    #[test]
    fn a_failed_step_renders_with_its_source_doc_offers_and_screenshot() {
        let report = fixtures::sample_run(std::path::Path::new("screenshots/r"));
        let mut run = report.runbooks[1].manifest.clone();
        run.evidence_dir = Some("screenshots/r/xero/invite_user".into());
        let d = failure(&run).unwrap_or_else(|| Diagnostic::plain("none"));
        let mut source = "#\n".repeat(13);
        source.push_str("  - doc: Click **Invite a user**\n");
        let text = d.render(Some(&source));
        assert_eq!(
            text,
            "error: step 3 of runbooks/xero/10-invite_user.yaml failed: no button named \"Invite a user\"
  --> runbooks/xero/10-invite_user.yaml:14:5
   |
14 |   - doc: Click **Invite a user**
   |     ^^^^^^^^^^^^^^^^^^^^^^^^^^^^ the page does not match this step
   = doc: Click **Invite a user**
   = locator: button \"Click **Invite a user**\"
   = url: http://127.0.0.1:4000/xero/settings/users
   = page offers: button \"Invite user\" (main), button \"Add Xero support\" (main)
   = screenshot: screenshots/r/xero/invite_user/03-click-invite-a-user-FAILED.png
   = manifest: screenshots/r/xero/invite_user/manifest.json
"
        );
    }

    #[test]
    fn a_proposed_fix_names_the_patch_and_the_article_line() {
        use crate::outcome::{ArticleLine, FixEdit, FixRecord};
        let report = fixtures::sample_run(std::path::Path::new("r"));
        let mut run = report.runbooks[1].manifest.clone();
        run.evidence_dir = Some("r/xero/invite_user".into());
        let fix = FixRecord {
            patch: "fix.patch".into(),
            files: vec!["runbooks/xero/10-invite_user.yaml".into()],
            diff: "--- a/x\n+++ b/x\n".into(),
            edits: vec![FixEdit {
                step: 3,
                file: "runbooks/xero/10-invite_user.yaml".into(),
                line: 14,
                words: Some("Invite a user".into()),
                edit: crate::runbook::Edit::Rename {
                    by: "button".into(),
                    name: "Invite user".into(),
                },
            }],
            article: vec![ArticleLine {
                file: "../shared/a.txt".into(),
                line: 13,
                text: "3. Click **Invite a User**.".into(),
                quotes: "Invite a User".into(),
            }],
        };
        run.fix = Some(fix);
        let text = failure(&run)
            .unwrap_or_else(|| Diagnostic::plain("none"))
            .render(None);
        assert!(text.contains("   = fix: use button \"Invite user\": r/xero/invite_user/fix.patch (apply it with `clickpath fix r/xero/invite_user --write`)\n"), "{text}");
        assert!(text.contains("   = article: ../shared/a.txt:13 quotes \"Invite a User\"; the documentation needs the same change\n"), "{text}");
        // The JSON and HTML reports show it too, from the manifest.
        let one = crate::report::RunReport::new(
            "r",
            vec![crate::report::RunbookReport::new(
                run.clone(),
                report.runbooks[1].dir.clone(),
            )],
        );
        let json = crate::report::json::to_string(&one).unwrap_or_default();
        let v: serde_json::Value = serde_json::from_str(&json).unwrap_or_default();
        let f = &v["runbooks"][0]["failure"]["fix"];
        assert_eq!(f["patch"], "fix.patch");
        assert_eq!(f["edits"][0]["edit"]["kind"], "rename");
        assert_eq!(f["article"][0]["line"], 13);
        let out = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let page = crate::report::html::write(&one, out.path())
            .and_then(|p| {
                std::fs::read_to_string(p).map_err(crate::report::ReportError::io(out.path()))
            })
            .unwrap_or_else(|e| panic!("{e}"));
        assert!(page.contains("<h3>Suggested fix</h3>"), "{page}");
        assert!(
            page.contains("<pre class=\"diff\">--- a/x\n+++ b/x\n</pre>"),
            "{page}"
        );
        assert!(
            page.contains("Article <code>../shared/a.txt:13</code> quotes “Invite a User”"),
            "{page}"
        );
    }

    #[test]
    fn a_passed_run_has_no_failure() {
        let report = fixtures::sample_run(std::path::Path::new("r"));
        assert!(failure(&report.runbooks[0].manifest).is_none());
    }
}
