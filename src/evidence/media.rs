//! The writers' media of a run, made off the browser's critical path:
//! annotated screenshots drawn on background threads while the next step
//! runs, and the GIF made once the run has ended.
//!
//! A job that fails is a warning and nothing more: the raw evidence is
//! what counts, and the manifest simply has no `annotated` for that step.

use std::collections::BTreeMap;
use std::io::Cursor;
use std::path::{Path, PathBuf};
use std::sync::mpsc::{channel, Receiver, Sender};

use super::annotate::{annotate, Annotation, Style};
use super::gif::{self, GifOptions};
use crate::locate::BoxPx;
use crate::outcome::{RunOutcome, StepRecord, StepStatus};
use image::ImageFormat;

/// Which media a run makes besides its raw evidence.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MediaOptions {
    /// Annotated screenshots in this style (`run --annotate`).
    pub annotate: Option<Style>,
    /// The run's GIF (`run --gif`).
    pub gif: Option<GifOptions>,
}

impl MediaOptions {
    /// Whether any media is asked for.
    pub fn any(&self) -> bool {
        self.annotate.is_some() || self.gif.is_some()
    }
}

/// An annotation job's answer: the raw screenshot's name and the annotated
/// image's, or why there is none.
type Done = (String, Result<String, String>);

/// The media jobs of one run.
#[derive(Debug)]
pub(super) struct Media {
    options: MediaOptions,
    tx: Sender<Done>,
    rx: Receiver<Done>,
    pending: usize,
    /// Raw screenshot name → annotated image name, for finished jobs.
    annotated: BTreeMap<String, String>,
    /// The GIF's file name, once written.
    gif: Option<String>,
}

impl Media {
    pub(super) fn new(options: MediaOptions) -> Self {
        let (tx, rx) = channel();
        Media {
            options,
            tx,
            rx,
            pending: 0,
            annotated: BTreeMap::new(),
            gif: None,
        }
    }

    /// Start annotating a step's screenshot (written as `raw` in `dir`) on
    /// a thread of its own, when the step passed and acted on an element.
    pub(super) fn screenshot(
        &mut self,
        dir: &Path,
        raw: &str,
        step: &StepRecord,
        scale: f64,
        png: &[u8],
    ) {
        // After a step that loaded a new document the box belongs to a
        // page that is gone: nothing on the screenshot to point at (the
        // capture from before the click is annotated instead, see
        // [`Media::annotate`]).
        if step.navigated {
            return;
        }
        self.annotate(dir, raw, step, scale, png);
    }

    /// Start annotating `png` as the step's annotated image (named after
    /// its raw screenshot `raw`) when the step passed and has an element:
    /// its screenshot, or the capture taken just before a click that loaded
    /// another page, where the element is.
    pub(super) fn annotate(
        &mut self,
        dir: &Path,
        raw: &str,
        step: &StepRecord,
        scale: f64,
        png: &[u8],
    ) {
        let Some(style) = self.options.annotate else {
            return;
        };
        let Some(element) = step.element.as_ref() else {
            return;
        };
        if step.status != StepStatus::Passed {
            return;
        }
        let name = annotated_name(raw);
        let job = Annotation {
            number: step.number,
            element: element.bbox,
            note: step.note.clone(),
            scale,
        };
        let (png, path, tx, raw) = (
            png.to_vec(),
            dir.join(&name),
            self.tx.clone(),
            raw.to_string(),
        );
        self.pending += 1;
        let spawned = std::thread::Builder::new()
            .name(format!("annotate-{}", step.number))
            .spawn(move || {
                let done = annotate(&png, &job, &style)
                    .map_err(|e| e.to_string())
                    .and_then(|bytes| {
                        super::write_atomic(&path, &bytes)
                            .map_err(|e| format!("{}: {e}", path.display()))
                    })
                    .map(|()| name);
                let _ = tx.send((raw, done));
            });
        if let Err(e) = spawned {
            self.pending -= 1;
            tracing::warn!("annotation of step {}: no thread: {e}", step.number);
        }
    }

    /// Collect the jobs finished so far without waiting.
    pub(super) fn collect(&mut self) {
        while let Ok(done) = self.rx.try_recv() {
            self.take(done);
        }
    }

