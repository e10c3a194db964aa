//! Unit tests of the drift rules, on hand-built [`Seen`]s.

use super::*;
use crate::locate::{BoxPx, ResolvedScope, Witness};

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

/// A visible button of `main` at `x`, 100 px down.
fn at(name: &str, x: f64, column: Option<&str>) -> Candidate {
    let mut b = c("button", name, "main", true);
    b.bbox = BoxPx {
        x,
        y: 100.0,
        width: 80.0,
        height: 30.0,
    };
    b.column = column.map(Into::into);
    b
}

fn with_witness(element: Candidate) -> Context {
    Context {
        witness: Some(Witness {
            run_id: "run-1".into(),
            element,
        }),
        ..ctx()
    }
}

#[test]
fn a_control_renamed_beyond_recognition_is_found_where_the_target_stood() {
    let t = ResolvedTarget::new(By::Button, "Add user");
    let s = seen(vec![at("New", 600.0, None), at("Settings", 900.0, None)]);
    // Without a witness, "New" has no word in common: gone.
    let d = diagnose(&t, Miss::NotFound, &s, &ctx());
    assert_eq!(d.diagnosis.class, DriftClass::Gone);
    let mut was = at("Add user", 590.0, None);
    was.near = Some(crate::locate::Near {
        before: vec![],
        after: vec!["Settings".into()],
    });
    let d = diagnose(&t, Miss::NotFound, &s, &with_witness(was));
    assert_eq!(d.diagnosis.class, DriftClass::Renamed);
    assert_eq!(
        d.diagnosis.summary,
        "did you mean button \"New\" (main) instead of \"Add user\"? (same role, place, \
         landmark (main) and neighbours (before \"Settings\") as in run-1; the words changed)"
    );
    assert_eq!(
        d.diagnosis.fix,
        vec![Edit::Rename {
            by: "button".into(),
            name: "New".into()
        }]
    );
    assert_eq!(d.ranked[0].name, "New");
}

#[test]
fn a_neighbour_that_kept_its_name_is_never_the_renamed_target() {
    // "Send invite" became "Continue" and traded places with "Cancel":
    // "Cancel" now stands where the target stood, but it is the neighbour.
    let t = ResolvedTarget::new(By::Button, "Send invite");
    let s = seen(vec![at("Continue", 500.0, None), at("Cancel", 600.0, None)]);
    let mut was = at("Send invite", 600.0, None);
    was.near = Some(crate::locate::Near {
        before: vec!["Cancel".into()],
        after: vec![],
    });
    let d = diagnose(&t, Miss::NotFound, &s, &with_witness(was));
    assert_eq!(d.diagnosis.class, DriftClass::Renamed, "{:?}", d.diagnosis);
    assert_eq!(d.ranked[0].name, "Continue");
}

#[test]
fn ambiguity_names_the_columns_and_picks_the_one_the_last_good_run_used() {
    let mut t = ResolvedTarget::new(By::Button, "Delete");
    t.within = Some(Box::new(ResolvedScope::Row("Ann".into())));
    let matches = vec![
        at("Delete", 500.0, Some("Notes")),
        at("Delete", 640.0, Some("Labels")),
    ];
    let s = Seen {
        match_count: 2,
        matches: matches.clone(),
        offers: matches,
        ..seen(vec![])
    };
    // No witness, no action column: every match listed with its column, nth 1.
    let d = diagnose(&t, Miss::Ambiguous, &s, &ctx());
    assert_eq!(d.diagnosis.class, DriftClass::Ambiguous);
    assert!(
        d.diagnosis.summary.contains("in column \"Notes\"")
            && d.diagnosis.summary.contains("in column \"Labels\""),
        "{}",
        d.diagnosis.summary
    );
    assert_eq!(d.diagnosis.fix, vec![Edit::Nth { nth: 1 }]);
    // The last good run clicked the one in "Labels".
    let d = diagnose(
        &t,
        Miss::Ambiguous,
        &s,
        &with_witness(at("Delete", 600.0, Some("Labels"))),
    );
    assert_eq!(d.diagnosis.fix, vec![Edit::Nth { nth: 2 }]);
    assert!(
        d.diagnosis
            .summary
            .ends_with("the 2nd is the one meant (same role, landmark (main) and column \"Labels\", 40 px from its place as in run-1): add `nth: 2`"),
        "{}",
        d.diagnosis.summary
    );
}

#[test]
fn without_a_witness_the_match_in_the_action_column_is_the_likely_one() {
    let t = ResolvedTarget::new(By::Button, "Delete");
    let matches = vec![
        at("Delete", 500.0, Some("Notes")),
        at("Delete", 640.0, Some("Actions")),
    ];
    let s = Seen {
        match_count: 2,
        matches,
        ..seen(vec![])
    };
    let d = diagnose(&t, Miss::Ambiguous, &s, &ctx());
    assert_eq!(d.diagnosis.fix, vec![Edit::Nth { nth: 2 }]);
    assert!(
        d.diagnosis.summary.contains(
            "the 2nd is the one meant (the one in the column of row actions): add `nth: 2`"
        ),
        "{}",
        d.diagnosis.summary
    );
}

#[test]
fn matches_in_different_dialogs_are_told_apart_by_within() {
    let t = ResolvedTarget::new(By::Button, "Save");
    let mut a = at("Save", 100.0, None);
    a.region = Some("dialog \"Invite\"".into());
    let b = at("Save", 600.0, None);
    let s = Seen {
        match_count: 2,
        matches: vec![a.clone(), b],
        ..seen(vec![])
    };
    let d = diagnose(&t, Miss::Ambiguous, &s, &with_witness(a));
    assert_eq!(
        d.diagnosis.fix,
        vec![Edit::Within {
            scope: "dialog".into(),
            name: "Invite".into()
        }]
    );
    assert!(
        d.diagnosis
            .summary
            .ends_with("add `within: {dialog: Invite}`"),
        "{}",
        d.diagnosis.summary
    );
}
