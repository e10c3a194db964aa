//! `clickpath run`: load runbooks, pick their target (sandbox, base URL or the
//! runbook's own), execute each in a browser session of its own or one
//! isolated from the runbooks before it (`session.rs`), keep the evidence.
//!
//! This is glue: the stages do the work. It owns the run-level decisions:
//! which runbooks run (partials only when named), where vars and secrets come
//! from, exit codes, progress display and Ctrl-C.

use std::collections::BTreeMap;
use std::future::Future;
use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;
use std::time::{Duration, SystemTime};

use tokio::task::JoinHandle;

use super::heal::{heal_allowed, TerminalHealer, NO_TERMINAL};
use super::plan::{check_vars_declared, dry_run, parse_vars, plan, sandbox_totp_seed, Planned};
use super::preflight::{self, check_flags};
use super::progress::Progress;
use super::session::{Fit, Sessions};
use super::values::{parse_freeze, parse_scale, Freeze};
use crate::browser::BrowserConfig;
use crate::diagnostic::Diagnostic;
use crate::evidence::annotate::Style;
use crate::evidence::compare::Tolerance;
use crate::evidence::gif::GifOptions;
use crate::evidence::{CompareOptions, EvidenceWriter, MediaOptions};
use crate::execute::{self, policy};
use crate::outcome::{FailureClass, RunOutcome};
use crate::report::{self, ReportSpec, RunReport, RunbookReport};
use crate::runbook::{Runbook, Viewport};
use crate::sandbox;

/// Exit code: every runbook passed.
pub const EXIT_OK: u8 = 0;
/// Exit code: usage error, or an invalid runbook given to `run`.
pub const EXIT_USAGE: u8 = 2;

