//! Property tests of runbook loading (issue 11, "Survive faults and bad
//! input"): random mutations of the committed runbooks and invalid fixtures,
//! and random YAML-shaped text, never panic, never hang, and every error
//! points at `file:line:col` inside the file.
//!
//! The coverage-guided fuzzer (`scripts/fuzz.sh`, `fuzz/`) explores far more
//! inputs; this runs a few thousand cases in seconds with every `cargo test`.

use std::path::{Path, PathBuf};
use std::sync::{mpsc, OnceLock};
use std::time::Duration;

use clickpath::runbook::parse_bytes;
use proptest::prelude::*;

/// Longest time one input may take to load (a hang is a failure).
const PER_CASE: Duration = Duration::from_secs(5);

/// The seeds: every runbook and every invalid fixture that is not too large.
fn seeds() -> &'static [Vec<u8>] {
    static SEEDS: OnceLock<Vec<Vec<u8>>> = OnceLock::new();
    SEEDS.get_or_init(read_seeds)
}

fn read_seeds() -> Vec<Vec<u8>> {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let mut files = Vec::new();
    for dir in ["runbooks", "tests/fixtures/invalid"] {
        collect(&root.join(dir), &mut files);
    }
    files.sort();
    let seeds: Vec<Vec<u8>> = files
        .iter()
        .filter_map(|f| std::fs::read(f).ok())
        .filter(|b| b.len() <= 64 * 1024)
        .collect();
    assert!(seeds.len() >= 30, "only {} seeds", seeds.len());
    seeds
}

fn collect(dir: &Path, out: &mut Vec<PathBuf>) {
    for e in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        let p = e.path();
        if p.is_dir() {
            collect(&p, out);
        } else if p.extension().is_some_and(|e| e == "yaml") {
            out.push(p);
        }
    }
}

/// Load `bytes` as a runbook on another thread; fail on a panic, on a hang
/// and on an error without a position inside the file.
fn check(bytes: Vec<u8>) -> Result<(), TestCaseError> {
    let (tx, rx) = mpsc::channel();
    let input = bytes.clone();
    let worker = std::thread::Builder::new()
        .stack_size(8 << 20)
        .spawn(move || {
            let path = Path::new("props-no-such-dir/xero/10-prop.yaml");
            let result = std::panic::catch_unwind(|| parse_bytes(path, &input));
            let _ = tx.send(result.map(|r| r.err().unwrap_or_default()));
        })
        .map_err(|e| TestCaseError::fail(format!("spawn: {e}")))?;
    let diags = match rx.recv_timeout(PER_CASE) {
        Ok(Ok(diags)) => diags,
        Ok(Err(_)) => return Err(TestCaseError::fail("loading panicked")),
        Err(_) => {
            return Err(TestCaseError::fail(format!(
                "no answer within {PER_CASE:?}"
            )))
        }
    };
    let _ = worker.join();
    let lines = line_count(&bytes);
    for d in diags.iter().filter(|d| d.is_error()) {
        let Some(span) = d.span else {
            return Err(TestCaseError::fail(format!(
                "error without a position: {d:?}"
            )));
        };
        prop_assert!(
            span.start.line >= 1 && span.start.column >= 1 && span.start.line <= lines + 1,
            "error outside the file ({} lines): {:?}",
            lines,
            d
        );
    }
    Ok(())
}

