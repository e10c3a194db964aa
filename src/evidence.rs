//! Evidence: a screenshot per step and a manifest rewritten after every step.
//!
//! [`EvidenceWriter`] is the [`StepSink`] that writes
//! `<root>/<run-id>/<provider>/<flow>/NN-<step-slug>.png` (bytes exactly as
//! the browser delivered them, never re-encoded), `NN-<slug>-FAILED.png` for
//! the failing step (`NN-<slug>-healed.png` for a healed step's second
//! attempt), and `manifest.json` beside them, replaced atomically
//! (temporary file + rename) after every step so a crash leaves the steps so
//! far on disk. `<root>/latest` points at the newest run directory.
//!
//! A failed run whose diagnosis proposes a fix also gets `fix.patch`, the
//! runbook diff, written by [`EvidenceWriter::record_fix`] together with the
//! manifest that records it.
//!
//! The writer keeps the last outcome it wrote, so that a run cut short by a
//! signal (its future dropped mid-step) can still be finalised:
//! [`EvidenceWriter::interrupted`] marks it `interrupted` and rewrites it.
//!
//! With `run --compare` ([`EvidenceWriter::compare_with`]) each passed
//! step's screenshot is also compared with its reference image
//! (`<REF_DIR>/<provider>/<flow>/NN-<slug>.png`, see [`compare`]) and a
//! change gets `NN-<slug>-diff.png`; [`update_reference`] writes a run's
//! captures as the new references.
//!
//! With [`EvidenceWriter::with_media`] it also makes the technical writers'
//! media: `NN-<slug>-annotated.png` beside each passed step that acted on
//! an element (drawn on background threads while the next step runs, see
//! [`annotate`]) and `<flow>.gif` at the end (see [`gif`]). The run waits
//! for them before its last manifest; a failure there is only a warning.
//!
//! The manifest is the [`RunOutcome`] as JSON (see [`crate::outcome`]);
//! reports read it back. This module knows nothing of the browser or of
//! YAML; it only sees the outcome the executor builds.

pub mod compare;

use std::collections::BTreeMap;
use std::io;
use std::path::{Path, PathBuf};

pub mod annotate;
pub mod gif;
mod media;

pub use media::{annotated_name, before_name, crop_name, MediaOptions};

use crate::execute::StepSink;
use crate::locate::BoxPx;
use crate::outcome::{FixRecord, RunOutcome, RunStatus, StepRecord, StepStatus, Visual};
use compare::{Rect, Tolerance};

/// Writes screenshots and the manifest of one runbook's run.
#[derive(Debug)]
pub struct EvidenceWriter {
    root: PathBuf,
    dir: Option<PathBuf>,
    /// The outcome as the manifest on disk holds it.
    last: Option<RunOutcome>,
    /// `run --compare`: where the references are and how strict to be.
    compare: Option<CompareOptions>,
    /// The reference manifest's masks per step number, in device pixels.
    reference_masks: BTreeMap<usize, Vec<Rect>>,
    /// Annotations and the GIF, when asked for.
    media: Option<media::Media>,
    /// Device pixels per CSS pixel of this run's screenshots.
    scale: f64,
    /// Raw screenshot name → its crop's (`screenshot: {of: …}`), once written.
    crops: BTreeMap<String, String>,
}

/// How `run --compare` compares captures with reference images.
#[derive(Debug, Clone, PartialEq)]
pub struct CompareOptions {
    /// The reference directory, laid out like the evidence
    /// (`<dir>/<provider>/<flow>/NN-<slug>.png`).
    pub reference: PathBuf,
    /// How different a capture may be.
    pub tolerance: Tolerance,
    /// A missing reference image fails the step (else it is a note).
    pub strict: bool,
}