/// Options of `clickpath run`.
#[derive(Debug, Clone, clap::Args)]
#[command(group = clap::ArgGroup::new("sandbox_target").args(["sandbox", "sandbox_url"]))]
pub struct RunArgs {
    /// Runbook files or directories (default: runbooks/). Directories run in
    /// sorted order and skip `partial: true` runbooks.
    pub paths: Vec<PathBuf>,
    /// Start the built-in sandbox replicas in-process on a free loopback port
    /// and point every runbook at them, with the sandbox's test credentials.
    #[arg(long, conflicts_with_all = ["sandbox_url", "base_url"])]
    pub sandbox: bool,
    /// Use an already running `clickpath sandbox` at this URL (e.g.
    /// http://127.0.0.1:8080) instead of starting one.
    #[arg(long, value_name = "URL", conflicts_with = "base_url")]
    pub sandbox_url: Option<String>,
    /// With --sandbox: serve this drift variant of the screens.
    #[arg(long, value_name = "NAME", requires = "sandbox")]
    pub variant: Option<String>,
    /// With --sandbox or --sandbox-url: the sandbox's base32 TOTP seed (as
    /// given to `clickpath sandbox --totp-seed`; default: the public seed).
    #[arg(long, value_name = "BASE32", requires = "sandbox_target")]
    pub totp_seed: Option<String>,
    /// Override every runbook's base_url (e.g. a staging host of the vendor).
    #[arg(long, value_name = "URL")]
    pub base_url: Option<String>,
    /// Set a runbook var (repeatable): --var customer=acme.
    #[arg(long = "var", value_name = "NAME=VALUE")]
    pub vars: Vec<String>,
    /// Use a running WebDriver endpoint (chromedriver, geckodriver, Selenium Grid).
    #[arg(long, value_name = "URL")]
    pub webdriver: Option<String>,
    /// The chromedriver binary to start (default: found on PATH).
    #[arg(long, value_name = "PATH")]
    pub chromedriver: Option<PathBuf>,
    /// Show the browser window.
    #[arg(long)]
    pub headed: bool,
    /// Default deadline of each step's waits, e.g. 10s or 500ms.
    #[arg(long, value_name = "DURATION", default_value = "10s", value_parser = parse_duration)]
    pub timeout: Duration,
    /// Viewport WIDTHxHEIGHT in CSS pixels (default: the runbook's, else 1280x800).
    #[arg(long, value_name = "WxH", value_parser = parse_viewport)]
    pub viewport: Option<Viewport>,
    /// Where evidence goes: <out>/<run-id>/<provider>/<flow>/.
    #[arg(long, value_name = "DIR", default_value = "screenshots")]
    pub out: PathBuf,
    /// Run identifier (default: run-YYYYMMDD-HHMMSS).
    #[arg(long, value_name = "ID")]
    pub run_id: Option<String>,
    /// Fix a built-in's value for templates, so captures are the same run
    /// after run (repeatable): date=YYYY-MM-DD, run_id=TEXT.
    #[arg(long, value_name = "NAME=VALUE", value_parser = parse_freeze)]
    pub freeze: Vec<Freeze>,
    /// Device pixels per CSS pixel of every screenshot, e.g. 2 for
    /// high-DPI images (the viewport stays in CSS pixels).
    #[arg(long, value_name = "N", default_value = "1", value_parser = parse_scale)]
    pub scale: f64,
    /// Stop at the first failing runbook (default: run every runbook and summarise).
    #[arg(long, conflicts_with = "keep_going")]
    pub fail_fast: bool,
    /// Write a report (repeatable): junit=PATH, json=PATH or html=DIR.
    #[arg(long = "report", value_name = "KIND=PATH")]
    pub reports: Vec<ReportSpec>,
    /// Run every runbook even after failures, then summarise (the default).
    #[arg(long)]
    pub keep_going: bool,
    /// Probe a live account without changing it: act on every step before the
    /// first `destructive: true` step, then only check that step's target is
    /// there and actionable, and stop.
    #[arg(long)]
    pub probe: bool,
    /// The last good run to compare a failed step's page with (a run folder
    /// or a flow's evidence folder); default: the newest passing run of the
    /// same runbook under --out.
    #[arg(long, value_name = "DIR")]
    pub baseline: Option<PathBuf>,
    /// Print what would run (targets, vars, every step) without a browser.
    #[arg(long)]
    pub dry_run: bool,
    /// When a step fails and the diagnosis proposes a fix (a renamed
    /// button, which of two matches), show the failure screenshot, the
    /// diagnosis and the candidate, ask whether to use it, and on yes go on
    /// with it (recorded as `healed` in the manifest). A `destructive: true`
    /// step needs its step number typed. Only when stdin and stderr are a
    /// terminal and CI is unset; otherwise a normal run.
    #[arg(long, conflicts_with_all = ["probe", "dry_run"])]
    pub heal: bool,
    /// Compare each passed step's screenshot with the reference image of
    /// the same step, `REF_DIR/<provider>/<flow>/NN-<slug>.png`, ignoring
    /// masked boxes: a change over --compare-tolerance fails the step
    /// (kind `visual`) and writes `NN-<slug>-diff.png` beside it.
    #[arg(long, value_name = "REF_DIR")]
    pub compare: Option<PathBuf>,
    /// A pixel changed when a channel differs by more than CHANNEL (of
    /// 255); a step fails when changed pixels cover more than AREA percent
    /// of the viewport.
    #[arg(long, value_name = "CHANNEL[,AREA%]", default_value = "16,0.1%")]
    pub compare_tolerance: Tolerance,
    /// With --compare: a step without a reference image fails (else it is a note).
    #[arg(long, requires = "compare")]
    pub compare_strict: bool,
    /// With --compare: write this run's captures (and its manifest, for the
    /// masks) into REF_DIR as the new references instead of comparing.
    #[arg(long, requires = "compare", conflicts_with = "compare_strict")]
    pub update_reference: bool,
    /// Also write `NN-<slug>-annotated.png` beside each passed step that
    /// acted on an element: an outline round it, the step number, the
    /// step's `note:` as a callout. Off by default: drift checks need only
    /// the raw evidence.
    #[arg(long)]
    pub annotate: bool,
    /// How annotations look: color=#RRGGBB,width=N,badge=on|off,dim=0..100
    /// (default: color=#F25C05,width=3,badge=on,dim=0).
    #[arg(long, value_name = "STYLE", requires = "annotate", value_parser = parse_style)]
    pub annotate_style: Option<Style>,
    /// Also write `<flow>.gif` in each flow's evidence folder: one frame per
    /// screenshot, annotated where there is an annotated image.
    #[arg(long)]
    pub gif: bool,
    /// How long each GIF frame shows, in milliseconds.
    #[arg(long, value_name = "MS", default_value_t = 1500, requires = "gif",
          value_parser = clap::value_parser!(u64).range(20..=60_000))]
    pub gif_delay: u64,
    /// Widest GIF frame in pixels; wider screenshots are downscaled (Lanczos).
    #[arg(long, value_name = "PX", default_value_t = 800, requires = "gif",
          value_parser = clap::value_parser!(u32).range(16..=4096))]
    pub gif_max_width: u32,
}

