//! Frames: `within: {frame: ...}` scopes, entered before a locate.
//!
//! A target whose `within:` chain starts with frames is located in three
//! moves: from the top-level document each frame element is found in turn
//! (by its title, `name` attribute or `aria-label`, or by a locator) and
//! entered ([Switch To Frame] by element works same- and cross-origin); the
//! rest of the target is located inside the innermost frame's document; and
//! the runner returns to the top-level document once the step has acted
//! ([`Runner::leave_frames`]). Boxes measured inside a frame are moved to
//! page coordinates (plus each frame's content-box offset), so the outlines
//! and annotations of the top-level screenshot point at the element.
//!
//! A frame that is not there yet, or whose document has not loaded yet, is
//! retried until the step deadline like any locate; one that never comes
//! fails listing the frames the page has. A target the runbook did not scope
//! to a frame but that is inside one is diagnosed `in_frame`, never
//! `wrong_page` ([`Runner::look_in_frames`]).
//!
//! [Switch To Frame]: https://www.w3.org/TR/webdriver2/#switch-to-frame

use std::future::Future;
use std::pin::Pin;
use std::sync::atomic::Ordering;
use std::time::Duration;

use serde::Deserialize;
use serde_json::{json, Value as Json};
use tokio::time::Instant;

use super::failure::{self, Fail};
use super::runner::Runner;
use super::wait;
use crate::browser::{CommandError, ElementRef, ErrorKind};
use crate::locate::{
    self, AttemptStatus, BoxPx, Candidate, Diagnosis, DriftClass, LocateError, Located, Miss,
    Purpose, ResolvedFrame, ResolvedScope, ResolvedTarget, Seen,
};
use crate::outcome::FailureKind;

/// How long one locate inside the frames runs before they are entered
/// again: a frame that reloaded or was replaced is a new document.
const SLICE: Duration = Duration::from_secs(1);

/// Deepest frame nesting searched for a target the runbook did not scope.
const MAX_DEPTH: usize = 3;

/// Most frames searched for a target the runbook did not scope.
const MAX_FRAMES: usize = 12;

/// The frames of the current document (open shadow roots included), and the
/// one `arguments[0]` names (title, name or aria-label, normalised, any
/// case) or `arguments[1]` is. The chosen frame is scrolled into view so
/// the top-level screenshot shows it. Boxes are content boxes.
const FRAMES_JS: &str = r#"const [want, el] = arguments;
const norm = (s) => (s || "").normalize("NFKC").replace(/[\u2018\u2019\u201a\u201b\u2032]/g, "'")
  .replace(/[\u201c\u201d\u201e\u201f\u2033]/g, '"').replace(/[\s\u00a0]+/g, " ").trim().toLowerCase();
const all = [];
const walk = (root) => {
  for (const e of root.querySelectorAll("*")) {
    if (e.localName === "iframe" || e.localName === "frame") all.push(e);
    if (e.shadowRoot) walk(e.shadowRoot);
  }
};
walk(document);
const info = (f) => {
  const r = f.getBoundingClientRect();
  const cs = getComputedStyle(f);
  return {
    element: f, tag: f.localName, title: f.getAttribute("title") || "",
    name: f.getAttribute("name") || "", label: f.getAttribute("aria-label") || "",
    src: f.getAttribute("src") || "",
    visible: r.width > 0 && r.height > 0 && cs.visibility !== "hidden" && cs.display !== "none",
    x: r.left + f.clientLeft + (parseFloat(cs.paddingLeft) || 0),
    y: r.top + f.clientTop + (parseFloat(cs.paddingTop) || 0),
    width: f.clientWidth, height: f.clientHeight,
  };
};
let hits = [];
if (el) hits = [el];
else if (want != null) {
  const w = norm(want);
  hits = all.filter((f) => [f.getAttribute("title"), f.getAttribute("name"),
    f.getAttribute("aria-label")].some((n) => norm(n) === w));
}
let hit = null;
if (hits.length === 1) {
  const f = hits[0];
  const r = f.getBoundingClientRect();
  if (r.top < 0 || r.left < 0 || r.bottom > innerHeight || r.right > innerWidth) {
    f.scrollIntoView({ block: "nearest", inline: "nearest", behavior: "instant" });
  }
  hit = info(f);
}
return { frames: all.map(info), hit, count: hits.length };"#;

/// One frame element as [`FRAMES_JS`] describes it.
#[derive(Debug, Clone, Deserialize)]
struct FrameInfo {
    element: Json,
    tag: String,
    title: String,
    name: String,
    label: String,
    src: String,
    visible: bool,
    /// Content box, in the viewport of the document that holds the frame.
    x: f64,
    y: f64,
    width: f64,
    height: f64,
}

