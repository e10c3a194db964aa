//! Planning one runbook for `clickpath run`: its base URL (sandbox,
//! `--base-url` or its own), vars (flags, sandbox defaults, examples),
//! secrets (environment, files, the sandbox's) and viewport; and
//! `--dry-run`, which prints each plan instead of running it.
//!
//! Pure over the loaded runbooks and the flags: no browser, no sandbox.

use std::collections::BTreeMap;

use super::values::{Freeze, Frozen};
use super::RunArgs;
use crate::diagnostic::Diagnostic;
use crate::execute::RunConfig;
use crate::locate::ResolvedTarget;
use crate::runbook::{Action, Expectation, Runbook, SecretSource, Viewport, WindowRef};
use crate::sandbox;
use crate::secret::Secret;

/// A runbook with everything it needs to run: its base URL, vars, secrets
/// and viewport.
pub(super) struct Planned<'a> {
    pub(super) runbook: &'a Runbook,
    pub(super) config: RunConfig,
    pub(super) viewport: Viewport,
}

/// Every `--var` must be declared by at least one of the runbooks of the
/// run (a flow's runbooks need not share their vars: a grant runbook may
/// take `group`, its revoke runbook not); a runbook gets only the vars it
/// declares.
pub(super) fn check_vars_declared(
    runbooks: &[&Runbook],
    cli_vars: &BTreeMap<String, String>,
) -> Result<(), String> {
    for name in cli_vars.keys() {
        if !runbooks
            .iter()
            .any(|rb| rb.vars.iter().any(|d| &d.name == name))
        {
            let mut declared: Vec<&str> = runbooks
                .iter()
                .flat_map(|rb| rb.vars.iter().map(|d| d.name.as_str()))
                .collect();
            declared.sort_unstable();
            declared.dedup();
            let declared = if declared.is_empty() {
                "none".to_string()
            } else {
                declared.join(", ")
            };
            return Err(format!(
                "--var {name}: no runbook of this run declares a var `{name}` (declared: {declared})"
            ));
        }
    }
    Ok(())
}

/// `--dry-run`: plan every runbook (so missing vars and secrets are reported
/// exactly as a real run would) and print the steps; no browser. Returns
/// whether every runbook could be planned.
pub(super) fn dry_run(
    args: &RunArgs,
    runbooks: &[&Runbook],
    cli_vars: &BTreeMap<String, String>,
    run_id: &str,
) -> bool {
    // A placeholder sandbox root: --sandbox would pick a free port at run time.
    let root = match (&args.sandbox_url, args.sandbox) {
        (Some(url), _) => Some(url.trim_end_matches('/').to_string()),
        (None, true) => Some("http://127.0.0.1:<port>".to_string()),
        (None, false) => None,
    };
    let mut failed = false;
    for rb in runbooks {
        match plan(rb, args, cli_vars, root.as_deref(), run_id) {
            Ok(p) => print!("{}", describe(&p)),
            Err(d) => {
                failed = true;
                super::print_diagnostics(&[*d], false);
            }
        }
    }
    !failed
}

/// The dry-run listing of one planned runbook. Secrets appear only by name.
fn describe(p: &Planned<'_>) -> String {
    let rb = p.runbook;
    let mut out = format!(
        "{}/{} ({}): {} steps at {} [{}x{}]\n",
        rb.provider,
        rb.flow,
        rb.path.display(),
        rb.steps.len(),
        p.config.base_url,
        p.viewport.width,
        p.viewport.height
    );
    if !p.config.vars.is_empty() {
        let vars: Vec<String> = p
            .config
            .vars
            .iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect();
        out.push_str(&format!("  vars: {}\n", vars.join(", ")));
    }
    if !p.config.secrets.is_empty() {
        let names: Vec<&str> = p.config.secrets.keys().map(String::as_str).collect();
        out.push_str(&format!(
            "  secrets: {} (values hidden)\n",
            names.join(", ")
        ));
    }
    let bindings = p.config.bindings();
    let lookup = |name: &str| bindings.lookup(rb, name);
    for (i, step) in rb.steps.iter().enumerate() {
        let pos = step.origin.span.start;
        let target = |t| ResolvedTarget::from_target(t, &|x| x.render(lookup)).to_string();
        let what = match &step.action {
            Action::Goto { url, .. } => format!("{:?}", url.render(lookup)),
            Action::Expect(Expectation::Absent(t)) => format!("no {}", target(t)),
            Action::Expect(Expectation::Checked(t)) => format!("checked {}", target(t)),
            Action::Expect(Expectation::Unchecked(t)) => format!("unchecked {}", target(t)),
            Action::Upload {
                target: t, file, ..
            } => format!("{} file {file:?}", target(t)),
            Action::Expect(Expectation::Url(u)) => format!("url contains {:?}", u.render(lookup)),
            Action::Expect(Expectation::Title(u)) => {
                format!("title contains {:?}", u.render(lookup))
            }
            Action::SwitchWindow(WindowRef::Title(t)) => {
                format!("window titled {:?}", t.render(lookup))
            }
            Action::SwitchWindow(WindowRef::Url(u)) => {
                format!("window at url {:?}", u.render(lookup))
            }
            Action::SwitchWindow(WindowRef::Main) => "the main window".to_string(),
            Action::CloseWindow => "the current window".to_string(),
            a => a.target().map(target).unwrap_or_default(),
        };
        out.push_str(&format!(
            "  {:>2}. {:<10} {:<44} {}{}  ({}:{})\n",
            i + 1,
            step.action.keyword(),
            what,
            step.doc.render(lookup),
            if step.destructive {
                "  [destructive]"
            } else {
                ""
            },
            step.origin.file.display(),
            pos.line
        ));
    }
    out
}

