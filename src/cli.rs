//! The command line: clap options, wiring the stages together. No browser or YAML code here.

use std::process::ExitCode;

use clap::{Parser, Subcommand};

mod baseline;
mod fix;
mod guide;
mod heal;
mod plan;
mod preflight;
mod progress;
mod run;
mod session;
mod values;
pub use run::{parse_duration, parse_viewport, RunArgs};

/// The exit codes of `clickpath run`, as `--help` prints them.
pub const EXIT_CODES: &str = "\
Exit codes:
  0    every runbook passed
  1    a step failed on the page: a locator, an expectation, an unexpected dialog or HTTP 4xx,
       a visual change under --compare (the UI differs from the runbook)
  2    usage error, or an invalid runbook given to `run`
  3    the environment failed: browser, driver, network or DNS, a page server error (HTTP 5xx),
       an evidence or report write
  130  interrupted (Ctrl-C, SIGTERM or SIGHUP)
With several runbooks the most serious kind wins: 130, then 3, then 2, then 1.
`clickpath check` exits 1 when it finds errors, as linters do.";

/// clickpath: replay documented UI click paths in a real browser.
#[derive(Debug, Parser)]
#[command(name = "clickpath", version, about, after_help = EXIT_CODES)]
pub struct Cli {
    /// Log what clickpath does (-v: info, -vv: debug, -vvv: trace) to stderr.
    #[arg(short, long, global = true, action = clap::ArgAction::Count)]
    pub verbose: u8,
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// Subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Check runbooks for errors without a browser.
    Check {
        /// Runbook files or directories (default: runbooks/).
        paths: Vec<std::path::PathBuf>,
        /// Also check each step's quoted words against its local source article.
        #[arg(long)]
        against_source: bool,
    },
    /// Show the runbook patch a failed run proposes (fix.patch), recomputed
    /// against the runbooks as they are now; --write applies it.
    #[command(after_help = "\
Exit codes:
  0    a patch was shown (or written with --write)
  1    nothing to fix: the runs passed, their failures have no suggestion,
       the runbook already has the change, or the edit no longer applies
  2    usage error: RUN_DIR is not a run's evidence directory")]
    Fix {
        /// A run's evidence: screenshots/<run-id>, screenshots/latest, or
        /// one flow's directory (the one with manifest.json).
        run_dir: std::path::PathBuf,
        /// Write the patched runbooks instead of printing the diff.
        #[arg(long)]
        write: bool,
    },
    /// Write a step-by-step guide (Markdown and HTML, with the run's images)
    /// for each runbook from an existing run; no browser needed.
    #[command(after_help = guide::EXIT_CODES)]
    Guide(guide::GuideArgs),
    /// Print the JSON Schema of the runbook format (runbook.schema.json).
    Schema {
        /// Print the schema of the run manifest instead (manifest.schema.json).
        #[arg(long)]
        manifest: bool,
    },
    /// Replay runbooks in a real browser, keeping a screenshot of every step.
    #[command(after_help = EXIT_CODES)]
    Run(Box<RunArgs>),
    /// Serve the sandbox replicas of the vendor screens until Ctrl-C.
    Sandbox {
        /// Port to listen on (0 lets the OS choose).
        #[arg(long, default_value_t = 8080)]
        port: u16,
        /// Address to bind; only loopback unless --allow-remote.
        #[arg(long, default_value = "127.0.0.1")]
        bind: std::net::IpAddr,
        /// Allow binding a non-loopback address (exposes the sandbox to the network).
        #[arg(long)]
        allow_remote: bool,
        /// Serve a drift variant of the screens (see docs/sandbox.md).
        #[arg(long, value_name = "NAME")]
        variant: Option<String>,
        /// Base32 TOTP seed for the sign-in code (default: the public sandbox seed).
        #[arg(long, value_name = "BASE32")]
        totp_seed: Option<String>,
    },
    /// Internal: the guardian `run` starts, which stops the browser and
    /// removes its profile if clickpath dies (see `browser/guard.rs`).
    #[command(name = crate::browser::GUARD_COMMAND, hide = true)]
    Guard,
}

