use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    let cli = clickpath::cli::Cli::parse();
    match clickpath::cli::run(cli) {
        Ok(code) => code,
        Err(err) => {
            eprintln!("error: {err:#}");
            ExitCode::from(2)
        }
    }
}
