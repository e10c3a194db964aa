//! Evidence: a screenshot per step and a manifest rewritten after every step.
//!
//! [`EvidenceWriter`] is the [`StepSink`] that writes
//! `<root>/<run-id>/<provider>/<flow>/NN-<step-slug>.png` (bytes exactly as
//! the browser delivered them, never re-encoded), `NN-<slug>-FAILED.png` for
//! the failing step, and `manifest.json` beside them, replaced atomically
//! (temporary file + rename) after every step so a crash leaves the steps so
//! far on disk. `<root>/latest` points at the newest run directory.
//!
//! Reports read the [`Manifest`] types defined here. This module knows
//! nothing of the browser or of YAML; it only sees [`StepRecord`]s.

use std::collections::BTreeMap;
use std::io;
use std::path::{Path, PathBuf};
use std::time::SystemTime;

use serde::{Deserialize, Serialize};

use crate::execute::{
    Failure, RunInfo, RunOutcome, StepError, StepRecord, StepSink, StepStart, StepStatus,
};
use crate::locate::BoxPx;

/// The manifest of one runbook's run: `manifest.json` in its flow directory.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Manifest {
    /// Version of clickpath that wrote it.
    pub clickpath_version: String,
    /// The run identifier (also the run directory name).
    pub run_id: String,
    /// The runbook file, as given.
    pub runbook: String,
    /// The runbook's title.
    pub name: String,
    /// Provider key.
    pub provider: String,
    /// Flow key.
    pub flow: String,
    /// The browser that ran it.
    pub browser: ManifestBrowser,
    /// Viewport (and screenshot size) in CSS pixels.
    pub viewport: ManifestViewport,
    /// Base URL used for relative `goto`s.
    pub base_url: String,
    /// Vars used; secret values never appear (redacted to `***`).
    pub vars: BTreeMap<String, String>,
    /// Start of the run, RFC 3339 UTC.
    pub started_at: String,
    /// End of the run, RFC 3339 UTC; `None` while running.
    pub finished_at: Option<String>,
    /// `running`, `passed` or `failed`.
    pub status: String,
    /// Number of steps in the runbook.
    pub steps_total: usize,
    /// Steps so far, in order.
    pub steps: Vec<ManifestStep>,
}

/// Browser and driver of a run.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ManifestBrowser {
    /// Browser name (`chrome`).
    pub name: String,
    /// Browser version.
    pub version: String,
    /// Driver version, when known.
    pub driver_version: Option<String>,
    /// Whether the window was shown.
    pub headed: bool,
}

/// Viewport in CSS pixels.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct ManifestViewport {
    /// Width.
    pub width: u32,
    /// Height.
    pub height: u32,
}

/// One step in the manifest.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ManifestStep {
    /// 1-based step number.
    pub number: usize,
    /// Rendered `doc` text.
    pub doc: String,
    /// Where the step is written: `file:line`.
    pub source: String,
    /// Action keyword.
    pub action: String,
    /// Locator as text (secrets never appear).
    pub locator: Option<String>,
    /// The element acted on.
    pub element: Option<ManifestElement>,
    /// URL after the step.
    pub url: Option<String>,
    /// Title after the step.
    pub title: Option<String>,
    /// Whether the step loaded a new document.
    pub navigated: bool,
    /// Duration in milliseconds, screenshot included.
    pub duration_ms: u64,
    /// WebDriver round trips the step needed.
    pub round_trips: u64,
    /// Screenshot file name, relative to the manifest's directory.
    pub screenshot: Option<String>,
    /// `passed`, `failed` or `skipped`.
    pub status: StepStatus,
    /// Why it failed.
    pub failure: Option<Failure>,
    /// Probe mode: the target was verified actionable but not acted on.
    #[serde(default)]
    pub probed: bool,
}

/// The element a step acted on.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ManifestElement {
    /// Tag name.
    pub tag: String,
    /// ARIA role.
    pub role: String,
    /// Accessible name.
    pub name: String,
    /// Box in CSS pixels (viewport coordinates at the time).
    #[serde(rename = "box")]
    pub bbox: BoxPx,
}

/// Writes screenshots and the manifest of one runbook's run.
#[derive(Debug)]
pub struct EvidenceWriter {
    root: PathBuf,
    dir: Option<PathBuf>,
    manifest: Option<Manifest>,
}

impl EvidenceWriter {
    /// A writer under `root` (usually `screenshots/`); nothing is written before the run starts.
    pub fn new(root: impl Into<PathBuf>) -> Self {
        EvidenceWriter {
            root: root.into(),
            dir: None,
            manifest: None,
        }
    }

    /// The flow directory (`<root>/<run-id>/<provider>/<flow>`), once the run started.
    pub fn flow_dir(&self) -> Option<&Path> {
        self.dir.as_deref()
    }

    /// The manifest as last written.
    pub fn manifest(&self) -> Option<&Manifest> {
        self.manifest.as_ref()
    }

    fn dir(&self) -> io::Result<&Path> {
        self.dir
            .as_deref()
            .ok_or_else(|| io::Error::other("evidence written before the run started"))
    }

    fn write_manifest(&self) -> io::Result<()> {
        let (Some(dir), Some(m)) = (&self.dir, &self.manifest) else {
            return Ok(());
        };
        let json = serde_json::to_vec_pretty(m).map_err(io::Error::other)?;
        write_atomic(&dir.join("manifest.json"), &json)
    }

