//! Unit tests of runbook patches: every edit kind, flow and block style,
//! quoting, comments kept, and the result loads.

use super::*;

const HEAD: &str = "name: T\nbase_url: https://x\nvars:\n  customer: {default: acme}\nsteps:\n";

fn vars() -> BTreeMap<String, String> {
    BTreeMap::from([("customer".to_string(), "acme".to_string())])
}

/// Apply `edits` to `HEAD + steps`; the result must load and validate.
fn patched(steps: &str, edits: &[(usize, Edit)]) -> Result<String, PatchError> {
    let text = format!("{HEAD}{steps}");
    let file = Path::new("t/x/flow.yaml");
    parse_str(file, &text).unwrap_or_else(|d| panic!("the input loads: {d:#?}"));
    let out = apply(file, &text, edits, &vars())?;
    parse_str(file, &out).unwrap_or_else(|d| panic!("the output loads: {d:#?}\n{out}"));
    Ok(out.strip_prefix(HEAD).unwrap_or(&out).to_string())
}

fn rename(by: &str, name: &str) -> Edit {
    Edit::Rename {
        by: by.into(),
        name: name.into(),
    }
}

#[test]
fn rename_changes_the_words_in_a_flow_locator_and_keeps_comments() {
    let steps = "  # open the form\n  - doc: Click **Invite a User**.\n    click: {button: Invite a user} # the blue one\n    destructive: false\n";
    let out = patched(steps, &[(7, rename("button", "Invite user"))]);
    assert_eq!(
        out.ok().as_deref(),
        Some("  # open the form\n  - doc: Click **Invite a User**.\n    click: {button: Invite user} # the blue one\n    destructive: false\n")
    );
}

#[test]
fn the_doc_line_finds_the_step_too() {
    let steps = "  - doc: Click **Save**\n    click: {button: Save}\n";
    let out = patched(steps, &[(6, rename("button", "Save changes"))]);
    assert_eq!(
        out.ok().as_deref(),
        Some("  - doc: Click **Save**\n    click: {button: Save changes}\n")
    );
}

#[test]
fn rename_changes_the_kind_and_words_in_a_block_locator() {
    let steps =
        "  - doc: Open **Users**\n    click:\n      button: Users\n      within: {region: Users}\n";
    let out = patched(steps, &[(7, rename("link", "All users"))]);
    assert_eq!(
        out.ok().as_deref(),
        Some("  - doc: Open **Users**\n    click:\n      link: All users\n      within: {region: Users}\n")
    );
}

#[test]
fn rename_quotes_words_yaml_would_misread_and_keeps_quotes() {
    let steps = "  - doc: Save\n    click: {button: Save}\n  - doc: Go\n    click: {link: \"Go\"}\n  - doc: Back\n    click: {link: 'Back'}\n";
    let out = patched(
        steps,
        &[
            (7, rename("button", "Save: all, now #1")),
            (9, rename("link", "Go \"there\"")),
            (11, rename("link", "It's back")),
        ],
    )
    .unwrap_or_else(|e| panic!("{e}"));
    assert!(
        out.contains("click: {button: \"Save: all, now #1\"}"),
        "{out}"
    );
    assert!(out.contains("click: {link: \"Go \\\"there\\\"\"}"), "{out}");
    assert!(out.contains("click: {link: 'It''s back'}"), "{out}");
    for words in ["*All", "{x}", "true", "12", "a, b"] {
        let out = patched(steps, &[(7, rename("button", words))]).unwrap_or_else(|e| panic!("{e}"));
        let rb = parse_str(Path::new("t/x/flow.yaml"), &format!("{HEAD}{out}"))
            .unwrap_or_else(|d| panic!("{d:#?}"));
        let t = rb.steps[0].action.target().map(|t| t.name.source_text());
        assert_eq!(t.as_deref(), Some(words), "{out}");
    }
}

#[test]
fn fill_and_select_keep_their_own_fields_and_option_changes_option() {
    let steps = "  - doc: Email\n    fill: {label: Email, value: \"dp-{customer}@x.ai\"}\n  - doc: Role\n    select: {label: Projects, option: Admin}\n";
    let out = patched(
        steps,
        &[
            (7, rename("label", "Email address")),
            (
                9,
                Edit::Option {
                    name: "Administrator".into(),
                },
            ),
        ],
    );
    assert_eq!(
        out.ok().as_deref(),
        Some("  - doc: Email\n    fill: {label: Email address, value: \"dp-{customer}@x.ai\"}\n  - doc: Role\n    select: {label: Projects, option: Administrator}\n")
    );
    let e = patched(steps, &[(7, Edit::Option { name: "X".into() })]).err();
    assert_eq!(e.map(|e| e.kind), Some(PatchErrorKind::NoOption));
}

