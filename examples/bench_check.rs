//! Benchmark: generate 1,000 runbooks (each `use`s a shared login) into a temp
//! dir and time `load_all` (read, parse, expand, validate). Not a test; run
//! `cargo run --release --example bench_check`.

use std::path::PathBuf;
use std::time::Instant;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let tmp = std::env::temp_dir().join(format!("clickpath-bench-{}", std::process::id()));
    let dir = tmp.join("runbooks/xero");
    std::fs::create_dir_all(&dir)?;
    std::fs::write(
        dir.join("login.yaml"),
        include_str!("../runbooks/xero/login.yaml"),
    )?;
    let flow = include_str!("../runbooks/xero/10-invite_user.yaml");
    for i in 0..999 {
        std::fs::write(dir.join(format!("{i:04}-invite_user.yaml")), flow)?;
    }
    let paths = [PathBuf::from(&dir)];
    let mut best = f64::MAX;
    let mut loaded = 0;
    let mut diags = 0;
    for _ in 0..5 {
        let start = Instant::now();
        let (runbooks, d) = clickpath::runbook::load_all(&paths);
        let secs = start.elapsed().as_secs_f64();
        best = best.min(secs);
        loaded = runbooks.len();
        diags = d.len();
    }
    std::fs::remove_dir_all(&tmp)?;
    println!(
        "load_all+validate: {loaded} runbooks ({diags} diagnostics) in {:.1} ms (best of 5)",
        best * 1000.0
    );
    Ok(())
}
