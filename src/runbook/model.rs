//! The runbook model: plain Rust types for a documented click path.
//!
//! Nothing here knows YAML (or any other syntax). `load` builds these types
//! and `validate` checks them; the executor and the reports read them. Every
//! step remembers the file and position it came from, so a failure or a report
//! can point a human at the exact line of the runbook.

use std::path::PathBuf;
use std::time::Duration;

use crate::diagnostic::Span;

pub use super::key::Key;

/// One documented flow ("Invite a user to Xero"), loaded from one file.
///
/// `use` steps are already expanded by the loader: [`Runbook::steps`] is the
/// flat list the executor walks, and each [`Step::origin`] says which file and
/// line it came from (an included login runbook points at its own file).
#[derive(Debug, Clone, PartialEq)]
pub struct Runbook {
    /// The file this runbook was loaded from.
    pub path: PathBuf,
    /// Human title, e.g. "Invite the Drivetrain temporary user".
    pub name: String,
    /// Provider key, e.g. `xero`, `qbo`, `myxero`; also the sandbox mount.
    pub provider: String,
    /// Flow key: the file stem, e.g. `invite_user`.
    pub flow: String,
    /// The article this runbook encodes: a URL or a local file path.
    pub source: Option<String>,
    /// Where relative `goto` URLs point (overridable at run time).
    pub base_url: String,
    /// Declared variables (`{customer}`), in declaration order.
    pub vars: Vec<VarDecl>,
    /// Declared secrets and where their values come from (never literals).
    pub secrets: Vec<SecretDecl>,
    /// Included by `use` only (a shared login flow), never run on its own.
    pub partial: bool,
    /// Browser viewport for this runbook, if it asks for one.
    pub viewport: Option<Viewport>,
    /// `mask:`: elements painted over in every step's screenshot (dates,
    /// avatars, ids that change from run to run).
    pub mask: Vec<Target>,
    /// The steps, `use` already expanded, in execution order.
    pub steps: Vec<Step>,
}

/// Whether `name` can safely be one component of a path (evidence is written
/// under `<out>/<provider>/<flow>/`): ASCII letters, digits, `-`, `_` and `.`,
/// not empty, and not `.` or `..`.
pub fn is_plain_name(name: &str) -> bool {
    !name.is_empty()
        && name != "."
        && name != ".."
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
}

/// A declared variable of a runbook.
#[derive(Debug, Clone, PartialEq)]
pub struct VarDecl {
    /// Name used in templates: `{customer}`.
    pub name: String,
    /// Whether a run must supply it (`--var name=value`).
    pub required: bool,
    /// Value used when none is supplied.
    pub default: Option<String>,
    /// Example value shown in docs and used by `--sandbox` runs when nothing else is given.
    pub example: Option<String>,
    /// What the variable means, in words.
    pub description: Option<String>,
    /// Where it was declared.
    pub span: Span,
}

/// A declared secret: a password or TOTP seed, read at run time.
#[derive(Debug, Clone, PartialEq)]
pub struct SecretDecl {
    /// Name steps refer to (`secret: password`).
    pub name: String,
    /// Where the value comes from.
    pub from: SecretSource,
    /// What the secret is, in words.
    pub description: Option<String>,
    /// Where it was declared.
    pub span: Span,
}

/// Where a secret's value is read from at run time.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SecretSource {
    /// An environment variable, e.g. `XERO_PASSWORD`.
    Env(String),
    /// A file whose contents (trailing newline trimmed) are the value.
    File(PathBuf),
}

/// Browser viewport in CSS pixels.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Viewport {
    /// Width in CSS pixels.
    pub width: u32,
    /// Height in CSS pixels.
    pub height: u32,
}

impl Viewport {
    /// Smallest width or height a runbook may ask for, in CSS pixels
    /// (a zero-sized window never produces a screenshot).
    pub const MIN_SIDE: u32 = 1;
    /// Largest width or height a runbook may ask for, in CSS pixels.
    pub const MAX_SIDE: u32 = 10_000;
}

impl Default for Viewport {
    fn default() -> Self {
        Viewport {
            width: 1280,
            height: 800,
        }
    }
}

/// Where a step (or any node) was written.
#[derive(Debug, Clone, PartialEq)]
pub struct Origin {
    /// The runbook file that holds the step.
    pub file: PathBuf,
    /// Its position in that file (1-based).
    pub span: Span,
    /// The `use` step(s) that included it, outermost first; empty for a step
    /// written in the runbook itself.
    pub via: Vec<(PathBuf, Span)>,
}