impl RunArgs {
    /// The writers' media the flags ask for.
    pub fn media(&self) -> MediaOptions {
        MediaOptions {
            annotate: self
                .annotate
                .then(|| self.annotate_style.unwrap_or_default()),
            gif: self.gif.then(|| GifOptions {
                delay: Duration::from_millis(self.gif_delay),
                max_width: self.gif_max_width,
            }),
        }
    }
}

fn parse_style(s: &str) -> Result<Style, String> {
    s.parse::<Style>().map_err(|e| e.to_string())
}

/// What happened to one runbook.
struct Ran {
    label: String,
    outcome: Option<RunOutcome>,
    /// Why it could not start (no browser, say), and whose fault that is.
    setup_error: Option<(FailureClass, String)>,
}

impl Ran {
    /// The most serious failure of this runbook, if any.
    fn failure_class(&self) -> Option<FailureClass> {
        let setup = self.setup_error.as_ref().map(|(c, _)| *c);
        let ran = self.outcome.as_ref().and_then(RunOutcome::failure_class);
        setup.max(ran)
    }
}

/// Print an error that points at no file, in the one diagnostic shape.
fn error(message: impl Into<String>) {
    eprint!("{}", Diagnostic::plain(message).render(None));
}

/// The exit code of the most serious failure class, 0 when there was none.
fn exit_code(worst: Option<FailureClass>) -> ExitCode {
    ExitCode::from(worst.map_or(EXIT_OK, FailureClass::exit_code))
}

/// `clickpath run`.
pub fn run(args: RunArgs) -> anyhow::Result<ExitCode> {
    // Flags first: a bad URL or run id is a usage error before anything is read.
    if let Err(problem) = check_flags(&args) {
        return Ok(problem.refuse());
    }
    if let Some(Err(e)) = args.totp_seed.as_deref().map(execute::totp_now) {
        error(format!("--totp-seed: {e}"));
        return Ok(ExitCode::from(EXIT_USAGE));
    }
    let cli_vars = match parse_vars(&args.vars) {
        Ok(v) => v,
        Err(e) => {
            error(e);
            return Ok(ExitCode::from(EXIT_USAGE));
        }
    };
    let default = [PathBuf::from("runbooks")];
    let paths = if args.paths.is_empty() {
        &default[..]
    } else {
        &args.paths[..]
    };
    if args.dry_run {
        let runbooks = match load(paths) {
            Ok(r) => r,
            Err(code) => return Ok(code),
        };
        let run_id = args.run_id.clone().unwrap_or_else(default_run_id);
        let chosen = selected(&runbooks, paths);
        if let Err(e) = check_vars_declared(&chosen, &cli_vars) {
            error(e);
            return Ok(ExitCode::from(EXIT_USAGE));
        }
        let planned = dry_run(&args, &chosen, &cli_vars, &run_id);
        return Ok(ExitCode::from(if planned { EXIT_OK } else { EXIT_USAGE }));
    }
    // Where evidence and reports go must be writable before anything
    // starts, not found out after the whole run.
    if let Err(problem) = preflight::check_outputs(&args.out, &args.reports) {
        return Ok(problem.refuse());
    }
    let runtime = tokio::runtime::Runtime::new()?;
    let _in_runtime = runtime.enter();
    // One listener for SIGINT, SIGTERM and SIGHUP for the whole run,
    // installed before anything starts, so a signal while the browser
    // starts or between two runbooks is not lost either.
    let interrupt = super::interrupt_listener()?;
    // The browser and the sandbox take a while to start and need no
    // runbook: start both now, in the background, while this thread loads
    // and plans the runbooks.
    let mut sessions = Sessions::start(
        browser_config(&args),
        Fit {
            viewport: args.viewport.unwrap_or_default(),
            page_timeout: args.timeout,
        },
    );
    let sandbox = args.sandbox.then(|| {
        let config = sandbox::SandboxConfig {
            variant: args.variant.clone(),
            totp_seed: sandbox_totp_seed(&args).to_string(),
            ..sandbox::SandboxConfig::default()
        };
        tokio::spawn(sandbox::start(config))
    });
    let runbooks = match load(paths) {
        Ok(r) => r,
        Err(code) => {
            // Nothing runs: what started meanwhile is stopped at once.
            runtime.block_on(stop_early(&mut sessions, sandbox));
            return Ok(code);
        }
    };
    let start = Start {
        sessions,
        sandbox,
        interrupt,
    };
    runtime.block_on(run_all(
        &args,
        &selected(&runbooks, paths),
        &cli_vars,
        start,
    ))
}

