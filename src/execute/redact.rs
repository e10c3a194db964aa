//! The run outcome's types redacted field by field: every text, including
//! what the page reported back (element names, why they are hidden, their
//! landmark, offers, the diagnosis, a heal's locators, URLs, titles,
//! messages). The runner calls
//! [`Redact::redact`] on each step record once, before any sink sees it.

use crate::locate::{Candidate, Diagnosis, Edit};
use crate::outcome::{Failure, Heal, RunOutcome, StepRecord};
use crate::secret::{Redact, Redactor};

impl Redact for Candidate {
    /// Its name, why it is hidden and the landmark it is in are all page text.
    fn redact(&mut self, r: &Redactor) {
        let Candidate {
            tag,
            role,
            name,
            bbox: _,
            visible: _,
            hidden_why,
            region,
            checked: _,
            matched,
            column,
            near,
        } = self;
        column.redact(r);
        if let Some(near) = near {
            near.before.redact(r);
            near.after.redact(r);
        }
        tag.redact(r);
        matched.redact(r);
        role.redact(r);
        name.redact(r);
        hidden_why.redact(r);
        region.redact(r);
    }
}

impl Redact for Diagnosis {
    fn redact(&mut self, r: &Redactor) {
        let Diagnosis {
            class: _,
            summary,
            suggestion,
            reveal,
            fix,
        } = self;
        summary.redact(r);
        suggestion.redact(r);
        reveal.redact(r);
        fix.redact(r);
    }
}

impl Redact for Edit {
    /// The words it puts into the locator are the page's.
    fn redact(&mut self, r: &Redactor) {
        match self {
            Edit::Rename { by: _, name }
            | Edit::Option { name }
            | Edit::RevealFirst { by: _, name }
            | Edit::Within { scope: _, name } => name.redact(r),
            Edit::Nth { nth: _ } | Edit::RemoveStep => {}
        }
    }
}

impl Redact for Heal {
    /// The edit, both locators and the first attempt's failure.
    fn redact(&mut self, r: &Redactor) {
        let Heal {
            edits,
            from,
            to,
            confirmed_by,
            failure,
            failed_screenshot,
        } = self;
        edits.redact(r);
        from.redact(r);
        to.redact(r);
        confirmed_by.redact(r);
        failure.redact(r);
        failed_screenshot.redact(r);
    }
}

impl Redact for Failure {
    fn redact(&mut self, r: &Redactor) {
        let Failure {
            kind: _,
            message,
            matches,
            offers,
            diagnosis,
        } = self;
        message.redact(r);
        matches.redact(r);
        offers.redact(r);
        diagnosis.redact(r);
    }
}

impl Redact for StepRecord {
    /// Every text of a step: its doc and locator (clickpath's, with vars),
    /// the element acted on, URL, title and failure (the page's).
    fn redact(&mut self, r: &Redactor) {
        let StepRecord {
            id,
            number: _,
            doc,
            source: _,
            action: _,
            locator,
            element,
            url,
            title,
            navigated: _,
            duration_ms: _,
            round_trips: _,
            screenshot,
            capture,
            dialog,
            opened_windows,
            status: _,
            failure,
            healed,
            note,
            masks: _,
            annotated,
            before,
            crop,
            visual,
        } = self;
        before.redact(r);
        if let Some(c) = crop {
            c.file.redact(r);
        }
        if let Some(v) = visual {
            v.note.redact(r);
        }
        note.redact(r);
        annotated.redact(r);
        id.redact(r);
        doc.redact(r);
        locator.redact(r);
        element.redact(r);
        url.redact(r);
        title.redact(r);
        screenshot.redact(r);
        capture.redact(r);
        dialog.redact(r);
        for w in opened_windows {
            w.url.redact(r);
            w.title.redact(r);
        }
        failure.redact(r);
        healed.redact(r);
    }
}

impl Redact for RunOutcome {
    /// The run's own texts (base URL, vars, error) and every step.
    fn redact(&mut self, r: &Redactor) {
        self.base_url.redact(r);
        for v in self.vars.values_mut() {
            v.redact(r);
        }
        self.steps.redact(r);
        self.error.redact(r);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::secret::Secret;

    const NASTY: &str = "p\"w d&<x>%'\\";

    #[test]
    fn typed_data_is_redacted_field_by_field() {
        let r = Redactor::new(&[Secret::new(NASTY)]);
        let mut c = Candidate {
            tag: "button".into(),
            role: "button".into(),
            name: format!("Hi {NASTY}"),
            bbox: Default::default(),
            visible: false,
            hidden_why: Some(format!("inside {:?}", NASTY)),
            region: Some(format!("dialog {NASTY:?}")),
            checked: None,
            matched: None,
            ..Default::default()
        };
        let mut f = Failure::new(crate::outcome::FailureKind::NotFound, "no x");
        f.offers.push(c.clone());
        f.redact(&r);
        c.redact(&r);
        assert_eq!(c.name, "Hi ***");
        assert_eq!(c.hidden_why.as_deref(), Some("inside \"***\""));
        assert_eq!(c.region.as_deref(), Some("dialog \"***\""));
        assert_eq!(f.offers[0], c);
    }

    #[test]
    fn a_heal_is_redacted_with_its_step() {
        let r = Redactor::new(&[Secret::new(NASTY)]);
        let mut heal = Heal {
            edits: vec![Edit::Rename {
                by: "button".into(),
                name: format!("Go {NASTY}"),
            }],
            from: format!("button \"{NASTY}\""),
            to: format!("button {:?}", format!("Go {NASTY}")),
            confirmed_by: "terminal".into(),
            failure: Failure::new(crate::outcome::FailureKind::NotFound, format!("no {NASTY}")),
            failed_screenshot: Some("07-go-FAILED.png".into()),
        };
        heal.redact(&r);
        assert_eq!(heal.from, "button \"***\"");
        assert_eq!(heal.to, "button \"Go ***\"");
        assert_eq!(
            heal.edits,
            vec![Edit::Rename {
                by: "button".into(),
                name: "Go ***".into()
            }]
        );
        assert_eq!(heal.failure.message, "no ***");
    }
}
