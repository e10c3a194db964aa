//! `clickpath fix`: from a diagnosis to the edit of the runbook.
//!
//! After a run, [`attach`] turns the edits the run proposes (the failed
//! step's `diagnosis.fix`, the edits of steps healed with `--heal`) into a patch of the runbook files, names
//! the source article's lines that quote the old words, and has the evidence
//! writer keep both (`fix.patch` and the manifest's `fix`).
//! [`fix`] reads those manifests back later, recomputes the patch against
//! the runbooks as they are then, and shows it or (`--write`) applies it.
//!
//! Glue only: the patching is `runbook::patch`, the article matching
//! `runbook::source`, the writing `evidence`.

use std::collections::BTreeMap;
use std::path::{Component, Path, PathBuf};
use std::process::ExitCode;

use crate::diagnostic::Diagnostic;
use crate::evidence::{self, EvidenceWriter, MANIFEST};
use crate::outcome::{ArticleLine, FixEdit, FixRecord, RunOutcome, RunStatus};
use crate::runbook::patch::{self, Patch, PatchError};
use crate::runbook::{source, Action, Edit, Runbook};

/// Exit code of `fix`: a patch was shown or applied.
const EXIT_SHOWN: u8 = 0;
/// Exit code of `fix`: nothing to fix (or it could not be applied).
const EXIT_NOTHING: u8 = 1;
/// Exit code of `fix`: usage error (no run directory there).
const EXIT_USAGE: u8 = 2;

/// The edits a finished run proposes, in step order: the failed step's
/// diagnosis fix. Steps healed during the run belong here too, so that one
/// patch holds every change the run found.
pub(crate) fn proposed_edits(run: &RunOutcome) -> Vec<FixEdit> {
    let mut out = Vec::new();
    for step in &run.steps {
        // A step healed during the run, with what a person agreed to; else
        // the failed step's diagnosis.
        let edits = match &step.healed {
            Some(h) => h.edits.clone(),
            None => step
                .failure
                .as_ref()
                .and_then(|f| f.diagnosis.as_ref())
                .map(|d| d.fix.clone())
                .unwrap_or_default(),
        };
        for edit in edits {
            out.push(FixEdit {
                step: step.number,
                file: step.source.file.clone(),
                line: step.source.line,
                words: None,
                edit,
            });
        }
    }
    out
}

/// Patch each file the edits name, in the order first named; `vars` are
/// the run's (secrets redacted). This is where every list of edits, from a
/// diagnosis or a heal, becomes file changes.
pub(crate) fn build_patches(
    edits: &[FixEdit],
    vars: &BTreeMap<String, String>,
) -> Result<Vec<Patch>, PatchError> {
    let mut files: Vec<(&Path, Vec<(usize, Edit)>)> = Vec::new();
    for e in edits {
        let pair = (e.line, e.edit.clone());
        match files.iter_mut().find(|(f, _)| *f == e.file.as_path()) {
            Some((_, list)) if list.contains(&pair) => {}
            Some((_, list)) => list.push(pair),
            None => files.push((&e.file, vec![pair])),
        }
    }
    files
        .iter()
        .map(|(file, list)| patch::patch_file(file, list, vars))
        .collect()
}

/// After a run: when it proposes edits, write `fix.patch` beside its
/// manifest and record the fix (with the article lines) in the manifest.
/// A fix that cannot be built is a warning; the run's result stands.
pub(super) fn attach(run: &mut RunOutcome, runbook: &Runbook, writer: &mut EvidenceWriter) {
    let mut edits = proposed_edits(run);
    if edits.is_empty() || writer.flow_dir().is_none() {
        return;
    }
    for e in &mut edits {
        if let Ok(text) = crate::runbook::parse::read_source(&e.file) {
            e.words = patch::locator_words(&e.file, &text, e.line);
        }
    }
    let patches = match build_patches(&edits, &run.vars) {
        Ok(p) => p,
        Err(e) => {
            eprintln!("warning: the suggested fix cannot be written into the runbook: {e}");
            return;
        }
    };
    let diff: String = patches.iter().map(Patch::diff).collect();
    if diff.is_empty() {
        return;
    }
    let article = edits
        .iter()
        .flat_map(|e| article_lines(run, runbook, e))
        .fold(Vec::new(), |mut all: Vec<ArticleLine>, a| {
            if !all.contains(&a) {
                all.push(a);
            }
            all
        });
    let fix = FixRecord {
        patch: evidence::FIX_PATCH.to_string(),
        files: patches.iter().map(|p| p.file.clone()).collect(),
        diff,
        edits,
        article,
    };
    if let Err(e) = writer.record_fix(run, fix) {
        eprintln!("warning: cannot keep the suggested fix: {e}");
        return;
    }
    // A failed run's fix is printed with its failure; a healed run passed,
    // and its runbook still has the old words.
    if run.passed() {
        if let (Some(dir), Some(fix)) = (&run.evidence_dir, run.fix()) {
            let mut healed: Vec<String> = Vec::new();
            for e in &fix.edits {
                let n = e.step.to_string();
                if !healed.contains(&n) {
                    healed.push(n);
                }
            }
            eprintln!(
                "clickpath: healed step(s) {} of {}: the runbook edit is in {} (apply it with `clickpath fix {} --write`)",
                healed.join(", "),
                run.runbook.display(),
                dir.join(&fix.patch).display(),
                dir.display()
            );
        }
    }
}

