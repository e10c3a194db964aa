//! Page scripts sent once per document instead of once per call.
//!
//! clickpath's in-page scripts are large (the resolver is ~45 KB): sending
//! and compiling one costs more than the round trip itself (measured on
//! Chromium 156 through chromedriver: ~18 ms for a 45 KB script that does
//! nothing, ~4.5 ms for an empty one). A [`PageScript`] is therefore
//! installed in the page as a function, under a key of its own
//! (`Symbol.for("clickpath:<name>:<len>")`, not enumerable), and later
//! calls send a stub of a few bytes that calls it. A document that does not
//! have it yet (a new page, a frame, a popup) answers the stub with a
//! marker, and the full script is sent: it installs the function and runs
//! it in the same round trip. With the DevTools passthrough, the
//! installation is also registered for every new document
//! (`Page.addScriptToEvaluateOnNewDocument`), so even the first call on a
//! new page is a stub.
//!
//! The function runs exactly the script's text with the call's arguments,
//! so a script behaves the same sent whole or called through the stub.

use serde_json::Value as Json;

/// The stub's answer when the document has no installed copy.
const MISSING: &str = "__clickpath_not_installed";

/// A script the page keeps once it has run it.
#[derive(Debug, Clone, Copy)]
pub struct PageScript {
    /// A short name, unique among clickpath's scripts (`resolver`).
    pub name: &'static str,
    /// The script's text, as WebDriver's Execute (Async) Script takes it.
    pub body: &'static str,
}

impl PageScript {
    /// The key the installed function is kept under. The body's length is
    /// part of it: a page kept open across clickpath versions never runs
    /// an older copy.
    fn key(&self) -> String {
        format!("clickpath:{}:{}", self.name, self.body.len())
    }

    /// The stub: call the installed copy, or answer the marker.
    pub fn stub(&self) -> String {
        format!(
            "const f = window[Symbol.for({key:?})];\n\
             if (typeof f === \"function\") return f.apply(this, arguments);\n\
             const last = arguments[arguments.length - 1];\n\
             if (typeof last === \"function\") last({{ {MISSING}: true }});\n\
             return {{ {MISSING}: true }};",
            key = self.key()
        )
    }

    /// Install the function (where the page allows it) and evaluate to it.
    fn installer(&self) -> String {
        format!(
            "(function () {{\n\
             const key = Symbol.for({key:?});\n\
             let f = window[key];\n\
             if (typeof f !== \"function\") {{\n\
             f = function () {{\n{body}\n}};\n\
             try {{ Object.defineProperty(window, key, {{ value: f, configurable: true }}); }} catch (_) {{}}\n\
             }}\n\
             return f;\n\
             }})()",
            key = self.key(),
            body = self.body
        )
    }

    /// The full script: install, then run with this call's arguments.
    pub fn full(&self) -> String {
        format!("return {}.apply(this, arguments);", self.installer())
    }

    /// What `Page.addScriptToEvaluateOnNewDocument` gets: the installation alone.
    pub fn on_new_document(&self) -> String {
        format!("{};", self.installer())
    }

    /// Whether `answer` is the stub's "not installed here".
    pub fn missing(answer: &Json) -> bool {
        answer.get(MISSING).is_some()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_key_changes_with_the_body() {
        let a = PageScript {
            name: "x",
            body: "return 1;",
        };
        let b = PageScript {
            name: "x",
            body: "return 12;",
        };
        assert_ne!(a.stub(), b.stub());
        assert!(a.full().contains("return 1;"));
        assert!(a.on_new_document().contains("defineProperty"));
        assert!(PageScript::missing(
            &serde_json::json!({ "__clickpath_not_installed": true })
        ));
        assert!(!PageScript::missing(
            &serde_json::json!({ "status": "found" })
        ));
    }
}
