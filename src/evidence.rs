//! Evidence: a screenshot per step and a manifest rewritten after every step.
//!
//! [`EvidenceWriter`] is the [`StepSink`] that writes
//! `<root>/<run-id>/<provider>/<flow>/NN-<step-slug>.png` (bytes exactly as
//! the browser delivered them, never re-encoded), `NN-<slug>-FAILED.png` for
//! the failing step, and `manifest.json` beside them, replaced atomically
//! (temporary file + rename) after every step so a crash leaves the steps so
//! far on disk. `<root>/latest` points at the newest run directory.
//!
//! The manifest is the [`RunOutcome`] as JSON (see [`crate::outcome`]);
//! reports read it back. This module knows nothing of the browser or of
//! YAML; it only sees the outcome the executor builds.

use std::io;
use std::path::{Path, PathBuf};

use crate::execute::StepSink;
use crate::outcome::{RunOutcome, StepRecord, StepStatus};

/// Writes screenshots and the manifest of one runbook's run.
#[derive(Debug)]
pub struct EvidenceWriter {
    root: PathBuf,
    dir: Option<PathBuf>,
}

impl EvidenceWriter {
    /// A writer under `root` (usually `screenshots/`); nothing is written before the run starts.
    pub fn new(root: impl Into<PathBuf>) -> Self {
        EvidenceWriter {
            root: root.into(),
            dir: None,
        }
    }

    /// The flow directory (`<root>/<run-id>/<provider>/<flow>`), once the run started.
    pub fn flow_dir(&self) -> Option<&Path> {
        self.dir.as_deref()
    }

    fn dir(&self) -> io::Result<&Path> {
        self.dir
            .as_deref()
            .ok_or_else(|| io::Error::other("evidence written before the run started"))
    }

    fn write_manifest(&self, run: &RunOutcome) -> io::Result<()> {
        let json = serde_json::to_vec_pretty(run).map_err(io::Error::other)?;
        let path = self.dir()?.join(MANIFEST);
        write_atomic(&path, &json)
            .map_err(|e| io::Error::new(e.kind(), format!("{}: {e}", path.display())))
    }

    /// `NN-<slug of the doc or capture name>[-FAILED].png`.
    fn file_name(step: &StepRecord) -> String {
        let base = step.capture.as_deref().unwrap_or(&step.doc);
        let mut slug = slug(base);
        if slug.is_empty() {
            slug = step.action.clone();
        }
        let failed = if step.status == StepStatus::Failed {
            "-FAILED"
        } else {
            ""
        };
        format!("{:02}-{slug}{failed}.png", step.number)
    }
}

/// The manifest's file name in a flow directory.
pub const MANIFEST: &str = "manifest.json";

impl StepSink for EvidenceWriter {
    fn run_started(&mut self, run: &RunOutcome) -> io::Result<Option<PathBuf>> {
        let dir = self
            .root
            .join(&run.run_id)
            .join(&run.provider)
            .join(&run.flow);
        let at = |e: io::Error| io::Error::new(e.kind(), format!("{}: {e}", dir.display()));
        std::fs::create_dir_all(&dir).map_err(at)?;
        point_latest(&self.root, &run.run_id).map_err(at)?;
        self.dir = Some(dir.clone());
        self.write_manifest(run)?;
        Ok(Some(dir))
    }

    fn screenshot(&mut self, step: &StepRecord, png: &[u8]) -> io::Result<Option<String>> {
        let name = Self::file_name(step);
        let path = self.dir()?.join(&name);
        write_atomic(&path, png)
            .map_err(|e| io::Error::new(e.kind(), format!("{}: {e}", path.display())))?;
        Ok(Some(name))
    }

    fn step_recorded(&mut self, run: &RunOutcome) -> io::Result<()> {
        self.write_manifest(run)
    }

    fn run_finished(&mut self, run: &RunOutcome) -> io::Result<()> {
        self.write_manifest(run)
    }
}

/// Write `bytes` to `path` atomically: a temporary file beside it, then rename.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> io::Result<()> {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let tmp = path.with_file_name(format!(".{name}.{}.tmp", std::process::id()));
    let written = std::fs::write(&tmp, bytes).and_then(|()| std::fs::rename(&tmp, path));
    if written.is_err() {
        // A full disk must not leave a truncated temporary file behind.
        let _ = std::fs::remove_file(&tmp);
    }
    written
}

/// Make `<root>/latest` point at `<root>/<run_id>` (a relative symlink; a text file elsewhere).
fn point_latest(root: &Path, run_id: &str) -> io::Result<()> {
    let latest = root.join("latest");
    #[cfg(unix)]
    {
        let tmp = root.join(format!(".latest.{}.tmp", std::process::id()));
        let _ = std::fs::remove_file(&tmp);
        std::os::unix::fs::symlink(run_id, &tmp)?;
        std::fs::rename(&tmp, &latest)
    }
    #[cfg(not(unix))]
    {
        write_atomic(&latest, run_id.as_bytes())
    }
}

/// A file-name-safe slug: lower-case words of `text` joined by `-`, at most ~48 characters.
pub fn slug(text: &str) -> String {
    let mut out = String::new();
    for word in text
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
    {
        let w = word.to_lowercase();
        if !out.is_empty() && out.len() + 1 + w.len() > 48 {
            break;
        }
        if !out.is_empty() {
            out.push('-');
        }
        out.push_str(&w);
    }
    out.chars().take(64).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slug_keeps_the_words_of_the_doc() {
        assert_eq!(slug("Click **Invite a User**"), "click-invite-a-user");
        assert_eq!(slug("  "), "");
        assert!(slug(&"word ".repeat(40)).len() <= 48);
    }
}