/// Run the command line; returns the process exit code.
pub fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    init_logging(cli.verbose);
    match cli.command {
        Command::Run(args) => {
            // A killed run's browser and profile are cleaned up by a copy of
            // this executable (the guardian); without it, drops and signal
            // handlers still clean up everything but a SIGKILL.
            match std::env::current_exe() {
                Ok(exe) => crate::browser::enable_guardian(exe),
                Err(e) => tracing::warn!("no cleanup guardian: {e}"),
            }
            run::run(*args)
        }
        Command::Guard => {
            crate::browser::serve_guardian();
            Ok(ExitCode::SUCCESS)
        }
        Command::Check {
            paths,
            against_source,
        } => Ok(check(&paths, against_source)),
        Command::Fix { run_dir, write } => Ok(fix::fix(&run_dir, write)),
        Command::Guide(args) => Ok(guide::guide(&args)),
        Command::Schema { manifest } => {
            if manifest {
                print!("{}", crate::outcome::json_schema());
            } else {
                print!("{}", crate::runbook::schema::json_schema());
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Sandbox {
            port,
            bind,
            allow_remote,
            variant,
            totp_seed,
        } => run_sandbox(crate::sandbox::SandboxConfig {
            bind,
            port,
            allow_remote,
            variant,
            totp_seed: totp_seed.unwrap_or_else(|| crate::sandbox::DEFAULT_TOTP_SEED.to_string()),
        }),
    }
}

/// `clickpath check`: load and validate every runbook under `paths`, print
/// every diagnostic to stderr and a summary; exit 0 clean, 1 on any error.
pub fn check(paths: &[std::path::PathBuf], against_source: bool) -> ExitCode {
    use crate::runbook::{parse, source};
    let default = [std::path::PathBuf::from("runbooks")];
    let paths = if paths.is_empty() {
        &default[..]
    } else {
        paths
    };
    let checked = parse::count_files(paths);
    let (runbooks, mut diags) = crate::runbook::load_all(paths);
    if against_source {
        for rb in &runbooks {
            let Some(article) = source::article_path(rb) else {
                if let Some(src) = rb.source.as_deref().filter(|s| !s.contains("://")) {
                    diags.push(
                        crate::diagnostic::Diagnostic::warning(
                            &rb.path,
                            None,
                            format!("source article `{src}` not found; not compared"),
                        )
                        .with_label(
                            "paths are relative to the runbook, else to the working directory",
                        ),
                    );
                }
                continue;
            };
            match parse::read_source(&article) {
                Ok(text) => diags.extend(source::against_source(rb, &text)),
                Err(d) => diags.push(*d),
            }
        }
    }
    let (errors, warnings) = print_diagnostics(&diags, true);
    let plural = |n: usize, w: &str| format!("{n} {w}{}", if n == 1 { "" } else { "s" });
    eprintln!(
        "checked {}: {}, {}",
        plural(checked, "runbook"),
        plural(errors, "error"),
        plural(warnings, "warning")
    );
    if errors > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

/// `clickpath sandbox`: serve until Ctrl-C, printing base URLs and credentials.
fn run_sandbox(config: crate::sandbox::SandboxConfig) -> anyhow::Result<ExitCode> {
    use crate::sandbox;
    let custom_seed = config.totp_seed != sandbox::DEFAULT_TOTP_SEED;
    let variant = config.variant.clone();
    let runtime = tokio::runtime::Runtime::new()?;
    runtime.block_on(async move {
        // Listen for Ctrl-C before saying "press Ctrl-C": a signal sent right
        // after the banner must stop the server cleanly, not kill it.
        let interrupted = interrupt_listener()?;
        let sb = sandbox::start(config).await?;
        println!("clickpath sandbox listening on http://{}", sb.addr());
        for p in sandbox::PROVIDERS {
            println!("  {p:<7} {}/", sb.base_url(p));
        }
        if let Some(v) = variant {
            println!("  variant: {v}");
        }
        println!("sign in with:");
        println!("  email     {}", sandbox::SANDBOX_EMAIL);
        println!("  password  {}", sandbox::SANDBOX_PASSWORD);
        if custom_seed {
            println!("  TOTP seed (the one given with --totp-seed)");
        } else {
            println!(
                "  TOTP seed {} (public sandbox seed)",
                sandbox::DEFAULT_TOTP_SEED
            );
        }
        println!(
            "state: GET {0}/__sandbox/state, reset: POST {0}/__sandbox/reset",
            sb.base_url("").trim_end_matches('/')
        );
        println!("press Ctrl-C to stop");
        interrupted.await;
        sb.shutdown().await;
        Ok(ExitCode::SUCCESS)
    })
}

/// A future that resolves with the signal's name on Ctrl-C (SIGINT),
/// SIGTERM (`kill`, a service manager stopping us) or SIGHUP (the terminal
/// went away), with the handlers installed now. All three take the same
/// path: close the browser, keep the evidence, exit 130.
#[cfg(unix)]
fn interrupt_listener() -> std::io::Result<impl std::future::Future<Output = &'static str>> {
    use tokio::signal::unix::{signal, SignalKind};
    let mut sigint = signal(SignalKind::interrupt())?;
    let mut sigterm = signal(SignalKind::terminate())?;
    let mut sighup = signal(SignalKind::hangup())?;
    Ok(async move {
        tokio::select! {
            _ = sigint.recv() => "SIGINT",
            _ = sigterm.recv() => "SIGTERM",
            _ = sighup.recv() => "SIGHUP",
        }
    })
}

/// A future that resolves on Ctrl-C.
#[cfg(not(unix))]
fn interrupt_listener() -> std::io::Result<impl std::future::Future<Output = &'static str>> {
    Ok(async {
        let _ = tokio::signal::ctrl_c().await;
        "Ctrl-C"
    })
}

