//! The last good run as a witness (issue 13): what a passing run of the
//! same runbook saw at the failing step (the element's role, words, box,
//! landmark, table column and named neighbours) ranks the page's controls
//! by what stayed the same, so that a control renamed beyond recognition
//! ("+ New" for "+ Add") is still found where the target stood, while a
//! neighbour that kept its name is never taken for it.
//!
//! Pure functions over [`Candidate`]s; no WebDriver command, no file.

use super::diagnosis::closeness;
use super::{norm, BoxPx, Candidate, Near};

/// What the last good run saw at this step.
#[derive(Debug, Clone, PartialEq)]
pub struct Witness {
    /// The run it comes from (`run-20261201-101500`).
    pub run_id: String,
    /// The element that step acted on or checked.
    pub element: Candidate,
}

/// Lowest [`Fit::score`] at which the witness's choice is suggested.
pub const WITNESS_MIN: f64 = 0.55;

/// How a candidate compares with the witness's element.
#[derive(Debug, Clone, PartialEq)]
pub struct Fit {
    /// 0..=1: place 0.3, landmark 0.15, column 0.15, neighbours 0.25, words 0.15.
    pub score: f64,
    /// What stayed the same, for the explanation (`same place`, `same
    /// neighbours (after "Cancel")`).
    pub same: Vec<String>,
    /// The words changed completely (no closeness at all).
    pub words_changed: bool,
    /// How far (CSS px) its centre is from where the witness's stood, when
    /// that is not the same place.
    pub moved: Option<f64>,
}

impl Fit {
    /// `same place, landmark and neighbours (after "Cancel") as in run-X;
    /// the words changed`.
    pub fn explain(&self, run_id: &str) -> String {
        let words = if self.words_changed {
            "; the words changed"
        } else {
            ""
        };
        let moved = self
            .moved
            .map(|d| format!(", {d:.0} px from its place"))
            .unwrap_or_default();
        format!("{}{moved} as in {run_id}{words}", join(&self.same))
    }
}

/// The visible, named candidates among `offers` (page order), with the
/// names just before and after each: the same view [`Candidate::near`]
/// records for a step's element.
pub fn with_neighbours(offers: &[Candidate]) -> Vec<(&Candidate, Near)> {
    let shown: Vec<&Candidate> = offers
        .iter()
        .filter(|c| c.visible && !c.name.trim().is_empty())
        .collect();
    shown
        .iter()
        .enumerate()
        .map(|(i, c)| {
            let before = shown[..i]
                .iter()
                .rev()
                .take(2)
                .map(|o| norm(&o.name))
                .collect();
            let after = shown[i + 1..]
                .iter()
                .take(2)
                .map(|o| norm(&o.name))
                .collect();
            (*c, Near { before, after })
        })
        .collect()
}

/// The neighbours of `c` among `offers` (found by name and box), if it is one of them.
pub fn neighbours_in(offers: &[Candidate], c: &Candidate) -> Option<Near> {
    with_neighbours(offers)
        .into_iter()
        .find(|(o, _)| o.name == c.name && o.bbox == c.bbox)
        .map(|(_, n)| n)
}

/// Whether `c` is one of the witness's neighbours that kept its name: then
/// it is not the target, whatever its place.
pub fn is_kept_neighbour(w: &Candidate, c: &Candidate) -> bool {
    let name = norm(&c.name);
    w.near
        .as_ref()
        .is_some_and(|n| n.before.iter().chain(&n.after).any(|x| norm(x) == name))
}