/// One step: a line of the article and the one action that performs it.
#[derive(Debug, Clone, PartialEq)]
pub struct Step {
    /// Optional id, unique within the flattened runbook.
    pub id: Option<String>,
    /// The article's words for this step ("Click **Invite a user**").
    pub doc: Template,
    /// What to do.
    pub action: Action,
    /// Deadline for this step's waits, overriding the run's default.
    pub timeout: Option<Duration>,
    /// The step changes the account (Send invite, Remove user, Save).
    pub destructive: bool,
    /// `note:`: a callout drawn on the step's annotated screenshot.
    pub note: Option<Template>,
    /// `mask:`: elements painted over in this step's screenshot, besides
    /// the runbook's.
    pub mask: Vec<Target>,
    /// Where the step was written.
    pub origin: Origin,
}

impl Step {
    /// Longest `timeout:` a step may ask for (one hour).
    pub const MAX_TIMEOUT: Duration = Duration::from_secs(60 * 60);
}

/// The one action a step performs.
#[derive(Debug, Clone, PartialEq)]
pub enum Action {
    /// Navigate to a URL; relative URLs are joined to the base URL.
    Goto {
        /// Absolute URL or path relative to the base URL.
        url: Template,
        /// The HTTP status the page is expected to answer with, when it is
        /// not a success (`status: 404` for a page that documents its own
        /// absence); without it any 4xx or 5xx fails the step.
        status: Option<u16>,
    },
    /// Click an element.
    Click {
        /// The element to click.
        target: Target,
    },
    /// Clear a field and type a value into it.
    Fill {
        /// The field.
        target: Target,
        /// What to type.
        value: Value,
    },
    /// Pick an option of a `<select>` (or listbox) by its visible text.
    Select {
        /// The select control.
        target: Target,
        /// The option's visible text.
        option: Template,
    },
    /// Make sure a checkbox or radio is checked.
    Check {
        /// The checkbox or radio.
        target: Target,
    },
    /// Make sure a checkbox is unchecked.
    Uncheck {
        /// The checkbox.
        target: Target,
    },
    /// Move the pointer over an element (a hover-only menu).
    Hover {
        /// The element to hover.
        target: Target,
    },
    /// Set a file input to a file: the input itself, or the button or label
    /// that opens it.
    Upload {
        /// The file input, or the control that opens it.
        target: Target,
        /// The file, as the runbook wrote it (relative to the runbook's file).
        file: String,
        /// The file joined to the runbook's folder (checked to exist at load).
        path: PathBuf,
    },
    /// Press a named key (`Enter`, `Tab`, `Escape`, ...).
    Press {
        /// The key.
        key: Key,
        /// Element to focus first; the active element when absent.
        target: Option<Target>,
    },
    /// Wait until something is true of the page.
    Expect(Expectation),
    /// Fill a field with the current one-time code of a TOTP seed secret.
    Totp {
        /// The code field.
        target: Target,
        /// Name of the declared secret holding the base32 seed.
        secret: String,
    },
    /// A manual step for headed runs: show instructions and wait for the user.
    Pause {
        /// What the person must do.
        message: Template,
    },
    /// Take an extra named screenshot, of the page or (`of:`) cropped to
    /// one element.
    Screenshot {
        /// File-name-safe name of the capture (its files are named after
        /// the step's `doc` when absent).
        name: Option<String>,
        /// The element the capture is cropped to (`of:`), if any.
        of: Option<Target>,
        /// CSS pixels kept around the element (`padding:`).
        padding: u32,
    },
    /// Continue in another window or tab of the session.
    SwitchWindow(WindowRef),
    /// Close the current window and go back to the one it was opened from
    /// (else the first window of the session).
    CloseWindow,
    /// Answer the dialog (`confirm`, `alert`) the previous step opened.
    Dialog {
        /// OK (`true`) or Cancel (`false`).
        accept: bool,
        /// Words the dialog must contain; when it says something else it is
        /// dismissed (never accepted) and the step fails.
        text: Option<Template>,
    },
}