/// Load and validate the runbooks under `paths`, printing every problem;
/// the exit code when there is nothing to run.
fn load(paths: &[PathBuf]) -> Result<Vec<Runbook>, ExitCode> {
    let (runbooks, diags) = crate::runbook::load_all(paths);
    let (errors, _) = super::print_diagnostics(&diags, false);
    if errors > 0 {
        eprintln!("clickpath run: {errors} runbook error(s); nothing was run");
        return Err(ExitCode::from(EXIT_USAGE));
    }
    if selected(&runbooks, paths).is_empty() {
        error(format!("no runbook to run under {}", show_paths(paths)));
        return Err(ExitCode::from(EXIT_USAGE));
    }
    Ok(runbooks)
}

/// The runbooks that run: partials only when named.
fn selected<'a>(runbooks: &'a [Runbook], paths: &[PathBuf]) -> Vec<&'a Runbook> {
    let named: Vec<&PathBuf> = paths.iter().filter(|p| p.is_file()).collect();
    runbooks
        .iter()
        .filter(|rb| !rb.partial || named.contains(&&rb.path))
        .collect()
}

/// The browser options of the run; each runbook's viewport and page timeout
/// come on top (see [`Fit`]).
fn browser_config(args: &RunArgs) -> BrowserConfig {
    BrowserConfig {
        webdriver_url: args.webdriver.clone(),
        chromedriver: args.chromedriver.clone(),
        headed: args.headed,
        browser_binary: None,
        scale: args.scale,
        ..BrowserConfig::default()
    }
}

/// The sandbox being started in the background.
type SandboxStart = JoinHandle<Result<sandbox::Sandbox, sandbox::SandboxError>>;

/// What `run` started before the runbooks were planned.
struct Start<F> {
    sessions: Sessions,
    sandbox: Option<SandboxStart>,
    interrupt: F,
}

/// Stop what was started for a run that ends before its first runbook.
async fn stop_early(sessions: &mut Sessions, sandbox: Option<SandboxStart>) {
    sessions.close().await;
    if let Some(handle) = sandbox {
        if let Ok(Ok(sb)) = handle.await {
            sb.shutdown().await;
        }
    }
}