/// Print diagnostics to stderr through the one renderer (with their source
/// lines); returns (errors, warnings). Warnings are counted but only printed
/// when `warnings` is true.
pub fn print_diagnostics(
    diags: &[crate::diagnostic::Diagnostic],
    warnings: bool,
) -> (usize, usize) {
    let mut texts = std::collections::HashMap::new();
    let (mut errors, mut warned) = (0, 0);
    for d in diags {
        if d.is_error() {
            errors += 1;
        } else {
            warned += 1;
            if !warnings {
                continue;
            }
        }
        let text = match d.span {
            Some(_) => texts
                .entry(d.file.clone())
                .or_insert_with(|| crate::runbook::parse::read_source(&d.file).ok())
                .as_deref(),
            None => None,
        };
        eprint!("{}", d.render(text));
        eprintln!();
    }
    (errors, warned)
}

/// Send tracing logs to stderr at a level chosen by `-v` (or `RUST_LOG`).
///
/// `-v` shows what clickpath does (browser start, session, close), `-vv`
/// adds every WebDriver command with its duration, `-vvv` everything. A
/// non-empty `RUST_LOG` replaces the level `-v` picks.
fn init_logging(verbose: u8) {
    use std::io::IsTerminal;
    let level = match verbose {
        0 => return,
        1 => "clickpath=info",
        2 => "clickpath=debug",
        _ => "clickpath=trace",
    };
    let filter = std::env::var("RUST_LOG")
        .ok()
        .filter(|v| !v.trim().is_empty())
        .and_then(|v| tracing_subscriber::EnvFilter::try_new(v).ok())
        .unwrap_or_else(|| tracing_subscriber::EnvFilter::new(level));
    // A second init (tests calling run twice) is harmless: ignore the error.
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_ansi(std::io::stderr().is_terminal())
        .with_target(false)
        .with_timer(tracing_subscriber::fmt::time::uptime())
        .try_init();
}
