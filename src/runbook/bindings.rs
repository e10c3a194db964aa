//! What `{name}` references mean during a run: built-ins, then supplied vars,
//! then the runbook's declared defaults.
//!
//! The one lookup rule for rendering a runbook's templates, shared by the
//! executor and `run --dry-run`. Knows nothing of the browser, the command
//! line or YAML: callers fill a [`Bindings`] and ask it for values.

use std::collections::BTreeMap;

use super::model::{Runbook, Template};

/// The values a run gives a runbook's `{name}` references.
///
/// Lookup order (see [`Bindings::lookup`]): the built-ins `run_id`, `date` and
/// `provider`, then [`Bindings::vars`], then the default the runbook declares
/// for the var. Built-in names cannot be declared as vars (the loader refuses
/// them), so the order never hides a var.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Bindings {
    /// `{run_id}`: the identifier of this run.
    pub run_id: String,
    /// `{date}`: the run's date, `YYYY-MM-DD`.
    pub date: String,
    /// `{provider}` when the run overrides it; `None` uses [`Runbook::provider`].
    pub provider: Option<String>,
    /// Values supplied for the runbook's vars (`--var name=value`), by name.
    pub vars: BTreeMap<String, String>,
}

impl Bindings {
    /// The value of `{name}` for `runbook`, or `None` when the name is neither
    /// a built-in, nor supplied, nor declared with a default.
    pub fn lookup(&self, runbook: &Runbook, name: &str) -> Option<String> {
        match name {
            "run_id" => Some(self.run_id.clone()),
            "date" => Some(self.date.clone()),
            "provider" => Some(
                self.provider
                    .clone()
                    .unwrap_or_else(|| runbook.provider.clone()),
            ),
            other => self.vars.get(other).cloned().or_else(|| {
                runbook
                    .vars
                    .iter()
                    .find(|v| v.name == other)
                    .and_then(|v| v.default.clone())
            }),
        }
    }

    /// `template` with every reference replaced by its [`lookup`](Self::lookup);
    /// a name without a value stays as `{name}` (validation prevents this for
    /// names a runbook does not declare).
    pub fn render(&self, runbook: &Runbook, template: &Template) -> String {
        template.render(|name| self.lookup(runbook, name))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostic::Span;
    use crate::runbook::load::parse_str;
    use crate::runbook::model::VarDecl;
    use std::path::Path;

    fn runbook() -> Runbook {
        let text = "name: T\nbase_url: https://x\nvars:\n  customer: {default: acme}\n  region: {required: true}\nsteps:\n  - doc: \"{customer} {region} {provider} {run_id} {date}\"\n    goto: /\n";
        parse_str(Path::new("r/xero/10-flow.yaml"), text).unwrap_or_else(|d| panic!("{d:#?}"))
    }

    fn bindings() -> Bindings {
        Bindings {
            run_id: "r1".into(),
            date: "2025-01-02".into(),
            provider: None,
            vars: BTreeMap::from([("region".to_string(), "eu".to_string())]),
        }
    }

    #[test]
    fn built_ins_then_vars_then_defaults() {
        let rb = runbook();
        let b = bindings();
        assert_eq!(b.lookup(&rb, "run_id").as_deref(), Some("r1"));
        assert_eq!(b.lookup(&rb, "date").as_deref(), Some("2025-01-02"));
        assert_eq!(b.lookup(&rb, "provider").as_deref(), Some("xero"));
        assert_eq!(b.lookup(&rb, "region").as_deref(), Some("eu"));
        assert_eq!(b.lookup(&rb, "customer").as_deref(), Some("acme"));
        assert_eq!(b.lookup(&rb, "nope"), None);
        assert_eq!(
            b.render(&rb, &rb.steps[0].doc),
            "acme eu xero r1 2025-01-02"
        );
    }

    #[test]
    fn supplied_values_win_over_defaults_and_provider_can_be_overridden() {
        let mut rb = runbook();
        rb.vars.push(VarDecl {
            name: "later".into(),
            required: false,
            default: None,
            example: None,
            description: None,
            span: Span::default(),
        });
        let mut b = bindings();
        b.vars.insert("customer".into(), "Drivetrain".into());
        b.provider = Some("myxero".into());
        assert_eq!(b.lookup(&rb, "customer").as_deref(), Some("Drivetrain"));
        assert_eq!(b.lookup(&rb, "provider").as_deref(), Some("myxero"));
        assert_eq!(b.lookup(&rb, "later"), None);
        assert_eq!(b.render(&rb, &Template::literal("x")), "x");
    }
}