#[test]
fn a_var_in_the_old_words_is_kept_when_the_new_words_have_its_value() {
    let steps = "  - doc: Row\n    expect: {text: \"dp-{customer}@x.ai\"}\n";
    let out = patched(steps, &[(7, rename("text", "Invited dp-acme@x.ai"))]);
    assert_eq!(
        out.ok().as_deref(),
        Some("  - doc: Row\n    expect: {text: \"Invited dp-{customer}@x.ai\"}\n")
    );
    let out = patched(steps, &[(7, rename("text", "dp-other@x.ai {x}"))]);
    assert_eq!(
        out.ok().as_deref(),
        Some("  - doc: Row\n    expect: {text: \"dp-other@x.ai {{x}}\"}\n")
    );
}

#[test]
fn nth_is_added_in_flow_and_block_style_and_changed_when_there() {
    let flow = "  - doc: Send\n    click: {button: Send, within: {region: Form}}\n";
    assert_eq!(
        patched(flow, &[(7, Edit::Nth { nth: 2 })]).ok().as_deref(),
        Some("  - doc: Send\n    click: {button: Send, nth: 2, within: {region: Form}}\n")
    );
    let block = "  - doc: Send\n    click:\n      button: Send # blue\n  - doc: Go\n    goto: /\n";
    assert_eq!(
        patched(block, &[(7, Edit::Nth { nth: 2 })]).ok().as_deref(),
        Some("  - doc: Send\n    click:\n      button: Send # blue\n      nth: 2\n  - doc: Go\n    goto: /\n")
    );
    let has = "  - doc: Send\n    click: {button: Send, nth: 1}\n";
    assert_eq!(
        patched(has, &[(7, Edit::Nth { nth: 3 })]).ok().as_deref(),
        Some("  - doc: Send\n    click: {button: Send, nth: 3}\n")
    );
}

#[test]
fn within_adds_a_scope_unless_there_is_one() {
    let steps = "  - doc: Remove\n    click: {button: Remove}\n";
    let out = patched(
        steps,
        &[(
            7,
            Edit::Within {
                scope: "row".into(),
                name: "Ann: admin".into(),
            },
        )],
    );
    assert_eq!(
        out.ok().as_deref(),
        Some("  - doc: Remove\n    click: {button: Remove, within: {row: \"Ann: admin\"}}\n")
    );
    let scoped = "  - doc: Remove\n    click: {button: Remove, within: {row: Bob}}\n";
    let e = patched(
        scoped,
        &[(
            7,
            Edit::Within {
                scope: "row".into(),
                name: "Ann".into(),
            },
        )],
    )
    .err();
    assert_eq!(e.map(|e| e.kind), Some(PatchErrorKind::AlreadyScoped));
}

#[test]
fn reveal_first_inserts_a_step_at_the_same_indentation_once() {
    let steps = "  - doc: Open\n    goto: /\n  # the invite button\n  - doc: Click **Invite**\n    click: {button: Invite a user}\n";
    let edit = Edit::RevealFirst {
        by: "button".into(),
        name: "More".into(),
    };
    let out = patched(steps, &[(10, edit.clone())]).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        out,
        "  - doc: Open\n    goto: /\n  # the invite button\n  - doc: Click **More** (added by clickpath fix)\n    click: {button: More}\n  - doc: Click **Invite**\n    click: {button: Invite a user}\n"
    );
    // Applied again to the patched file (the step moved two lines down):
    // nothing more to add.
    let file = Path::new("t/x/flow.yaml");
    let text = format!("{HEAD}{out}");
    let again =
        apply(file, &text, &[(12, edit.clone())], &vars()).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(again, text);
    // At the recorded line, which now holds the inserted click: nothing either.
    let again = apply(file, &text, &[(10, edit)], &vars()).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(again, text);
}

