//! Source positions and the one renderer for errors that point into a file.
//!
//! Positions are 1-based (line and column), as a human reads them. Every
//! user-facing error goes through [`Diagnostic::render`] so that all of them
//! share one shape (hurl's and just's): `error: ...`, `--> file:line:col`, the
//! numbered source line, a caret under the offending text, then `= ...`
//! notes. Runbook errors, step failures (built by `report::terminal` from the
//! run outcome) and command-line errors (no file) all use it.

/// A line and column position in a source file.
///
/// Indices are 1-based; column counts characters, not bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Pos {
    /// 1-based line.
    pub line: usize,
    /// 1-based column (in characters).
    pub column: usize,
}

/// A region of a source file, `start` inclusive, `end` exclusive.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Span {
    /// First character.
    pub start: Pos,
    /// One past the last character (same line as `start` for one-line spans).
    pub end: Pos,
}

impl Span {
    /// A span covering `len` characters from `line:column` on one line.
    pub fn on_line(line: usize, column: usize, len: usize) -> Self {
        Span {
            start: Pos { line, column },
            end: Pos {
                line,
                column: column + len.max(1),
            },
        }
    }
}

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use crate::secret::{redact, Secret};

/// How serious a [`Diagnostic`] is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    /// The runbook cannot be run as written.
    Error,
    /// The runbook runs, but something is brittle or risky.
    Warning,
}

impl Severity {
    /// The word printed before the message: `error` or `warning`.
    pub fn word(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
        }
    }
}

/// A problem found in a file, ready to be rendered against its source.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    /// Error or warning.
    pub severity: Severity,
    /// One-line summary, names in backticks ("unknown action `clik`").
    pub message: String,
    /// The file the problem is in.
    pub file: PathBuf,
    /// Where in the file; `None` for whole-file problems (empty, binary, too big).
    pub span: Option<Span>,
    /// Text printed after the carets: what was expected.
    pub label: String,
    /// Extra advice printed as `= help: ...`.
    pub help: Option<String>,
    /// Facts printed as `= ...` lines after the source (`doc: ...`, `screenshot: ...`).
    pub notes: Vec<String>,
    /// Values masked as `***` when the source line is shown (a literal secret).
    pub redact: Vec<Secret>,
}

