//! The JUnit XML report (via `quick-junit`), in the shape Jenkins and GitLab read.
//!
//! One `<testsuite>` per provider, one `<testcase>` per runbook (`name` = flow,
//! `classname` = provider, `time` = the steps' total). A runbook that failed
//! has a `<failure message="step N: <doc>: <reason>" type="<kind>">` whose
//! text gives the source `file:line`, locator, URL, suggestions and the
//! failure screenshot; a run that never finished is an `<error>`. Each
//! test case's `<system-out>` lists the steps and every screenshot as
//! `[[ATTACHMENT|/absolute/path.png]]` (the Jenkins JUnit Attachments plugin
//! convention, failure screenshot first). Suite properties carry the run id,
//! base URL, browser and clickpath version. Test-case `<properties>` are not
//! used: the Jenkins schema does not allow them.

use std::path::Path;
use std::time::Duration;

use quick_junit::{NonSuccessKind, Property, Report, TestCase, TestCaseStatus, TestSuite};

use super::{suggestions, ReportError, RunReport, RunbookReport, RunbookStatus};
use crate::outcome::StepStatus;

/// The JUnit XML of `report`.
pub fn to_string(report: &RunReport) -> Result<String, ReportError> {
    let mut out = Report::new(format!("clickpath run {}", report.run_id));
    let mut providers: Vec<&str> = Vec::new();
    for r in &report.runbooks {
        if !providers.contains(&r.manifest.provider.as_str()) {
            providers.push(&r.manifest.provider);
        }
    }
    let mut total = Duration::ZERO;
    for provider in providers {
        let runbooks: Vec<&RunbookReport> = report
            .runbooks
            .iter()
            .filter(|r| r.manifest.provider == provider)
            .collect();
        let mut suite = TestSuite::new(provider);
        suite.add_property(Property::new("run_id", report.run_id.as_str()));
        if let Some(first) = runbooks.first() {
            let m = &first.manifest;
            suite.add_property(Property::new("base_url", m.base_url.as_str()));
            suite.add_property(Property::new(
                "browser",
                format!("{} {}", m.browser.name, m.browser.version),
            ));
            suite.add_property(Property::new(
                "clickpath_version",
                m.clickpath_version.as_str(),
            ));
        }
        if let Some(s) = &report.started_at {
            suite.add_property(Property::new("started_at", s.as_str()));
        }
        let mut time = Duration::ZERO;
        for r in runbooks {
            let case = test_case(r);
            time += Duration::from_millis(r.duration_ms());
            suite.add_test_case(case);
        }
        suite.set_time(time);
        total += time;
        out.add_test_suite(suite);
    }
    out.set_time(total);
    out.to_string().map_err(ReportError::Junit)
}

fn test_case(r: &RunbookReport) -> TestCase {
    let m = &r.manifest;
    let status = match r.status() {
        RunbookStatus::Passed => TestCaseStatus::success(),
        st => {
            let kind = if st == RunbookStatus::Failed {
                NonSuccessKind::Failure
            } else {
                NonSuccessKind::Error
            };
            let mut s = TestCaseStatus::non_success(kind);
            let f = m.failure();
            s.set_message(r.failure_headline().unwrap_or_default());
            s.set_type(f.map(|f| f.kind.name()).unwrap_or(st.as_str()));
            s.set_description(description(r));
            s
        }
    };
    let mut case = TestCase::new(m.flow.as_str(), status);
    case.set_classname(m.provider.as_str());
    // GitLab shows `file` next to the test case; Jenkins ignores it.
    case.extra.insert("file".into(), r.runbook_path().into());
    case.set_time(Duration::from_millis(r.duration_ms()));
    case.set_system_out(system_out(r));
    case
}

/// The failure element's text: where, what, what instead, evidence.
fn description(r: &RunbookReport) -> String {
    let m = &r.manifest;
    let mut d = String::new();
    match r.failed_step() {
        Some(step) => {
            d.push_str(&format!(
                "step {} of {} failed: {}\n",
                step.number, m.steps_total, step.doc
            ));
            d.push_str(&format!("  --> {}\n", step.source));
            if let Some(reason) = r.reason() {
                d.push_str(&format!("  reason: {reason}\n"));
            }
            if let Some(l) = &step.locator {
                d.push_str(&format!("  locator: {l}\n"));
            }
            if let Some(u) = &step.url {
                d.push_str(&format!("  url: {u}\n"));
            }
            if let Some(f) = m.failure() {
                for s in suggestions(f) {
                    d.push_str(&format!("  {s}\n"));
                }
            }
            if let Some(p) = r.screenshot_path(step) {
                d.push_str(&format!("  screenshot: {}\n", absolute(&p)));
            }
        }
        None => {
            d.push_str(&r.reason().unwrap_or_default());
            d.push('\n');
            d.push_str(&format!("  --> {}\n", m.runbook.display()));
        }
    }
    d.push_str(&format!("  evidence: {}\n", absolute(&r.dir)));
    d
}

/// Every step's line, then the screenshots as Jenkins attachments (failure first).
fn system_out(r: &RunbookReport) -> String {
    let m = &r.manifest;
    let mut out = format!("{} ({})\n", m.name, m.runbook.display());
    for s in &m.steps {
        let mark = match s.status {
            StepStatus::Passed => "ok  ",
            StepStatus::Probed => "prob",
            StepStatus::Failed => "FAIL",
            StepStatus::Skipped { .. } => "skip",
        };
        out.push_str(&format!(
            "{mark} {:>2}/{} {}  ({})\n",
            s.number, m.steps_total, s.doc, s.source
        ));
    }
    let mut shots: Vec<String> = Vec::new();
    if let Some(p) = r.failed_step().and_then(|s| r.screenshot_path(s)) {
        shots.push(absolute(&p));
    }
    for s in &m.steps {
        if let Some(p) = r.screenshot_path(s) {
            let p = absolute(&p);
            if !shots.contains(&p) {
                shots.push(p);
            }
        }
    }
    for p in shots {
        out.push_str(&format!("[[ATTACHMENT|{p}]]\n"));
    }
    out
}