/// The lines of the step's source article that quote its old words.
fn article_lines(run: &RunOutcome, runbook: &Runbook, e: &FixEdit) -> Vec<ArticleLine> {
    let Some(step) = e.step.checked_sub(1).and_then(|i| runbook.steps.get(i)) else {
        return Vec::new();
    };
    let render = |t: &crate::runbook::Template| t.render(|v| run.vars.get(v).cloned());
    let words = match (&e.edit, &step.action) {
        (Edit::Option { .. }, Action::Select { option, .. }) => render(option),
        (_, action) => match action.target() {
            Some(t) if !t.by.is_escape_hatch() => render(&t.name),
            _ => return Vec::new(),
        },
    };
    // The article of the file the step is written in (an include has its own).
    let own;
    let rb = if step.origin.file == runbook.path {
        runbook
    } else {
        match crate::runbook::load(&step.origin.file) {
            Ok(rb) => {
                own = rb;
                &own
            }
            Err(_) => return Vec::new(),
        }
    };
    let Some(path) = source::article_path(rb) else {
        return Vec::new();
    };
    let Ok(text) = crate::runbook::parse::read_source(&path) else {
        return Vec::new();
    };
    source::quoting_lines(&text, &words)
        .into_iter()
        .map(|(line, text, quotes)| ArticleLine {
            file: tidy(&path),
            line,
            text,
            quotes,
        })
        .collect()
}

/// `a/b/../../c` as `c`: `..` taken against the components before it, as
/// a person reads a path (symlinks aside).
fn tidy(path: &Path) -> PathBuf {
    let mut out: Vec<Component<'_>> = Vec::new();
    for c in path.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir if matches!(out.last(), Some(Component::Normal(_))) => {
                out.pop();
            }
            c => out.push(c),
        }
    }
    out.iter().collect()
}

/// Print an error that points at no file, in the one diagnostic shape.
fn error(message: impl Into<String>) {
    eprint!("{}", Diagnostic::plain(message).render(None));
}

/// The manifests under `dir`: its own, else those of its flows (a run
/// directory, `screenshots/latest`), sorted.
fn manifests(dir: &Path) -> Vec<PathBuf> {
    fn walk(dir: &Path, depth: usize, out: &mut Vec<PathBuf>) {
        let own = dir.join(MANIFEST);
        if own.is_file() {
            out.push(own);
            return;
        }
        if depth == 0 {
            return;
        }
        let Ok(entries) = std::fs::read_dir(dir) else {
            return;
        };
        let mut dirs: Vec<PathBuf> = entries
            .flatten()
            .map(|e| e.path())
            .filter(|p| p.is_dir())
            .collect();
        dirs.sort();
        for d in dirs {
            walk(&d, depth - 1, out);
        }
    }
    let mut out = Vec::new();
    walk(dir, 3, &mut out);
    out
}

/// Why a run's manifest holds no fix, in words.
fn no_fix_reason(run: &RunOutcome) -> String {
    if run.passed() {
        return "the run passed".into();
    }
    let Some(f) = run.failure() else {
        return match run.status {
            RunStatus::Running => "the run did not finish and no step failed".into(),
            RunStatus::Interrupted => "the run was interrupted before a step failed".into(),
            _ => "no step failed".into(),
        };
    };
    match &f.diagnosis {
        Some(d) if !d.fix.is_empty() => {
            "its suggested fix could not be written into the runbook when it ran".into()
        }
        Some(d) => format!("its failure has no suggestion ({})", d.class),
        None => format!("its failure ({}) is not about a locator", f.kind),
    }
}