/// Work out base URL, vars and secrets for one runbook.
pub(super) fn plan<'a>(
    rb: &'a Runbook,
    args: &RunArgs,
    cli_vars: &BTreeMap<String, String>,
    sandbox_root: Option<&str>,
    run_id: &str,
) -> Result<Planned<'a>, Box<Diagnostic>> {
    plan_checked(rb, args, cli_vars, sandbox_root, run_id).map_err(|e| match e {
        PlanError::At(d) => d,
        PlanError::Message(m) => Box::new(Diagnostic::error(&rb.path, None, m)),
    })
}

/// Why a runbook cannot be planned: at a step, or about the whole runbook.
enum PlanError {
    At(Box<Diagnostic>),
    Message(String),
}

impl From<String> for PlanError {
    fn from(m: String) -> Self {
        PlanError::Message(m)
    }
}

fn plan_checked<'a>(
    rb: &'a Runbook,
    args: &RunArgs,
    cli_vars: &BTreeMap<String, String>,
    sandbox_root: Option<&str>,
    run_id: &str,
) -> Result<Planned<'a>, PlanError> {
    let base_url = match (sandbox_root, &args.base_url) {
        (Some(root), _) => format!("{root}/{}", rb.provider),
        (None, Some(url)) => url.clone(),
        (None, None) => rb.base_url.clone(),
    };
    if !args.headed {
        if let Some(step) = rb
            .steps
            .iter()
            .find(|s| matches!(s.action, Action::Pause { .. }))
        {
            return Err(PlanError::At(Box::new(
                Diagnostic::error(
                    &step.origin.file,
                    Some(step.origin.span),
                    "this runbook has a step only a person can do: run it with --headed",
                )
                .with_label("`pause` waits for a person at the browser window"),
            )));
        }
    }
    let mut config = RunConfig::new(base_url, run_id);
    config.timeout = args.timeout;
    config.probe = args.probe;
    config.before_clicks = args.annotate;
    config.baseline = super::baseline::find(&args.out, args.baseline.as_deref(), rb, run_id);
    for Freeze { name, value } in &args.freeze {
        match name {
            Frozen::Date => config.date.clone_from(value),
            Frozen::RunId => config.frozen_run_id = Some(value.clone()),
        }
    }

    let mut missing = Vec::new();
    for decl in &rb.vars {
        let value = cli_vars
            .get(&decl.name)
            .cloned()
            .or_else(|| {
                sandbox_root.and_then(|_| {
                    (decl.name == "login_email").then(|| sandbox::SANDBOX_EMAIL.to_string())
                })
            })
            .or_else(|| decl.default.clone())
            .or_else(|| sandbox_root.and(decl.example.clone()));
        match value {
            Some(v) => {
                config.vars.insert(decl.name.clone(), v);
            }
            None if decl.required => missing.push(format!("--var {}=...", decl.name)),
            None => {}
        }
    }
    if !missing.is_empty() {
        return Err(format!("missing required var(s): {}", missing.join(", ")).into());
    }

    for decl in &rb.secrets {
        let sandbox_value = sandbox_root.and_then(|_| match decl.name.as_str() {
            "password" => Some(sandbox::SANDBOX_PASSWORD.to_string()),
            "totp_seed" => Some(sandbox_totp_seed(args).to_string()),
            _ => None,
        });
        let value = match sandbox_value {
            Some(v) => v,
            None => read_secret(&decl.name, &decl.from).map_err(PlanError::Message)?,
        };
        config.secrets.insert(decl.name.clone(), Secret::new(value));
    }
    let viewport = args.viewport.or(rb.viewport).unwrap_or_default();
    Ok(Planned {
        runbook: rb,
        config,
        viewport,
    })
}

/// The sandbox's TOTP seed: `--totp-seed`, else the public sandbox seed.
pub(super) fn sandbox_totp_seed(args: &RunArgs) -> &str {
    let seed = args.totp_seed.as_deref();
    seed.unwrap_or(sandbox::DEFAULT_TOTP_SEED)
}

/// Read a secret from where the runbook says; errors never contain the value.
fn read_secret(name: &str, from: &SecretSource) -> Result<String, String> {
    match from {
        SecretSource::Env(var) => match std::env::var(var) {
            Ok(v) if !v.is_empty() => Ok(v),
            _ => Err(format!(
                "secret `{name}` needs the environment variable {var} (it is unset or empty)"
            )),
        },
        SecretSource::File(path) => std::fs::read_to_string(path)
            .map(|s| s.trim_end_matches(['\r', '\n']).to_string())
            .map_err(|e| {
                format!(
                    "secret `{name}` cannot be read from {}: {}",
                    path.display(),
                    e.kind()
                )
            }),
    }
}

/// Parse `--var NAME=VALUE` flags.
pub(super) fn parse_vars(raw: &[String]) -> Result<BTreeMap<String, String>, String> {
    let mut out = BTreeMap::new();
    for r in raw {
        let Some((k, v)) = r.split_once('=') else {
            return Err(format!("--var `{r}`: expected NAME=VALUE"));
        };
        if k.is_empty() {
            return Err(format!("--var `{r}`: the name is empty"));
        }
        out.insert(k.to_string(), v.to_string());
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn vars_need_a_name_and_an_equals_sign() {
        let v = parse_vars(&["customer=acme".into(), "x=a=b".into()]).expect("valid vars");
        assert_eq!(v.get("customer").map(String::as_str), Some("acme"));
        assert_eq!(v.get("x").map(String::as_str), Some("a=b"));
        assert!(parse_vars(&["novalue".into()]).is_err());
        assert!(parse_vars(&["=x".into()]).is_err());
    }
}
