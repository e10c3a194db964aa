//! The runbook format as serde/schemars types, for the JSON Schema editors read.
//!
//! These raw types mirror the YAML a user writes (no spans, no validation) and
//! exist so `clickpath schema` can print `runbook.schema.json` and tests can
//! check that every committed runbook fits it. Parsing itself goes through the
//! spanned tree in `yaml.rs`; this file imports no YAML library.

use std::borrow::Cow;
use std::collections::BTreeMap;

use schemars::{json_schema, JsonSchema, Schema, SchemaGenerator};
use serde::{Deserialize, Deserializer};

use super::model::{Key, Viewport};

/// A runbook file: one documented flow.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(title = "clickpath runbook")]
pub struct RawRunbook {
    /// Human title of the flow.
    pub name: String,
    /// Provider key (`xero`, `qbo`, `myxero`); defaults to the directory name.
    /// A plain name: letters, digits, `-`, `_`, `.` (not `.` or `..`).
    #[schemars(regex(pattern = r"^[A-Za-z0-9._-]+$"))]
    pub provider: Option<String>,
    /// The article this runbook encodes: a URL or a path relative to the runbook.
    pub source: Option<String>,
    /// Where relative `goto` URLs point; required unless `partial: true`.
    pub base_url: Option<String>,
    /// Included by `use` only (a shared login flow), never run on its own.
    #[serde(default)]
    pub partial: bool,
    /// Declared variables, referenced as `{name}` in text.
    pub vars: Option<BTreeMap<String, RawVar>>,
    /// Declared secrets and where their values are read from; never literals.
    pub secrets: Option<BTreeMap<String, RawSecret>>,
    /// Browser viewport in CSS pixels.
    pub viewport: Option<RawViewport>,
    /// Elements painted over in every step's screenshot (dates, avatars,
    /// ids that change from run to run): one locator or a list.
    pub mask: Option<RawMask>,
    /// The steps, in order; each has a `doc:` and exactly one action.
    pub steps: Vec<RawStep>,
}

/// A variable: a default value, or a declaration.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(untagged)]
pub enum RawVar {
    /// Shorthand: the default value.
    Default(String),
    /// Full declaration.
    Decl(RawVarDecl),
}

/// A full variable declaration.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawVarDecl {
    /// A run must supply it (`--var name=value`).
    #[serde(default)]
    pub required: bool,
    /// Value used when none is supplied.
    pub default: Option<String>,
    /// Example value, used by sandbox runs.
    pub example: Option<String>,
    /// What the variable means.
    pub description: Option<String>,
}

/// Where a secret's value comes from at run time.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(untagged)]
pub enum RawSecret {
    /// From an environment variable.
    Env(RawSecretEnv),
    /// From a file (trailing newline trimmed).
    File(RawSecretFile),
}

/// `{env: NAME}`.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawSecretEnv {
    /// Environment variable name.
    pub env: String,
    /// What the secret is.
    pub description: Option<String>,
}

/// `{file: PATH}`.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawSecretFile {
    /// File path.
    pub file: String,
    /// What the secret is.
    pub description: Option<String>,
}

/// Browser viewport.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawViewport {
    /// Width in CSS pixels.
    #[schemars(range(min = Viewport::MIN_SIDE, max = Viewport::MAX_SIDE))]
    pub width: u32,
    /// Height in CSS pixels.
    #[schemars(range(min = Viewport::MIN_SIDE, max = Viewport::MAX_SIDE))]
    pub height: u32,
}

