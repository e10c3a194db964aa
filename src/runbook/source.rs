//! `check --against-source`: compare a runbook's quoted words with its article.
//!
//! The rule, for runbooks whose `source:` is a local file:
//! 1. every phrase a step's `doc:` quotes (`**bold**`, `"double"` or `“curly”`
//!    quotes) must still appear in the article (an error: the article changed
//!    and the runbook no longer matches it, or the doc misquotes it);
//! 2. when a step acts on an element and its doc quotes phrases, the locator's
//!    name must match one of them (a warning: the step clicks something other
//!    than what its doc line quotes).
//!
//! Matching is case-insensitive after whitespace normalisation; a phrase also
//! matches a locator name it contains or that contains it ("Settings > Users"
//! matches `link: Users`). Markdown emphasis and backticks are ignored in the
//! article. Knows nothing of YAML or the browser.

use std::path::{Path, PathBuf};

use super::model::Runbook;
use crate::diagnostic::Diagnostic;

/// Normalise text for comparison: no markdown emphasis, single spaces, lower case.
pub fn normalise(text: &str) -> String {
    let t = text.replace("**", "").replace('`', "");
    t.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

/// The phrases a text quotes: `**bold**`, `"double"` and `“curly”` quotes.
pub fn quoted_phrases(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    for (open, close) in [("**", "**"), ("\"", "\""), ("“", "”")] {
        let mut rest = text;
        while let Some(a) = rest.find(open) {
            let after = &rest[a + open.len()..];
            let Some(b) = after.find(close) else { break };
            let phrase = after[..b].trim().trim_end_matches([':', '.', ',']).trim();
            if !phrase.is_empty() {
                out.push(phrase.to_string());
            }
            rest = &after[b + close.len()..];
        }
    }
    out
}

/// Where the article of `rb` is on disk: `source:` relative to the runbook,
/// else to the working directory; `None` for URLs or missing files.
pub fn article_path(rb: &Runbook) -> Option<PathBuf> {
    let src = rb.source.as_deref()?;
    if src.contains("://") {
        return None;
    }
    let beside = rb.path.parent().unwrap_or(Path::new("")).join(src);
    if beside.is_file() {
        return Some(beside);
    }
    let cwd = PathBuf::from(src);
    cwd.is_file().then_some(cwd)
}

/// The lines of `article` that quote `words`: (1-based line, trimmed text,
/// the phrase as the article writes it), matched as [`against_source`]
/// matches: a quoted phrase of the line equal to the words after
/// [`normalise`], else one that contains them or that they contain
/// ("Settings > Users" for `Users`). Used to point at the sentence of the
/// documentation a runbook fix must change too.
pub fn quoting_lines(article: &str, words: &str) -> Vec<(usize, String, String)> {
    let wanted = normalise(words);
    if wanted.is_empty() {
        return Vec::new();
    }
    let lines: Vec<(usize, &str, Vec<String>)> = article
        .lines()
        .enumerate()
        .map(|(i, l)| (i + 1, l, quoted_phrases(l)))
        .collect();
    let pick = |close: &dyn Fn(&str) -> bool| -> Vec<(usize, String, String)> {
        lines
            .iter()
            .filter_map(|(n, l, phrases)| {
                let p = phrases.iter().find(|p| close(&normalise(p)))?;
                Some((*n, l.trim().to_string(), p.clone()))
            })
            .collect()
    };
    let exact = pick(&|p| p == wanted);
    if !exact.is_empty() {
        return exact;
    }
    pick(&|p| p.contains(&wanted) || wanted.contains(p))
}

/// Check `rb` against the text of its article (see the module doc for the rule).
pub fn against_source(rb: &Runbook, article: &str) -> Vec<Diagnostic> {
    let art = normalise(article);
    let mut out = Vec::new();
    for (i, step) in rb.steps.iter().enumerate() {
        if step.origin.file != rb.path {
            continue; // included steps are checked with their own runbook
        }
        let doc = step.doc.source_text();
        let phrases = quoted_phrases(&doc);
        for p in &phrases {
            if !art.contains(&normalise(p)) {
                out.push(
                    Diagnostic::error(
                        &step.origin.file,
                        Some(step.origin.span),
                        format!(
                            "step {} quotes `{p}`, which its article no longer says",
                            i + 1
                        ),
                    )
                    .with_label(format!("doc: {doc}")),
                );
            }
        }
        let Some(target) = step.action.target() else {
            continue;
        };
        if phrases.is_empty() || target.by.is_escape_hatch() {
            continue;
        }
        let name = normalise(&target.name.source_text());
        let matches = phrases.iter().any(|p| {
            let p = normalise(p);
            p == name || p.contains(&name) || name.contains(&p)
        });
        if !matches {
            out.push(
                Diagnostic::warning(
                    &step.origin.file,
                    Some(target.span),
                    format!(
                        "step {}'s {} `{}` matches none of the words its doc quotes",
                        i + 1,
                        target.by.keyword(),
                        target.name.source_text()
                    ),
                )
                .with_label(format!("doc quotes {}", phrases.join(", "))),
            );
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_bold_and_quoted_phrases() {
        assert_eq!(
            quoted_phrases("Click **Invite a User** then \"Send\" and “Save”"),
            vec!["Invite a User", "Send", "Save"]
        );
        assert_eq!(
            quoted_phrases("**First name:** Drivetrain"),
            vec!["First name"]
        );
    }

    #[test]
    fn quoting_lines_prefer_an_exact_quote_and_ignore_case() {
        let article = "### Step 1: Invite a New User\n\n3. Click **Invite a User**.\n   * **Email:** Use `dp-x`\n2. Select **Settings > Users**.\n";
        assert_eq!(
            quoting_lines(article, "Invite a user"),
            vec![(
                3,
                "3. Click **Invite a User**.".to_string(),
                "Invite a User".to_string()
            )]
        );
        assert_eq!(
            quoting_lines(article, "Email"),
            vec![(
                4,
                "* **Email:** Use `dp-x`".to_string(),
                "Email".to_string()
            )]
        );
        assert_eq!(quoting_lines(article, "Users")[0].0, 5);
        assert!(quoting_lines(article, "Send").is_empty());
    }

    #[test]
    fn normalises_case_space_and_markdown() {
        assert_eq!(
            normalise("Click  **Invite a User**\n now"),
            "click invite a user now"
        );
    }
}
