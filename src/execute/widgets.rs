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
use crate::browser::{CommandError, ElementRef};
use crate::locate::{self, BoxPx, Candidate, Diagnosis, DriftClass, Purpose, ResolvedTarget};
use crate::outcome::FailureKind;

/// `select` on `<select>`, comboboxes and listboxes (an async script: its
/// `find` waits a frame in the page to see the option stand still).
const COMBOBOX_JS: &str = concat!(
    "const done = arguments[arguments.length - 1];\n",
    "Promise.resolve((function () {\n",
    include_str!("../locate/words.js"),
    include_str!("widgets/common.js"),
    include_str!("widgets/combobox.js"),
    "\n}).apply(null, arguments)).then(done, (e) => done({ error: String(e) }));"
);

/// `check`/`uncheck`/`expect: {checked:}`: the state and what to click.
const CHECKBOX_JS: &str = concat!(
    "return (function () {\n",
    include_str!("../locate/words.js"),
    include_str!("widgets/common.js"),
    include_str!("widgets/checkbox.js"),
    "\n}).apply(null, arguments);"
);

/// `fill`: kind of field, read-back after blur, the native-setter fallback.
const FIELD_JS: &str = concat!(
    include_str!("../locate/page.js"),
    include_str!("../locate/words.js"),
    include_str!("widgets/common.js"),
    include_str!("widgets/field.js")
);