/// One step: the article's words and exactly one action.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawStep {
    /// The article's words for this step; `{var}` references allowed.
    pub doc: String,
    /// Optional id, unique in the runbook.
    pub id: Option<String>,
    /// Deadline for this step's waits: `500ms`, `5s`, `2m`; at most one hour.
    pub timeout: Option<String>,
    /// The step changes the account (Send invite, Remove, Save).
    pub destructive: Option<bool>,
    /// A callout drawn on the step's annotated screenshot; `{var}` allowed.
    pub note: Option<String>,
    /// Elements painted over in this step's screenshot, besides the
    /// runbook's `mask:`: one locator or a list.
    pub mask: Option<RawMask>,
    /// Navigate to a URL or a path relative to `base_url`, optionally with
    /// the HTTP status the page is expected to answer.
    pub goto: Option<RawGoto>,
    /// Click an element.
    pub click: Option<RawLocator>,
    /// Type a value (or a secret) into a field.
    pub fill: Option<RawFill>,
    /// Choose an option of a select by its visible text.
    pub select: Option<RawSelect>,
    /// Make sure a checkbox or radio is checked.
    pub check: Option<RawLocator>,
    /// Make sure a checkbox is unchecked.
    pub uncheck: Option<RawLocator>,
    /// Move the pointer over an element (hover-only menus).
    pub hover: Option<RawLocator>,
    /// Set a file input (or the button/label that opens one) to a file.
    pub upload: Option<RawUpload>,
    /// Press a key, optionally in an element.
    pub press: Option<RawPress>,
    /// Wait until something is true of the page.
    pub expect: Option<RawExpect>,
    /// Fill a one-time code computed from a TOTP seed secret.
    pub totp: Option<RawTotp>,
    /// A manual step: show the message and wait (headed runs).
    pub pause: Option<String>,
    /// Take an extra named screenshot, of the page or cropped to an element.
    pub screenshot: Option<RawScreenshot>,
    /// Answer the dialog the previous step opened.
    pub dialog: Option<RawDialogAnswer>,
    /// Continue in another window or tab: `main`, `{title: ...}` or `{url: ...}`.
    pub switch_window: Option<RawSwitchWindow>,
    /// `true`: close the current window, back to the one it was opened from.
    pub close_window: Option<bool>,
    /// Include another runbook (path relative to this file).
    #[serde(rename = "use")]
    pub use_: Option<RawUse>,
}

/// `mask:` one locator or a list of them.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(untagged)]
pub enum RawMask {
    /// One element kind.
    One(Box<RawLocator>),
    /// Several.
    Many(Vec<RawLocator>),
}

/// `screenshot: name` or `screenshot: {name, of: <locator>, padding}`.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(untagged)]
pub enum RawScreenshot {
    /// The capture's file-name-safe name.
    Name(String),
    /// A capture cropped to an element (`NN-<slug>-crop.png` beside it).
    Of {
        /// File-name-safe name (letters, digits, `-`, `_`, `.`); the
        /// step's `doc` names the files when absent.
        name: Option<String>,
        /// The element to crop to, or a whole part of the page.
        of: Option<RawCaptureOf>,
        /// CSS pixels kept around the element (0 to 500).
        #[schemars(range(max = 500))]
        padding: Option<u32>,
    },
}

/// `of:` an element, or a whole part of the page as `within:` names it.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(untagged)]
pub enum RawCaptureOf {
    /// An element (a locator).
    Element(Box<RawLocator>),
    /// A table row, list item, dialog or region, as a whole.
    Part(Box<RawScope>),
}

/// `goto: /path` or `goto: {url: /path, status: 404}`.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(untagged)]
pub enum RawGoto {
    /// The URL or path.
    Url(String),
    /// The URL with the HTTP status the page answers (without one, any 4xx
    /// or 5xx fails the step).
    WithStatus {
        /// The URL or path.
        url: String,
        /// The expected HTTP status.
        #[schemars(range(min = 100, max = 599))]
        status: Option<u16>,
    },
}

/// `dialog: {accept: true, text: "Remove this user?"}`.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawDialogAnswer {
    /// OK (`true`) or Cancel (`false`).
    pub accept: bool,
    /// Words the dialog must contain; otherwise it is dismissed and the step fails.
    pub text: Option<String>,
}

/// `switch_window: main`, `{title: Help centre}` or `{url: /help}`.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(untagged)]
pub enum RawSwitchWindow {
    /// `main`: the first window of the session.
    Main(RawMain),
    /// The window whose title contains this text (any case).
    Title {
        /// Words of the window's title.
        title: String,
    },
    /// The window whose URL contains this text (any case).
    Url {
        /// Part of the window's URL.
        url: String,
    },
}

/// The word `main`.
#[derive(Debug, Deserialize, JsonSchema)]
pub enum RawMain {
    /// The first window of the session.
    #[serde(rename = "main")]
    Main,
}

