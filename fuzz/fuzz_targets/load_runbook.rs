//! Coverage-guided fuzz target: any bytes as a runbook file, through the same
//! checks as a file on disk (size, NUL, UTF-8), the YAML layer, conversion,
//! `use` expansion and validation.
//!
//! Fails on a panic (libFuzzer reports it as a crash), on a hang (run with
//! `-timeout`), and on an error that points nowhere: every error must carry a
//! `line:col` inside the file (or line 1 of a file without lines).

#![no_main]

use std::path::Path;

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    // A directory that does not exist: `use` steps find no file, and the
    // provider comes from the directory name as for `runbooks/xero/`.
    let path = Path::new("fuzz-no-such-dir/xero/10-fuzzed.yaml");
    let Err(diags) = clickpath::runbook::parse_bytes(path, data) else {
        return;
    };
    let lines = line_count(data);
    for d in diags.iter().filter(|d| d.is_error()) {
        let Some(span) = d.span else {
            panic!("error without a position: {d:?}");
        };
        if d.file == path {
            assert!(
                span.start.line >= 1 && span.start.column >= 1 && span.start.line <= lines + 1,
                "error outside the file ({lines} lines): {d:?}"
            );
        }
    }
});

/// Lines as YAML counts them: `\n`, `\r\n` and a lone `\r` end a line.
fn line_count(bytes: &[u8]) -> usize {
    let breaks = bytes
        .iter()
        .enumerate()
        .filter(|&(i, &b)| b == b'\n' || (b == b'\r' && bytes.get(i + 1) != Some(&b'\n')))
        .count();
    breaks + 1
}