impl FrameInfo {
    /// What a runbook would call it: title, else name, else aria-label.
    fn word(&self) -> Option<&str> {
        [&self.title, &self.name, &self.label]
            .into_iter()
            .map(|s| s.trim())
            .find(|s| !s.is_empty())
    }

    /// `frame "Payment"`, or `iframe src "/pay"` for one without a name.
    fn named(&self) -> String {
        match self.word() {
            Some(w) => format!("frame {w:?}"),
            None => format!("{} src {:?}", self.tag, self.src),
        }
    }

    /// `iframe title "Payment" name "pay" src "/pay"`.
    fn describe(&self) -> String {
        let mut s = self.tag.clone();
        for (k, v) in [
            ("title", &self.title),
            ("name", &self.name),
            ("aria-label", &self.label),
            ("src", &self.src),
        ] {
            if !v.trim().is_empty() {
                s.push_str(&format!(" {k} {:?}", v.trim()));
            }
        }
        if !self.visible {
            s.push_str(" (hidden)");
        }
        s
    }

    /// The frame as a `within: {frame: ...}` value.
    fn scope_value(&self) -> String {
        match self.word() {
            Some(w) => yaml_word(w),
            None if !self.src.is_empty() => format!(
                "{{css: {}}}",
                yaml_word(&format!("{}[src=\"{}\"]", self.tag, self.src))
            ),
            None => format!("{{css: {}}}", self.tag),
        }
    }

    /// The frame as a candidate, for outlines; `(dx, dy)` moves it to the page.
    fn candidate(&self, dx: f64, dy: f64) -> Candidate {
        Candidate {
            tag: self.tag.clone(),
            role: String::new(),
            name: self.word().unwrap_or(&self.src).to_string(),
            bbox: BoxPx {
                x: self.x + dx,
                y: self.y + dy,
                width: self.width,
                height: self.height,
            },
            visible: self.visible,
            hidden_why: None,
            region: None,
            checked: None,
            matched: None,
            ..Default::default()
        }
    }
}

/// What [`FRAMES_JS`] answers.
#[derive(Debug, Deserialize)]
struct Frames {
    frames: Vec<FrameInfo>,
    hit: Option<FrameInfo>,
    count: usize,
}

/// Where an unscoped target was found: the frames down to it (as a message
/// names them, as a scope value) and the match, its box in the page.
type FrameHit = (Vec<(String, String)>, Candidate);

/// A frame of the chain that could not be entered.
#[derive(Debug)]
struct FrameMiss {
    /// 0-based position in the chain.
    depth: usize,
    /// The frames the document that should hold it has.
    frames: Vec<FrameInfo>,
    /// Why it is not that frame (several match, the locator found no frame).
    why: Option<String>,
    /// Offset of that document in the page.
    offset: (f64, f64),
}

/// Split a target into the frames its `within:` chain enters first and the
/// rest, to locate inside the innermost frame; `None` without frames.
pub(crate) fn split_frames(
    target: &ResolvedTarget,
) -> Option<(Vec<ResolvedFrame>, ResolvedTarget)> {
    let mut frames = Vec::new();
    let mut inner = target.clone();
    while let Some(ResolvedScope::Frame { frame, inner: rest }) = inner.within.as_deref() {
        frames.push(frame.clone());
        inner.within = rest.clone();
    }
    (!frames.is_empty()).then_some((frames, inner))
}

/// The frame went away or is being replaced: enter it again.
fn frame_gone(e: &CommandError) -> bool {
    matches!(e.kind(), ErrorKind::NoSuchFrame | ErrorKind::NoSuchElement) || e.is_transient()
}

/// A word as a YAML flow scalar: plain when it can be, else double-quoted.
fn yaml_word(w: &str) -> String {
    let plain = w
        .chars()
        .all(|c| c.is_alphanumeric() || matches!(c, ' ' | '-' | '_' | '.' | '/'))
        && !w.starts_with(['-', ' '])
        && !w.ends_with(' ');
    if plain {
        w.to_string()
    } else {
        format!("{w:?}")
    }
}

