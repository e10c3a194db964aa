//! Checks of `clickpath run`'s options that need no runbook and no browser:
//! URLs, the run id, and whether the evidence and report paths can be
//! written. They run before any sandbox, driver or browser starts, so a typo
//! costs nothing and the message names the flag and the path.
//!
//! Knows nothing of runbooks or the browser; `run` turns a [`Problem`] into
//! its exit code (2 for usage, 3 for the environment).

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use super::RunArgs;
use crate::diagnostic::Diagnostic;
use crate::outcome::FailureClass;
use crate::report::{ReportKind, ReportSpec};
use crate::runbook::is_plain_name;

/// Why `run` cannot start, and whose fault it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Problem {
    /// A flag value is wrong (exit 2).
    Usage(String),
    /// A path cannot be written on this machine (exit 3).
    Environment(String),
}

impl Problem {
    /// Print the problem (nothing ran) and give its exit code (2 or 3).
    pub(crate) fn refuse(self) -> ExitCode {
        let (message, class) = match self {
            Problem::Usage(m) => (m, FailureClass::Usage),
            Problem::Environment(m) => (m, FailureClass::Environment),
        };
        let d = Diagnostic::plain(format!("{message}; nothing was run"));
        eprint!("{}", d.render(None));
        ExitCode::from(class.exit_code())
    }
}

/// The option checks that need no runbook: `--base-url`, `--sandbox-url`, `--run-id`.
pub(crate) fn check_flags(args: &RunArgs) -> Result<(), Problem> {
    if let Some(url) = &args.base_url {
        check_url("--base-url", url)?;
    }
    if let Some(url) = &args.sandbox_url {
        check_url("--sandbox-url", url)?;
    }
    if let Some(id) = &args.run_id {
        check_run_id(id)?;
    }
    Ok(())
}

/// `--base-url` and `--sandbox-url`: an absolute `http` or `https` URL with a host.
pub(crate) fn check_url(flag: &str, value: &str) -> Result<(), Problem> {
    let bad = |why: &str| {
        Problem::Usage(format!(
            "{flag} `{value}`: {why}; expected an absolute http(s) URL such as https://go.xero.com"
        ))
    };
    let url = url::Url::parse(value).map_err(|e| bad(&e.to_string()))?;
    if !matches!(url.scheme(), "http" | "https") {
        return Err(bad(&format!("the scheme is `{}`", url.scheme())));
    }
    if url.host_str().is_none_or(str::is_empty) {
        return Err(bad("there is no host"));
    }
    Ok(())
}

/// `--run-id`: a plain name, so evidence stays inside `--out`.
pub(crate) fn check_run_id(id: &str) -> Result<(), Problem> {
    if is_plain_name(id) && id != "latest" {
        return Ok(());
    }
    let why = if id == "latest" {
        "`latest` is the link to the newest run".to_string()
    } else {
        "use letters, digits, `-`, `_` and `.` only: it names a directory under --out".to_string()
    };
    Err(Problem::Usage(format!("--run-id `{id}`: {why}")))
}

/// `--out DIR` and every `--report`: each must be writable, or creatable
/// under a writable directory. Nothing is created; a probe file is written
/// and removed in the nearest existing directory.
pub(crate) fn check_outputs(out: &Path, reports: &[ReportSpec]) -> Result<(), Problem> {
    check_dir("--out", out)?;
    for r in reports {
        let flag = format!("--report {}=", r.kind.keyword());
        match r.kind {
            ReportKind::Html => check_dir(&flag, &r.path)?,
            _ => check_file(&flag, &r.path)?,
        }
    }
    Ok(())
}

/// A directory that will be created if missing.
fn check_dir(flag: &str, dir: &Path) -> Result<(), Problem> {
    let shown = format!("{flag}{}", spaced(flag, dir));
    if dir.exists() && !dir.is_dir() {
        return Err(Problem::Environment(format!(
            "{shown}: `{}` is a file, not a directory",
            dir.display()
        )));
    }
    writable_ancestor(&shown, dir)
}