    fn push(&mut self, record: &StepRecord, screenshot: Option<String>) -> io::Result<()> {
        let step = ManifestStep {
            number: record.number,
            doc: record.doc.clone(),
            source: format!(
                "{}:{}",
                record.origin.file.display(),
                record.origin.span.start.line
            ),
            action: record.action.to_string(),
            locator: record.locator.clone(),
            element: record.element.as_ref().map(|c| ManifestElement {
                tag: c.tag.clone(),
                role: c.role.clone(),
                name: c.name.clone(),
                bbox: c.bbox,
            }),
            url: record.url.clone(),
            title: record.title.clone(),
            navigated: record.navigated,
            duration_ms: u64::try_from(record.duration.as_millis()).unwrap_or(u64::MAX),
            round_trips: record.round_trips,
            screenshot,
            status: record.status,
            failure: record.failure.clone(),
            probed: record.probed,
        };
        if let Some(m) = &mut self.manifest {
            m.steps.push(step);
        }
        self.write_manifest()
    }

    fn file_name(record: &StepRecord, failed: bool) -> String {
        let base = record.capture.as_deref().unwrap_or(&record.doc);
        let mut slug = slug(base);
        if slug.is_empty() {
            slug = record.action.to_string();
        }
        format!(
            "{:02}-{}{}.png",
            record.number,
            slug,
            if failed { "-FAILED" } else { "" }
        )
    }
}

impl StepSink for EvidenceWriter {
    fn run_started(&mut self, run: &RunInfo) -> io::Result<()> {
        let run_dir = self.root.join(&run.run_id);
        let dir = run_dir.join(&run.provider).join(&run.flow);
        std::fs::create_dir_all(&dir)?;
        point_latest(&self.root, &run.run_id)?;
        self.dir = Some(dir);
        self.manifest = Some(Manifest {
            clickpath_version: env!("CARGO_PKG_VERSION").to_string(),
            run_id: run.run_id.clone(),
            runbook: run.runbook.display().to_string(),
            name: run.name.clone(),
            provider: run.provider.clone(),
            flow: run.flow.clone(),
            browser: ManifestBrowser {
                name: run.browser.name.clone(),
                version: run.browser.version.clone(),
                driver_version: run.browser.driver_version.clone(),
                headed: run.browser.headed,
            },
            viewport: ManifestViewport {
                width: run.browser.viewport.width,
                height: run.browser.viewport.height,
            },
            base_url: run.base_url.clone(),
            vars: run.vars.clone(),
            started_at: rfc3339(run.started_at),
            finished_at: None,
            status: "running".into(),
            steps_total: run.steps_total,
            steps: Vec::new(),
        });
        self.write_manifest()
    }

    fn step_started(&mut self, _step: &StepStart<'_>) -> io::Result<()> {
        Ok(())
    }

    fn step_finished(&mut self, record: &StepRecord, screenshot_png: &[u8]) -> io::Result<()> {
        let name = Self::file_name(record, false);
        std::fs::write(self.dir()?.join(&name), screenshot_png)?;
        self.push(record, Some(name))
    }

    fn step_failed(
        &mut self,
        record: &StepRecord,
        _error: &StepError,
        screenshot_png: Option<&[u8]>,
    ) -> io::Result<Option<PathBuf>> {
        let mut path = None;
        let mut name = None;
        if let Some(png) = screenshot_png {
            let n = Self::file_name(record, true);
            let p = self.dir()?.join(&n);
            std::fs::write(&p, png)?;
            path = Some(p);
            name = Some(n);
        }
        if let Some(m) = &mut self.manifest {
            m.status = "failed".into();
        }
        self.push(record, name)?;
        Ok(path)
    }

    fn step_skipped(&mut self, record: &StepRecord) -> io::Result<()> {
        self.push(record, None)
    }

    fn run_finished(&mut self, outcome: &RunOutcome) -> io::Result<()> {
        if let Some(m) = &mut self.manifest {
            m.finished_at = Some(rfc3339(outcome.finished_at));
            m.status = if outcome.passed() { "passed" } else { "failed" }.into();
        }
        self.write_manifest()
    }
}

/// Write `bytes` to `path` atomically: a temporary file beside it, then rename.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> io::Result<()> {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let tmp = path.with_file_name(format!(".{name}.{}.tmp", std::process::id()));
    std::fs::write(&tmp, bytes)?;
    std::fs::rename(&tmp, path)
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

/// Format a time as RFC 3339 in UTC with milliseconds: `2026-11-24T14:38:14.123Z`.
///
/// Written here (days-to-civil conversion) to avoid a date crate for one format.
pub fn rfc3339(t: SystemTime) -> String {
    let d = t.duration_since(SystemTime::UNIX_EPOCH).unwrap_or_default();
    let secs = d.as_secs();
    let days = (secs / 86_400) as i64;
    let rem = secs % 86_400;
    // Howard Hinnant's civil_from_days.
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!(
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}.{:03}Z",
        rem / 3600,
        rem / 60 % 60,
        rem % 60,
        d.subsec_millis()
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[test]
    fn rfc3339_formats_known_instants() {
        let t = |s: u64, ms: u64| SystemTime::UNIX_EPOCH + Duration::from_millis(s * 1000 + ms);
        assert_eq!(rfc3339(t(0, 0)), "1970-01-01T00:00:00.000Z");
        assert_eq!(rfc3339(t(951_782_400, 5)), "2000-02-29T00:00:00.005Z");
        assert_eq!(rfc3339(t(1_795_963_094, 123)), "2026-11-29T14:38:14.123Z");
    }

    #[test]
    fn slug_keeps_the_words_of_the_doc() {
        assert_eq!(slug("Click **Invite a User**"), "click-invite-a-user");
        assert_eq!(slug("  "), "");
        assert!(slug(&"word ".repeat(40)).len() <= 48);
    }
}
