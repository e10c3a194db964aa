//! Did-you-mean: the closest known name to a misspelt word.
//!
//! One rule for every stage that names a near-miss (runbook keys, var and
//! secret names, key names), built on `strsim`'s Damerau-Levenshtein distance.
//! Knows nothing of runbooks, diagnostics or the browser: it compares strings.

/// The choice closest to `word`, if it is close enough to be a likely typo.
///
/// A choice qualifies when it is at most `max(2, len / 3)` edits away (len in
/// bytes) and the edits rewrite neither the whole choice nor the whole word
/// (`a` suggests nothing, not `Tab`); ties go to the earliest choice. Returns
/// `None` when nothing qualifies.
pub fn closest<'a>(word: &str, choices: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    choices
        .into_iter()
        .map(|c| (strsim::damerau_levenshtein(word, c), c))
        .filter(|(d, c)| *d <= 2.max(c.len() / 3) && *d < c.len() && *d < word.len())
        .min_by_key(|(d, _)| *d)
        .map(|(_, c)| c)
}

/// `. Did you mean `x`?` for the [`closest`] choice, or an empty string.
///
/// Meant to be appended to a label that already says what was expected.
pub fn hint<'a>(word: &str, choices: impl IntoIterator<Item = &'a str>) -> String {
    closest(word, choices)
        .map(|m| format!(". Did you mean `{m}`?"))
        .unwrap_or_default()
}

/// `expected one of a, b, c`, followed by the [`hint`] for `word`.
pub fn expected_one_of(word: &str, choices: &[&str]) -> String {
    format!(
        "expected one of {}{}",
        choices.join(", "),
        hint(word, choices.iter().copied())
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    const ACTIONS: [&str; 4] = ["goto", "click", "fill", "check"];

    #[test]
    fn finds_a_near_miss() {
        assert_eq!(closest("clik", ACTIONS), Some("click"));
        assert_eq!(closest("flil", ACTIONS), Some("fill"));
        assert_eq!(closest("Entr", ["Enter", "Tab", "End"]), Some("Enter"));
    }

    #[test]
    fn refuses_what_is_not_a_typo() {
        assert_eq!(closest("viewport", ACTIONS), None);
        assert_eq!(closest("x", ["ab"]), None);
        assert_eq!(closest("a", ["Tab", "End"]), None);
        assert_eq!(closest("anything", std::iter::empty()), None);
    }

    #[test]
    fn ties_go_to_the_earliest_choice() {
        assert_eq!(closest("ab", ["ax", "ay"]), Some("ax"));
    }

    #[test]
    fn writes_the_label_and_hint() {
        assert_eq!(
            expected_one_of("clik", &ACTIONS),
            "expected one of goto, click, fill, check. Did you mean `click`?"
        );
        assert_eq!(
            expected_one_of("zzzzzz", &ACTIONS),
            "expected one of goto, click, fill, check"
        );
        assert_eq!(hint("custmer", ["customer"]), ". Did you mean `customer`?");
        assert_eq!(hint("q", ["customer"]), "");
    }
}