/// One edit of a runbook's bytes.
#[derive(Debug, Clone)]
enum Edit {
    /// Replace the byte at a position (modulo the length).
    Set(usize, u8),
    /// Insert a YAML-significant fragment.
    Insert(usize, &'static str),
    /// Delete a range.
    Delete(usize, usize),
    /// Repeat a range (deep nesting, long lines, many steps).
    Repeat(usize, usize, usize),
}

const FRAGMENTS: [&str; 24] = [
    ":",
    "- ",
    "\n",
    "  ",
    "\t",
    "{",
    "}",
    "[",
    "]",
    "\"",
    "'",
    "#",
    "---\n",
    "...\n",
    "&a ",
    "*a",
    "!!binary ",
    "|\n",
    "{customer}",
    "timeout: 1e400s",
    "\u{feff}",
    "\0",
    "\r",
    "é",
];

fn edit() -> impl Strategy<Value = Edit> {
    prop_oneof![
        (any::<usize>(), any::<u8>()).prop_map(|(i, b)| Edit::Set(i, b)),
        (any::<usize>(), 0..FRAGMENTS.len()).prop_map(|(i, f)| Edit::Insert(i, FRAGMENTS[f])),
        (any::<usize>(), 0usize..64).prop_map(|(i, n)| Edit::Delete(i, n)),
        (any::<usize>(), 1usize..48, 1usize..200).prop_map(|(i, n, k)| Edit::Repeat(i, n, k)),
    ]
}

fn apply(mut bytes: Vec<u8>, edits: &[Edit]) -> Vec<u8> {
    for e in edits {
        let at = |i: usize, len: usize| if len == 0 { 0 } else { i % (len + 1) };
        match *e {
            Edit::Set(i, b) if !bytes.is_empty() => {
                let i = i % bytes.len();
                bytes[i] = b;
            }
            Edit::Set(..) => {}
            Edit::Insert(i, f) => {
                let i = at(i, bytes.len());
                bytes.splice(i..i, f.bytes());
            }
            Edit::Delete(i, n) => {
                let i = at(i, bytes.len());
                let end = (i + n).min(bytes.len());
                bytes.drain(i..end);
            }
            Edit::Repeat(i, n, k) => {
                let i = at(i, bytes.len());
                let end = (i + n).min(bytes.len());
                let chunk = bytes[i..end].to_vec();
                if bytes.len() + chunk.len() * k <= 256 * 1024 {
                    for _ in 0..k {
                        bytes.splice(end..end, chunk.iter().copied());
                    }
                }
            }
        }
    }
    bytes
}

/// YAML-shaped text: keys of the runbook format and values of every kind.
fn yamlish() -> impl Strategy<Value = String> {
    let key = prop_oneof![
        Just("name".to_string()),
        Just("base_url".to_string()),
        Just("steps".to_string()),
        Just("doc".to_string()),
        Just("click".to_string()),
        Just("fill".to_string()),
        Just("expect".to_string()),
        Just("goto".to_string()),
        Just("use".to_string()),
        Just("vars".to_string()),
        Just("secrets".to_string()),
        Just("timeout".to_string()),
        Just("viewport".to_string()),
        Just("button".to_string()),
        Just("label".to_string()),
        "[a-z_]{1,8}",
    ];
    let scalar = prop_oneof![
        "[ -~]{0,20}",
        "[0-9]{1,30}(ms|s|m|h)?",
        Just("\"{customer}\"".to_string()),
        Just("~".to_string()),
        Just("[]".to_string()),
        Just("{}".to_string()),
    ];
    let line = (0usize..6, key, any::<bool>(), scalar).prop_map(|(indent, k, item, v)| {
        format!(
            "{}{}{k}: {v}",
            "  ".repeat(indent),
            if item { "- " } else { "" }
        )
    });
    prop::collection::vec(line, 0..40).prop_map(|lines| lines.join("\n"))
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: 2000,
        failure_persistence: None,
        ..ProptestConfig::default()
    })]

    #[test]
    fn mutated_runbooks_never_panic_or_hang_and_errors_are_located(
        seed in any::<prop::sample::Index>(),
        edits in prop::collection::vec(edit(), 1..8),
    ) {
        let seeds = seeds();
        let bytes = apply(seeds[seed.index(seeds.len())].clone(), &edits);
        check(bytes)?;
    }

    #[test]
    fn random_yaml_never_panics_or_hangs_and_errors_are_located(text in yamlish()) {
        check(text.into_bytes())?;
    }

    #[test]
    fn random_bytes_never_panic_or_hang_and_errors_are_located(
        bytes in prop::collection::vec(any::<u8>(), 0..512),
    ) {
        check(bytes)?;
    }
}

#[test]
fn issue_11_deep_nesting_and_oversized_input_are_errors_not_crashes() {
    for bytes in [
        "[".repeat(200_000).into_bytes(),
        "{a: ".repeat(100_000).into_bytes(),
        format!("steps:\n{}", "  - ".repeat(100_000)).into_bytes(),
        vec![b'#'; 1024 * 1024 + 1],
        Vec::new(),
    ] {
        check(bytes).unwrap_or_else(|e| panic!("{e}"));
    }
}

/// Lines as YAML counts them: `\n`, `\r\n` and a lone `\r` end a line.
fn line_count(bytes: &[u8]) -> usize {
    let breaks = bytes
        .iter()
        .enumerate()
        .filter(|&(i, &b)| b == b'\n' || (b == b'\r' && bytes.get(i + 1) != Some(&b'\n')))
        .count();
    breaks + 1
}