#[test]
fn expect_absent_edits_the_inner_locator() {
    let steps = "  - doc: Gone\n    expect: {absent: {button: Delete}}\n";
    assert_eq!(
        patched(steps, &[(7, rename("button", "Remove"))])
            .ok()
            .as_deref(),
        Some("  - doc: Gone\n    expect: {absent: {button: Remove}}\n")
    );
}

#[test]
fn edits_that_cannot_apply_name_the_file_line_and_why() {
    let steps = "  - doc: Open\n    goto: /\n  - doc: Save\n    click: {button: Save}\n";
    let e = patched(steps, &[(3, rename("button", "X"))]).err();
    let e = e.unwrap_or_else(|| panic!("applied"));
    assert_eq!(e.kind, PatchErrorKind::NoStep);
    assert_eq!(
        e.to_string(),
        "t/x/flow.yaml:3: cannot use button \"X\": no step is written on this line; the runbook changed since the run"
    );
    let e = patched(steps, &[(7, rename("button", "X"))]).err();
    assert_eq!(
        e.map(|e| e.kind),
        Some(PatchErrorKind::NoLocator("goto".into()))
    );
    let e = patched(steps, &[(9, rename("buton", "X"))]).err();
    assert_eq!(
        e.map(|e| e.kind),
        Some(PatchErrorKind::UnknownKind("buton".into()))
    );
    let e = patched(
        steps,
        &[(9, rename("button", "X")), (9, rename("button", "Y"))],
    )
    .err();
    assert_eq!(e.map(|e| e.kind), Some(PatchErrorKind::Overlap));
    let folded = "  - doc: Save\n    click: {button: \"Save\n      all\"}\n";
    let e = patched(folded, &[(7, rename("button", "X"))]).err();
    assert!(
        matches!(e.map(|e| e.kind), Some(PatchErrorKind::Layout(_))),
        "a scalar across lines is not rewritten"
    );
}

#[test]
fn the_diff_is_unified_with_headers_and_context() {
    let before = "a\nb\nc\nd\ne\nf\ng\nh\n";
    let after = "a\nb\nc\nd\nE\nf\ng\nh\n";
    let d = unified_diff(Path::new("./r/x.yaml"), before, after);
    assert_eq!(
        d,
        "--- a/r/x.yaml\n+++ b/r/x.yaml\n@@ -2,7 +2,7 @@\n b\n c\n d\n-e\n+E\n f\n g\n h\n"
    );
    assert_eq!(unified_diff(Path::new("x"), "a\n", "a\n"), "");
}

#[test]
fn the_xero_runbook_patches_for_each_sandbox_drift() {
    let file = Path::new("runbooks/xero/10-invite_user.yaml");
    let text = include_str!("../../../runbooks/xero/10-invite_user.yaml");
    let line = |needle: &str| {
        text.lines()
            .position(|l| l.contains(needle))
            .map_or(0, |i| i + 1)
    };
    let invite = line("click: {button: Invite a user}");
    let email = line("fill: {label: Email,");
    for (l, edit) in [
        (invite, rename("button", "Invite user")),
        (
            invite,
            Edit::RevealFirst {
                by: "button".into(),
                name: "More".into(),
            },
        ),
        (email, rename("label", "Email address")),
    ] {
        let out = apply(file, text, &[(l, edit.clone())], &vars())
            .unwrap_or_else(|e| panic!("{edit}: {e}"));
        parse_str(file, &out).unwrap_or_else(|d| panic!("{edit}: {d:#?}"));
        let diff = unified_diff(file, text, &out);
        assert!(diff.starts_with("--- a/runbooks/xero/10-invite_user.yaml\n+++ b/runbooks/xero/10-invite_user.yaml\n@@ "), "{diff}");
        assert_eq!(
            diff.lines().filter(|l| l.starts_with('-')).count(),
            1 + usize::from(!matches!(edit, Edit::RevealFirst { .. })),
            "{diff}"
        );
    }
}

#[test]
fn locator_words_are_read_as_written() {
    let text = format!("{HEAD}  - doc: Row\n    expect: {{text: \"dp-{{customer}}@x.ai\"}}\n  - doc: Go\n    goto: /\n");
    let file = Path::new("t/x/flow.yaml");
    assert_eq!(
        locator_words(file, &text, 7).as_deref(),
        Some("dp-{customer}@x.ai")
    );
    assert_eq!(locator_words(file, &text, 9), None);
    assert_eq!(locator_words(file, &text, 2), None);
}
