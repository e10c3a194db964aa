//! Unit tests of the drift rules, on hand-built [`Seen`]s.

use super::*;
use crate::locate::{BoxPx, ResolvedScope};

fn c(role: &str, name: &str, region: &str, visible: bool) -> Candidate {
    Candidate {
        tag: "button".into(),
        role: role.into(),
        name: name.into(),
        bbox: BoxPx::default(),
        visible,
        hidden_why: (!visible).then(|| "it is inside menu \"More\" which has display:none".into()),
        region: Some(region.into()),
        checked: None,
        matched: None,
        ..Default::default()
    }
}

fn seen(offers: Vec<Candidate>) -> Seen {
    Seen {
        url: "http://127.0.0.1:1/xero/settings/users".into(),
        heading: "Users".into(),
        offers,
        ..Seen::default()
    }
}

fn ctx() -> Context {
    Context {
        before: Some(PageMark {
            step: 12,
            url: "http://127.0.0.1:1/xero/settings/users".into(),
            heading: "Users".into(),
        }),
        used_here: Vec::new(),
        witness: None,
    }
}

#[test]
fn a_close_name_of_the_same_role_is_renamed_and_first() {
    let t = ResolvedTarget::new(By::Button, "Invite a user");
    let s = seen(vec![
        c("button", "Demo Company (UK)", "banner", true),
        c("button", "Add Xero support", "main", true),
        c("button", "Invite user", "main", true),
    ]);
    let d = diagnose(&t, Miss::NotFound, &s, &ctx());
    assert_eq!(d.diagnosis.class, DriftClass::Renamed);
    assert_eq!(
        d.diagnosis.summary,
        "did you mean button \"Invite user\" (main) instead of \"Invite a user\"?"
    );
    assert_eq!(d.ranked[0].name, "Invite user");
    assert_eq!(
        d.diagnosis.suggestion.map(|c| c.name).as_deref(),
        Some("Invite user")
    );
}

#[test]
fn a_field_that_kept_its_first_word_is_renamed() {
    let t = ResolvedTarget::new(By::Label, "Email");
    let s = seen(vec![
        c("textbox", "First name", "form", true),
        c("textbox", "Email address", "form", true),
        c("checkbox", "Org Admin", "form", true),
    ]);
    let d = diagnose(&t, Miss::NotFound, &s, &ctx());
    assert_eq!(d.diagnosis.class, DriftClass::Renamed);
    assert_eq!(d.ranked[0].name, "Email address");
}

#[test]
fn a_control_used_earlier_on_the_page_is_not_a_rename() {
    let t = ResolvedTarget::new(By::Label, "Last name");
    let s = seen(vec![
        c("textbox", "First name", "form", true),
        c("textbox", "Email", "form", true),
    ]);
    let mut cx = ctx();
    let d = diagnose(&t, Miss::NotFound, &s, &cx);
    assert_eq!(
        d.diagnosis.class,
        DriftClass::Renamed,
        "without history it looks renamed"
    );
    cx.used_here = vec!["First name".into()];
    let d = diagnose(&t, Miss::NotFound, &s, &cx);
    assert_eq!(d.diagnosis.class, DriftClass::Gone);
    assert!(
        d.diagnosis
            .summary
            .starts_with("nothing like field \"Last name\" on the page; it offers"),
        "{}",
        d.diagnosis.summary
    );
    assert_eq!(d.diagnosis.suggestion, None);
}

#[test]
fn the_only_control_in_the_scope_is_the_renamed_one() {
    let mut t = ResolvedTarget::new(By::Button, "Delete");
    t.within = Some(Box::new(ResolvedScope::Row("dp-acme@drivetrain.ai".into())));
    let mut s = seen(vec![c("button", "Remove access", "main", true)]);
    s.scope = Some("row containing \"dp-acme@drivetrain.ai\"".into());
    let d = diagnose(&t, Miss::NotFound, &s, &ctx());
    assert_eq!(d.diagnosis.class, DriftClass::Renamed);
    assert_eq!(d.ranked[0].name, "Remove access");
    assert!(closeness("Delete", "Remove access") >= 0.5, "synonyms");
}

#[test]
fn a_hidden_match_says_inside_what_and_what_reveals_it() {
    let t = ResolvedTarget::new(By::Button, "Invite a user");
    let mut s = seen(vec![c("button", "More", "main", true)]);
    s.related = vec![Related {
        candidate: c("menuitem", "Invite a user", "menu \"More\"", false),
        hidden_in: Some("the closed menu \"More\"".into()),
        reveal: Some(c("button", "More", "main", true)),
    }];
    let d = diagnose(&t, Miss::NotFound, &s, &ctx());
    assert_eq!(d.diagnosis.class, DriftClass::Hidden);
    assert_eq!(
        d.diagnosis.summary,
        "menuitem \"Invite a user\" exists but is hidden inside the closed menu \"More\"; click button \"More\" first to reveal it"
    );
    assert_eq!(d.diagnosis.reveal.as_deref(), Some("button \"More\""));
    assert_eq!(d.revealer.map(|c| c.name).as_deref(), Some("More"));
}