    /// Wait for every annotation job.
    pub(super) fn wait(&mut self) {
        while self.pending > 0 {
            match self.rx.recv() {
                Ok(done) => self.take(done),
                Err(_) => break,
            }
        }
    }

    fn take(&mut self, (raw, done): Done) {
        self.pending = self.pending.saturating_sub(1);
        match done {
            Ok(name) => {
                self.annotated.insert(raw, name);
            }
            Err(e) => eprintln!("warning: could not annotate {raw}: {e}"),
        }
    }

    /// Make the run's GIF from its screenshots in `dir` (annotated where
    /// there is one), once; a failure is a warning.
    pub(super) fn finish(&mut self, dir: &Path, run: &RunOutcome) {
        self.wait();
        let Some(options) = self.options.gif else {
            return;
        };
        let frames: Vec<PathBuf> = run
            .steps
            .iter()
            .filter_map(|s| s.screenshot.as_deref())
            .map(|raw| dir.join(self.annotated.get(raw).map_or(raw, String::as_str)))
            .collect();
        if frames.is_empty() {
            return;
        }
        let name = format!("{}.gif", run.flow);
        let made = frames
            .iter()
            .map(|p| {
                image::open(p)
                    .map(|i| i.to_rgba8())
                    .map_err(|e| format!("{}: {e}", p.display()))
            })
            .collect::<Result<Vec<_>, _>>()
            .and_then(|imgs| gif::encode(imgs, &options).map_err(|e| e.to_string()))
            .and_then(|bytes| {
                let path = dir.join(&name);
                super::write_atomic(&path, &bytes).map_err(|e| format!("{}: {e}", path.display()))
            });
        match made {
            Ok(()) => self.gif = Some(name),
            Err(e) => eprintln!("warning: could not make the GIF: {e}"),
        }
    }

    /// Put what is done into the outcome about to be written.
    pub(super) fn apply(&self, run: &mut RunOutcome) {
        for step in &mut run.steps {
            if let Some(name) = step.screenshot.as_ref().and_then(|r| self.annotated.get(r)) {
                step.annotated = Some(name.clone());
            }
        }
        if self.gif.is_some() {
            run.gif.clone_from(&self.gif);
        }
    }
}

/// `NN-<slug>.png` → `NN-<slug>-before.png`.
pub fn before_name(raw: &str) -> String {
    sibling(raw, "before")
}

/// `NN-<slug>.png` → `NN-<slug>-crop.png`.
pub fn crop_name(raw: &str) -> String {
    sibling(raw, "crop")
}

/// The part of the PNG `raw` inside `bbox` (CSS pixels, scaled by `scale`
/// device pixels each, rounded outward and cut to the image), as PNG bytes.
pub(super) fn crop(raw: &[u8], bbox: &BoxPx, scale: f64) -> Result<Vec<u8>, image::ImageError> {
    let img = image::load_from_memory_with_format(raw, ImageFormat::Png)?;
    let s = scale.max(0.1);
    let (w, h) = (f64::from(img.width()), f64::from(img.height()));
    let x0 = (bbox.x * s).floor().clamp(0.0, w);
    let y0 = (bbox.y * s).floor().clamp(0.0, h);
    let x1 = ((bbox.x + bbox.width) * s).ceil().clamp(x0, w);
    let y1 = ((bbox.y + bbox.height) * s).ceil().clamp(y0, h);
    // Whole pixels inside the image: the casts cannot truncate.
    #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
    let part = img.crop_imm(x0 as u32, y0 as u32, (x1 - x0) as u32, (y1 - y0) as u32);
    let mut out = Cursor::new(Vec::new());
    part.write_to(&mut out, ImageFormat::Png)?;
    Ok(out.into_inner())
}

/// `NN-<slug>.png` → `NN-<slug>-annotated.png`.
pub fn annotated_name(raw: &str) -> String {
    sibling(raw, "annotated")
}

/// `NN-<slug>.png` → `NN-<slug>-<what>.png`: a file made from a screenshot.
fn sibling(raw: &str, what: &str) -> String {
    let stem = raw.strip_suffix(".png").unwrap_or(raw);
    format!("{stem}-{what}.png")
}