impl Action {
    /// The action's keyword as written in a runbook (`click`, `fill`, ...).
    pub fn keyword(&self) -> &'static str {
        match self {
            Action::Goto { .. } => "goto",
            Action::Click { .. } => "click",
            Action::Fill { .. } => "fill",
            Action::Select { .. } => "select",
            Action::Check { .. } => "check",
            Action::Uncheck { .. } => "uncheck",
            Action::Hover { .. } => "hover",
            Action::Upload { .. } => "upload",
            Action::Press { .. } => "press",
            Action::Expect(_) => "expect",
            Action::Totp { .. } => "totp",
            Action::Pause { .. } => "pause",
            Action::Screenshot { .. } => "screenshot",
            Action::Dialog { .. } => "dialog",
            Action::SwitchWindow(_) => "switch_window",
            Action::CloseWindow => "close_window",
        }
    }

    /// The element this action acts on, to change it (as [`Action::target`]).
    pub fn target_mut(&mut self) -> Option<&mut Target> {
        match self {
            Action::Click { target }
            | Action::Fill { target, .. }
            | Action::Select { target, .. }
            | Action::Check { target }
            | Action::Uncheck { target }
            | Action::Hover { target }
            | Action::Upload { target, .. }
            | Action::Totp { target, .. } => Some(target),
            Action::Press { target, .. } => target.as_mut(),
            Action::Screenshot { of, .. } => of.as_mut(),
            Action::Expect(
                Expectation::Visible(t)
                | Expectation::Absent(t)
                | Expectation::Checked(t)
                | Expectation::Unchecked(t),
            ) => Some(t),
            Action::Expect(Expectation::Url(_) | Expectation::Title(_))
            | Action::Goto { .. }
            | Action::Pause { .. }
            | Action::Dialog { .. }
            | Action::SwitchWindow(_)
            | Action::CloseWindow => None,
        }
    }

    /// The element this action acts on, if any.
    pub fn target(&self) -> Option<&Target> {
        match self {
            Action::Click { target }
            | Action::Fill { target, .. }
            | Action::Select { target, .. }
            | Action::Check { target }
            | Action::Uncheck { target }
            | Action::Hover { target }
            | Action::Upload { target, .. }
            | Action::Totp { target, .. } => Some(target),
            Action::Press { target, .. } => target.as_ref(),
            Action::Expect(
                Expectation::Visible(t)
                | Expectation::Absent(t)
                | Expectation::Checked(t)
                | Expectation::Unchecked(t),
            ) => Some(t),
            Action::Screenshot { of, .. } => of.as_ref(),
            Action::Expect(_)
            | Action::Goto { .. }
            | Action::Pause { .. }
            | Action::Dialog { .. }
            | Action::SwitchWindow(_)
            | Action::CloseWindow => None,
        }
    }
}

/// A value typed into a field: plain text (templated) or a secret.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    /// Text with `{var}` references.
    Text(Template),
    /// The value of a declared secret; never logged, reported or shown.
    Secret(String),
}

/// Which window `switch_window` continues in.
#[derive(Debug, Clone, PartialEq)]
pub enum WindowRef {
    /// The window whose title contains this text (normalised, any case).
    Title(Template),
    /// The window whose URL contains this text (any case).
    Url(Template),
    /// The first window of the session.
    Main,
}

/// What an `expect` step waits for.
#[derive(Debug, Clone, PartialEq)]
pub enum Expectation {
    /// The element is present and visible (text, heading, button, ...).
    Visible(Target),
    /// No visible element matches.
    Absent(Target),
    /// The checkbox, radio or switch is checked (a styled one whose native
    /// input is hidden counts as a person sees it).
    Checked(Target),
    /// The checkbox or switch is not checked.
    Unchecked(Target),
    /// The current URL contains this text (after templating).
    Url(Template),
    /// The document title contains this text.
    Title(Template),
}

/// How a locator names its element, in the documentation's words.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum By {
    /// role=button (also `<input type=submit>`), by accessible name.
    Button,
    /// role=link, by accessible name.
    Link,
    /// A form field by its label text (label[for], wrapping label, aria-label, aria-labelledby).
    Label,
    /// Any element whose own visible text matches.
    Text,
    /// role=heading (h1-h6), by text.
    Heading,
    /// role=tab, by name.
    Tab,
    /// role=menuitem, by name.
    MenuItem,
    /// role=checkbox, by label.
    Checkbox,
    /// role=radio, by label.
    Radio,
    /// A field by its placeholder text.
    Placeholder,
    /// Role-free: anything a person clicks or operates (button, link, menu
    /// item, tab, option, tree item, checkbox, radio, switch, combobox,
    /// summary), by accessible name.
    Control,
    /// role=img (`img alt`, `svg`/`role=img` with `aria-label` or `title`), by name.
    Image,
    /// role=option (a listbox or `<select>` option), by name.
    Option,
    /// role=switch, by name.
    Switch,
    /// role=combobox (a `<select>`, an ARIA combobox or autocomplete), by name.
    Combobox,
    /// role=cell (or gridcell), by its text.
    Cell,
    /// role=columnheader (`th`), by its text.
    ColumnHeader,
    /// Escape hatch: a CSS selector (brittle; not documentation words).
    Css,
    /// Escape hatch: an XPath expression (brittle; not documentation words).
    XPath,
}