impl Runner<'_> {
    /// Locate `target`, entering the frames its `within:` names first; the
    /// browser stays in the innermost frame so the action can follow.
    pub(super) async fn locate_framed(
        &self,
        target: &ResolvedTarget,
        purpose: Purpose,
        deadline: Instant,
        timeout: Duration,
    ) -> Result<Located, Fail> {
        let expect = purpose == Purpose::Present;
        let Some((frames, inner)) = split_frames(target) else {
            return locate::locate(self.browser, target, purpose, deadline)
                .await
                .map_err(|e| failure::locate_fail(target, e, expect, timeout));
        };
        self.in_frame.store(true, Ordering::Relaxed);
        self.entered_frames.store(true, Ordering::Relaxed);
        let mut tick = tokio::time::interval(wait::POLL);
        tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            tick.tick().await;
            let late = Instant::now() >= deadline;
            let (dx, dy) = match self.enter_frames(&frames).await {
                Ok(Ok(offset)) => offset,
                Ok(Err(miss)) if late => return Err(self.frame_missing(target, &frames, miss)),
                Err(e) if !late && frame_gone(&e) => continue,
                Err(e) => return Err(Fail::command(&e)),
                Ok(Err(_)) => continue,
            };
            let slice = deadline.min(Instant::now() + SLICE);
            match locate::locate(self.browser, &inner, purpose, slice).await {
                Ok(mut l) => {
                    l.info.bbox.x += dx;
                    l.info.bbox.y += dy;
                    return Ok(l);
                }
                Err(LocateError::Browser(e)) if frame_gone(&e) && Instant::now() < deadline => {}
                Err(mut e)
                    if Instant::now() >= deadline
                        || matches!(e, LocateError::Ambiguous { .. } | LocateError::Browser(_)) =>
                {
                    translate(&mut e, dx, dy);
                    self.as_the_page_saw_it(&mut e, &frames, &inner).await;
                    return Err(failure::locate_fail(target, e, expect, timeout));
                }
                Err(_) => {}
            }
        }
    }

    /// Back to the top-level document after a step that entered frames.
    /// Under a dialog the frame cannot be left yet: the runner calls this
    /// again once the dialog is answered (here or by the next step).
    pub(super) async fn leave_frames(&self) {
        if self.in_frame.swap(false, Ordering::Relaxed)
            && self.browser.enter_frame(None).await.is_err()
        {
            self.in_frame.store(true, Ordering::Relaxed);
        }
    }

    /// One pass down the frame chain from the top-level document; the
    /// offset of the innermost frame's viewport in the page, or the frame
    /// that is (not yet) there.
    async fn enter_frames(
        &self,
        frames: &[ResolvedFrame],
    ) -> Result<Result<(f64, f64), FrameMiss>, CommandError> {
        self.browser.enter_frame(None).await?;
        let (mut dx, mut dy) = (0.0, 0.0);
        for (depth, f) in frames.iter().enumerate() {
            let (found, why) = match f {
                ResolvedFrame::Name(n) => (self.frames_here(Some(n), None).await?, None),
                ResolvedFrame::Element(t) => {
                    match locate::attempt(self.browser, t, Some(Purpose::Present)).await {
                        Ok(a) if a.status == AttemptStatus::Found => match (a.element, a.found) {
                            (Some(el), Some(c)) if c.tag == "iframe" || c.tag == "frame" => {
                                (self.frames_here(None, Some(&el)).await?, None)
                            }
                            (_, c) => (
                                self.frames_here(None, None).await?,
                                Some(format!(
                                    "{t} finds {}, not a frame",
                                    c.map_or_else(|| "no element".to_string(), |c| c.role_name())
                                )),
                            ),
                        },
                        Ok(a) => (
                            self.frames_here(None, None).await?,
                            Some(if a.status == AttemptStatus::Ambiguous {
                                format!("{t} matches {} elements", a.seen.match_count)
                            } else {
                                format!("{t} finds nothing")
                            }),
                        ),
                        Err(LocateError::Browser(e)) => return Err(e),
                        Err(e) => (self.frames_here(None, None).await?, Some(e.to_string())),
                    }
                }
            };
            let hit = found.hit.filter(|_| found.count == 1 && why.is_none());
            let Some(el) = hit.as_ref().and_then(|h| ElementRef::from_json(&h.element)) else {
                let why = why
                    .or_else(|| (found.count > 1).then(|| format!("{} frames match", found.count)));
                return Ok(Err(FrameMiss {
                    depth,
                    frames: found.frames,
                    why,
                    offset: (dx, dy),
                }));
            };
            self.browser.enter_frame(Some(&el)).await?;
            if let Some(h) = hit {
                dx += h.x;
                dy += h.y;
            }
        }
        Ok(Ok((dx, dy)))
    }

    /// [`FRAMES_JS`] in the current document.
    async fn frames_here(
        &self,
        want: Option<&str>,
        el: Option<&ElementRef>,
    ) -> Result<Frames, CommandError> {
        let v = self
            .browser
            .execute(
                FRAMES_JS,
                vec![json!(want), el.map_or(Json::Null, ElementRef::to_json)],
            )
            .await?;
        serde_json::from_value(v).map_err(|e| {
            CommandError::new(
                ErrorKind::Protocol,
                "execute",
                format!("unexpected frame list: {e}"),
            )
        })
    }

    /// A frame of the chain never came: say which, and list the frames the
    /// document that should hold it has (outlined on the screenshot).
    fn frame_missing(
        &self,
        target: &ResolvedTarget,
        chain: &[ResolvedFrame],
        miss: FrameMiss,
    ) -> Fail {
        let wanted = chain
            .get(miss.depth)
            .map_or_else(String::new, ToString::to_string);
        let inside = match miss.depth {
            0 => String::new(),
            d => format!(
                " inside {}",
                chain[..d]
                    .iter()
                    .map(ToString::to_string)
                    .collect::<Vec<_>>()
                    .join(" > ")
            ),
        };
        let why = miss.why.map(|w| format!(": {w}")).unwrap_or_default();
        let listed: Vec<String> = miss.frames.iter().map(FrameInfo::describe).collect();
        let has = match listed.len() {
            0 => "it has no frames".to_string(),
            1 => format!("it has one frame: {}", listed[0]),
            n => format!("it has {n} frames: {}", listed.join(", ")),
        };
        let summary = format!("no {wanted}{inside} on the page{why}; {has}");
        let mut f = Fail::new(
            FailureKind::NotFound,
            format!("no {wanted}{inside}{why} (looking for {target})"),
        );
        let (dx, dy) = miss.offset;
        f.offers = miss.frames.iter().map(|fr| fr.candidate(dx, dy)).collect();
        f.diagnosis = Some(Box::new(Diagnosis {
            class: DriftClass::Gone,
            summary,
            suggestion: None,
            reveal: None,
            fix: Vec::new(),
        }));
        f
    }

    /// A locate inside frames failed: the page (URL, title, heading) it
    /// happened on is the top-level one, and without an inner scope the
    /// region searched is the frame.
    async fn as_the_page_saw_it(
        &self,
        e: &mut LocateError,
        chain: &[ResolvedFrame],
        inner: &ResolvedTarget,
    ) {
        let top = match self.browser.enter_frame(None).await {
            Ok(()) => wait::page_state(self.browser).await.ok(),
            Err(_) => None,
        };
        self.in_frame.store(false, Ordering::Relaxed);
        if let Some(seen) = e.seen_mut() {
            if let Some(top) = top {
                seen.url = top.url;
                seen.title = top.title;
                seen.heading = top.heading;
                seen.doc = top.doc;
            }
            if inner.within.is_none() {
                let path: Vec<String> = chain.iter().map(ToString::to_string).collect();
                seen.scope = Some(path.join(" > "));
            }
        }
    }

    /// A target the runbook did not scope to a frame was not found: look for
    /// it in the page's frames (nested ones too, same- or cross-origin) and,
    /// when it is in one, say so instead of guessing a drift.
    pub(super) async fn look_in_frames(&self, fail: &mut Fail) {
        let Some(target) = fail.miss.as_deref().and_then(|(t, m)| {
            matches!(m, Miss::NotFound | Miss::ScopeNotFound).then_some(t.clone())
        }) else {
            return;
        };
        if split_frames(&target).is_some() || self.browser.enter_frame(None).await.is_err() {
            return;
        }
        let mut budget = MAX_FRAMES;
        let mut path = Vec::new();
        let hit = self
            .search_frames(&target, (0.0, 0.0), &mut path, &mut budget)
            .await;
        let _ = self.browser.enter_frame(None).await;
        let Some((path, found)) = hit else {
            return;
        };
        let names: Vec<&str> = path.iter().map(|(name, _)| name.as_str()).collect();
        let mut scope = String::new();
        for (i, (_, f)) in path.iter().enumerate() {
            scope.push_str(if i == 0 {
                "within: {frame: "
            } else {
                ", within: {frame: "
            });
            scope.push_str(f);
        }
        scope.push_str(&"}".repeat(path.len()));
        fail.miss = None;
        fail.seen = None;
        fail.offers = vec![found.clone()];
        fail.diagnosis = Some(Box::new(Diagnosis {
            class: DriftClass::InFrame,
            summary: format!(
                "{} is inside {}; add `{scope}`",
                found.role_name(),
                names.join(" > ")
            ),
            suggestion: Some(found),
            reveal: None,
            fix: Vec::new(),
        }));
    }

    /// Depth-first through the frames of the current document: the frames
    /// down to the first match (as a message names them, as a scope value),
    /// and the match (its box in the page).
    fn search_frames<'s>(
        &'s self,
        target: &'s ResolvedTarget,
        offset: (f64, f64),
        path: &'s mut Vec<(String, String)>,
        budget: &'s mut usize,
    ) -> Pin<Box<dyn Future<Output = Option<FrameHit>> + Send + 's>> {
        Box::pin(async move {
            let here = self.frames_here(None, None).await.ok()?;
            for f in here.frames.iter().filter(|f| f.visible) {
                if *budget == 0 {
                    return None;
                }
                *budget -= 1;
                let Some(el) = ElementRef::from_json(&f.element) else {
                    continue;
                };
                if self.browser.enter_frame(Some(&el)).await.is_err() {
                    continue;
                }
                let o = (offset.0 + f.x, offset.1 + f.y);
                path.push((f.named(), f.scope_value()));
                if let Ok(a) = locate::attempt(self.browser, target, None).await {
                    if let Some(c) = a.seen.matches.first() {
                        let mut c = c.clone();
                        c.bbox.x += o.0;
                        c.bbox.y += o.1;
                        return Some((path.clone(), c));
                    }
                }
                if path.len() < MAX_DEPTH {
                    if let Some(hit) = self.search_frames(target, o, path, budget).await {
                        return Some(hit);
                    }
                }
                path.pop();
                if self.browser.enter_parent_frame().await.is_err() {
                    return None;
                }
            }
            None
        })
    }
}