async fn run_all(
    args: &RunArgs,
    runbooks: &[&Runbook],
    cli_vars: &BTreeMap<String, String>,
    start: Start<impl Future<Output = &'static str>>,
) -> anyhow::Result<ExitCode> {
    let Start {
        mut sessions,
        sandbox,
        interrupt,
    } = start;
    let sandbox = match sandbox {
        Some(handle) => match handle.await {
            Ok(Ok(sb)) => Some(sb),
            Ok(Err(e)) => {
                error(format!("cannot start the sandbox: {e}"));
                sessions.close().await;
                return Ok(exit_code(Some(FailureClass::Environment)));
            }
            Err(e) => std::panic::resume_unwind(e.into_panic()),
        },
        None => None,
    };
    let sandbox_root = match (&sandbox, &args.sandbox_url) {
        (Some(sb), _) => Some(format!("http://{}", sb.addr())),
        (None, Some(url)) => Some(url.trim_end_matches('/').to_string()),
        (None, None) => None,
    };
    let run_id = args.run_id.clone().unwrap_or_else(default_run_id);

    // Plan every runbook first: a missing var or secret is a setup error
    // reported for all runbooks at once, before any runbook runs (the
    // browser being started meanwhile is stopped).
    let mut plans = Vec::new();
    let mut problems = Vec::new();
    if let Err(e) = check_vars_declared(runbooks, cli_vars) {
        error(e);
        sessions.close().await;
        if let Some(sb) = sandbox {
            sb.shutdown().await;
        }
        return Ok(ExitCode::from(EXIT_USAGE));
    }
    for rb in runbooks {
        match plan(rb, args, cli_vars, sandbox_root.as_deref(), &run_id) {
            Ok(p) => plans.push(p),
            Err(d) => problems.push(*d),
        }
    }
    if !problems.is_empty() {
        super::print_diagnostics(&problems, false);
        sessions.close().await;
        if let Some(sb) = sandbox {
            sb.shutdown().await;
        }
        return Ok(ExitCode::from(EXIT_USAGE));
    }
    if let Some(root) = &sandbox_root {
        eprintln!("clickpath: sandbox at {root}");
    }
    // --heal asks a person: only with a terminal to ask at, never in CI.
    let healer = (args.heal && heal_allowed()).then(|| Arc::new(TerminalHealer::default()));
    if args.heal && healer.is_none() {
        eprintln!("warning: {NO_TERMINAL}");
    }
    for p in &mut plans {
        p.config.healer = healer.clone().map(|h| h as Arc<dyn execute::Healer>);
    }

    let interactive = std::io::stderr().is_terminal();
    let mut results: Vec<Ran> = Vec::new();
    let mut interrupted: Option<&'static str> = None;
    let mut interrupt = std::pin::pin!(interrupt);
    for p in &plans {
        // The writer lives outside the run's future: when a signal drops
        // that future mid-step, the manifest it wrote last is still here to
        // be finalised.
        let mut writer = EvidenceWriter::new(&args.out).with_media(args.media());
        if let (Some(reference), false) = (&args.compare, args.update_reference) {
            writer = writer.compare_with(CompareOptions {
                reference: reference.clone(),
                tolerance: args.compare_tolerance,
                strict: args.compare_strict,
            });
        }
        let ran = tokio::select! {
            ran = run_one(p, args, interactive, healer.as_deref(), &mut writer, &mut sessions) => Some(ran),
            signal = &mut interrupt => {
                interrupted = Some(signal);
                None
            }
        };
        let Some(ran) = ran else {
            // run_one's future is dropped by now; stopping the sessions
            // kills chromedriver's process group and removes the profile.
            sessions.stop().await;
            let signal = interrupted.unwrap_or("a signal");
            eprintln!("clickpath: interrupted by {signal}; browser and driver closed");
            let label = format!("{}/{}", p.runbook.provider, p.runbook.flow);
            match writer.interrupted() {
                Ok(Some(outcome)) => results.push(Ran {
                    label,
                    outcome: Some(outcome),
                    setup_error: None,
                }),
                Ok(None) => {}
                Err(e) => error(format!("{label}: could not finalise the manifest: {e}")),
            }
            break;
        };
        if let (Some(reference), true, Some(outcome)) =
            (&args.compare, args.update_reference, &ran.outcome)
        {
            update_reference(&ran.label, outcome, reference);
        }
        let go_on = match (&ran.outcome, &ran.setup_error) {
            (Some(outcome), None) => policy::continue_after(outcome, args.fail_fast),
            _ => !args.fail_fast,
        };
        results.push(ran);
        if !go_on {
            break;
        }
    }
    sessions.close().await;
    if let Some(sb) = sandbox {
        sb.shutdown().await;
    }
    // Interrupted or not, the reports cover what was done.
    let not_run_because = match interrupted {
        Some(signal) => format!("interrupted by {signal}"),
        None => "--fail-fast".to_string(),
    };
    let reports_ok = finish_reports(args, &run_id, &results, plans.len(), &not_run_because);
    // The most serious class wins: interrupted > environment > usage > page.
    let worst = results
        .iter()
        .filter_map(Ran::failure_class)
        .chain((!reports_ok).then_some(FailureClass::Environment))
        .chain(interrupted.map(|_| FailureClass::Interrupted))
        .max();
    Ok(exit_code(worst))
}

