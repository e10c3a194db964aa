//! The command line: clap options, wiring the stages together. No browser or YAML code here.

use std::process::ExitCode;

use clap::{Parser, Subcommand};

/// clickpath: replay documented UI click paths in a real browser.
#[derive(Debug, Parser)]
#[command(name = "clickpath", version, about)]
pub struct Cli {
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
    },
}

/// Run the command line; returns the process exit code.
pub fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    match cli.command {
        Command::Check { .. } => Ok(ExitCode::SUCCESS),
    }
}
