//! The words of an edit as YAML text: `{var}` templates kept where the old
//! words had them, literal braces doubled, and quoting that reads back as
//! the same text.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use crate::runbook::template;

/// `name` as template text: literal braces doubled, and the value of a var
/// the old template (`old`) referenced put back as `{var}` when `name`
/// contains it.
pub(super) fn template_text(
    name: &str,
    old: Option<&str>,
    vars: &BTreeMap<String, String>,
) -> String {
    let escape = |s: &str| s.replace('{', "{{").replace('}', "}}");
    let mut out = escape(name);
    let Some(old) = old else { return out };
    let parsed = template::parse(old, crate::diagnostic::Span::default(), None);
    for var in parsed.template.references() {
        let Some(value) = vars.get(var).filter(|v| !v.is_empty() && *v != "***") else {
            continue;
        };
        let value = escape(value);
        if let Some(i) = out.find(&value) {
            out.replace_range(i..i + value.len(), &format!("{{{var}}}"));
        }
    }
    out
}

/// `words` as a YAML scalar: in the quotes the old scalar used (`quote`),
/// else plain when that reads back as the same text, else double-quoted.
/// `flow`: the scalar sits inside `{...}`, where `,[]{}` end a plain scalar.
pub(super) fn yaml_words(words: &str, quote: Option<char>, flow: bool) -> String {
    let controls = words.chars().any(char::is_control);
    match quote {
        Some('\'') if !controls => format!("'{}'", words.replace('\'', "''")),
        Some(_) => double_quoted(words),
        None if plain_is_safe(words, flow) => words.to_string(),
        None => double_quoted(words),
    }
}

fn double_quoted(words: &str) -> String {
    let mut out = String::from("\"");
    for c in words.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            c if c.is_control() => {
                let _ = write!(out, "\\u{:04X}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// Whether `words` written plain read back as the same text (not a bool,
/// a number, null, a comment, a mapping or an alias).
fn plain_is_safe(words: &str, flow: bool) -> bool {
    let Some(first) = words.chars().next() else {
        return false;
    };
    let reserved = [
        "true", "false", "yes", "no", "on", "off", "null", "y", "n", "~",
    ];
    let lower = words.to_lowercase();
    let numeric = words.parse::<f64>().is_ok()
        || lower.starts_with("0x")
        || lower.starts_with("0o")
        || lower.starts_with(".inf")
        || lower == ".nan";
    let bad = |c: char| {
        matches!(c, ':' | '#' | '"' | '\\') || c.is_control() || (flow && "{}[],".contains(c))
    };
    first.is_alphanumeric()
        && !words.ends_with(char::is_whitespace)
        && !words.chars().any(bad)
        && !reserved.contains(&lower.as_str())
        && !numeric
}
