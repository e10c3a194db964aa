//! GitHub Actions annotations: one `::error` workflow command per runbook
//! that did not pass, pointing at the runbook line of the failing step.
//!
//! Format and escaping follow GitHub's "Workflow commands for GitHub
//! Actions" (`::error file={name},line={line},title={title}::{message}`):
//! in the message `%`, `\r` and `\n` are escaped as `%25`, `%0D`, `%0A`; in
//! property values `:` and `,` are escaped too (`%3A`, `%2C`). The CLI prints
//! these lines when `GITHUB_ACTIONS=true`; this module only builds them.

use super::{suggestions, RunReport, RunbookReport};

/// One `::error file=…,line=…,title=clickpath step N::message` line per runbook that did not pass.
///
/// `file` and `line` come from the failing step's `source` (so a failing
/// step included from `login.yaml` points there); a run that never reached
/// a failing step points at the runbook file without a line.
pub fn github_annotations(report: &RunReport) -> Vec<String> {
    report.failures().map(annotation).collect()
}

fn annotation(r: &RunbookReport) -> String {
    let mut props = Vec::new();
    let mut message = r.failure_headline().unwrap_or_default();
    let title;
    match r.failed_step() {
        Some(step) => {
            let file = step.source.file.display().to_string();
            props.push(format!("file={}", escape_property(&file)));
            props.push(format!("line={}", step.source.line));
            props.push(format!("col={}", step.source.column));
            title = format!("clickpath step {}", step.number);
            if let Some(f) = r.manifest.failure() {
                for s in suggestions(f) {
                    message.push('\n');
                    message.push_str(&s);
                }
            }
            if let Some(p) = r.screenshot_path(step) {
                message.push_str(&format!("\nscreenshot: {}", p.display()));
            }
        }
        None => {
            props.push(format!("file={}", escape_property(&r.runbook_path())));
            title = format!("clickpath {}", r.key());
        }
    }
    props.push(format!("title={}", escape_property(&title)));
    format!("::error {}::{}", props.join(","), escape_data(&message))
}

/// Whether annotations should be printed: env `GITHUB_ACTIONS` is `true` (set by GitHub's runners).
pub fn in_github_actions() -> bool {
    std::env::var("GITHUB_ACTIONS").is_ok_and(|v| v == "true")
}

/// Escape a workflow command's message: `%`, `\r`, `\n`.
pub fn escape_data(s: &str) -> String {
    s.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// Escape a workflow command's property value: as [`escape_data`], plus `:` and `,`.
pub fn escape_property(s: &str) -> String {
    escape_data(s).replace(':', "%3A").replace(',', "%2C")
}

#[cfg(test)]
mod tests {
    use super::super::fixtures::sample_run;
    use super::*;
    use std::path::Path;

    #[test]
    fn one_error_per_failing_runbook_at_the_step_line() {
        let r = sample_run(Path::new("run"));
        let lines = github_annotations(&r);
        assert_eq!(lines.len(), 1, "{lines:?}");
        assert_eq!(
            lines[0],
            "::error file=runbooks/xero/10-invite_user.yaml,line=14,col=5,title=clickpath step 3::\
             step 3: Click **Invite a user**: no button named \"Invite a user\"%0A\
             did you mean button \"Invite user\" (main)?%0A\
             did you mean button \"Add Xero support\" (main)?%0A\
             screenshot: run/xero/invite_user/03-click-invite-a-user-FAILED.png"
        );
    }

    #[test]
    fn passing_runs_have_no_annotations() {
        let mut r = sample_run(Path::new("run"));
        r.runbooks.truncate(1);
        assert!(github_annotations(&r).is_empty());
    }

    #[test]
    fn escaping_follows_the_workflow_command_rules() {
        assert_eq!(escape_data("50% done\r\nnext"), "50%25 done%0D%0Anext");
        assert_eq!(escape_property("a:b,c%\n"), "a%3Ab%2Cc%25%0A");
        // A message with a newline and a colon in the file name stay on one line.
        let mut r = sample_run(Path::new("run"));
        let step = r.runbooks[1].manifest.steps.get_mut(2).unwrap();
        step.source.file = "runbooks/odd,name:x.yaml".into();
        step.source.line = 9;
        step.doc = "Click\nthis".into();
        let line = github_annotations(&r).remove(0);
        assert!(!line.contains('\n'), "{line}");
        assert!(
            line.starts_with("::error file=runbooks/odd%2Cname%3Ax.yaml,line=9,col=5,"),
            "{line}"
        );
        assert!(line.contains("Click%0Athis"), "{line}");
    }
}
