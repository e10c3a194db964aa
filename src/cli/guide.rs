//! `clickpath guide`: help-center guides from runbooks and an existing run.
//!
//! Glue only: loads the runbooks, reads the run's manifests
//! ([`crate::report::RunReport`]), pairs them by provider/flow and has
//! [`crate::report::guide::Guide`] write each guide. No browser.

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use crate::report::guide::Guide;
use crate::report::RunReport;

/// The exit codes of `clickpath guide`, as `--help` prints them.
pub const EXIT_CODES: &str = "\
Exit codes:
  0    every guide was written (steps without a screenshot are listed without an image, with a warning)
  2    usage error: RUN_DIR holds no manifest, or none for a runbook given (the others are still written),
       or an invalid runbook
  3    a guide could not be written (the file system)";

const EXIT_USAGE: u8 = 2;
const EXIT_WRITE: u8 = 3;

/// Options of `clickpath guide`.
#[derive(Debug, clap::Args)]
pub struct GuideArgs {
    /// Runbook files or directories (default: runbooks/); `partial: true`
    /// runbooks (logins) are only guided as part of the flows that use them.
    pub paths: Vec<PathBuf>,
    /// The run to take the images from: screenshots/<run-id> or screenshots/latest.
    #[arg(long, value_name = "RUN_DIR")]
    pub from: PathBuf,
    /// Where to write the guides: DIR/<provider>/<flow>.md, .html and DIR/<provider>/<flow>/ images.
    #[arg(long, value_name = "DIR")]
    pub out: PathBuf,
    /// Print how long each guide took (milliseconds) to stderr.
    #[arg(long)]
    pub timings: bool,
}

/// `clickpath guide`: write a guide per runbook; see [`EXIT_CODES`].
pub(crate) fn guide(args: &GuideArgs) -> ExitCode {
    let default = [PathBuf::from("runbooks")];
    let paths = if args.paths.is_empty() {
        &default[..]
    } else {
        &args.paths[..]
    };
    let (runbooks, diags) = crate::runbook::load_all(paths);
    let (errors, _) = super::print_diagnostics(&diags, false);
    if errors > 0 {
        eprintln!("error: fix the runbooks above first (`clickpath check`)");
        return ExitCode::from(EXIT_USAGE);
    }
    let run = match RunReport::from_run_dir(&args.from) {
        Ok(r) => r,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::from(EXIT_USAGE);
        }
    };
    let mut code = 0u8;
    let mut written = 0usize;
    for rb in runbooks.iter().filter(|rb| !rb.partial) {
        let started = Instant::now();
        let Some(report) = run
            .runbooks
            .iter()
            .find(|r| r.manifest.provider == rb.provider && r.manifest.flow == rb.flow)
        else {
            eprintln!(
                "error: {}: no manifest for {}/{} in {} (run it first: clickpath run {})",
                rb.path.display(),
                rb.provider,
                rb.flow,
                args.from.display(),
                rb.path.display()
            );
            code = code.max(EXIT_USAGE);
            continue;
        };
        let guide = Guide::new(rb, report);
        if report.manifest.steps_total != rb.steps.len() {
            eprintln!(
                "warning: {}: the run had {} steps, the runbook has {} now; images are matched by step number",
                rb.path.display(),
                report.manifest.steps_total,
                rb.steps.len()
            );
        }
        for step in guide.steps_without_image() {
            eprintln!(
                "warning: {}: step {} is listed without an image: {}",
                rb.path.display(),
                step.number,
                step.missing.as_deref().unwrap_or("no screenshot")
            );
        }
        match guide.write(&args.out) {
            Ok(w) => {
                written += 1;
                if args.timings {
                    eprintln!(
                        "{}/{}: {:.1} ms ({} steps, {} images)",
                        rb.provider,
                        rb.flow,
                        started.elapsed().as_secs_f64() * 1000.0,
                        guide.steps.len(),
                        w.images
                    );
                }
                println!("{}", w.markdown.display());
                println!("{}", w.html.display());
            }
            Err(e) => {
                eprintln!("error: {}: {e}", rb.path.display());
                code = code.max(EXIT_WRITE);
            }
        }
    }
    eprintln!(
        "{written} guide{} written to {}",
        if written == 1 { "" } else { "s" },
        args.out.display()
    );
    ExitCode::from(code)
}