impl Runner<'_> {
    /// One resolver count of `target` (for `expect: {absent: ...}`), inside
    /// its frames; a frame that is not there holds no match. With a
    /// `deadline`, the page waits (until it at most) for the matches to go.
    pub(super) async fn attempt_framed(
        &self,
        target: &ResolvedTarget,
        deadline: Option<Instant>,
    ) -> Result<locate::Attempt, LocateError> {
        let absent = locate::Until::Absent;
        let Some((frames, inner)) = split_frames(target) else {
            return locate::attempt_until(self.browser, target, None, absent, deadline).await;
        };
        self.in_frame.store(true, Ordering::Relaxed);
        self.entered_frames.store(true, Ordering::Relaxed);
        match self.enter_frames(&frames).await {
            Ok(Ok((dx, dy))) => {
                // A frame is a document of its own that may be replaced:
                // wait in it no longer than a frame slice.
                let slice = deadline.map(|d| d.min(Instant::now() + SLICE));
                let mut a =
                    locate::attempt_until(self.browser, &inner, None, absent, slice).await?;
                translate_seen(&mut a.seen, dx, dy);
                Ok(a)
            }
            Ok(Err(_)) => Ok(locate::Attempt {
                status: AttemptStatus::NotFound,
                element: None,
                found: None,
                seen: locate::Seen::default(),
                reason: None,
                prepared: None,
            }),
            Err(e) if frame_gone(&e) => Err(LocateError::Browser(CommandError::new(
                ErrorKind::NoSuchElement,
                "enter_frame",
                e.to_string(),
            ))),
            Err(e) => Err(LocateError::Browser(e)),
        }
    }
}

/// Move every box a failed locate reports by `(dx, dy)`: from a frame's
/// viewport to the page's.
fn translate(e: &mut LocateError, dx: f64, dy: f64) {
    if let LocateError::Ambiguous { candidates, .. } = e {
        shift(candidates.iter_mut(), dx, dy);
    }
    if let Some(seen) = e.seen_mut() {
        translate_seen(seen, dx, dy);
    }
}

/// Move every box of `seen` by `(dx, dy)`.
fn translate_seen(seen: &mut Seen, dx: f64, dy: f64) {
    shift(seen.matches.iter_mut(), dx, dy);
    shift(seen.hidden.iter_mut(), dx, dy);
    shift(seen.offers.iter_mut(), dx, dy);
    for r in &mut seen.related {
        shift(
            std::iter::once(&mut r.candidate).chain(r.reveal.as_mut()),
            dx,
            dy,
        );
    }
}

fn shift<'c>(cs: impl Iterator<Item = &'c mut Candidate>, dx: f64, dy: f64) {
    for c in cs {
        c.bbox.x += dx;
        c.bbox.y += dy;
    }
}
