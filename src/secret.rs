//! Secret values and the one redaction function every text output goes through.

use std::fmt;

/// A secret value (password, TOTP seed). `Debug` and `Display` print `***`.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    /// Wrap a secret value.
    pub fn new(value: impl Into<String>) -> Self {
        Secret(value.into())
    }

    /// The real value; call only where it is typed into the browser.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("***")
    }
}

impl fmt::Display for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("***")
    }
}

/// Replace every occurrence of any secret in `text` with `***`.
///
/// Empty secrets are ignored (they would match everywhere).
pub fn redact(text: &str, secrets: &[Secret]) -> String {
    let mut out = text.to_string();
    for s in secrets {
        if !s.0.is_empty() {
            out = out.replace(&s.0, "***");
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secret_never_formats_its_value() {
        let s = Secret::new("hunter2");
        assert_eq!(format!("{s} {s:?}"), "*** ***");
        assert_eq!(s.expose(), "hunter2");
    }

    #[test]
    fn redact_replaces_every_secret_and_skips_empty_ones() {
        let secrets = [
            Secret::new("hunter2"),
            Secret::new(""),
            Secret::new("JBSWY3DP"),
        ];
        assert_eq!(
            redact("pw hunter2 seed JBSWY3DP hunter2", &secrets),
            "pw *** seed *** ***"
        );
    }
}
