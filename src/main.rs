use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    let cli = clickpath::cli::Cli::parse();
    match clickpath::cli::run(cli) {
        Ok(code) => code,
        Err(err) => {
            // The binary's edge: anyhow's cause chain, in the one error shape.
            let d = clickpath::diagnostic::Diagnostic::plain(format!("{err:#}"));
            eprint!("{}", d.render(None));
            ExitCode::from(2)
        }
    }
}