#[test]
fn ambiguous_names_every_match() {
    let t = ResolvedTarget::new(By::Button, "Send invite");
    let mut s = seen(Vec::new());
    s.matches = vec![
        c("button", "Send invite", "form \"Permissions\"", true),
        c("button", "Send invite", "form \"Permissions\"", true),
    ];
    let d = diagnose(&t, Miss::Ambiguous, &s, &ctx());
    assert_eq!(d.diagnosis.class, DriftClass::Ambiguous);
    assert_eq!(
        d.diagnosis
            .summary
            .matches("button \"Send invite\" at")
            .count(),
        2
    );
}

#[test]
fn a_different_page_is_the_wrong_page_unless_something_is_close() {
    let t = ResolvedTarget::new(By::Button, "Invite a user");
    let mut s = seen(vec![c("button", "Log in", "main", true)]);
    s.url = "http://127.0.0.1:1/xero/login".into();
    s.heading = "Log in to Xero".into();
    let d = diagnose(&t, Miss::NotFound, &s, &ctx());
    assert_eq!(d.diagnosis.class, DriftClass::WrongPage);
    assert_eq!(
        d.diagnosis.summary,
        "the page changed after step 12 although this step had not acted: it ended on \"Users\" (/xero/settings/users), now it is \"Log in to Xero\" (/xero/login)"
    );
    // Same page, no button at all: the previous step led elsewhere.
    let s = seen(Vec::new());
    let d = diagnose(&t, Miss::NotFound, &s, &ctx());
    assert_eq!(d.diagnosis.class, DriftClass::WrongPage);
    assert!(
        d.diagnosis.summary.contains("has no button at all"),
        "{}",
        d.diagnosis.summary
    );
    // Same page, only unrelated buttons: gone.
    let s = seen(vec![c("button", "Add Xero support", "main", true)]);
    let d = diagnose(&t, Miss::NotFound, &s, &ctx());
    assert_eq!(d.diagnosis.class, DriftClass::Gone);
}

#[test]
fn a_field_named_only_by_its_placeholder_is_suggested_as_such() {
    let t = ResolvedTarget::new(By::Label, "Search users");
    let mut s = seen(vec![c("textbox", "Name", "main", true)]);
    s.alternatives = vec![crate::locate::Alternative {
        by: "placeholder".into(),
        words: "Search users".into(),
        element: c("textbox", "Search users", "main", true),
    }];
    let d = diagnose(&t, Miss::NotFound, &s, &ctx());
    assert_eq!(d.diagnosis.class, DriftClass::Renamed);
    assert!(
        d.diagnosis
            .summary
            .ends_with("use `placeholder: Search users`"),
        "{}",
        d.diagnosis.summary
    );
    assert_eq!(d.ranked[0].name, "Search users");
}

#[test]
fn a_page_error_is_quoted_instead_of_a_rename() {
    let t = ResolvedTarget::new(By::Text, "The user was added successfully");
    let mut s = seen(vec![c("button", "Save and add another", "main", true)]);
    s.errors = vec!["A user with that username already exists.".into()];
    let d = diagnose(&t, Miss::NotFound, &s, &ctx());
    assert_eq!(d.diagnosis.class, DriftClass::WrongPage);
    assert_eq!(
        d.diagnosis.summary,
        "no text \"The user was added successfully\": the page shows an error: \"A user with that username already exists.\"; step 12 did not lead where the runbook expects"
    );
    assert_eq!(d.diagnosis.suggestion, None);
}

#[test]
fn nothing_close_names_the_closed_menus() {
    let t = ResolvedTarget::new(By::MenuItem, "Delete user");
    let mut s = seen(vec![c("menuitem", "Log out", "banner", true)]);
    s.menus = vec![
        c("button", "Actions", "main", true),
        c("button", "Settings", "banner", true),
    ];
    let d = diagnose(&t, Miss::NotFound, &s, &ctx());
    assert_eq!(d.diagnosis.class, DriftClass::Gone);
    assert!(
        d.diagnosis.summary.ends_with(
            "; it may be inside a closed menu or dropdown, which holds its items only while open: button \"Actions\" or button \"Settings\" (open it first)"
        ),
        "{}",
        d.diagnosis.summary
    );
}

#[test]
fn a_missing_scope_lists_the_scopes_there_are() {
    let mut t = ResolvedTarget::new(By::Checkbox, "Active");
    t.within = Some(Box::new(ResolvedScope::Region("Permissions".into())));
    let mut s = seen(Vec::new());
    s.scope = Some("region \"Permissions\"".into());
    s.scopes = vec!["main".into(), "group \"Personal info\"".into()];
    let d = diagnose(&t, Miss::ScopeNotFound, &s, &ctx());
    assert_eq!(d.diagnosis.class, DriftClass::Gone);
    assert_eq!(
        d.diagnosis.summary,
        "there is no region \"Permissions\" on the page (looking for checkbox \"Active\"); the page has main, group \"Personal info\""
    );
}

#[test]
fn a_hidden_match_by_normalised_words_says_only_punctuation_differs() {
    let t = ResolvedTarget::new(By::Label, "Username");
    let mut s = seen(Vec::new());
    let mut h = c("textbox", "Username:", "form", false);
    h.matched = Some("Username:".into());
    s.hidden = vec![h];
    let d = diagnose(&t, Miss::NotVisible, &s, &ctx());
    assert_eq!(d.diagnosis.class, DriftClass::Hidden);
    assert!(
        d.diagnosis
            .summary
            .contains("(its words \"Username:\" differ from \"Username\" only in punctuation or case, so it is the one meant)"),
        "{}",
        d.diagnosis.summary
    );
}
