//! Secret values and the one redaction every text output goes through.
//!
//! A [`Redactor`] is built once from a run's secrets and knows every form in
//! which a page, a URL, a JSON text or a quoted message can carry each of
//! them: as typed, URL-encoded (form and percent forms), HTML- and
//! XML-escaped, JSON-string-escaped and Rust-`{:?}`-escaped, and each form
//! encoded once more (an HTML-escaped value inside a JSON string, say).
//! The [`Redact`] trait applies it to typed data; the executor implements it
//! for the run outcome's types and redacts a step's record (and the
//! outcome's header) once, at the point where what the page reported back
//! enters the outcome; the manifest, the reports and the terminal only ever
//! read redacted data.

use std::fmt;

/// What a secret is replaced with.
pub const MASK: &str = "***";

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
        f.write_str(MASK)
    }
}

impl fmt::Display for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(MASK)
    }
}

/// The ways a text is encoded on its way into an output.
const ENCODERS: [fn(&str) -> String; 16] = [
    form_urlencoded_plus,
    form_urlencoded_pct20,
    uri_component,
    url_query,
    url_special_query,
    url_path,
    url_fragment,
    html_full,
    html_full_hex,
    html_text,
    html_attribute,
    xml,
    html_numeric,
    json_string,
    json_ascii,
    rust_debug,
];

/// Every encoded form of `secret` a redactor looks for, deduplicated,
/// the secret itself included: each base form (as typed, and with its
/// white space collapsed the way a page's accessible names and titles show
/// it), each base form encoded once, and encoded twice.
///
/// Public so tests can scan outputs for exactly what the redactor removes.
pub fn forms(secret: &str) -> Vec<String> {
    fn add(s: String, out: &mut Vec<String>) {
        if !s.is_empty() && !out.contains(&s) {
            out.push(s);
        }
    }
    let mut out: Vec<String> = Vec::new();
    add(secret.to_string(), &mut out);
    add(
        secret.split_whitespace().collect::<Vec<_>>().join(" "),
        &mut out,
    );
    let base = out.clone();
    for b in &base {
        for once in ENCODERS.map(|e| e(b)) {
            for twice in ENCODERS.map(|e| e(&once)) {
                add(twice, &mut out);
            }
            add(once, &mut out);
        }
    }
    out
}

/// Replaces every form of every secret of a run with [`MASK`].
///
/// Built once per run ([`Redactor::new`]); longer forms are replaced first,
/// so no part of a longer encoding survives a shorter one's replacement.
/// Empty secrets are ignored (they would match everywhere).
#[derive(Clone, Default)]
pub struct Redactor {
    /// Every form of every secret, longest first.
    needles: Vec<String>,
}

impl fmt::Debug for Redactor {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Redactor({} forms)", self.needles.len())
    }
}

impl Redactor {
    /// A redactor for these secrets, in all their forms.
    pub fn new<'a>(secrets: impl IntoIterator<Item = &'a Secret>) -> Self {
        let mut needles: Vec<String> = Vec::new();
        for s in secrets {
            for f in forms(s.expose()) {
                if !needles.contains(&f) {
                    needles.push(f);
                }
            }
        }
        needles.sort_by(|a, b| b.len().cmp(&a.len()).then_with(|| a.cmp(b)));
        Redactor { needles }
    }

    /// `text` with every form of every secret replaced by [`MASK`].
    pub fn redact(&self, text: &str) -> String {
        let mut out = text.to_string();
        for n in &self.needles {
            if out.contains(n.as_str()) {
                out = out.replace(n.as_str(), MASK);
            }
        }
        out
    }

    /// Redact `text` in place.
    pub fn redact_in_place(&self, text: &mut String) {
        if self.needles.iter().any(|n| text.contains(n.as_str())) {
            *text = self.redact(text);
        }
    }
}

/// Replace every occurrence of any secret, in any of its forms, in `text`
/// with `***`. For one text; a run builds its [`Redactor`] once.
pub fn redact(text: &str, secrets: &[Secret]) -> String {
    Redactor::new(secrets).redact(text)
}

/// Data that carries texts to redact (hurl's `Redact`, over typed data):
/// every text field, including what the page reported back.
pub trait Redact {
    /// Replace every form of every secret in every text of `self`.
    fn redact(&mut self, r: &Redactor);
}

impl Redact for String {
    fn redact(&mut self, r: &Redactor) {
        r.redact_in_place(self);
    }
}

