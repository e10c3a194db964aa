//! What a step's screenshot shows, made the same run after run: the page
//! stilled before each capture (finite animations and transitions played
//! to their end, endless ones cancelled, the text caret and scrollbars
//! hidden: Playwright's `animations: "disabled"` and `caret: "hide"`; at
//! once, with no frame waited for: the page state read before it waited
//! one, and this runs on every step), the
//! runbook's and the step's `mask:` elements painted over (and the field a
//! `totp` step typed its one-time code into, from then on), and the element
//! of `screenshot: {of: …}` scrolled into view for its crop.
//!
//! The browser's PNG is the evidence: masks are drawn in the page (boxes
//! that take no clicks, `pointer-events: none`), never painted over the
//! image afterwards, so the raw screenshot needs no decoding.

use std::sync::{Mutex, MutexGuard, PoisonError};
use std::time::Duration;

use serde_json::{json, Value as Json};
use tokio::time::Instant;

use super::actions::Done;
use super::failure::Fail;
use super::runner::Runner;
use crate::locate::{self, BoxPx, Purpose};
use crate::outcome::{Crop, StepRecord};
use crate::runbook::{Step, Target};

/// The colour of a mask: a neutral grey that reads as "left out" in a
/// help-center image.
pub const MASK_COLOR: &str = "#c9ced6";

/// Stills the page for its capture and draws the masks (`arguments[0]`:
/// boxes in CSS pixels, viewport coordinates; earlier masks are removed).
const STILL_JS: &str = r#"const d = document, boxes = arguments[0] || [], color = arguments[1];
const done = arguments[arguments.length - 1];
const still = () => {
  if (!d.getElementById('__clickpath_still')) {
    const s = d.createElement('style'); s.id = '__clickpath_still';
    s.textContent = '*, *::before, *::after { caret-color: transparent !important; scrollbar-width: none !important; }' +
      ' ::-webkit-scrollbar { display: none !important; }';
    (d.head || d.documentElement).appendChild(s);
  }
  // The document's animations, and those of open shadow roots (web
  // components animate inside them: Shoelace's focus rings, chevrons).
  const anims = d.getAnimations ? d.getAnimations() : [];
  const seen = new Set(anims);
  const roots = [d];
  while (roots.length) {
    for (const e of roots.pop().querySelectorAll('*')) {
      const sr = e.shadowRoot;
      if (!sr) continue;
      roots.push(sr);
      if (sr.getAnimations) for (const a of sr.getAnimations()) if (!seen.has(a)) { seen.add(a); anims.push(a); }
    }
  }
  let finished = 0;
  for (const a of anims) {
    try {
      const t = a.effect && a.effect.getComputedTiming();
      if (t && Number.isFinite(t.endTime)) { a.finish(); } else { a.cancel(); }
      finished++;
    } catch (e) { try { a.cancel(); } catch (e2) {} }
  }
  d.querySelectorAll('.__clickpath_mask').forEach(e => e.remove());
  for (const b of boxes) {
    const m = d.createElement('div'); m.className = '__clickpath_mask';
    m.style.cssText = 'position:fixed;pointer-events:none;z-index:2147483647;margin:0;border:0;' +
      'background:' + color + ';left:' + b.x + 'px;top:' + b.y + 'px;width:' + b.width + 'px;height:' + b.height + 'px';
    d.documentElement.appendChild(m);
  }
  return finished;
};
done(still());"#;

/// Scrolls an element into view (as little as needed) and returns its box.
const INTO_VIEW_JS: &str = r#"const e = arguments[0];
e.scrollIntoView({block: 'nearest', inline: 'nearest'});
const r = e.getBoundingClientRect();
return {x: r.x, y: r.y, width: r.width, height: r.height};"#;

