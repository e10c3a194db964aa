//! The last good run of a runbook (issue 13): the witness a failed
//! locator's diagnosis compares the page with. `--baseline DIR` names it
//! (a flow's evidence folder, or a run folder holding
//! `<provider>/<flow>/manifest.json`); otherwise it is the newest *passing*
//! manifest of the same runbook under `--out`, read before this run writes
//! anything.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::execute::{Baseline, RunOutcome, RunStatus};
use crate::runbook::Runbook;

/// The baseline for `rb`: from `given` when set (any status: its passed
/// steps are witnesses), else the newest passing run under `out` other
/// than `run_id`.
pub(super) fn find(
    out: &Path,
    given: Option<&Path>,
    rb: &Runbook,
    run_id: &str,
) -> Option<Arc<Baseline>> {
    let found = find_flow(out, given, (&rb.provider, &rb.flow), run_id);
    if let (Some(dir), None) = (given, &found) {
        eprintln!(
            "clickpath: --baseline {}: no manifest of {}/{} there; diagnosing without the last good run",
            dir.display(),
            rb.provider,
            rb.flow
        );
    }
    found
}

/// [`find`] for the runbook of `provider/flow`.
fn find_flow(
    out: &Path,
    given: Option<&Path>,
    rb: (&str, &str),
    run_id: &str,
) -> Option<Arc<Baseline>> {
    let found = match given {
        Some(dir) => [dir.join("manifest.json"), flow_manifest(dir, rb)]
            .into_iter()
            .filter_map(|p| read(&p))
            .find(|m| same_runbook(m, rb)),
        None => newest_passing(out, rb, run_id),
    }?;
    Some(Arc::new(Baseline {
        run_id: found.run_id,
        steps: found.steps,
    }))
}

fn flow_manifest(run_dir: &Path, (provider, flow): (&str, &str)) -> PathBuf {
    run_dir.join(provider).join(flow).join("manifest.json")
}

fn read(path: &Path) -> Option<RunOutcome> {
    let text = std::fs::read_to_string(path).ok()?;
    serde_json::from_str(&text).ok()
}

fn same_runbook(m: &RunOutcome, (provider, flow): (&str, &str)) -> bool {
    m.provider == provider && m.flow == flow
}

/// The newest passing manifest of `rb` under `out`: run folders newest
/// first (by modification time), the first that passed.
fn newest_passing(out: &Path, rb: (&str, &str), run_id: &str) -> Option<RunOutcome> {
    let mut runs: Vec<(std::time::SystemTime, PathBuf)> = std::fs::read_dir(out)
        .ok()?
        .filter_map(Result::ok)
        .filter(|e| e.file_name() != "latest" && e.file_name() != run_id)
        .filter(|e| e.file_type().is_ok_and(|t| t.is_dir()))
        .filter_map(|e| {
            let path = e.path();
            let manifest = flow_manifest(&path, rb);
            let modified = std::fs::metadata(&manifest).ok()?.modified().ok()?;
            Some((modified, path))
        })
        .collect();
    runs.sort_by_key(|r| std::cmp::Reverse(r.0));
    runs.into_iter()
        .filter_map(|(_, dir)| read(&flow_manifest(&dir, rb)))
        .find(|m| m.status == RunStatus::Passed && same_runbook(m, rb))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::execute::StepStatus;
    use crate::report::fixtures::{manifest, step, TempDir};

    fn write(out: &Path, run: &str, passed: bool) {
        let status = if passed {
            StepStatus::Passed
        } else {
            StepStatus::Failed
        };
        let mut m = manifest(
            "runbooks/xero/10-invite_user.yaml",
            "invite_user",
            vec![step(1, "Go", "x.yaml", 3, status)],
            1,
        );
        m.run_id = run.to_string();
        let dir = out.join(run).join("xero/invite_user");
        std::fs::create_dir_all(&dir).unwrap_or_else(|e| panic!("{e}"));
        let text = serde_json::to_string(&m).unwrap_or_else(|e| panic!("{e}"));
        std::fs::write(dir.join("manifest.json"), text).unwrap_or_else(|e| panic!("{e}"));
    }

    const FLOW: (&str, &str) = ("xero", "invite_user");

    #[test]
    fn the_newest_passing_run_of_the_same_runbook_is_the_witness() {
        let out = TempDir::new("baseline");
        write(out.path(), "run-old", true);
        // Written later: the modification times order them.
        std::thread::sleep(std::time::Duration::from_millis(20));
        write(out.path(), "run-new", true);
        std::thread::sleep(std::time::Duration::from_millis(20));
        write(out.path(), "run-failed", false);
        let found = find_flow(out.path(), None, FLOW, "run-now").map(|b| b.run_id.clone());
        assert_eq!(
            found.as_deref(),
            Some("run-new"),
            "a failed run is no witness"
        );
        // The run being made is never its own witness.
        let found = find_flow(out.path(), None, FLOW, "run-new").map(|b| b.run_id.clone());
        assert_eq!(found.as_deref(), Some("run-old"));
        // Another flow has none.
        assert!(find_flow(out.path(), None, ("xero", "remove_user"), "x").is_none());
        // Nothing under a missing --out.
        assert!(find_flow(&out.path().join("nope"), None, FLOW, "x").is_none());
    }

    #[test]
    fn a_given_baseline_is_a_run_folder_or_a_flow_folder_of_any_status() {
        let out = TempDir::new("baseline-given");
        write(out.path(), "run-failed", false);
        let run_dir = out.path().join("run-failed");
        for given in [run_dir.clone(), run_dir.join("xero/invite_user")] {
            let found = find_flow(out.path(), Some(&given), FLOW, "x").map(|b| b.run_id.clone());
            assert_eq!(found.as_deref(), Some("run-failed"), "{}", given.display());
        }
    }
}
