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

fn flow_manifest(run_dir: &Path, rb: &Runbook) -> PathBuf {
    run_dir
        .join(&rb.provider)
        .join(&rb.flow)
        .join("manifest.json")
}

fn read(path: &Path) -> Option<RunOutcome> {
    let text = std::fs::read_to_string(path).ok()?;
    serde_json::from_str(&text).ok()
}

fn same_runbook(m: &RunOutcome, rb: &Runbook) -> bool {
    m.provider == rb.provider && m.flow == rb.flow
}

/// The newest passing manifest of `rb` under `out`: run folders newest
/// first (by modification time), the first that passed.
fn newest_passing(out: &Path, rb: &Runbook, run_id: &str) -> Option<RunOutcome> {
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