/// `--update-reference`: the run's captures become the references; prints
/// each file written.
fn update_reference(label: &str, outcome: &RunOutcome, reference: &Path) {
    if !outcome.passed() {
        eprintln!("warning: {label}: the run did not pass; references are written for its passed steps only");
    }
    match crate::evidence::update_reference(outcome, reference) {
        Ok(written) => {
            for p in written {
                println!("reference: {}", p.display());
            }
        }
        Err(e) => error(format!("{label}: could not write the references: {e}")),
    }
}

/// Run one runbook in a session of its own or one isolated from the
/// runbooks before it (see [`Sessions`]).
///
/// The evidence goes through `writer`, which the caller keeps: if this
/// future is dropped (a signal), the caller finalises the manifest.
async fn run_one(
    p: &Planned<'_>,
    args: &RunArgs,
    interactive: bool,
    healer: Option<&TerminalHealer>,
    writer: &mut EvidenceWriter,
    sessions: &mut Sessions,
) -> Ran {
    let label = format!("{}/{}", p.runbook.provider, p.runbook.flow);
    // The session's page loads honour the step deadline: --timeout, or the
    // longest `timeout:` a step of this runbook asks for.
    let page_timeout = p
        .runbook
        .steps
        .iter()
        .filter_map(|s| s.timeout)
        .fold(args.timeout, Duration::max);
    let fit = Fit {
        viewport: p.viewport,
        page_timeout,
    };
    let browser = match sessions.next(fit).await {
        Ok(b) => b,
        Err(e) => {
            error(format!("{label}: {e}"));
            return Ran {
                label,
                outcome: None,
                setup_error: Some((FailureClass::Environment, e.to_string())),
            };
        }
    };
    let mut outcome = {
        let mut sink = Progress::new(writer, &label, interactive);
        if let Some(h) = healer {
            h.show_over(sink.bar());
        }
        let outcome = execute::run(browser, p.runbook, &p.config, &mut sink).await;
        if let Some(h) = healer {
            h.show_over(None);
        }
        outcome
    };
    // The diagnosis's edit as a runbook patch beside the manifest, before
    // the failure is printed (it names the patch and the article's line).
    super::fix::attach(&mut outcome, p.runbook, writer);
    // Where the runbook went, so the next one finds nothing of it there.
    let visited = std::iter::once(p.config.base_url.clone())
        .chain(outcome.steps.iter().filter_map(|s| s.url.clone()))
        .collect();
    sessions.finished(visited);
    if let Some(d) = report::terminal::failure(&outcome) {
        super::print_diagnostics(&[d], false);
    } else if let Some(n) = outcome.probed_through {
        eprintln!(
            "[{label}] probe: verified through step {n} of {total}; steps after {n} need the account to change",
            total = p.runbook.steps.len()
        );
    } else if args.probe {
        eprintln!(
            "[{label}] probe: no destructive step; all {} steps ran",
            p.runbook.steps.len()
        );
    }
    Ran {
        label,
        outcome: Some(outcome),
        setup_error: None,
    }
}

/// Parse `10s`, `500ms`, `2m` or a bare number of seconds.
pub fn parse_duration(s: &str) -> Result<Duration, String> {
    let s = s.trim();
    let (num, unit) = match s.find(|c: char| !c.is_ascii_digit() && c != '.') {
        Some(i) => (&s[..i], &s[i..]),
        None => (s, "s"),
    };
    let n: f64 = num
        .parse()
        .map_err(|_| format!("`{s}`: expected a duration such as 10s or 500ms"))?;
    let secs = match unit {
        "ms" => n / 1000.0,
        "s" => n,
        "m" => n * 60.0,
        _ => return Err(format!("`{s}`: unknown unit `{unit}` (use ms, s or m)")),
    };
    if !(secs.is_finite() && secs > 0.0 && secs < 86_400.0) {
        return Err(format!("`{s}`: must be more than 0 and less than a day"));
    }
    Ok(Duration::from_secs_f64(secs))
}

/// Parse `1280x800`.
pub fn parse_viewport(s: &str) -> Result<Viewport, String> {
    let err = || format!("`{s}`: expected WIDTHxHEIGHT, e.g. 1280x800");
    let (w, h) = s.split_once(['x', 'X']).ok_or_else(err)?;
    let width: u32 = w.trim().parse().map_err(|_| err())?;
    let height: u32 = h.trim().parse().map_err(|_| err())?;
    if !(200..=8000).contains(&width) || !(200..=8000).contains(&height) {
        return Err(format!(
            "`{s}`: width and height must be 200 to 8000 pixels"
        ));
    }
    Ok(Viewport { width, height })
}