impl Runner<'_> {
    /// Make the page ready for the step's screenshot: stilled, and the
    /// runbook's and the step's masks drawn; the masked boxes go into the
    /// record (a visual comparison ignores them). A mask that is not on
    /// the page masks nothing; nothing here fails the step.
    pub(super) async fn still_for_capture(&self, step: &Step, rec: &mut StepRecord) {
        for b in self.still(&step.mask).await {
            if !rec.masks.contains(&b) {
                rec.masks.push(b);
            }
        }
    }

    /// Still the page and draw the runbook's masks, `step_masks` and the
    /// code fields; the boxes masked.
    async fn still(&self, step_masks: &[Target]) -> Vec<BoxPx> {
        if let Err(e) = self
            .browser
            .execute_async(STILL_JS, vec![json!([]), json!(MASK_COLOR)])
            .await
        {
            tracing::debug!("capture: page not stilled: {}", e.kind());
            return Vec::new();
        }
        let codes = lock(&self.code_fields).clone();
        let masks: Vec<&Target> = self
            .runbook
            .mask
            .iter()
            .chain(step_masks)
            .chain(&codes)
            .collect();
        if masks.is_empty() {
            return Vec::new();
        }
        let mut boxes: Vec<BoxPx> = Vec::new();
        for m in masks {
            let t = self.resolve(m);
            match locate::attempt(self.browser, &t, None).await {
                Ok(a) => boxes.extend(
                    a.seen
                        .matches
                        .iter()
                        .map(|c| c.bbox)
                        .filter(|b| b.width > 0.0 && b.height > 0.0),
                ),
                Err(e) => tracing::debug!("capture: mask {t} not looked up: {e}"),
            }
        }
        if boxes.is_empty() {
            return Vec::new();
        }
        let json_boxes: Vec<Json> = boxes
            .iter()
            .map(|b| json!({"x": b.x, "y": b.y, "width": b.width, "height": b.height}))
            .collect();
        match self
            .browser
            .execute_async(STILL_JS, vec![Json::Array(json_boxes), json!(MASK_COLOR)])
            .await
        {
            Ok(_) => boxes,
            Err(e) => {
                tracing::warn!("masks not drawn: {}", e.kind());
                Vec::new()
            }
        }
    }

    /// A step begins: its masks are the ones a capture before its click
    /// uses, and no capture from an earlier step is left.
    pub(super) fn begin_capture(&self, step: &Step) {
        lock(&self.step_masks).clone_from(&step.mask);
        lock(&self.before_shot).take();
    }

    /// Just before a click (`RunConfig::before_clicks`): still the page and
    /// keep its capture, for when the click loads another page. A capture
    /// that fails is no capture; the click goes on.
    pub(super) async fn capture_before_click(&self) {
        if !self.config.before_clicks || self.framed() {
            return;
        }
        let masks = lock(&self.step_masks).clone();
        self.still(&masks).await;
        let shot = self.browser.screenshot().await.ok();
        *lock(&self.before_shot) = shot;
    }

    /// The capture taken before the current step's click, if any.
    pub(super) fn take_before(&self) -> Option<Vec<u8>> {
        lock(&self.before_shot).take()
    }

    /// Mask the field a `totp` step typed into in this and every later capture.
    pub(super) fn remember_code_field(&self, target: &Target) {
        let mut codes = lock(&self.code_fields);
        if !codes.contains(target) {
            codes.push(target.clone());
        }
    }

    /// The page changed: the code fields of the one before are gone.
    pub(super) fn forget_code_fields(&self) {
        lock(&self.code_fields).clear();
    }

    /// `screenshot: {of: …}`: find the element, bring it into view and
    /// answer its box (the crop is cut from the step's screenshot).
    pub(super) async fn capture_of(
        &self,
        target: &Target,
        deadline: Instant,
        timeout: Duration,
    ) -> Result<Done, Fail> {
        let t = self.resolve(target);
        let l = self
            .locate_framed(&t, Purpose::Present, deadline, timeout)
            .await?;
        let mut info = l.info;
        if !self.framed() {
            let v = self
                .browser
                .execute(INTO_VIEW_JS, vec![l.element.to_json()])
                .await
                .map_err(|e| Fail::command(&e))?;
            if let Ok(b) = serde_json::from_value::<BoxPx>(v) {
                info.bbox = b;
            }
        }
        Ok(Done {
            element: Some(info),
            state: None,
        })
    }
}

/// A lock of the runner's, whatever a panicked holder left.
fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(PoisonError::into_inner)
}

/// The crop of a `screenshot: {of, padding}` step: the element's box grown
/// by `padding` CSS pixels on every side and cut to the viewport; `None`
/// when nothing of it is in view.
pub(super) fn crop_box(element: &BoxPx, padding: u32, viewport: (u32, u32)) -> Option<Crop> {
    let p = f64::from(padding);
    let (vw, vh) = (f64::from(viewport.0), f64::from(viewport.1));
    let x0 = (element.x - p).max(0.0);
    let y0 = (element.y - p).max(0.0);
    let x1 = (element.x + element.width + p).min(vw);
    let y1 = (element.y + element.height + p).min(vh);
    (x1 - x0 >= 1.0 && y1 - y0 >= 1.0).then_some(Crop {
        bbox: BoxPx {
            x: x0,
            y: y0,
            width: x1 - x0,
            height: y1 - y0,
        },
        file: None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn b(x: f64, y: f64, width: f64, height: f64) -> BoxPx {
        BoxPx {
            x,
            y,
            width,
            height,
        }
    }

    #[test]
    fn a_crop_grows_by_the_padding_and_stays_in_the_viewport() {
        let c = crop_box(&b(100.0, 50.0, 200.0, 40.0), 16, (1280, 800));
        assert_eq!(c.map(|c| c.bbox), Some(b(84.0, 34.0, 232.0, 72.0)));
        let edge = crop_box(&b(5.0, 780.0, 100.0, 40.0), 16, (1280, 800));
        assert_eq!(edge.map(|c| c.bbox), Some(b(0.0, 764.0, 121.0, 36.0)));
        assert_eq!(crop_box(&b(0.0, 900.0, 100.0, 40.0), 0, (1280, 800)), None);
    }
}
