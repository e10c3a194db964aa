//! The named keys a `press` step can press.

/// A key a `press` step can press: the named keys of WebDriver's
/// [keyboard actions](https://www.w3.org/TR/webdriver2/#keyboard-actions).
///
/// Typing text (single characters included) is `fill`'s job, not `press`'s.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Key {
    /// Enter (also written `Return`).
    Enter,
    /// Tab.
    Tab,
    /// Escape (also written `Esc`).
    Escape,
    /// Backspace.
    Backspace,
    /// Delete.
    Delete,
    /// The space bar.
    Space,
    /// Arrow up (also written `Up`).
    ArrowUp,
    /// Arrow down (also written `Down`).
    ArrowDown,
    /// Arrow left (also written `Left`).
    ArrowLeft,
    /// Arrow right (also written `Right`).
    ArrowRight,
    /// Home.
    Home,
    /// End.
    End,
    /// Page up.
    PageUp,
    /// Page down.
    PageDown,
}

impl Key {
    /// Every key, in the order error messages list them.
    pub const ALL: [Key; 14] = [
        Key::Enter,
        Key::Tab,
        Key::Escape,
        Key::Backspace,
        Key::Delete,
        Key::Space,
        Key::ArrowUp,
        Key::ArrowDown,
        Key::ArrowLeft,
        Key::ArrowRight,
        Key::Home,
        Key::End,
        Key::PageUp,
        Key::PageDown,
    ];

    /// The key's name as runbooks write it and WebDriver knows it (`Enter`, `ArrowUp`).
    pub fn name(self) -> &'static str {
        match self {
            Key::Enter => "Enter",
            Key::Tab => "Tab",
            Key::Escape => "Escape",
            Key::Backspace => "Backspace",
            Key::Delete => "Delete",
            Key::Space => "Space",
            Key::ArrowUp => "ArrowUp",
            Key::ArrowDown => "ArrowDown",
            Key::ArrowLeft => "ArrowLeft",
            Key::ArrowRight => "ArrowRight",
            Key::Home => "Home",
            Key::End => "End",
            Key::PageUp => "PageUp",
            Key::PageDown => "PageDown",
        }
    }

    /// The key a runbook names: any [`Key::name`] or alias (`Return`, `Esc`,
    /// `Up`, `Down`, `Left`, `Right`), ignoring case; `None` for anything else.
    pub fn from_name(name: &str) -> Option<Key> {
        let lower = name.to_ascii_lowercase();
        let alias = match lower.as_str() {
            "return" => Some(Key::Enter),
            "esc" => Some(Key::Escape),
            "up" => Some(Key::ArrowUp),
            "down" => Some(Key::ArrowDown),
            "left" => Some(Key::ArrowLeft),
            "right" => Some(Key::ArrowRight),
            _ => None,
        };
        alias.or_else(|| {
            Key::ALL
                .into_iter()
                .find(|k| k.name().eq_ignore_ascii_case(&lower))
        })
    }
}

impl std::fmt::Display for Key {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}