fn default_run_id() -> String {
    // rfc3339 gives 2026-11-24T15:04:05Z; keep digits only for a path-safe id.
    let stamp = crate::time::rfc3339(SystemTime::now());
    let digits: String = stamp.chars().filter(char::is_ascii_digit).collect();
    let (date, time) = digits.split_at(digits.len().min(8));
    format!("run-{date}-{}", time.get(..6).unwrap_or(time))
}

fn show_paths(paths: &[PathBuf]) -> String {
    paths
        .iter()
        .map(|p| p.display().to_string())
        .collect::<Vec<_>>()
        .join(", ")
}

/// After the run: the summary table, the requested reports, GitHub
/// annotations and where the evidence is. Reports read the manifests this
/// run wrote, never the browser.
/// Returns false when a requested report could not be written.
fn finish_reports(
    args: &RunArgs,
    run_id: &str,
    results: &[Ran],
    planned: usize,
    not_run_because: &str,
) -> bool {
    let mut runbooks = Vec::new();
    for r in results {
        let Some(outcome) = &r.outcome else { continue };
        let Some(dir) = &outcome.evidence_dir else {
            continue;
        };
        // Reports read what was written: the manifest on disk, not memory.
        match RunbookReport::read(dir) {
            Ok(rb) => runbooks.push(rb),
            Err(e) => eprintln!("warning: {}: cannot read its manifest: {e}", r.label),
        }
    }
    let run = RunReport::new(run_id, runbooks);
    if results.len() > 1 || results.len() < planned {
        eprint!("\nsummary:\n{}", report::summary_table(&run));
        for r in results {
            if let Some((_, e)) = &r.setup_error {
                eprintln!(
                    "{}: not run: {}",
                    r.label,
                    e.lines().next().unwrap_or_default()
                );
            }
        }
        if results.len() < planned {
            eprintln!(
                "{} runbook(s) not run ({not_run_because})",
                planned - results.len()
            );
        }
    }
    let mut ok = true;
    if !args.reports.is_empty() {
        match report::write_all(&args.reports, &run) {
            Ok(paths) => {
                for p in paths {
                    eprintln!("report: {}", p.display());
                }
            }
            Err(e) => {
                error(format!("writing reports: {e}"));
                ok = false;
            }
        }
    }
    if report::in_github_actions() {
        for line in report::github_annotations(&run) {
            println!("{line}");
        }
    }
    if let Some(dir) = results
        .iter()
        .rev()
        .find_map(|r| r.outcome.as_ref()?.evidence_dir.as_ref())
    {
        // <out>/<run-id>/<provider>/<flow>: the run directory is two up.
        let run_dir = dir.parent().and_then(Path::parent).unwrap_or(dir);
        eprintln!("evidence: {}", run_dir.display());
    }
    ok
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_parse_with_units() {
        assert_eq!(parse_duration("10s"), Ok(Duration::from_secs(10)));
        assert_eq!(parse_duration("500ms"), Ok(Duration::from_millis(500)));
        assert_eq!(parse_duration("2m"), Ok(Duration::from_secs(120)));
        assert_eq!(parse_duration("3"), Ok(Duration::from_secs(3)));
        assert!(parse_duration("0s").is_err());
        assert!(parse_duration("ten").is_err());
        assert!(parse_duration("5h").is_err());
    }

    #[test]
    fn viewports_parse_and_reject_nonsense() {
        assert_eq!(
            parse_viewport("1280x800"),
            Ok(Viewport {
                width: 1280,
                height: 800
            })
        );
        assert!(parse_viewport("1280").is_err());
        assert!(parse_viewport("10x10").is_err());
    }

    #[test]
    fn default_run_ids_are_path_safe() {
        let id = default_run_id();
        assert!(id.starts_with("run-"), "{id}");
        assert!(
            id.chars().all(|c| c.is_ascii_alphanumeric() || c == '-'),
            "{id}"
        );
        assert_eq!(id.len(), "run-20261124-150405".len(), "{id}");
    }
}