macro_rules! locator_struct {
    ($(#[$m:meta])* $name:ident { $($(#[$fm:meta])* $field:ident : $ty:ty),* $(,)? }) => {
        $(#[$m])*
        #[derive(Debug, Deserialize, JsonSchema)]
        #[serde(deny_unknown_fields)]
        pub struct $name {
            /// A button (role=button) by its accessible name.
            pub button: Option<String>,
            /// A link by its accessible name.
            pub link: Option<String>,
            /// A form field by its label text.
            pub label: Option<String>,
            /// Any element whose own visible text matches.
            pub text: Option<String>,
            /// A heading (h1-h6) by its text.
            pub heading: Option<String>,
            /// A tab (role=tab) by its name.
            pub tab: Option<String>,
            /// A menu item (role=menuitem) by its name.
            pub menuitem: Option<String>,
            /// A checkbox by its label.
            pub checkbox: Option<String>,
            /// A radio button by its label.
            pub radio: Option<String>,
            /// A field by its placeholder text.
            pub placeholder: Option<String>,
            /// Anything a person clicks or operates (button, link, menu item, tab,
            /// option, checkbox, radio, switch, combobox, ...) by its name.
            pub control: Option<String>,
            /// An image (img alt, svg or role=img with aria-label/title) by its name.
            pub image: Option<String>,
            /// A switch (role=switch) by its name.
            pub switch: Option<String>,
            /// A combobox (select, ARIA combobox, autocomplete) by its name.
            pub combobox: Option<String>,
            /// A table or grid cell by its text.
            pub cell: Option<String>,
            /// A table column header by its text.
            pub columnheader: Option<String>,
            /// Escape hatch (warned): a CSS selector.
            pub css: Option<String>,
            /// Escape hatch (warned): an XPath expression.
            pub xpath: Option<String>,
            /// Match a substring of the normalised name.
            pub contains: Option<bool>,
            /// Compare case-insensitively.
            pub ignore_case: Option<bool>,
            /// 1-based index among several matches.
            pub nth: Option<u32>,
            /// Scope the search to a region of the page.
            pub within: Option<Box<RawScope>>,
            $($(#[$fm])* pub $field: $ty,)*
        }
    };
}

locator_struct!(
    /// A locator: exactly one of button, link, label, ... plus modifiers.
    RawLocator {
        /// An option of a listbox, combobox or select by its name.
        option: Option<String>,
    }
);
locator_struct!(
    /// `fill`: a locator plus `value` or `secret`.
    RawFill {
        /// An option of a listbox, combobox or select by its name.
        option: Option<String>,
        /// Text to type; `{var}` references allowed.
        value: Option<String>,
        /// Name of a declared secret to type.
        secret: Option<String>,
    }
);
locator_struct!(
    /// `select`: a locator plus the option's visible text.
    RawSelect {
        /// The option's visible text (for `select`, `option` is the choice,
        /// never an option locator).
        option: String,
    }
);
locator_struct!(
    /// `totp`: a locator plus the seed secret's name.
    RawTotp {
        /// An option of a listbox, combobox or select by its name.
        option: Option<String>,
        /// Name of the declared secret holding the base32 seed.
        secret: String,
    }
);
locator_struct!(
    /// `press` with a key and an element to focus first.
    RawPressIn {
        /// An option of a listbox, combobox or select by its name.
        option: Option<String>,
        /// The key to press.
        key: RawKey,
    }
);
locator_struct!(
    /// `expect`: a locator that must be visible, or `url`, `title`, `absent`.
    RawExpect {
        /// An option of a listbox, combobox or select by its name.
        option: Option<String>,
        /// The current URL contains this text.
        url: Option<String>,
        /// The document title contains this text.
        title: Option<String>,
        /// No visible element matches this locator.
        absent: Option<RawLocator>,
        /// This checkbox, radio or switch is checked.
        checked: Option<RawLocator>,
        /// This checkbox or switch is not checked.
        unchecked: Option<RawLocator>,
    }
);
locator_struct!(
    /// `upload`: a locator (the file input, or the button or label that
    /// opens it) plus the file.
    RawUpload {
        /// The file, relative to the runbook's file; it must exist.
        file: String,
    }
);

/// `press: Enter` or `press: {key: Enter, label: ...}`.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(untagged)]
pub enum RawPress {
    /// Just the key name.
    Key(RawKey),
    /// A key and an element.
    In(Box<RawPressIn>),
}

/// A key name for `press`: one of [`Key::ALL`] (aliases such as `Esc` are
/// accepted when reading but not offered by the schema).
#[derive(Debug)]
pub struct RawKey(pub Key);

impl<'de> Deserialize<'de> for RawKey {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let name = String::deserialize(d)?;
        Key::from_name(&name)
            .map(RawKey)
            .ok_or_else(|| serde::de::Error::custom(format!("unknown key `{name}`")))
    }
}

impl JsonSchema for RawKey {
    fn schema_name() -> Cow<'static, str> {
        "RawKey".into()
    }

    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        let names = Key::ALL.map(Key::name);
        json_schema!({
            "description": "A named key: Enter, Tab, Escape, arrows, ...",
            "type": "string",
            "enum": names,
        })
    }
}

/// `within:` a row, list item, dialog, region, or any locator.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(untagged)]
pub enum RawScope {
    /// The table row containing this text.
    Row {
        /// Text in the row.
        row: String,
    },
    /// The list item containing this text.
    ListItem {
        /// Text in the list item.
        listitem: String,
    },
    /// The open dialog (`true`) or the one with this name.
    Dialog {
        /// `true` or the dialog's name.
        dialog: RawDialog,
    },
    /// A landmark or section by name.
    Region {
        /// Region name.
        region: String,
    },
    /// An iframe's document, optionally a scope inside it.
    Frame(Box<RawFrameScope>),
    /// Any element found by another locator.
    Element(Box<RawLocator>),
}

/// `{frame: Payment}` or `{frame: {css: iframe.pay}, within: {region: Card}}`.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawFrameScope {
    /// The frame: its title, name or aria-label, or a locator.
    pub frame: RawFrame,
    /// A scope inside the frame's document (another frame when frames nest).
    pub within: Option<Box<RawScope>>,
}