/// How well `c` (whose neighbours now are `near`) stands in for the
/// witness's element `w` that was looked for as `wanted`.
pub fn fit(w: &Candidate, wanted: &str, c: &Candidate, near: Option<&Near>) -> Fit {
    let mut same = Vec::new();
    let mut score = 0.0;
    let d = distance(&w.bbox, &c.bbox);
    let place = (1.0 - d / 400.0).max(0.0);
    score += 0.3 * place;
    if d <= 32.0 {
        same.push("place".to_string());
    }
    if w.region == c.region {
        score += 0.15;
        if let Some(r) = &c.region {
            same.push(format!("landmark ({r})"));
        }
    }
    match (&w.column, &c.column) {
        (Some(a), Some(b)) if norm(a) == norm(b) => {
            score += 0.15;
            same.push(format!("column {a:?}"));
        }
        (None, None) => score += 0.15,
        _ => {}
    }
    if let (Some(was), Some(now)) = (&w.near, near) {
        let mut sides = 0.0;
        let mut kept = 0.0;
        let mut said = Vec::new();
        // The same neighbour on the same side counts fully; on the other
        // side (the two traded places) half.
        for (label, a, b, other) in [
            ("after", &was.before, &now.before, &now.after),
            ("before", &was.after, &now.after, &now.before),
        ] {
            if let Some(first) = a.first() {
                sides += 1.0;
                let is = |l: &Vec<String>| l.first().is_some_and(|x| norm(x) == norm(first));
                if is(b) {
                    kept += 1.0;
                    said.push(format!("{label} {first:?}"));
                } else if is(other) {
                    kept += 0.5;
                    said.push(format!("next to {first:?}, on its other side"));
                }
            }
        }
        if sides > 0.0 {
            score += 0.25 * kept / sides;
        } else if now.before.is_empty() && now.after.is_empty() {
            // Alone then, alone now.
            score += 0.25;
        }
        if !said.is_empty() {
            same.push(format!("neighbours ({})", said.join(", ")));
        }
    }
    let words = closeness(wanted, &c.name);
    score += 0.15 * words;
    if !c.role.is_empty() && c.role == w.role {
        same.insert(0, "role".to_string());
    }
    Fit {
        score,
        same,
        words_changed: words < 0.2,
        moved: (d > 32.0).then_some(d),
    }
}

/// Distance in CSS pixels between the centres of two boxes.
fn distance(a: &BoxPx, b: &BoxPx) -> f64 {
    let (ax, ay) = (a.x + a.width / 2.0, a.y + a.height / 2.0);
    let (bx, by) = (b.x + b.width / 2.0, b.y + b.height / 2.0);
    ((ax - bx).powi(2) + (ay - by).powi(2)).sqrt()
}

/// `a`, `a and b`, `a, b and c`.
fn join(items: &[String]) -> String {
    match items {
        [] => "nothing".to_string(),
        [one] => format!("same {one}"),
        [init @ .., last] => format!("same {} and {last}", init.join(", ")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn c(name: &str, x: f64, column: Option<&str>) -> Candidate {
        Candidate {
            tag: "button".into(),
            role: "button".into(),
            name: name.into(),
            bbox: BoxPx {
                x,
                y: 100.0,
                width: 80.0,
                height: 30.0,
            },
            visible: true,
            region: Some("main".into()),
            column: column.map(Into::into),
            ..Default::default()
        }
    }

    fn near(before: &[&str], after: &[&str]) -> Near {
        Near {
            before: before.iter().map(|s| s.to_string()).collect(),
            after: after.iter().map(|s| s.to_string()).collect(),
        }
    }

    #[test]
    fn the_control_standing_where_the_target_stood_fits_even_with_new_words() {
        let mut w = c("Add", 500.0, None);
        w.near = Some(near(&["Import"], &[]));
        let offers = [c("Import", 400.0, None), c("New", 500.0, None)];
        let n = neighbours_in(&offers, &offers[1]);
        let f = fit(&w, "Add", &offers[1], n.as_ref());
        assert!(f.score >= WITNESS_MIN, "{f:?}");
        assert!(f.words_changed);
        assert_eq!(
            f.explain("run-1"),
            "same role, place, landmark (main) and neighbours (after \"Import\") as in run-1; the words changed"
        );
        assert!(is_kept_neighbour(&w, &offers[0]));
        assert!(!is_kept_neighbour(&w, &offers[1]));
    }

    #[test]
    fn the_same_column_tells_two_row_buttons_apart() {
        let w = c("Delete", 600.0, Some("Action"));
        let notes = c("Delete", 500.0, Some("Notes"));
        let action = c("Delete", 640.0, Some("Action"));
        let a = fit(&w, "Delete", &notes, None);
        let b = fit(&w, "Delete", &action, None);
        assert!(b.score > a.score, "{a:?} {b:?}");
        assert!(b.same.iter().any(|s| s == "column \"Action\""));
    }

    #[test]
    fn neighbours_are_read_in_page_order_among_visible_named_offers() {
        let mut hidden = c("Hidden", 0.0, None);
        hidden.visible = false;
        let offers = [
            c("A", 0.0, None),
            hidden,
            c("B", 0.0, None),
            c("C", 0.0, None),
        ];
        let n = neighbours_in(&offers, &offers[2]).expect("B is offered");
        assert_eq!(n, near(&["a"], &["c"]));
    }
}