impl EvidenceWriter {
    /// A writer under `root` (usually `screenshots/`); nothing is written before the run starts.
    pub fn new(root: impl Into<PathBuf>) -> Self {
        EvidenceWriter {
            root: root.into(),
            dir: None,
            last: None,
            compare: None,
            reference_masks: BTreeMap::new(),
            media: None,
            scale: 1.0,
            crops: BTreeMap::new(),
        }
    }

    /// Compare every passed step's screenshot with its reference image.
    #[must_use]
    pub fn compare_with(mut self, options: CompareOptions) -> Self {
        self.compare = Some(options);
        self
    }

    /// Also make the writers' media (annotated screenshots, the GIF).
    #[must_use]
    pub fn with_media(mut self, options: MediaOptions) -> Self {
        self.media = options.any().then(|| media::Media::new(options));
        self
    }

    /// Finalise a run that was stopped from outside (a signal): the manifest
    /// written last gets `status: "interrupted"` and `finished_at`, keeping
    /// every step recorded so far, and is rewritten.
    ///
    /// Returns the finalised outcome (with its evidence directory), or `None`
    /// when no run had started or the run had already finished.
    pub fn interrupted(&mut self) -> io::Result<Option<RunOutcome>> {
        let Some(mut run) = self.last.take() else {
            return Ok(None);
        };
        if run.status != RunStatus::Running {
            self.last = Some(run);
            return Ok(None);
        }
        run.status = RunStatus::Interrupted;
        run.finished_at = Some(crate::time::rfc3339(std::time::SystemTime::now()));
        run.evidence_dir = self.dir.clone();
        self.write_manifest(&run)?;
        Ok(Some(run))
    }

