//! Widgets as people use them: `select` on native selects, ARIA comboboxes
//! and listboxes; `check`/`uncheck` and `expect: {checked:}` on checkboxes,
//! switches, aria-checked controls and styled boxes whose native input is
//! hidden; `fill` on framework-controlled fields and contenteditable boxes;
//! `upload` and `hover`.
//!
//! Each action acts the way a person would (click the control or the label
//! they see, type to filter, select all and type over) and then verifies the
//! result on the page with a polled deadline. The in-page parts are the
//! scripts in `widgets/*.js`; this file decides what to do with their answers.

use std::path::Path;
use std::time::Duration;

use serde_json::{json, Value as Json};
use tokio::time::Instant;

use super::actions::Done;
use super::failure::Fail;
use super::runner::Runner;
use super::wait;
use crate::browser::{CommandError, ElementRef, PageScript};
use crate::locate::{Purpose, ResolvedTarget};
use crate::outcome::FailureKind;

mod select;

/// A widget script as an async script: its function (`words.js` and
/// `common.js` first) may answer a value or a promise; a throw answers
/// `{error}`. With `page;`, `page.js` (the page state) comes first.
macro_rules! widget_script {
    (page; $script:literal) => {
        concat!(include_str!("../locate/page.js"), widget_script!($script))
    };
    ($script:literal) => {
        concat!(
            "const done = arguments[arguments.length - 1];\n",
            "Promise.resolve((function () {\n",
            include_str!("../locate/words.js"),
            include_str!("widgets/common.js"),
            include_str!($script),
            "\n}).apply(null, arguments)).then(done, (e) => done({ error: String(e) }));"
        )
    };
}

/// `select` on `<select>`, comboboxes and listboxes (`find` waits a frame
/// in the page to see the option stand still). Like every widget script
/// here, an async script whose function may answer a promise.
const COMBOBOX_SRC: &str = widget_script!(page; "widgets/combobox.js");
const COMBOBOX_JS: PageScript = PageScript {
    name: "combobox",
    body: COMBOBOX_SRC,
};

/// `check`/`uncheck`/`expect: {checked:}`: the state and what to click (an
/// async script: `state` waits a frame and reads the page state too).
const CHECKBOX_SRC: &str = widget_script!(page; "widgets/checkbox.js");
const CHECKBOX_JS: PageScript = PageScript {
    name: "checkbox",
    body: CHECKBOX_SRC,
};

/// `fill`: kind of field, read-back after blur, the native-setter fallback.
const FIELD_SRC: &str = concat!(
    include_str!("../locate/page.js"),
    include_str!("../locate/words.js"),
    include_str!("widgets/common.js"),
    include_str!("widgets/field.js")
);
/// The widget scripts, for [`crate::browser::Browser::preload`].
pub(super) const SCRIPTS: [&PageScript; 4] = [&COMBOBOX_JS, &CHECKBOX_JS, &UPLOAD_JS, &FIELD_JS];

const FIELD_JS: PageScript = PageScript {
    name: "field",
    body: FIELD_SRC,
};

/// `upload`: the file input behind the target, and what it holds.
const UPLOAD_SRC: &str = widget_script!("widgets/upload.js");
const UPLOAD_JS: PageScript = PageScript {
    name: "upload",
    body: UPLOAD_SRC,
};

/// Ctrl+A (select all) as Element Send Keys text: Control held, `a`, then
/// the NULL key releases every modifier.
const SELECT_ALL: &str = "\u{E009}a\u{E000}";
/// Backspace.
const BACKSPACE: &str = "\u{E003}";
/// Arrow down: opens a collapsed combobox (WAI-ARIA APG).
const ARROW_DOWN: &str = "\u{E015}";

/// How long a shown option list may stay without the wanted option before
/// the option counts as missing (options loaded late get this long).
const OPTION_GRACE: Duration = Duration::from_millis(1500);
/// How long a combobox may stay closed after a click before the keyboard is tried.
const OPEN_GRACE: Duration = Duration::from_millis(800);

fn text_of(v: &Json, key: &str) -> String {
    v.get(key)
        .and_then(Json::as_str)
        .unwrap_or_default()
        .to_string()
}

