//! `run --compare` in the run loop: after a passed step's screenshot is
//! kept, the sink compares it with the reference image (the executor never
//! decodes images); a change over the tolerance fails the step with kind
//! `visual` and a message naming what changed: the step's element when the
//! changed box meets it, else what the page has there (one script, only
//! when a change was found), else the box. A `totp` step's field is
//! masked: its code changes every 30 s.

use super::runner::Runner;
use super::StepSink;
use crate::locate::BoxPx;
use crate::outcome::{Failure, FailureKind, StepRecord, StepStatus, Visual};
use crate::secret::Redact;

/// Names what the page shows in a box (CSS px): the named controls it
/// overlaps most (up to three), else the heading or landmark at its
/// centre; `null` when nothing is named there.
const REGION_JS: &str = r#"const [bx, by, bw, bh] = arguments;
const role = e => { const r = e.getAttribute('role'); if (r) return r;
  const t = e.tagName.toLowerCase();
  if (/^h[1-6]$/.test(t)) return 'heading';
  if (t === 'a') return e.hasAttribute('href') ? 'link' : '';
  if (t === 'section') return e.hasAttribute('aria-label') || e.hasAttribute('aria-labelledby') ? 'region' : '';
  return ({button: 'button', select: 'combobox', textarea: 'textbox', input: 'textbox', header: 'banner',
    nav: 'navigation', main: 'main', aside: 'complementary', footer: 'contentinfo', form: 'form',
    dialog: 'dialog', table: 'table'})[t] || ''; };
const clean = s => (s || '').replace(/\s+/g, ' ').trim().slice(0, 80);
const name = e => { const by = e.getAttribute('aria-labelledby');
  const l = by && document.getElementById(by);
  return clean(e.getAttribute('aria-label') || (l && l.textContent) ||
    (['button', 'link', 'heading'].includes(role(e)) ? e.textContent : '')); };
const say = e => { const n = name(e); return n ? role(e) + ' "' + n.replace(/"/g, "'") + '"' : role(e); };
const controls = ['button', 'link', 'checkbox', 'radio', 'textbox', 'combobox', 'menuitem', 'tab', 'switch'];
const hits = [];
for (const e of document.querySelectorAll('button,a[href],input,select,textarea,[role]')) {
  if (!controls.includes(role(e)) || !name(e)) continue;
  const r = e.getBoundingClientRect();
  const w = Math.min(r.right, bx + bw) - Math.max(r.left, bx), h = Math.min(r.bottom, by + bh) - Math.max(r.top, by);
  if (w > 0 && h > 0 && r.width > 0 && r.height > 0) hits.push([w * h, say(e)]);
}
if (hits.length) return hits.sort((a, b) => b[0] - a[0]).slice(0, 3).map(h => h[1]).join(', ');
const at = document.elementFromPoint(bx + bw / 2, by + bh / 2);
const landmarks = ['banner', 'navigation', 'main', 'complementary', 'contentinfo', 'form', 'region', 'dialog', 'table'];
for (let e = at; e; e = e.parentElement) { if (role(e) === 'heading' && name(e)) return say(e); }
for (let e = at; e; e = e.parentElement) { if (landmarks.includes(role(e))) return say(e); }
return null;"#;

/// Whether two boxes overlap.
fn meets(a: &BoxPx, b: &BoxPx) -> bool {
    a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height
}

/// `visual change: N% of the viewport, around <what>`.
pub(super) fn message(visual: &Visual, around: &str) -> String {
    if !visual.found {
        return format!(
            "visual change: {} (--compare-strict)",
            visual.note.as_deref().unwrap_or("no reference image")
        );
    }
    let pct = visual.changed_percent;
    let shown = if pct >= 1.0 {
        format!("{pct:.1}")
    } else {
        format!("{pct:.2}")
    };
    format!("visual change: {shown}% of the viewport, around {around}")
}

/// A box as `the box at (x, y) w×h px`.
fn box_text(b: &BoxPx) -> String {
    format!(
        "the box at ({:.0}, {:.0}) {:.0}x{:.0} px",
        b.x, b.y, b.width, b.height
    )
}

impl Runner<'_> {
    /// Compare the passed step's screenshot through the sink; a change over
    /// the tolerance fails the step.
    pub(super) async fn compare(&self, sink: &mut dyn StepSink, rec: &mut StepRecord, png: &[u8]) {
        if !rec.status.is_ok() || rec.screenshot.is_none() {
            return;
        }
        // A `totp` step's field shows a code that changes every 30 s: never
        // a visual change.
        if rec.action == "totp" {
            if let Some(el) = &rec.element {
                if !rec.masks.contains(&el.bbox) {
                    rec.masks.push(el.bbox);
                }
            }
        }
        let visual = match sink.compare(rec, png) {
            Ok(Some(v)) => v,
            Ok(None) => return,
            Err(e) => {
                rec.status = StepStatus::Failed;
                rec.failure = Some(Failure::new(
                    FailureKind::Evidence,
                    format!("could not compare the screenshot with its reference: {e}"),
                ));
                return;
            }
        };
        if let Some(note) = &visual.note {
            tracing::warn!("step {}: {note}", rec.number);
        }
        if visual.over {
            let around = match (&visual.region, &rec.element) {
                (Some(region), Some(el)) if meets(region, &el.bbox) => {
                    format!("{} {:?}", el.role, el.name)
                }
                (Some(region), _) => self
                    .region_name(region)
                    .await
                    .unwrap_or_else(|| box_text(region)),
                (None, _) => "the whole screen".to_string(),
            };
            let mut failure = Failure::new(FailureKind::Visual, message(&visual, &around));
            failure.redact(&self.redactor);
            rec.status = StepStatus::Failed;
            rec.failure = Some(failure);
        }
        rec.visual = Some(visual);
    }

    /// What the page shows in `region`: one script, page text redacted.
    async fn region_name(&self, region: &BoxPx) -> Option<String> {
        let args = [region.x, region.y, region.width, region.height]
            .into_iter()
            .map(serde_json::Value::from)
            .collect();
        let value = self.browser.execute(REGION_JS, args).await.ok()?;
        value.as_str().filter(|s| !s.is_empty()).map(str::to_string)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn visual(pct: f64) -> Visual {
        Visual {
            reference: "ref/xero/invite_user/05-x.png".into(),
            found: true,
            changed_percent: pct,
            region: None,
            diff: None,
            over: true,
            note: None,
        }
    }

    #[test]
    fn the_message_gives_the_share_and_the_place() {
        assert_eq!(
            message(&visual(0.4321), "button \"Invite a user\""),
            "visual change: 0.43% of the viewport, around button \"Invite a user\""
        );
        assert_eq!(
            message(&visual(12.345), "main"),
            "visual change: 12.3% of the viewport, around main"
        );
        let b = BoxPx {
            x: 10.0,
            y: 20.0,
            width: 30.4,
            height: 4.0,
        };
        assert_eq!(box_text(&b), "the box at (10, 20) 30x4 px");
        let away = BoxPx { x: 41.0, ..b };
        assert!(meets(&b, &b) && !meets(&b, &away));
    }
}