    /// Keep the runbook patch a finished run proposes: write `fix.diff` as
    /// [`FIX_PATCH`] beside the manifest, record it as the run's `fix` and
    /// rewrite the manifest.
    ///
    /// Fails when the run has not started here or a file cannot be written.
    pub fn record_fix(&mut self, run: &mut RunOutcome, mut fix: FixRecord) -> io::Result<()> {
        let path = self.dir()?.join(FIX_PATCH);
        write_atomic(&path, fix.diff.as_bytes())
            .map_err(|e| io::Error::new(e.kind(), format!("{}: {e}", path.display())))?;
        fix.patch = FIX_PATCH.to_string();
        run.fix = Some(fix);
        self.write_manifest(run)
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

    fn write_manifest(&mut self, run: &RunOutcome) -> io::Result<()> {
        let mut with_media;
        let run = if self.media.is_some() || !self.crops.is_empty() {
            with_media = run.clone();
            if let Some(media) = &mut self.media {
                media.collect();
                media.apply(&mut with_media);
            }
            for step in &mut with_media.steps {
                let crop = step.screenshot.as_ref().and_then(|r| self.crops.get(r));
                if let (Some(c), Some(name)) = (&mut step.crop, crop) {
                    c.file = Some(name.clone());
                }
            }
            &with_media
        } else {
            run
        };
        let json = serde_json::to_vec_pretty(run).map_err(io::Error::other)?;
        let path = self.dir()?.join(MANIFEST);
        write_atomic(&path, &json)
            .map_err(|e| io::Error::new(e.kind(), format!("{}: {e}", path.display())))?;
        self.last = Some(run.clone());
        Ok(())
    }

    /// `NN-<slug of the doc or capture name>[-healed][-FAILED].png`.
    fn file_name(step: &StepRecord) -> String {
        let stem = stem(step);
        let failed = if step.status == StepStatus::Failed {
            "-FAILED"
        } else {
            ""
        };
        // A healed step's second attempt keeps the first one's screenshot.
        let healed = if step.healed.is_some() { "-healed" } else { "" };
        format!("{stem}{healed}{failed}.png")
    }
}

/// `NN-<slug of the doc or capture name>`: a step's file names start so.
fn stem(step: &StepRecord) -> String {
    let base = step.capture.as_deref().unwrap_or(&step.doc);
    let mut slug = slug(base);
    if slug.is_empty() {
        slug = step.action.clone();
    }
    format!("{:02}-{slug}", step.number)
}

/// A step's reference image name, `NN-<slug>.png` (a passed step's screenshot name).
pub fn reference_name(step: &StepRecord) -> String {
    format!("{}.png", stem(step))
}

/// Boxes in CSS pixels as device-pixel rectangles at `scale`.
fn device_rects(boxes: &[BoxPx], scale: f64) -> Vec<Rect> {
    boxes
        .iter()
        .map(|b| Rect::from_css(b.x, b.y, b.width, b.height, scale))
        .collect()
}

/// The reference flow directory of `run` under `reference`.
pub fn reference_dir(reference: &Path, run: &RunOutcome) -> PathBuf {
    reference.join(&run.provider).join(&run.flow)
}

/// `run --update-reference`: copy the screenshots of `run`'s passed steps
/// into `<reference>/<provider>/<flow>/` as `NN-<slug>.png`, with its
/// manifest (for the masks), removing reference images of steps the run no
/// longer has. Returns the files written.
///
/// Fails when the run kept no evidence or a file cannot be copied.
pub fn update_reference(run: &RunOutcome, reference: &Path) -> io::Result<Vec<PathBuf>> {
    let from = run
        .evidence_dir
        .as_deref()
        .ok_or_else(|| io::Error::other("the run kept no evidence to take references from"))?;
    let to = reference_dir(reference, run);
    let at = |p: &Path, e: io::Error| io::Error::new(e.kind(), format!("{}: {e}", p.display()));
    std::fs::create_dir_all(&to).map_err(|e| at(&to, e))?;
    let mut written = Vec::new();
    for step in run.steps.iter().filter(|s| s.status.is_ok()) {
        let Some(shot) = &step.screenshot else {
            continue;
        };
        let source = from.join(shot);
        let bytes = std::fs::read(&source).map_err(|e| at(&source, e))?;
        let target = to.join(reference_name(step));
        write_atomic(&target, &bytes).map_err(|e| at(&target, e))?;
        written.push(target);
    }
    // Images of steps that are gone (renumbered, renamed) would be compared
    // with the wrong step later.
    for entry in std::fs::read_dir(&to).map_err(|e| at(&to, e))? {
        let path = entry.map_err(|e| at(&to, e))?.path();
        let png = path.extension().is_some_and(|e| e == "png");
        if png && !written.contains(&path) {
            std::fs::remove_file(&path).map_err(|e| at(&path, e))?;
        }
    }
    let manifest = to.join(MANIFEST);
    let json = serde_json::to_vec_pretty(run).map_err(io::Error::other)?;
    write_atomic(&manifest, &json).map_err(|e| at(&manifest, e))?;
    written.push(manifest);
    Ok(written)
}

/// The manifest's file name in a flow directory.
pub const MANIFEST: &str = "manifest.json";

/// The runbook patch's file name in a flow directory (see `clickpath fix`).
pub const FIX_PATCH: &str = "fix.patch";

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
        self.scale = run.device_scale_factor;
        self.write_manifest(run)?;
        if let Some(options) = &self.compare {
            self.reference_masks = reference_masks(&reference_dir(&options.reference, run));
        }
        Ok(Some(dir))
    }

    fn compare(&mut self, step: &StepRecord, png: &[u8]) -> io::Result<Option<Visual>> {
        let (Some(options), Some(run)) = (&self.compare, &self.last) else {
            return Ok(None);
        };
        let reference = reference_dir(&options.reference, run).join(reference_name(step));
        let mut visual = Visual {
            reference: reference.clone(),
            found: false,
            changed_percent: 0.0,
            region: None,
            diff: None,
            over: false,
            note: None,
        };
        let at = |e: io::Error| io::Error::new(e.kind(), format!("{}: {e}", reference.display()));
        let wanted = match std::fs::read(&reference) {
            Ok(bytes) => bytes,
            Err(e) if e.kind() == io::ErrorKind::NotFound => {
                visual.over = options.strict;
                visual.note = Some(format!("no reference image {}", reference.display()));
                return Ok(Some(visual));
            }
            Err(e) => return Err(at(e)),
        };
        visual.found = true;
        let started = std::time::Instant::now();
        let decode = |bytes: &[u8]| {
            image::load_from_memory_with_format(bytes, image::ImageFormat::Png)
                .map(image::DynamicImage::into_rgba8)
                .map_err(|e| io::Error::new(io::ErrorKind::InvalidData, e))
        };
        let capture = decode(png)?;
        let wanted = decode(&wanted).map_err(at)?;
        let decoded = started.elapsed();
        let scale = run.device_scale_factor;
        let mut masks = device_rects(&step.masks, scale);
        masks.extend(self.reference_masks.get(&step.number).into_iter().flatten());
        let d = compare::diff(&capture, &wanted, &masks, options.tolerance.channel);
        let pixels = u64::from(capture.width()) * u64::from(capture.height());
        visual.changed_percent = d.percent_of(pixels);
        visual.over = visual.changed_percent > options.tolerance.area_percent;
        if capture.dimensions() != wanted.dimensions() {
            visual.note = Some(format!(
                "the capture is {}x{} pixels, the reference {}x{}",
                capture.width(),
                capture.height(),
                wanted.width(),
                wanted.height()
            ));
        }
        visual.region = d.regions.first().map(|r| BoxPx {
            x: f64::from(r.x) / scale,
            y: f64::from(r.y) / scale,
            width: f64::from(r.width) / scale,
            height: f64::from(r.height) / scale,
        });
        let compared = started.elapsed();
        if d.changed > 0 {
            let name = format!("{}-diff.png", stem(step));
            let path = self.dir()?.join(&name);
            let mut bytes = Vec::new();
            compare::diff_image(&capture, &d)
                .write_to(&mut io::Cursor::new(&mut bytes), image::ImageFormat::Png)
                .map_err(io::Error::other)?;
            write_atomic(&path, &bytes)
                .map_err(|e| io::Error::new(e.kind(), format!("{}: {e}", path.display())))?;
            visual.diff = Some(name);
        }
        tracing::debug!(
            "compare: step {} decoded in {} ms, compared in {} ms, done in {} ms ({:.3}% changed)",
            step.number,
            decoded.as_millis(),
            (compared - decoded).as_millis(),
            started.elapsed().as_millis(),
            visual.changed_percent
        );
        Ok(Some(visual))
    }

    fn screenshot(&mut self, step: &StepRecord, png: &[u8]) -> io::Result<Option<String>> {
        let name = Self::file_name(step);
        let path = self.dir()?.join(&name);
        write_atomic(&path, png)
            .map_err(|e| io::Error::new(e.kind(), format!("{}: {e}", path.display())))?;
        if let Some(c) = &step.crop {
            // The writer's tight image: a failure to cut it is a warning,
            // the raw screenshot is the evidence.
            let cut = media::crop_name(&name);
            let written = media::crop(png, &c.bbox, self.scale)
                .map_err(|e| e.to_string())
                .and_then(|bytes| {
                    let p = self.dir().map_err(|e| e.to_string())?.join(&cut);
                    write_atomic(&p, &bytes).map_err(|e| format!("{}: {e}", p.display()))
                });
            match written {
                Ok(()) => {
                    self.crops.insert(name.clone(), cut);
                }
                Err(e) => eprintln!("warning: could not crop {name}: {e}"),
            }
        }
        if let (Some(media), Some(dir)) = (&mut self.media, &self.dir) {
            media.screenshot(dir, &name, step, self.scale, png);
        }
        Ok(Some(name))
    }

    fn before(&mut self, step: &StepRecord, png: &[u8]) -> io::Result<Option<String>> {
        let raw = Self::file_name(step);
        let name = media::before_name(&raw);
        let path = self.dir()?.join(&name);
        write_atomic(&path, png)
            .map_err(|e| io::Error::new(e.kind(), format!("{}: {e}", path.display())))?;
        if let (Some(media), Some(dir)) = (&mut self.media, &self.dir) {
            media.annotate(dir, &raw, step, self.scale, png);
        }
        Ok(Some(name))
    }

    fn step_recorded(&mut self, run: &RunOutcome) -> io::Result<()> {
        self.write_manifest(run)
    }

    fn run_finished(&mut self, run: &RunOutcome) -> io::Result<()> {
        if let (Some(media), Some(dir)) = (&mut self.media, &self.dir) {
            media.finish(dir, run);
        }
        self.write_manifest(run)
    }
}