/// A frame by its title, `name` or `aria-label`, or by a locator.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(untagged)]
pub enum RawFrame {
    /// Title, name attribute or aria-label.
    Name(String),
    /// A locator resolving to the `<iframe>`.
    Locator(Box<RawLocator>),
}

/// `dialog: true` or `dialog: "Remove Drivetrain AI?"`.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(untagged)]
pub enum RawDialog {
    /// Any open dialog.
    Any(bool),
    /// The dialog with this name.
    Named(String),
}

/// `use: login.yaml` or `use: {runbook: login.yaml, vars: {...}}`.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(untagged)]
pub enum RawUse {
    /// Just the path.
    Path(String),
    /// A path and var values.
    With(RawUseWith),
}

/// The long form of `use`.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawUseWith {
    /// Path of the included runbook, relative to this file.
    pub runbook: String,
    /// Values for the included runbook's vars.
    pub vars: Option<BTreeMap<String, String>>,
}

/// The JSON Schema of the runbook format, pretty-printed with a final newline
/// (what `runbook.schema.json` holds).
pub fn json_schema() -> String {
    let schema = schemars::schema_for!(RawRunbook);
    let mut s = serde_json::to_string_pretty(&schema).unwrap_or_default();
    s.push('\n');
    s
}

#[cfg(test)]
mod tests {
    use super::RawRunbook;

    #[test]
    fn every_committed_runbook_fits_the_schema_types() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("runbooks");
        let (files, diags) = crate::runbook::load::collect_files(&[root]);
        assert!(diags.is_empty(), "{diags:#?}");
        assert!(files.len() >= 15);
        for f in files {
            let text = std::fs::read_to_string(&f).unwrap_or_else(|e| panic!("{e}"));
            let json = crate::runbook::yaml::to_json(&text)
                .unwrap_or_else(|| panic!("{} is not YAML", f.display()));
            if let Err(e) = serde_json::from_value::<RawRunbook>(json) {
                panic!("{} does not fit the schema: {e}", f.display());
            }
        }
    }

    #[test]
    fn committed_schema_is_current() {
        let committed = include_str!("../../runbook.schema.json");
        assert!(
            committed == super::json_schema(),
            "runbook.schema.json is stale: run `cargo run -- schema > runbook.schema.json`"
        );
    }
}
