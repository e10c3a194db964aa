//! The run outcome's types redacted field by field: every text, including
//! what the page reported back (element names, why they are hidden, their
//! landmark, offers, the diagnosis, URLs, titles, messages). The runner calls
//! [`Redact::redact`] on each step record once, before any sink sees it.

use crate::locate::{Candidate, Diagnosis, Edit};
use crate::outcome::{Failure, RunOutcome, StepRecord};
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
        } = self;
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
        if let Some(fix) = fix {
            match fix {
                Edit::Rename { by: _, name }
                | Edit::Option { name }
                | Edit::RevealFirst { by: _, name }
                | Edit::Within { scope: _, name } => name.redact(r),
                Edit::Nth { nth: _ } => {}
            }
        }
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
            fix: _,
        } = self;
        // `fix` is built after the run from these redacted texts.
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
        } = self;
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
}