/// A file that will be written (its parent directories created if missing).
fn check_file(flag: &str, file: &Path) -> Result<(), Problem> {
    let shown = format!("{flag}{}", spaced(flag, file));
    if file.is_dir() {
        return Err(Problem::Environment(format!(
            "{shown}: `{}` is a directory, not a file",
            file.display()
        )));
    }
    let parent = file
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    if parent.exists() && !parent.is_dir() {
        return Err(Problem::Environment(format!(
            "{shown}: `{}` is a file, not a directory",
            parent.display()
        )));
    }
    writable_ancestor(&shown, parent)
}

/// `--out DIR` reads `--out DIR`; `--report html=DIR` has no space.
fn spaced(flag: &str, path: &Path) -> String {
    if flag.ends_with('=') {
        path.display().to_string()
    } else {
        format!(" {}", path.display())
    }
}

/// The nearest existing ancestor of `path` (itself included) must be a
/// directory in which a file can be created.
fn writable_ancestor(shown: &str, path: &Path) -> Result<(), Problem> {
    let mut at: PathBuf = path.to_path_buf();
    loop {
        if at.as_os_str().is_empty() {
            at = PathBuf::from(".");
        }
        if at.exists() {
            break;
        }
        match at.parent() {
            Some(p) => at = p.to_path_buf(),
            None => break,
        }
    }
    if !at.is_dir() {
        return Err(Problem::Environment(format!(
            "{shown}: `{}` is a file, not a directory",
            at.display()
        )));
    }
    let probe = at.join(format!(".clickpath-write-probe-{}", std::process::id()));
    match std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&probe)
    {
        Ok(_) => {
            let _ = std::fs::remove_file(&probe);
            Ok(())
        }
        Err(e) => Err(Problem::Environment(format!(
            "{shown}: cannot write in `{}`: {}",
            at.display(),
            match e.kind() {
                std::io::ErrorKind::PermissionDenied => "permission denied".to_string(),
                std::io::ErrorKind::ReadOnlyFilesystem => "read-only file system".to_string(),
                _ => e.to_string(),
            }
        ))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_must_be_absolute_http() {
        assert!(check_url("--base-url", "https://go.xero.com").is_ok());
        assert!(check_url("--sandbox-url", "http://127.0.0.1:8080/").is_ok());
        for bad in ["notaurl", "go.xero.com", "ftp://x", "http://", "/xero", ""] {
            assert!(
                matches!(check_url("--base-url", bad), Err(Problem::Usage(_))),
                "{bad}"
            );
        }
    }

    #[test]
    fn run_ids_are_plain_names() {
        assert!(check_run_id("run-20261124-150405").is_ok());
        assert!(check_run_id("ci.42_a").is_ok());
        for bad in ["../../x", "/tmp/x", "a/b", "..", ".", "", "latest", "a b"] {
            assert!(matches!(check_run_id(bad), Err(Problem::Usage(_))), "{bad}");
        }
    }

    #[test]
    fn a_file_where_a_directory_must_be_is_named() {
        let tmp = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let file = tmp.path().join("file");
        std::fs::write(&file, "x").unwrap_or_else(|e| panic!("{e}"));
        let Err(Problem::Environment(m)) = check_outputs(&file, &[]) else {
            panic!("accepted a file as --out");
        };
        assert!(m.contains(&file.display().to_string()), "{m}");
        let under = file.join("deeper/out");
        assert!(matches!(
            check_outputs(&under, &[]),
            Err(Problem::Environment(_))
        ));
        let junit: ReportSpec = format!("junit={}", file.join("j.xml").display())
            .parse()
            .unwrap_or_else(|e| panic!("{e}"));
        assert!(matches!(
            check_outputs(tmp.path(), &[junit]),
            Err(Problem::Environment(_))
        ));
        let fine: ReportSpec = format!("json={}", tmp.path().join("new/r.json").display())
            .parse()
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(check_outputs(&tmp.path().join("shots"), &[fine]), Ok(()));
        assert_eq!(
            std::fs::read_dir(tmp.path()).map(Iterator::count).ok(),
            Some(1),
            "the checks created something"
        );
    }
}
