//! `select` on native selects, ARIA comboboxes and listboxes: open the
//! control as a person does (click, or type into an editable one), find the
//! option once it stands still, click it, and wait until the control shows
//! it; a missing option fails with every option offered and the closest
//! one suggested.

use std::time::Duration;

use serde_json::{json, Value as Json};
use tokio::time::Instant;

use super::{text_of, ARROW_DOWN, COMBOBOX_JS, OPEN_GRACE, OPTION_GRACE};
use crate::browser::ElementRef;
use crate::execute::actions::Done;
use crate::execute::failure::Fail;
use crate::execute::runner::Runner;
use crate::execute::wait;
use crate::locate::{self, BoxPx, Candidate, Diagnosis, DriftClass, Edit, Purpose, ResolvedTarget};
use crate::outcome::FailureKind;

/// How many times `select` chooses the option before it gives up on a
/// control that keeps its old value.
const SELECT_TRIES: u32 = 3;

/// How long a try waits for the control to show the chosen option before
/// it chooses again.
const CHOICE_GRACE: Duration = Duration::from_millis(1500);

impl Runner<'_> {
    /// `select`: choose `option` in a native select, an ARIA combobox
    /// (opened like a person opens it, typed into when editable) or a
    /// listbox, then wait until the control shows it.
    pub(in crate::execute) async fn select(
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
            .widget(&COMBOBOX_JS, "inspect", &l.element, vec![json!(option)])
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
        let mut expanded = inspect.get("expanded").and_then(Json::as_bool) == Some(true);
        let keyboard = type_in.as_ref().unwrap_or(&control);
        let how = Finding {
            may_open: kind == "combobox",
            filtered: type_in.is_some(),
        };
        let mut tries = 0;
        loop {
            tries += 1;
            if kind == "combobox" {
                let opened = match &type_in {
                    Some(input) => self.type_over(input, option).await,
                    None if !expanded => self.click_control(&control, false).await,
                    None => Ok(()),
                };
                opened.map_err(|e| Fail::command(&e))?;
            }
            loop {
                let chosen = match self
                    .find_option(&control, keyboard, option, how, deadline)
                    .await?
                {
                    Ok(o) => o,
                    Err(offered) => {
                        return Err(self
                            .missing(t, &control, keyboard, option, offered, &type_in)
                            .await)
                    }
                };
                match self.click_control(&chosen, kind == "native").await {
                    Ok(()) => break,
                    // Re-rendered (a framework list) or briefly covered: find it again.
                    Err(e) if e.is_retryable() && Instant::now() < deadline => continue,
                    Err(e) => return Err(Fail::command(&e)),
                }
            }
            // A click that landed while the list was still growing in (or
            // that the page dropped) leaves the old value: a person sees it
            // and chooses again. Only the last try waits until the deadline.
            let last = tries >= SELECT_TRIES || Instant::now() + CHOICE_GRACE >= deadline;
            let until = if last {
                deadline
            } else {
                Instant::now() + CHOICE_GRACE
            };
            let r = wait::poll(until, || async {
                let v = self
                    .widget(&COMBOBOX_JS, "value", &control, vec![json!(option)])
                    .await?;
                let shown = text_of(&v, "shown");
                Ok(if v.get("ok").and_then(Json::as_bool) == Some(true) {
                    Ok(v.get("page")
                        .and_then(|p| serde_json::from_value::<wait::PageState>(p.clone()).ok()))
                } else {
                    Err(shown)
                })
            })
            .await
            .map_err(|e| Fail::command(&e))?;
            match r {
                Ok(state) => {
                    return Ok(Done {
                        element: Some(l.info),
                        state: state.filter(|_| !self.framed()),
                    })
                }
                Err(_) if !last => {
                    tracing::debug!("select: {t} did not take {option:?}; choosing again");
                    let again = self
                        .widget(&COMBOBOX_JS, "inspect", &l.element, vec![json!(option)])
                        .await
                        .map_err(|e| Fail::command(&e))?;
                    expanded = again.get("expanded").and_then(Json::as_bool) == Some(true);
                }
                Err(t_out) => {
                    return Err(Fail::new(
                        FailureKind::Input,
                        format!(
                            "{t} did not keep option {option:?} (it shows {:?})",
                            t_out.last.unwrap_or_default()
                        ),
                    ))
                }
            }
        }
    }

    /// The failure of an option that is not offered, listing every option
    /// (after typing filtered the list, the whole list is shown again: a
    /// little past the deadline, since the step fails anyway and the
    /// complete list is what says what changed).
    async fn missing(
        &self,
        t: &ResolvedTarget,
        control: &ElementRef,
        keyboard: &ElementRef,
        option: &str,
        offered: Vec<Candidate>,
        type_in: &Option<ElementRef>,
    ) -> Fail {
        if type_in.is_none() {
            return option_missing(t, option, offered);
        }
        if let Err(e) = self.type_over(keyboard, "").await {
            return Fail::command(&e);
        }
        let wait = Instant::now() + OPTION_GRACE;
        let all = Finding {
            may_open: false,
            filtered: false,
        };
        let offered = match self.find_option(control, keyboard, "", all, wait).await {
            Ok(Err(all)) if all.len() > offered.len() => all,
            Ok(_) => offered,
            Err(f) => return f,
        };
        option_missing(t, option, offered)
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
                .widget(&COMBOBOX_JS, "find", control, vec![json!(option)])
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
                    ..Default::default()
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
            fix: vec![Edit::Option {
                name: c.name.clone(),
            }],
        },
        None => Diagnosis {
            class: DriftClass::Gone,
            summary: format!("{t} has no option like {option:?}; it offers {list}"),
            suggestion: None,
            reveal: None,
            fix: Vec::new(),
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
            ..Default::default()
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
