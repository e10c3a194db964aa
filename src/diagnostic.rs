//! Source positions and the one renderer for errors that point into a file.
//!
//! Positions are 1-based (line and column), as a human reads them. Every
//! user-facing error that points at a runbook line goes through this module so
//! that all of them share one shape: `error: ...`, `--> file:line:col`, the
//! numbered source line and a caret under the offending text.

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
