//! Key names as runbooks write them (`Enter`, `Tab`, `Escape`) turned into the
//! characters WebDriver's [keyboard actions](https://www.w3.org/TR/webdriver2/#keyboard-actions)
//! table assigns them. Knows no session and no runbook.

/// The WebDriver key text for a key name (`Enter`, `Tab`, `Escape`, …) or a single character.
pub fn key_text(name: &str) -> Option<String> {
    // Code points from the WebDriver "normalized key value" table.
    let code = match name.to_ascii_lowercase().as_str() {
        "enter" | "return" => '\u{E007}',
        "tab" => '\u{E004}',
        "escape" | "esc" => '\u{E00C}',
        "backspace" => '\u{E003}',
        "delete" => '\u{E017}',
        "space" => '\u{E00D}',
        "arrowdown" | "down" => '\u{E015}',
        "arrowup" | "up" => '\u{E013}',
        "arrowleft" | "left" => '\u{E012}',
        "arrowright" | "right" => '\u{E014}',
        "home" => '\u{E011}',
        "end" => '\u{E010}',
        "pageup" => '\u{E00E}',
        "pagedown" => '\u{E00F}',
        _ => {
            let mut c = name.chars();
            return match (c.next(), c.next()) {
                (Some(ch), None) => Some(ch.to_string()),
                _ => None,
            };
        }
    };
    Some(code.to_string())
}

#[cfg(test)]
mod tests {
    use super::key_text;

    #[test]
    fn names_and_single_characters() {
        assert_eq!(key_text("Enter"), Some("\u{e007}".to_string()));
        assert_eq!(key_text("ESC"), Some("\u{e00c}".to_string()));
        assert_eq!(key_text("a"), Some("a".to_string()));
        assert_eq!(key_text("Nope"), None);
    }
}