impl By {
    /// The keyword used in runbooks for this kind of locator.
    pub fn keyword(self) -> &'static str {
        match self {
            By::Button => "button",
            By::Link => "link",
            By::Label => "label",
            By::Text => "text",
            By::Heading => "heading",
            By::Tab => "tab",
            By::MenuItem => "menuitem",
            By::Checkbox => "checkbox",
            By::Radio => "radio",
            By::Placeholder => "placeholder",
            By::Control => "control",
            By::Image => "image",
            By::Option => "option",
            By::Switch => "switch",
            By::Combobox => "combobox",
            By::Cell => "cell",
            By::ColumnHeader => "columnheader",
            By::Css => "css",
            By::XPath => "xpath",
        }
    }

    /// Every kind of locator, in documentation order.
    pub const ALL: [By; 19] = [
        By::Button,
        By::Link,
        By::Label,
        By::Text,
        By::Heading,
        By::Tab,
        By::MenuItem,
        By::Checkbox,
        By::Radio,
        By::Placeholder,
        By::Control,
        By::Image,
        By::Option,
        By::Switch,
        By::Combobox,
        By::Cell,
        By::ColumnHeader,
        By::Css,
        By::XPath,
    ];

    /// The kind of locator a runbook names with `keyword` (`button`,
    /// `menuitem`, ...); `None` for any other word.
    pub fn from_keyword(keyword: &str) -> Option<By> {
        By::ALL.iter().copied().find(|b| b.keyword() == keyword)
    }

    /// Whether this is a brittle escape hatch rather than documentation words.
    pub fn is_escape_hatch(self) -> bool {
        matches!(self, By::Css | By::XPath)
    }
}

/// A locator: which element a step means, in the documentation's words.
#[derive(Debug, Clone, PartialEq)]
pub struct Target {
    /// How the element is named.
    pub by: By,
    /// The name, label or text (or the selector for `css`/`xpath`).
    pub name: Template,
    /// Match a substring instead of the whole normalised name.
    pub contains: bool,
    /// Compare case-insensitively: kept for old runbooks, since words are
    /// always compared after the normalisation (case included).
    pub ignore_case: bool,
    /// 1-based index among several matches; without it two matches is an error.
    pub nth: Option<usize>,
    /// Scope the search to a region of the page.
    pub within: Option<Box<Scope>>,
    /// Where the locator was written.
    pub span: Span,
}

impl Target {
    /// The XPath of a [`Target::whole`] locator: the scope element itself.
    pub const WHOLE: &'static str = ".";

    /// The element a `within:` scope names, as a whole (`screenshot: {of:
    /// {dialog: Invite a user}}`): XPath `.` evaluated in the scope.
    pub fn whole(scope: Scope, span: Span) -> Self {
        let mut t = Target::new(By::XPath, Template::literal(Self::WHOLE), span);
        t.within = Some(Box::new(scope));
        t
    }

    /// Whether this is a [`Target::whole`] locator.
    pub fn is_whole(&self) -> bool {
        self.by == By::XPath && self.within.is_some() && self.name.source_text() == Self::WHOLE
    }

    /// A whole-words, unscoped locator: the default a runbook gets when it
    /// writes only `{button: Invite a user}` (words compared after the
    /// normalisation of README "Matching documentation words").
    pub fn new(by: By, name: Template, span: Span) -> Self {
        Target {
            by,
            name,
            contains: false,
            ignore_case: false,
            nth: None,
            within: None,
            span,
        }
    }
}

/// A region of the page to search within.
#[derive(Debug, Clone, PartialEq)]
pub enum Scope {
    /// The table row (`tr` / role=row) that contains this text.
    Row(Template),
    /// The list item (`li` / role=listitem) that contains this text.
    ListItem(Template),
    /// The open dialog (role=dialog/alertdialog), optionally the one with this name.
    Dialog(Option<Template>),
    /// A landmark or section by its accessible name or heading ("main", "Users").
    Region(Template),
    /// Any element found by another locator.
    Element(Target),
    /// An `<iframe>`/`<frame>`, and optionally a scope inside its document
    /// (another frame when frames nest).
    Frame {
        /// Which frame.
        frame: FrameRef,
        /// A scope inside the frame's document.
        inner: Option<Box<Scope>>,
    },
}

