//! The step policy: whether a step runs, is probed, or is skipped.
//!
//! One pure function of the step, the run's options and what happened so
//! far, so that every rule (probe mode, stop after a failure; guards, resume
//! and cleanup steps next) is decided here and tested without a browser, not
//! as special cases in the run loop.

use crate::outcome::{RunOutcome, SkipReason, StepStatus};
use crate::runbook::Step;

/// The run-level options the policy reads.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Options {
    /// Probe mode: verify the first destructive step without acting, then stop.
    pub probe: bool,
}

/// What to do with the next step.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Decision {
    /// Perform it.
    Run,
    /// Locate its target and check it is actionable, without acting.
    Probe,
    /// Do not run it, for this reason.
    Skip(SkipReason),
}

/// Decide what to do with `step`, given the steps recorded so far in `run`.
pub fn decide(step: &Step, options: Options, run: &RunOutcome) -> Decision {
    if run.error.is_some() {
        return Decision::Skip(SkipReason::RunError);
    }
    if let Some(failed) = run
        .steps
        .iter()
        .find(|s| matches!(s.status, StepStatus::Failed))
    {
        return Decision::Skip(SkipReason::EarlierFailure {
            step: failed.number,
        });
    }
    if let Some(probed) = run
        .steps
        .iter()
        .find(|s| matches!(s.status, StepStatus::Probed))
    {
        return Decision::Skip(SkipReason::Probe {
            step: probed.number,
        });
    }
    if options.probe && step.destructive {
        return Decision::Probe;
    }
    Decision::Run
}

/// Whether a multi-runbook run goes on to the next runbook after `run`.
pub fn continue_after(run: &RunOutcome, fail_fast: bool) -> bool {
    !fail_fast || run.passed()
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use super::*;
    use crate::outcome::{
        BrowserSummary, Failure, FailureKind, RunStatus, Size, SourcePos, StepRecord,
        SCHEMA_VERSION,
    };
    use crate::runbook::{Action, Origin, Template};

    fn step(destructive: bool) -> Step {
        Step {
            id: None,
            doc: Template::literal("Click **Send invite**"),
            action: Action::Screenshot {
                name: Some("x".into()),
                of: None,
                padding: 0,
            },
            timeout: None,
            destructive,
            note: None,
            mask: Vec::new(),
            origin: Origin {
                file: "a.yaml".into(),
                span: Default::default(),
                via: vec![],
            },
        }
    }

    fn record(number: usize, status: StepStatus) -> StepRecord {
        StepRecord {
            id: format!("step-{number}"),
            number,
            doc: String::new(),
            source: SourcePos {
                file: "a.yaml".into(),
                line: number,
                column: 3,
                via: vec![],
            },
            action: "click".into(),
            locator: None,
            element: None,
            url: None,
            title: None,
            navigated: false,
            duration_ms: 0,
            round_trips: 0,
            screenshot: None,
            capture: None,
            dialog: None,
            opened_windows: Vec::new(),
            status,
            failure: None,
            healed: None,
            note: None,
            masks: Vec::new(),
            before: None,
            crop: None,
            annotated: None,
            visual: None,
        }
    }

    fn run(steps: Vec<StepRecord>) -> RunOutcome {
        RunOutcome {
            schema_version: SCHEMA_VERSION,
            clickpath_version: String::new(),
            run_id: "r".into(),
            runbook: "a.yaml".into(),
            name: String::new(),
            provider: "p".into(),
            flow: "f".into(),
            browser: BrowserSummary {
                name: "chrome".into(),
                version: "1".into(),
                driver_version: None,
                headed: false,
            },
            device_scale_factor: 1.0,
            viewport: Size {
                width: 1,
                height: 1,
            },
            base_url: String::new(),
            vars: BTreeMap::new(),
            started_at: String::new(),
            finished_at: None,
            status: RunStatus::Running,
            steps_total: 3,
            steps,
            probed_through: None,
            error: None,
            evidence_dir: None,
            fix: None,
            gif: None,
        }
    }

    #[test]
    fn steps_run_until_one_fails_then_are_skipped_naming_it() {
        let probe = Options { probe: false };
        assert_eq!(decide(&step(false), probe, &run(vec![])), Decision::Run);
        let after = run(vec![
            record(1, StepStatus::Passed),
            record(2, StepStatus::Failed),
        ]);
        assert_eq!(
            decide(&step(false), probe, &after),
            Decision::Skip(SkipReason::EarlierFailure { step: 2 })
        );
    }

    #[test]
    fn probe_mode_probes_the_first_destructive_step_and_skips_the_rest() {
        let probe = Options { probe: true };
        assert_eq!(decide(&step(false), probe, &run(vec![])), Decision::Run);
        assert_eq!(decide(&step(true), probe, &run(vec![])), Decision::Probe);
        let after = run(vec![record(1, StepStatus::Probed)]);
        assert_eq!(
            decide(&step(false), probe, &after),
            Decision::Skip(SkipReason::Probe { step: 1 })
        );
        // Without probe mode a destructive step just runs.
        assert_eq!(
            decide(&step(true), Options::default(), &run(vec![])),
            Decision::Run
        );
    }

    #[test]
    fn a_run_error_skips_every_step() {
        let mut r = run(vec![]);
        r.error = Some(Failure::new(FailureKind::Evidence, "disk full"));
        assert_eq!(
            decide(&step(false), Options::default(), &r),
            Decision::Skip(SkipReason::RunError)
        );
    }

    #[test]
    fn fail_fast_stops_after_a_failed_runbook_only() {
        let mut r = run(vec![]);
        r.status = RunStatus::Passed;
        assert!(continue_after(&r, true));
        r.status = RunStatus::Failed;
        assert!(!continue_after(&r, true));
        assert!(continue_after(&r, false));
    }
}