impl Runner<'_> {
    /// Click `el`, which the page's own hit test says receives the click,
    /// with the mouse (Element Click's own check would misjudge a label
    /// whose centre is text slotted into a web component, and costs three
    /// times as much).
    async fn click_checked(&self, el: &ElementRef) -> Result<(), CommandError> {
        self.browser.pointer_click(el).await
    }

    async fn widget(
        &self,
        script: &PageScript,
        op: &str,
        el: &ElementRef,
        extra: Vec<Json>,
    ) -> Result<Json, CommandError> {
        let mut args = vec![json!(op), el.to_json()];
        args.extend(extra);
        // Every widget script is asynchronous: some answers wait for a frame.
        let v = self.browser.run_script(script, args, true).await?;
        // A script that threw answers {error} (a sync script's throw would
        // have been a JavaScript error): the same error here.
        match v.get("error").and_then(Json::as_str) {
            Some(message) => Err(CommandError::new(
                crate::browser::ErrorKind::JavascriptError,
                "execute_async",
                message,
            )),
            None => Ok(v),
        }
    }

    /// Click an option or a combobox as a person does, with the mouse; a
    /// native `<select>`'s options (drawn by the browser, not the page) by
    /// Element Click, which WebDriver defines for them.
    async fn click_control(&self, el: &ElementRef, native: bool) -> Result<(), CommandError> {
        if native {
            self.browser.click(el).await
        } else {
            self.browser.pointer_click(el).await
        }
    }

    /// Select all the text of the focused field and type `text` over it
    /// (Backspace when `text` is empty): real key events, which frameworks'
    /// controlled inputs see, unlike WebDriver's Element Clear.
    async fn type_over(&self, el: &ElementRef, text: &str) -> Result<(), CommandError> {
        let keys = if text.is_empty() {
            format!("{SELECT_ALL}{BACKSPACE}")
        } else {
            format!("{SELECT_ALL}{text}")
        };
        self.browser.send_keys(el, &keys).await
    }

    /// `fill`: type over the field's text, then check after blur that it
    /// holds exactly `text`; a field whose framework threw the typing away
    /// (its old value back, or the typing appended to it) gets the native
    /// value setter and an input event, and is checked again.
    pub(super) async fn fill(
        &self,
        t: &ResolvedTarget,
        text: &str,
        secret: bool,
        mask: bool,
        deadline: Instant,
        timeout: Duration,
    ) -> Result<Done, Fail> {
        // With the DevTools passthrough the field is focused and its text
        // selected in the same script that tells its kind, and the text is
        // inserted in one command (as Playwright's fill does): two round
        // trips instead of Ctrl+A and a key press per character.
        let insert = self.browser.has_cdp() && !text.is_empty();
        let purpose = if insert {
            Purpose::Type
        } else {
            Purpose::Input
        };
        let (l, before) = loop {
            let mut l = self.locate_framed(t, purpose, deadline, timeout).await?;
            let kind = match l.prepared.take() {
                Some(prepared) => Ok(prepared),
                None => {
                    self.browser
                        .run_script(&FIELD_JS, vec![json!("kind"), l.element.to_json()], true)
                        .await
                }
            };
            let kind = match kind {
                Ok(k) => k,
                Err(e) if e.is_retryable() && Instant::now() < deadline => continue,
                Err(e) => return Err(Fail::command(&e)),
            };
            let plain = [
                "date",
                "time",
                "datetime-local",
                "month",
                "week",
                "color",
                "range",
            ]
            .contains(&text_of(&kind, "type").as_str());
            let typed = if plain {
                // Pickers take typed text only after a clear.
                match self.browser.clear(&l.element).await {
                    Ok(()) => self.browser.send_keys(&l.element, text).await,
                    Err(e) => Err(e),
                }
            } else if text_of(&kind, "kind") == "other" {
                return Err(Fail::new(
                    FailureKind::Input,
                    format!("{t} is not a text field or an editable box"),
                ));
            } else if insert {
                self.browser.insert_text(text).await
            } else {
                self.type_over(&l.element, text).await
            };
            match typed {
                Ok(()) => break (l, text_of(&kind, "value")),
                Err(e) if e.is_retryable() && Instant::now() < deadline => continue,
                Err(e) => return Err(Fail::command(&e)),
            }
        };
        let el = &l.element;
        let read = |op: &'static str| async move {
            self.browser
                .run_script(
                    &FIELD_JS,
                    vec![json!(op), el.to_json(), json!(text), json!(mask)],
                    true,
                )
                .await
                .map(|v| text_of(&v, "value"))
        };
        // The read-back also reads the page state, which the runner then
        // need not ask for again.
        let first = self
            .browser
            .run_script(
                &FIELD_JS,
                vec![json!("read"), el.to_json(), json!(text), json!(mask)],
                true,
            )
            .await
            .map_err(|e| Fail::command(&e))?;
        let mut got = text_of(&first, "value");
        let mut state = first
            .get("page")
            .and_then(|p| serde_json::from_value::<wait::PageState>(p.clone()).ok());
        // The framework put its old state back, or kept it and appended the
        // typing: set the value the way frameworks listen for. Anything else
        // (a maxlength, a mask) is the field's own answer and stands.
        let discarded = got == before || (got.ends_with(text) && got.len() > text.len());
        if got != text && discarded {
            state = None;
            got = read("set").await.map_err(|e| Fail::command(&e))?;
            if got == text {
                let r = wait::poll(deadline, || async {
                    let v = read("read").await?;
                    Ok(if v == text { Ok(()) } else { Err(v) })
                })
                .await
                .map_err(|e| Fail::command(&e))?;
                got = match r {
                    Ok(()) => text.to_string(),
                    Err(t_out) => t_out.last.unwrap_or_default(),
                };
            }
        }
        if got == text {
            return Ok(Done {
                element: Some(l.info),
                state: state.filter(|_| !self.framed()),
            });
        }
        let message = if secret {
            format!("{t} did not keep the typed secret value")
        } else {
            format!("{t} did not keep the typed value: expected {text:?}, it holds {got:?}")
        };
        Err(Fail::new(FailureKind::Input, message))
    }

    /// `check`/`uncheck`: click what a person would click (the control, its
    /// label, a visible wrapper) unless it is already in the state, then
    /// wait until it reports the state.
    pub(super) async fn set_checked(
        &self,
        t: &ResolvedTarget,
        want: bool,
        deadline: Instant,
        timeout: Duration,
    ) -> Result<Done, Fail> {
        let word = if want { "checked" } else { "unchecked" };
        loop {
            let l = self
                .locate_framed(t, Purpose::Any, deadline, timeout)
                .await?;
            let v = match self
                .widget(&CHECKBOX_JS, "target", &l.element, vec![])
                .await
            {
                Ok(v) => v,
                Err(e) if e.is_retryable() && Instant::now() < deadline => continue,
                Err(e) => return Err(Fail::command(&e)),
            };
            let mut info = l.info.clone();
            if v.get("checked").and_then(Json::as_bool) == Some(want) {
                info.checked = Some(want);
                return Ok(Done::on(info));
            }
            let Some(click) = v.get("click").and_then(ElementRef::from_json) else {
                if Instant::now() < deadline {
                    tokio::time::sleep(wait::POLL).await;
                    continue;
                }
                let mut f = Fail::new(
                    FailureKind::Covered,
                    format!(
                        "{t} is covered by {}; neither it nor its label receives a click",
                        text_of(&v, "covered")
                    ),
                );
                f.matches = vec![l.info];
                return Err(f);
            };
            match self.click_checked(&click).await {
                Ok(()) => {}
                Err(e) if e.is_retryable() && Instant::now() < deadline => continue,
                Err(e) => return Err(Fail::command(&e)),
            }
            return match self.until_checked(&l.element, want, deadline).await? {
                Ok(state) => {
                    info.checked = Some(want);
                    Ok(Done {
                        element: Some(info),
                        state,
                    })
                }
                Err(()) => Err(Fail::new(
                    FailureKind::Input,
                    format!("{t} did not become {word} after a click"),
                )),
            };
        }
    }

    /// Poll the checked state of `el` until it is `want` or `deadline`
    /// passes; the page state read with the last answer, unless the step
    /// is inside frames.
    async fn until_checked(
        &self,
        el: &ElementRef,
        want: bool,
        deadline: Instant,
    ) -> Result<Result<Option<wait::PageState>, ()>, Fail> {
        let r = wait::poll(deadline, || async {
            let v = self.widget(&CHECKBOX_JS, "state", el, vec![]).await?;
            Ok(if v.get("checked").and_then(Json::as_bool) == Some(want) {
                Ok(v.get("page")
                    .and_then(|p| serde_json::from_value::<wait::PageState>(p.clone()).ok()))
            } else {
                Err(())
            })
        })
        .await
        .map_err(|e| Fail::command(&e))?;
        Ok(r.map(|state| state.filter(|_| !self.framed()))
            .map_err(|_| ()))
    }

    /// `expect: {checked: ...}` / `{unchecked: ...}`.
    pub(super) async fn expect_checked(
        &self,
        t: &ResolvedTarget,
        want: bool,
        deadline: Instant,
        timeout: Duration,
    ) -> Result<Done, Fail> {
        let l = self
            .locate_framed(t, Purpose::Any, deadline, timeout)
            .await?;
        let word = if want { "checked" } else { "unchecked" };
        match self.until_checked(&l.element, want, deadline).await? {
            Ok(state) => {
                let mut info = l.info;
                info.checked = Some(want);
                Ok(Done {
                    element: Some(info),
                    state,
                })
            }
            Err(()) => {
                let was = if want { "unchecked" } else { "checked" };
                let mut f = Fail::timeout(
                    &format!("{t} to be {word}"),
                    timeout,
                    Some(format!("it is {was}")),
                );
                f.matches = vec![l.info];
                Err(f)
            }
        }
    }

    /// `hover`: move the pointer over the target.
    pub(super) async fn hover(
        &self,
        t: &ResolvedTarget,
        deadline: Instant,
        timeout: Duration,
    ) -> Result<Done, Fail> {
        loop {
            let l = self
                .locate_framed(t, Purpose::Act, deadline, timeout)
                .await?;
            match self.browser.hover(&l.element).await {
                Ok(()) => return Ok(Done::on(l.info)),
                Err(e) if e.is_retryable() && Instant::now() < deadline => continue,
                Err(e) => return Err(Fail::command(&e)),
            }
        }
    }

    /// `upload`: send the file's absolute path to the file input behind the
    /// target, then wait until the input holds it.
    pub(super) async fn upload(
        &self,
        t: &ResolvedTarget,
        path: &Path,
        deadline: Instant,
        timeout: Duration,
    ) -> Result<Done, Fail> {
        let absolute = std::path::absolute(path)
            .ok()
            .filter(|p| p.is_file())
            .ok_or_else(|| {
                Fail::new(
                    FailureKind::Usage,
                    format!("the file {} to upload is not there", path.display()),
                )
            })?;
        let name = absolute
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let (l, input) = loop {
            let l = self
                .locate_framed(t, Purpose::Any, deadline, timeout)
                .await?;
            match self.widget(&UPLOAD_JS, "find", &l.element, vec![]).await {
                Ok(v) => match v.get("input").and_then(ElementRef::from_json) {
                    Some(input) => break (l, input),
                    None => {
                        return Err(Fail::new(
                            FailureKind::Input,
                            format!(
                                "{t} is no file input and opens none that clickpath can find (it is {})",
                                text_of(&v, "role")
                            ),
                        ))
                    }
                },
                Err(e) if e.is_retryable() && Instant::now() < deadline => continue,
                Err(e) => return Err(Fail::command(&e)),
            }
        };
        self.browser
            .send_keys(&input, &absolute.to_string_lossy())
            .await
            .map_err(|e| Fail::command(&e))?;
        let r = wait::poll(deadline, || async {
            let v = self.widget(&UPLOAD_JS, "files", &input, vec![]).await?;
            let names: Vec<String> = v
                .get("names")
                .and_then(Json::as_array)
                .map(|a| {
                    a.iter()
                        .filter_map(|n| n.as_str().map(String::from))
                        .collect()
                })
                .unwrap_or_default();
            Ok(if names.contains(&name) {
                Ok(())
            } else {
                Err(names)
            })
        })
        .await
        .map_err(|e| Fail::command(&e))?;
        match r {
            Ok(()) => Ok(Done::on(l.info)),
            Err(t_out) => Err(Fail::new(
                FailureKind::Input,
                format!(
                    "{t} did not take the file {name:?} (it holds {:?})",
                    t_out.last.unwrap_or_default()
                ),
            )),
        }
    }
}