/// The path made absolute (CI plugins resolve attachments from another directory).
fn absolute(p: &Path) -> String {
    std::path::absolute(p)
        .unwrap_or_else(|_| p.to_path_buf())
        .display()
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::super::fixtures::{sample_run, TempDir};
    use super::*;

    #[test]
    fn one_case_per_runbook_with_the_failure_message() {
        let r = sample_run(Path::new("/evidence/run-1"));
        let xml = to_string(&r).unwrap();
        assert!(xml.contains(r#"<testsuites name="clickpath run run-1" tests="2" skipped="0" failures="1" errors="0""#), "{xml}");
        assert!(
            xml.contains(r#"<testsuite name="xero" tests="2" skipped="0" errors="0" failures="1""#),
            "{xml}"
        );
        assert!(
            xml.contains(r#"<property name="run_id" value="run-1"/>"#),
            "{xml}"
        );
        assert!(
            xml.contains(r#"<property name="base_url" value="http://127.0.0.1:4000/xero"/>"#),
            "{xml}"
        );
        assert!(
            xml.contains(r#"<testcase name="users" classname="xero" time="0.600" file="runbooks/xero/05-users.yaml">"#),
            "{xml}"
        );
        assert!(xml.contains(
            r#"<failure message="step 3: Click **Invite a user**: no button named &quot;Invite a user&quot;" type="not_found">"#
        ), "{xml}");
        assert!(
            xml.contains("  --&gt; runbooks/xero/10-invite_user.yaml:14:5\n"),
            "{xml}"
        );
        assert!(
            xml.contains("  did you mean button &quot;Invite user&quot; (main)?\n")
                || xml.contains("  did you mean button \"Invite user\" (main)?\n"),
            "{xml}"
        );
        assert!(
            xml.contains(
                "[[ATTACHMENT|/evidence/run-1/xero/invite_user/03-click-invite-a-user-FAILED.png]]"
            ),
            "{xml}"
        );
        assert!(
            xml.contains("[[ATTACHMENT|/evidence/run-1/xero/users/01-step.png]]"),
            "{xml}"
        );
        assert!(xml.contains("skip  5/5 Click **Send invite**"), "{xml}");
    }

    #[test]
    fn a_run_that_never_finished_is_an_error() {
        let mut r = sample_run(Path::new("/e"));
        let m = &mut r.runbooks[0].manifest;
        m.status = crate::outcome::RunStatus::Running;
        m.finished_at = None;
        let xml = to_string(&r).unwrap();
        assert!(xml.contains(r#"<error message="the run did not finish (3 of 3 steps recorded)" type="incomplete">"#), "{xml}");
    }

    /// xmllint from Debian's libxml2-utils, or a test failure naming the package.
    pub(crate) fn xmllint() -> &'static str {
        let ok = std::process::Command::new("xmllint")
            .arg("--version")
            .output()
            .map(|o| o.status.success())
            .unwrap_or(false);
        assert!(
            ok,
            "xmllint is not installed; JUnit XML is validated with it: \
             apt-get install libxml2-utils (or run scripts/deps.sh)"
        );
        "xmllint"
    }

    fn validate(xml: &str, dir: &Path) -> std::process::Output {
        let file = dir.join("junit.xml");
        std::fs::write(&file, xml).unwrap();
        let xsd = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/junit.xsd");
        std::process::Command::new(xmllint())
            .arg("--noout")
            .arg("--schema")
            .arg(&xsd)
            .arg(&file)
            .output()
            .unwrap()
    }

    #[test]
    fn junit_xml_validates_against_the_jenkins_schema() {
        let tmp = TempDir::new("junit-xsd");
        let mut r = sample_run(tmp.path());
        // An incomplete run too, so <error> is validated as well as <failure>.
        let mut incomplete = r.runbooks[0].clone();
        incomplete.manifest.provider = "qbo".into();
        incomplete.manifest.status = crate::outcome::RunStatus::Running;
        incomplete.manifest.finished_at = None;
        r.runbooks.push(incomplete);
        let xml = to_string(&r).unwrap();
        let out = validate(&xml, tmp.path());
        assert!(
            out.status.success(),
            "xmllint rejected the JUnit XML:\n{}\n{xml}",
            String::from_utf8_lossy(&out.stderr)
        );
    }

    #[test]
    fn the_schema_check_can_fail() {
        let tmp = TempDir::new("junit-xsd-neg");
        let r = sample_run(tmp.path());
        let xml = to_string(&r).unwrap();
        // A test case without its required name, and a child the schema does not know.
        let broken = xml
            .replacen(r#"<testcase name="users" "#, "<testcase ", 1)
            .replacen("<system-out>", "<stdout>oops</stdout><system-out>", 1);
        assert_ne!(broken, xml);
        let out = validate(&broken, tmp.path());
        assert!(
            !out.status.success(),
            "xmllint accepted broken XML:\n{broken}"
        );
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains("fails to validate"), "{err}");
        // Not well-formed at all.
        let out = validate("<testsuites><testsuite name=\"x\" tests=\"0\">", tmp.path());
        assert!(!out.status.success());
    }
}