/// How a `within: {frame: ...}` scope names its frame.
#[derive(Debug, Clone, PartialEq)]
pub enum FrameRef {
    /// By its title, `name` attribute or `aria-label`.
    Name(Template),
    /// Any locator that resolves to the frame element.
    Element(Box<Target>),
}

/// Text with `{name}` references to vars and built-ins.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Template {
    /// The pieces in order.
    pub parts: Vec<Part>,
}

/// A piece of a [`Template`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Part {
    /// Literal text.
    Lit(String),
    /// A reference to a declared var or a built-in (`run_id`, `date`).
    Var(String),
}

impl Template {
    /// A template that is only literal text.
    pub fn literal(text: impl Into<String>) -> Self {
        Template {
            parts: vec![Part::Lit(text.into())],
        }
    }

    /// Names referenced by this template, in order.
    pub fn references(&self) -> impl Iterator<Item = &str> {
        self.parts.iter().filter_map(|p| match p {
            Part::Var(v) => Some(v.as_str()),
            Part::Lit(_) => None,
        })
    }

    /// Render with a lookup for references; `None` from the lookup leaves
    /// `{name}` in place (validation guarantees this does not happen at run time).
    pub fn render(&self, lookup: impl Fn(&str) -> Option<String>) -> String {
        let mut out = String::new();
        for p in &self.parts {
            match p {
                Part::Lit(s) => out.push_str(s),
                Part::Var(v) => match lookup(v) {
                    Some(val) => out.push_str(&val),
                    None => {
                        out.push('{');
                        out.push_str(v);
                        out.push('}');
                    }
                },
            }
        }
        out
    }

    /// The template as written, with `{name}` references kept.
    pub fn source_text(&self) -> String {
        self.render(|_| None)
    }
}

/// A `{name}` reference written in a template, with its own position.
#[derive(Debug, Clone, PartialEq)]
pub struct VarRef {
    /// The referenced name.
    pub name: String,
    /// Where `{name}` is written.
    pub span: Span,
}

/// What one file of a loaded runbook wrote that the model itself does not
/// keep: the positions and facts validation needs to point at the right line.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct FileFacts {
    /// The file, as the loader was given it (an include: joined to its includer's directory).
    pub file: PathBuf,
    /// Vars declared in this file: what its own `{name}` references may use.
    pub vars: Vec<VarDecl>,
    /// Secrets declared in this file.
    pub secrets: Vec<SecretDecl>,
    /// Every `{name}` reference written in this file, in order.
    pub refs: Vec<VarRef>,
    /// [`Origin::span`]s of this file's steps that write `destructive:` at all.
    pub destructive_written: Vec<Span>,
}

/// A runbook with `use` expanded, and the facts of every file it was read from
/// (the runbook's own file first, then each included file once).
#[derive(Debug, Clone, PartialEq)]
pub struct Loaded {
    /// The flattened runbook.
    pub runbook: Runbook,
    /// One entry per file that contributed steps.
    pub files: Vec<FileFacts>,
}

/// Built-in template references available to every runbook.
pub const BUILTINS: [&str; 3] = ["run_id", "date", "provider"];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_key_reads_back_from_its_name_in_any_case() {
        for k in Key::ALL {
            assert_eq!(Key::from_name(k.name()), Some(k));
            assert_eq!(Key::from_name(&k.name().to_uppercase()), Some(k));
            assert_eq!(k.to_string(), k.name());
        }
    }

    #[test]
    fn plain_names_are_single_safe_path_components() {
        for ok in ["xero", "my-xero_2", "invite.user", "..x", ".tmpA1"] {
            assert!(is_plain_name(ok), "{ok}");
        }
        for bad in [
            "",
            ".",
            "..",
            "../../../tmp/x",
            "a/b",
            "a\\b",
            "x y",
            "é",
            "/abs",
        ] {
            assert!(!is_plain_name(bad), "{bad}");
        }
    }

    #[test]
    fn key_aliases_and_non_keys() {
        assert_eq!(Key::from_name("Return"), Some(Key::Enter));
        assert_eq!(Key::from_name("esc"), Some(Key::Escape));
        assert_eq!(Key::from_name("Down"), Some(Key::ArrowDown));
        assert_eq!(Key::from_name("Entr"), None);
        assert_eq!(Key::from_name("a"), None);
        assert_eq!(Key::from_name(""), None);
    }
}