/// `clickpath fix RUN_DIR [--write]`: show (or apply) the patches the runs
/// under `run_dir` propose, recomputed against the runbooks as they are now.
pub(crate) fn fix(run_dir: &Path, write: bool) -> ExitCode {
    if !run_dir.is_dir() {
        error(format!(
            "{}: no such directory; give a run's evidence directory (screenshots/<run-id>, screenshots/latest or one flow's directory)",
            run_dir.display()
        ));
        return ExitCode::from(EXIT_USAGE);
    }
    let found = manifests(run_dir);
    if found.is_empty() {
        error(format!(
            "{}: no {MANIFEST} here or in its flow directories; give a run's evidence directory",
            run_dir.display()
        ));
        return ExitCode::from(EXIT_USAGE);
    }
    let mut edits: Vec<FixEdit> = Vec::new();
    let mut vars = BTreeMap::new();
    let mut why_not = Vec::new();
    for path in &found {
        let dir = path.parent().unwrap_or(run_dir);
        let run: RunOutcome = match std::fs::read_to_string(path)
            .map_err(|e| e.to_string())
            .and_then(|t| serde_json::from_str(&t).map_err(|e| e.to_string()))
        {
            Ok(run) => run,
            Err(e) => {
                why_not.push(format!("{}: cannot read it: {e}", path.display()));
                continue;
            }
        };
        match run.fix() {
            Some(f) => {
                for e in &f.edits {
                    if !edits
                        .iter()
                        .any(|o| o.file == e.file && o.line == e.line && o.edit == e.edit)
                    {
                        edits.push(e.clone());
                    }
                }
                for (k, v) in &run.vars {
                    vars.entry(k.clone()).or_insert_with(|| v.clone());
                }
            }
            None => why_not.push(format!("{}: {}", dir.display(), no_fix_reason(&run))),
        }
    }
    if edits.is_empty() {
        for w in &why_not {
            eprintln!("{w}");
        }
        error(format!("nothing to fix under {}", run_dir.display()));
        return ExitCode::from(EXIT_NOTHING);
    }
    // A removed step no longer stands on its line: removing "again" would
    // remove the step after it.
    let (gone, edits): (Vec<FixEdit>, Vec<FixEdit>) = edits.into_iter().partition(|e| {
        e.edit == Edit::RemoveStep
            && e.words.as_deref().is_some_and(|then| {
                let now = crate::runbook::parse::read_source(&e.file)
                    .ok()
                    .and_then(|text| patch::locator_words(&e.file, &text, e.line));
                now.as_deref() != Some(then)
            })
    });
    for e in &gone {
        eprintln!(
            "{}: the fix is already in it (step {} is removed)",
            e.file.display(),
            e.step
        );
    }
    if edits.is_empty() {
        error(format!(
            "nothing to fix under {}: the runbook already has the change",
            run_dir.display()
        ));
        return ExitCode::from(EXIT_NOTHING);
    }
    let patches = match build_patches(&edits, &vars) {
        Ok(p) => p,
        Err(e) => {
            error(format!("{e}; nothing was changed"));
            return ExitCode::from(EXIT_NOTHING);
        }
    };
    let (done, todo): (Vec<&Patch>, Vec<&Patch>) = patches.iter().partition(|p| p.is_empty());
    // The step at the recorded line must still be the one that failed.
    let moved: Vec<String> = edits
        .iter()
        .filter_map(|e| {
            let p = todo.iter().find(|p| p.file == e.file)?;
            let then = e.words.as_deref()?;
            let now = patch::locator_words(&e.file, &p.before, e.line);
            (now.as_deref() != Some(then)).then(|| {
                let now = now.map_or("no locator".to_string(), |w| format!("`{w}`"));
                format!(
                    "{}:{}: cannot {}: the step there now names {now}, not `{then}`; the runbook changed since the run",
                    e.file.display(),
                    e.line,
                    e.edit
                )
            })
        })
        .collect();
    if !moved.is_empty() {
        for m in &moved {
            error(m.clone());
        }
        error("nothing was changed");
        return ExitCode::from(EXIT_NOTHING);
    }
    for p in &done {
        eprintln!("{}: the fix is already in it", p.file.display());
    }
    if todo.is_empty() {
        error(format!(
            "nothing to fix under {}: the runbook already has the change",
            run_dir.display()
        ));
        return ExitCode::from(EXIT_NOTHING);
    }
    if !write {
        for p in &todo {
            print!("{}", p.diff());
        }
        eprintln!("run with --write to apply");
        return ExitCode::from(EXIT_SHOWN);
    }
    let mut failed = false;
    for p in &todo {
        match evidence::write_atomic(&p.file, p.after.as_bytes()) {
            Ok(()) => eprintln!("patched {}", p.file.display()),
            Err(e) => {
                error(format!("cannot write {}: {e}", p.file.display()));
                failed = true;
            }
        }
    }
    ExitCode::from(if failed { EXIT_NOTHING } else { EXIT_SHOWN })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tidy_takes_parent_components_against_the_ones_before() {
        assert_eq!(
            tidy(Path::new("runbooks/xero/../../../shared/seeds/a.txt")),
            PathBuf::from("../shared/seeds/a.txt")
        );
        assert_eq!(tidy(Path::new("./a/./b")), PathBuf::from("a/b"));
        assert_eq!(tidy(Path::new("/x/../y")), PathBuf::from("/y"));
    }
}