impl<T: Redact> Redact for Option<T> {
    fn redact(&mut self, r: &Redactor) {
        if let Some(v) = self {
            v.redact(r);
        }
    }
}

impl<T: Redact> Redact for Vec<T> {
    fn redact(&mut self, r: &Redactor) {
        for v in self {
            v.redact(r);
        }
    }
}

impl<T: Redact> Redact for Box<T> {
    fn redact(&mut self, r: &Redactor) {
        (**self).redact(r);
    }
}

// The encoders. Percent-encoding sets follow the WHATWG URL standard: what
// a browser does to a raw character in each part of a URL it shows back.

fn percent_encode(s: &str, keep: impl Fn(u8) -> bool, space: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for &b in s.as_bytes() {
        if b == b' ' {
            out.push_str(space);
        } else if keep(b) {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// `application/x-www-form-urlencoded`, spaces as `+` (a GET form's query).
fn form_urlencoded_plus(s: &str) -> String {
    url::form_urlencoded::byte_serialize(s.as_bytes()).collect()
}

/// The form encoding with spaces as `%20`.
fn form_urlencoded_pct20(s: &str) -> String {
    form_urlencoded_plus(s).replace('+', "%20")
}

/// JavaScript's `encodeURIComponent`.
fn uri_component(s: &str) -> String {
    percent_encode(
        s,
        |b| b.is_ascii_alphanumeric() || b"-_.!~*'()".contains(&b),
        "%20",
    )
}

/// A URL's query as the browser encodes a raw one.
fn url_query(s: &str) -> String {
    percent_encode(s, |b| b > 0x20 && b < 0x7f && !b"\"#<>".contains(&b), "%20")
}

/// The query of an `http(s)` URL (also encodes `'`).
fn url_special_query(s: &str) -> String {
    percent_encode(
        s,
        |b| b > 0x20 && b < 0x7f && !b"\"#<>'".contains(&b),
        "%20",
    )
}

/// A URL's path as the browser encodes a raw one.
fn url_path(s: &str) -> String {
    percent_encode(
        s,
        |b| b > 0x20 && b < 0x7f && !b"\"#<>?`{}".contains(&b),
        "%20",
    )
}

/// A URL's fragment.
fn url_fragment(s: &str) -> String {
    percent_encode(s, |b| b > 0x20 && b < 0x7f && !b"\"<>`".contains(&b), "%20")
}

fn html_escape(s: &str, chars: &str, apos: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' if chars.contains('&') => out.push_str("&amp;"),
            '<' if chars.contains('<') => out.push_str("&lt;"),
            '>' if chars.contains('>') => out.push_str("&gt;"),
            '"' if chars.contains('"') => out.push_str("&quot;"),
            '\'' if chars.contains('\'') => out.push_str(apos),
            '\u{a0}' if chars.contains('\u{a0}') => out.push_str("&nbsp;"),
            c => out.push(c),
        }
    }
    out
}

/// Every HTML special character escaped (`'` as `&#39;`).
fn html_full(s: &str) -> String {
    html_escape(s, "&<>\"'", "&#39;")
}

/// Every HTML special character escaped (`'` as `&#x27;`).
fn html_full_hex(s: &str) -> String {
    html_escape(s, "&<>\"'", "&#x27;")
}

/// A text node as a browser serialises it (`outerHTML` in an error message).
fn html_text(s: &str) -> String {
    html_escape(s, "&<>\u{a0}", "'")
}

/// An attribute value as a browser serialises it.
fn html_attribute(s: &str) -> String {
    html_escape(s, "&\"\u{a0}", "'")
}

/// XML's five entities (JUnit reports).
fn xml(s: &str) -> String {
    html_escape(s, "&<>\"'", "&apos;")
}

/// Numeric character references for the HTML specials.
fn html_numeric(s: &str) -> String {
    s.chars()
        .map(|c| match c {
            '&' | '<' | '>' | '"' | '\'' => format!("&#{};", u32::from(c)),
            c => c.to_string(),
        })
        .collect()
}

/// Inside a JSON string by an encoder that also escapes HTML specials and
/// everything beyond ASCII as `\u00XX` (Go's `encoding/json`, many APIs).
fn json_ascii(s: &str) -> String {
    let mut out = String::new();
    for c in json_string(s).chars() {
        if c.is_ascii() && !"<>&'".contains(c) {
            out.push(c);
        } else {
            let mut buf = [0u16; 2];
            for unit in c.encode_utf16(&mut buf) {
                out.push_str(&format!("\\u{unit:04x}"));
            }
        }
    }
    out
}

/// Inside a JSON string (serde_json, `JSON.stringify`).
fn json_string(s: &str) -> String {
    let quoted = serde_json::to_string(s).unwrap_or_default();
    quoted
        .strip_prefix('"')
        .and_then(|q| q.strip_suffix('"'))
        .unwrap_or(&quoted)
        .to_string()
}

/// Inside a Rust `{:?}`-quoted string.
fn rust_debug(s: &str) -> String {
    let quoted = format!("{s:?}");
    quoted
        .strip_prefix('"')
        .and_then(|q| q.strip_suffix('"'))
        .unwrap_or(&quoted)
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A secret whose every encoding differs from the others.
    const NASTY: &str = "p\"w d&<x>%'\\";

    fn redactor() -> Redactor {
        Redactor::new(&[Secret::new(NASTY)])
    }

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

    #[test]
    fn the_secret_as_typed_is_redacted() {
        assert_eq!(redactor().redact(&format!("[{NASTY}]")), "[***]");
    }

    #[test]
    fn url_encoded_forms_are_redacted() {
        let r = redactor();
        for form in [
            "p%22w+d%26%3Cx%3E%25%27%5C",
            "p%22w%20d%26%3Cx%3E%25%27%5C",
            "p%22w%20d%26%3Cx%3E%25'%5C",
            "p%22w%20d&%3Cx%3E%'\\",
            "p%22w%20d&%3Cx%3E%%27\\",
        ] {
            assert_eq!(
                r.redact(&format!("/x?q={form}&y=1")),
                "/x?q=***&y=1",
                "{form}"
            );
        }
    }

    #[test]
    fn html_escaped_forms_are_redacted() {
        let r = redactor();
        for form in [
            "p&quot;w d&amp;&lt;x&gt;%&#39;\\",
            "p&quot;w d&amp;&lt;x&gt;%&#x27;\\",
            "p\"w d&amp;&lt;x&gt;%'\\",
            "p&quot;w d&amp;<x>%'\\",
            "p&quot;w d&amp;&lt;x&gt;%&apos;\\",
            "p&#34;w d&#38;&#60;x&#62;%&#39;\\",
        ] {
            assert_eq!(r.redact(&format!("<b>{form}</b>")), "<b>***</b>", "{form}");
        }
    }

    #[test]
    fn json_escaped_form_is_redacted_inside_json() {
        let json = serde_json::json!({ "name": format!("Log in as {NASTY}") }).to_string();
        assert!(
            !json.contains(NASTY),
            "the JSON form differs from the secret"
        );
        assert_eq!(redactor().redact(&json), r#"{"name":"Log in as ***"}"#);
    }

    #[test]
    fn ascii_json_form_is_redacted() {
        let json = r#"{"n":"p\"w d\u0026\u003cx\u003e%\u0027\\"}"#;
        assert_eq!(redactor().redact(json), r#"{"n":"***"}"#);
    }

    #[test]
    fn debug_quoted_form_is_redacted() {
        let text = format!("did you mean button {:?}?", format!("Hi {NASTY}"));
        assert!(!text.contains(NASTY));
        assert_eq!(redactor().redact(&text), "did you mean button \"Hi ***\"?");
    }

    #[test]
    fn forms_encoded_twice_are_redacted() {
        // A `{:?}`-quoted name inside a JSON string; a URL inside an attribute.
        let r = redactor();
        let debug = format!("{:?}", NASTY);
        let json = serde_json::to_string(&debug).unwrap_or_default();
        assert_eq!(r.redact(&json), "\"\\\"***\\\"\"");
        let attr = html_attribute(&url_query(NASTY));
        assert_eq!(r.redact(&format!("href=\"{attr}\"")), "href=\"***\"");
    }

    #[test]
    fn collapsed_white_space_is_redacted() {
        let r = Redactor::new(&[Secret::new("two  spaces\there")]);
        assert_eq!(r.redact("name: two spaces here"), "name: ***");
    }

    #[test]
    fn redaction_is_idempotent_and_longest_forms_go_first() {
        let r = Redactor::new(&[Secret::new("a b"), Secret::new("a")]);
        assert_eq!(r.redact("a+b a%20b a"), "*** *** ***");
        assert_eq!(r.redact(&r.redact("a b")), "***");
    }
}