impl Diagnostic {
    /// An error at `span` of `file`.
    pub fn error(file: impl Into<PathBuf>, span: Option<Span>, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Error,
            message: message.into(),
            file: file.into(),
            span,
            label: String::new(),
            help: None,
            notes: Vec::new(),
            redact: Vec::new(),
        }
    }

    /// An error about no file: a command-line or environment problem.
    pub fn plain(message: impl Into<String>) -> Self {
        Diagnostic::error(PathBuf::new(), None, message)
    }

    /// A warning at `span` of `file`.
    pub fn warning(
        file: impl Into<PathBuf>,
        span: Option<Span>,
        message: impl Into<String>,
    ) -> Self {
        Diagnostic {
            severity: Severity::Warning,
            ..Diagnostic::error(file, span, message)
        }
    }

    /// Set the text printed after the carets.
    #[must_use]
    pub fn with_label(mut self, label: impl Into<String>) -> Self {
        self.label = label.into();
        self
    }

    /// Set the `= help:` line.
    #[must_use]
    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    /// Add a `= note` line.
    #[must_use]
    pub fn with_note(mut self, note: impl Into<String>) -> Self {
        self.notes.push(note.into());
        self
    }

    /// Whether this is an error (not a warning).
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }

    /// Render in the hurl/just shape against `source` (the file's text).
    ///
    /// Without a source (or when the line is not in it) only the title and the
    /// `--> file:line:col` line are printed. Never coloured.
    pub fn render(&self, source: Option<&str>) -> String {
        let mut out = format!("{}: {}\n", self.severity.word(), self.message);
        let file = display_path(&self.file);
        let Some(span) = self.span else {
            if !file.is_empty() {
                let _ = writeln!(out, "  --> {file}");
            }
            if !self.label.is_empty() {
                let _ = writeln!(out, "   = {}", self.label);
            }
            self.render_notes(&mut out, "  ");
            return out;
        };
        let line_no = span.start.line.max(1);
        let width = line_no.to_string().len();
        let pad = " ".repeat(width);
        let _ = writeln!(
            out,
            "{pad}--> {file}:{line_no}:{}",
            span.start.column.max(1)
        );
        let line = source.and_then(|s| s.lines().nth(line_no - 1));
        if let Some(line) = line {
            let line = redact(line, &self.redact);
            let shown: String = line
                .chars()
                .map(|c| if c == '\t' { ' ' } else { c })
                .collect();
            let line_len = shown.chars().count();
            let start = span.start.column.max(1);
            let end = if span.end.line == span.start.line && span.end.column > start {
                span.end.column
            } else {
                (line_len + 1).max(start + 1)
            };
            // Very long lines (minified YAML) are cut to a window around the caret.
            let (shown, start, end) = if line_len > MAX_SHOWN {
                let from = start.saturating_sub(MAX_SHOWN / 2).max(1);
                let cut: String = shown.chars().skip(from - 1).take(MAX_SHOWN).collect();
                let prefix = if from > 1 { "..." } else { "" };
                let shift = from - 1;
                let len = cut.chars().count();
                let end = (end - shift).min(len + 1).max(start - shift + 1);
                (
                    format!("{prefix}{cut}..."),
                    start - shift + prefix.len(),
                    end + prefix.len(),
                )
            } else {
                (shown, start, end)
            };
            let carets = "^".repeat(end - start);
            let _ = writeln!(out, "{pad} |");
            let _ = writeln!(out, "{line_no} | {}", shown.trim_end());
            let mut marker = format!("{pad} | {}{carets}", " ".repeat(start - 1));
            if !self.label.is_empty() {
                marker.push(' ');
                marker.push_str(&self.label);
            }
            let _ = writeln!(out, "{marker}");
        } else if !self.label.is_empty() {
            let _ = writeln!(out, "{pad} = {}", self.label);
        }
        self.render_notes(&mut out, &pad);
        out
    }

    fn render_notes(&self, out: &mut String, pad: &str) {
        for note in &self.notes {
            let _ = writeln!(out, "{pad} = {note}");
        }
        if let Some(help) = &self.help {
            let _ = writeln!(out, "{pad} = help: {help}");
        }
    }
}

/// Longest source line shown whole; longer ones are cut around the caret.
const MAX_SHOWN: usize = 160;

/// A path as printed in diagnostics: forward slashes, as given.
fn display_path(path: &Path) -> String {
    path.display().to_string().replace('\\', "/")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_the_hurl_shape_with_caret_and_label() {
        let src = (1..14).map(|_| "\n").collect::<String>() + "    - clik: \"Invite a user\"\n";
        let d = Diagnostic::error(
            "runbooks/xero/invite_user.yaml",
            Some(Span::on_line(14, 7, 4)),
            "unknown action `clik`",
        )
        .with_label("expected one of click, fill. Did you mean `click`?");
        assert_eq!(
            d.render(Some(&src)),
            "error: unknown action `clik`\n  --> runbooks/xero/invite_user.yaml:14:7\n   |\n14 |     - clik: \"Invite a user\"\n   |       ^^^^ expected one of click, fill. Did you mean `click`?\n"
        );
    }

    #[test]
    fn cuts_very_long_lines_around_the_caret() {
        let src = format!("{}X{}", "a".repeat(1000), "b".repeat(1000));
        let d = Diagnostic::error("f", Some(Span::on_line(1, 1001, 1)), "m").with_label("here");
        let out = d.render(Some(&src));
        let lines: Vec<&str> = out.lines().collect();
        let code = lines[3].trim_start_matches("1 | ");
        let caret = lines[4].trim_start_matches("  | ");
        assert!(code.len() < 200, "{out}");
        assert_eq!(
            code.chars().nth(caret.find('^').unwrap_or(0)),
            Some('X'),
            "{out}"
        );
    }

    #[test]
    fn renders_whole_file_problems_and_warnings() {
        let d = Diagnostic::warning("a.yaml", None, "empty runbook").with_help("add steps");
        assert_eq!(
            d.render(None),
            "warning: empty runbook\n  --> a.yaml\n   = help: add steps\n"
        );
        let d = Diagnostic::error("a.yaml", Some(Span::on_line(1, 3, 2)), "x");
        assert_eq!(
            d.render(Some("ab\n")),
            "error: x\n --> a.yaml:1:3\n  |\n1 | ab\n  |   ^^\n"
        );
    }
}