/// `upload`: the file input behind the target, and what it holds.
const UPLOAD_JS: &str = concat!(
    "return (function () {\n",
    include_str!("../locate/words.js"),
    include_str!("widgets/common.js"),
    include_str!("widgets/upload.js"),
    "\n}).apply(null, arguments);"
);

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
        script: &str,
        op: &str,
        el: &ElementRef,
        extra: Vec<Json>,
    ) -> Result<Json, CommandError> {
        let mut args = vec![json!(op), el.to_json()];
        args.extend(extra);
        if std::ptr::eq(script, COMBOBOX_JS) {
            return self.browser.execute_async(script, args).await;
        }
        self.browser.execute(script, args).await
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
        let (l, before) = loop {
            let l = self
                .locate_framed(t, Purpose::Input, deadline, timeout)
                .await?;
            let op = if insert { "prepare" } else { "kind" };
            let kind = self
                .browser
                .execute_async(FIELD_JS, vec![json!(op), l.element.to_json()])
                .await;
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
                .execute_async(
                    FIELD_JS,
                    vec![json!(op), el.to_json(), json!(text), json!(mask)],
                )
                .await
                .map(|v| text_of(&v, "value"))
        };
        // The read-back also reads the page state, which the runner then
        // need not ask for again.
        let first = self
            .browser
            .execute_async(
                FIELD_JS,
                vec![json!("read"), el.to_json(), json!(text), json!(mask)],
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

    /// `select`: choose `option` in a native select, an ARIA combobox
    /// (opened like a person opens it, typed into when editable) or a
    /// listbox, then wait until the control shows it.
    pub(super) async fn select(
        &self,
        t: &ResolvedTarget,
        option: &str,
        deadline: Instant,
        timeout: Duration,
    ) -> Result<Done, Fail> {
        let l = self
            .locate_framed(t, Purpose::Input, deadline, timeout)
            .await?;
        let inspect = self
            .widget(COMBOBOX_JS, "inspect", &l.element, vec![json!(option)])
            .await
            .map_err(|e| Fail::command(&e))?;
        let kind = text_of(&inspect, "kind");
        let Some(control) = inspect.get("control").and_then(ElementRef::from_json) else {
            return Err(Fail::new(
                FailureKind::Input,
                format!(
                    "{t} is not a select, combobox or listbox (it is {})",
                    text_of(&inspect, "role")
                ),
            ));
        };
        let type_in = inspect.get("type_in").and_then(ElementRef::from_json);
        let expanded = inspect.get("expanded").and_then(Json::as_bool) == Some(true);
        if kind == "combobox" {
            let opened = match &type_in {
                Some(input) => self.type_over(input, option).await,
                None if !expanded => self.click_control(&control, false).await,
                None => Ok(()),
            };
            opened.map_err(|e| Fail::command(&e))?;
        }
        let keyboard = type_in.as_ref().unwrap_or(&control);
        let how = Finding {
            may_open: kind == "combobox",
            filtered: type_in.is_some(),
        };
        loop {
            let chosen = match self
                .find_option(&control, keyboard, option, how, deadline)
                .await?
            {
                Ok(o) => o,
                Err(offered) => {
                    let offered = if type_in.is_none() {
                        offered
                    } else {
                        // Typing filtered the list: show every option instead
                        // (a little past the deadline: the step fails anyway,
                        // and the complete list is what says what changed).
                        self.type_over(keyboard, "")
                            .await
                            .map_err(|e| Fail::command(&e))?;
                        let wait = Instant::now() + OPTION_GRACE;
                        let all = Finding {
                            may_open: false,
                            filtered: false,
                        };
                        match self.find_option(&control, keyboard, "", all, wait).await? {
                            Err(all) if all.len() > offered.len() => all,
                            _ => offered,
                        }
                    };
                    return Err(option_missing(t, option, offered));
                }
            };
            match self.click_control(&chosen, kind == "native").await {
                Ok(()) => break,
                // Re-rendered (a framework list) or briefly covered: find it again.
                Err(e) if e.is_retryable() && Instant::now() < deadline => continue,
                Err(e) => return Err(Fail::command(&e)),
            }
        }
        let r = wait::poll(deadline, || async {
            let v = self
                .widget(COMBOBOX_JS, "value", &control, vec![json!(option)])
                .await?;
            let shown = text_of(&v, "shown");
            Ok(if v.get("ok").and_then(Json::as_bool) == Some(true) {
                Ok(())
            } else {
                Err(shown)
            })
        })
        .await
        .map_err(|e| Fail::command(&e))?;
        match r {
            Ok(()) => Ok(Done::on(l.info)),
            Err(t_out) => Err(Fail::new(
                FailureKind::Input,
                format!(
                    "{t} did not keep option {option:?} (it shows {:?})",
                    t_out.last.unwrap_or_default()
                ),
            )),
        }
    }

    /// Poll the popup for `option` until it is there and stands still
    /// (`Ok`), or the list has been shown without it for [`OPTION_GRACE`]
    /// or the deadline passed (`Err` with the options offered). A combobox
    /// that stays closed after a click is opened with the keyboard.
    async fn find_option(
        &self,
        control: &ElementRef,
        keyboard: &ElementRef,
        option: &str,
        how: Finding,
        deadline: Instant,
    ) -> Result<Result<ElementRef, Vec<Candidate>>, Fail> {
        let started = Instant::now();
        let may_open = how.may_open;
        let mut tick = tokio::time::interval(wait::POLL);
        tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        let mut last_box: Option<Json> = None;
        let mut shown_since: Option<Instant> = None;
        let mut keyed = !may_open;
        loop {
            tick.tick().await;
            let v = match self
                .widget(COMBOBOX_JS, "find", control, vec![json!(option)])
                .await
            {
                Ok(v) => v,
                Err(e) if e.is_transient() && Instant::now() < deadline => continue,
                Err(e) => return Err(Fail::command(&e)),
            };
            let offered = offered_options(&v);
            if let Some(o) = v.get("option").and_then(ElementRef::from_json) {
                let b = v.get("box").cloned();
                // Popups animate in: click once the option stopped moving
                // (across a frame in the page, or between two polls).
                let stable = v.get("stable").and_then(Json::as_bool) == Some(true);
                if stable || (b.is_some() && b == last_box) {
                    return Ok(Ok(o));
                }
                last_box = b;
            } else if !option.is_empty() && !offered.is_empty() {
                let since = *shown_since.get_or_insert_with(Instant::now);
                if since.elapsed() >= OPTION_GRACE {
                    return Ok(Err(offered));
                }
            } else if option.is_empty() && !offered.is_empty() {
                return Ok(Err(offered));
            } else if how.filtered && started.elapsed() >= 2 * OPTION_GRACE {
                // Typing left no option at all ("No options").
                return Ok(Err(offered));
            }
            let open = v.get("open").and_then(Json::as_bool) == Some(true);
            if !open && !keyed && started.elapsed() >= OPEN_GRACE {
                keyed = true;
                self.browser
                    .send_keys(keyboard, ARROW_DOWN)
                    .await
                    .map_err(|e| Fail::command(&e))?;
            }
            if Instant::now() >= deadline {
                return Ok(Err(offered));
            }
        }
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
            let v = match self.widget(CHECKBOX_JS, "target", &l.element, vec![]).await {
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
                Ok(()) => {
                    info.checked = Some(want);
                    Ok(Done::on(info))
                }
                Err(()) => Err(Fail::new(
                    FailureKind::Input,
                    format!("{t} did not become {word} after a click"),
                )),
            };
        }
    }

    /// Poll the checked state of `el` until it is `want` or `deadline` passes.
    async fn until_checked(
        &self,
        el: &ElementRef,
        want: bool,
        deadline: Instant,
    ) -> Result<Result<(), ()>, Fail> {
        let r = wait::poll(deadline, || async {
            let v = self.widget(CHECKBOX_JS, "state", el, vec![]).await?;
            Ok(if v.get("checked").and_then(Json::as_bool) == Some(want) {
                Ok(())
            } else {
                Err(())
            })
        })
        .await
        .map_err(|e| Fail::command(&e))?;
        Ok(r.map_err(|_| ()))
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
            Ok(()) => {
                let mut info = l.info;
                info.checked = Some(want);
                Ok(Done::on(info))
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
            match self.widget(UPLOAD_JS, "find", &l.element, vec![]).await {
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
            let v = self.widget(UPLOAD_JS, "files", &input, vec![]).await?;
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

/// How [`Runner::find_option`] looks for an option.
#[derive(Debug, Clone, Copy)]
struct Finding {
    /// The combobox may be closed: open it with ArrowDown if a click did not.
    may_open: bool,
    /// Its list was filtered by typing: no option at all for a while means
    /// none matches, not that the list is still loading.
    filtered: bool,
}

/// The options a `find` answer lists, as candidates (role `option`).
fn offered_options(v: &Json) -> Vec<Candidate> {
    v.get("offered")
        .and_then(Json::as_array)
        .map(|a| {
            a.iter()
                .map(|o| Candidate {
                    tag: text_of(o, "tag"),
                    role: "option".into(),
                    name: text_of(o, "name"),
                    bbox: o
                        .get("box")
                        .and_then(|b| serde_json::from_value::<BoxPx>(b.clone()).ok())
                        .unwrap_or_default(),
                    visible: o.get("visible").and_then(Json::as_bool) == Some(true),
                    hidden_why: None,
                    region: None,
                    checked: None,
                    matched: None,
                })
                .collect()
        })
        .unwrap_or_default()
}

/// The failure of a `select` whose option is not offered: `renamed` when an
/// option's name is close to the wanted one (it is suggested first), else
/// `gone`; the message lists every option.
pub(crate) fn option_missing(t: &ResolvedTarget, option: &str, offered: Vec<Candidate>) -> Fail {
    let names: Vec<String> = offered.iter().map(|c| format!("{:?}", c.name)).collect();
    let list = if names.is_empty() {
        "no options (it showed no list)".to_string()
    } else {
        names.join(", ")
    };
    let mut ranked: Vec<(f64, Candidate)> = offered
        .into_iter()
        .map(|c| (locate::similarity(option, &c.name), c))
        .collect();
    ranked.sort_by(|a, b| b.0.total_cmp(&a.0));
    let best = ranked
        .first()
        .filter(|(s, _)| *s >= locate::RENAMED_MIN)
        .map(|(_, c)| c.clone());
    let diagnosis = match &best {
        Some(c) => Diagnosis {
            class: DriftClass::Renamed,
            summary: format!("did you mean option {:?} instead of {option:?}?", c.name),
            suggestion: Some(c.clone()),
            reveal: None,
        },
        None => Diagnosis {
            class: DriftClass::Gone,
            summary: format!("{t} has no option like {option:?}; it offers {list}"),
            suggestion: None,
            reveal: None,
        },
    };
    let mut f = Fail::new(
        FailureKind::NotFound,
        format!("{t} has no option {option:?}; it offers {list}"),
    );
    f.offers = ranked.into_iter().map(|(_, c)| c).take(10).collect();
    f.diagnosis = Some(Box::new(diagnosis));
    f
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::runbook::By;

    fn option(name: &str) -> Candidate {
        Candidate {
            tag: "li".into(),
            role: "option".into(),
            name: name.into(),
            bbox: BoxPx::default(),
            visible: true,
            hidden_why: None,
            region: None,
            checked: None,
            matched: None,
        }
    }

    #[test]
    fn a_renamed_option_is_suggested_first_with_every_option_listed() {
        let t = ResolvedTarget::new(By::Label, "Role");
        let f = option_missing(
            &t,
            "Standard",
            vec![
                option("Adviser"),
                option("Standard user"),
                option("Read only"),
            ],
        );
        assert_eq!(f.kind, FailureKind::NotFound);
        assert_eq!(
            f.message,
            "label \"Role\" has no option \"Standard\"; it offers \"Adviser\", \"Standard user\", \"Read only\""
        );
        let d = f.diagnosis.as_deref().map(|d| (d.class, d.summary.clone()));
        assert_eq!(
            d,
            Some((
                DriftClass::Renamed,
                "did you mean option \"Standard user\" instead of \"Standard\"?".into()
            ))
        );
        assert_eq!(f.offers[0].name, "Standard user");
    }

    #[test]
    fn an_option_with_nothing_close_is_gone() {
        let t = ResolvedTarget::new(By::Label, "Role");
        let f = option_missing(
            &t,
            "Payroll admin",
            vec![option("Viewer"), option("Editor")],
        );
        assert_eq!(f.diagnosis.map(|d| d.class), Some(DriftClass::Gone));
        let f = option_missing(&t, "Admin", vec![]);
        assert!(
            f.message
                .ends_with("it offers no options (it showed no list)"),
            "{}",
            f.message
        );
    }

    #[test]
    fn offered_options_read_the_find_answer() {
        let v = json!({"offered": [{"name": "Admin", "tag": "li", "visible": true,
            "box": {"x": 1.0, "y": 2.0, "width": 3.0, "height": 4.0}}]});
        let o = offered_options(&v);
        assert_eq!(o.len(), 1);
        assert_eq!(
            (o[0].role.as_str(), o[0].name.as_str()),
            ("option", "Admin")
        );
        assert_eq!(o[0].bbox.height, 4.0);
        assert!(offered_options(&json!({})).is_empty());
    }
}