/// The masks of a reference manifest per step number, in device pixels;
/// none when there is no (readable) reference manifest.
fn reference_masks(dir: &Path) -> BTreeMap<usize, Vec<Rect>> {
    let Ok(text) = std::fs::read_to_string(dir.join(MANIFEST)) else {
        return BTreeMap::new();
    };
    match serde_json::from_str::<RunOutcome>(&text) {
        Ok(run) => run
            .steps
            .iter()
            .map(|s| (s.number, device_rects(&s.masks, run.device_scale_factor)))
            .collect(),
        Err(e) => {
            tracing::warn!("{}: masks not read: {e}", dir.join(MANIFEST).display());
            BTreeMap::new()
        }
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
    fn an_interrupted_run_keeps_its_steps_and_is_marked_finished() {
        let tmp = tempfile::tempdir().expect("temp dir");
        let mut w = EvidenceWriter::new(tmp.path());
        assert!(w.interrupted().expect("nothing to write").is_none());
        let step = serde_json::json!({
            "id": "step-1", "number": 1, "doc": "Open Xero",
            "source": {"file": "x.yaml", "line": 5, "column": 5},
            "action": "goto", "locator": null, "element": null, "url": null,
            "title": null, "navigated": false, "duration_ms": 10, "round_trips": 1,
            "screenshot": "01-open-xero.png", "capture": null, "status": "passed",
            "failure": null
        });
        let run: RunOutcome = serde_json::from_value(serde_json::json!({
            "schema_version": crate::outcome::SCHEMA_VERSION,
            "clickpath_version": "0.1.0", "run_id": "run-1", "runbook": "x.yaml",
            "name": "X", "provider": "xero", "flow": "invite_user",
            "browser": {"name": "chrome", "version": "1", "driver_version": null, "headed": false},
            "viewport": {"width": 800, "height": 600}, "base_url": "http://127.0.0.1:1/xero",
            "vars": {}, "started_at": "2026-11-24T10:00:00.000Z", "finished_at": null,
            "status": "running", "steps_total": 3, "steps": [step]
        }))
        .expect("a running outcome");
        let steps = run.steps.len();
        let dir = w.run_started(&run).expect("started").expect("a directory");
        w.step_recorded(&run).expect("recorded");
        let done = w.interrupted().expect("written").expect("it was running");
        assert_eq!(done.status, RunStatus::Interrupted);
        assert_eq!(done.evidence_dir.as_deref(), Some(dir.as_path()));
        let text = std::fs::read_to_string(dir.join(MANIFEST)).expect("manifest");
        let back: RunOutcome = serde_json::from_str(&text).expect("parses");
        assert_eq!(back.status, RunStatus::Interrupted);
        assert!(back.finished_at.is_some());
        assert_eq!(back.steps.len(), steps);
        // Finalised once: a second call has nothing to do.
        assert!(w.interrupted().expect("no write").is_none());
    }

    #[test]
    fn slug_keeps_the_words_of_the_doc() {
        assert_eq!(slug("Click **Invite a User**"), "click-invite-a-user");
        assert_eq!(slug("  "), "");
        assert!(slug(&"word ".repeat(40)).len() <= 48);
    }
}
