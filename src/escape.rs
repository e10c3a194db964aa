//! Text escaping shared by everything that writes HTML (the sandbox pages
//! and the HTML report), so both escape the same way.

/// Escape text for HTML element content and double-quoted or single-quoted
/// attribute values (the five characters HTML gives meaning to).
pub fn html(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn html_escapes_the_five_characters_and_keeps_the_rest() {
        assert_eq!(
            super::html(r#"<a href="x">Tom & Jerry's</a> é"#),
            "&lt;a href=&quot;x&quot;&gt;Tom &amp; Jerry&#39;s&lt;/a&gt; é"
        );
    }
}
