//! Frames (issue 10, part 4): `within: {frame: ...}` into a cross-origin
//! iframe (a second loopback site on another port), nested same-origin
//! frames, a frame that appears late and whose form renders late, the
//! diagnosis of a target the runbook did not scope to its frame, and a frame
//! scope that names no frame on the page. Real headless Chromium, pages on
//! 127.0.0.1.

use std::path::Path;

mod binary;

use binary::{serve_pages, Clickpath, Reply};
use clickpath::outcome::RunOutcome;

/// The payment form, served by its own site (another origin): a card field
/// and **Pay**, which says `Paid`. With `?late` the form renders after
/// 700 ms.
fn payment_site() -> u16 {
    serve_pages(|target| {
        let form = "<h2>Card</h2><label>Card number <input id=c></label>\
                    <button onclick=\"document.getElementById('r').textContent = \
                    'Paid ' + document.getElementById('c').value\">Pay</button><p id=r></p>";
        let body = if target.starts_with("/pay?late") {
            format!(
                "<div id=f></div><script>setTimeout(() => \
                 document.getElementById('f').innerHTML = {form:?}, 700)</script>"
            )
        } else if target.starts_with("/pay") {
            form.to_string()
        } else {
            return Reply::status("404 Not Found", "");
        };
        Reply::ok(format!(
            "<!doctype html><title>Pay</title><body style=\"margin:0\">{body}</body>"
        ))
    })
}

/// The shop: `/` has the payment frame 300 px down and a same-origin frame
/// `help` that nests the frame `Inner` (its **Ask** button says `Asked`);
/// `/late` adds the payment frame after 700 ms; `/cards` has a frame `Card`
/// whose **Remove** asks `confirm('Remove this card?')`.
fn shop(pay: u16) -> u16 {
    serve_pages(move |target| {
        let pay_frame = |query: &str| {
            format!(
                "<iframe title=\"Payment\" src=\"http://127.0.0.1:{pay}/pay{query}\" \
                 style=\"display:block;width:500px;height:200px;border:0\"></iframe>"
            )
        };
        let page = match target {
            "/" => format!(
                "<title>Checkout</title><body style=\"margin:0\"><h1 style=\"height:300px;margin:0\">\
                 Checkout</h1>{}<iframe name=\"help\" src=\"/help\" \
                 style=\"display:block;width:500px;height:200px\"></iframe></body>",
                pay_frame("")
            ),
            "/late" => format!(
                "<title>Checkout</title><h1>Checkout</h1><div id=slot></div><script>\
                 setTimeout(() => document.getElementById('slot').innerHTML = {:?}, 700)</script>",
                pay_frame("?late")
            ),
            "/help" => "<title>Help</title><h2>Help</h2><iframe title=\"Inner\" src=\"/inner\" \
                        style=\"width:300px;height:100px\"></iframe>"
                .to_string(),
            "/cards" => "<title>Cards</title><h1>Cards</h1><iframe title=\"Card\" src=\"/card\"></iframe>"
                .to_string(),
            "/card" => "<title>Card</title><button onclick=\"if (confirm('Remove this card?')) \
                        this.textContent = 'Removed'\">Remove</button>"
                .to_string(),
            "/inner" => "<title>Inner</title><button onclick=\"this.textContent = 'Asked'\">Ask</button>"
                .to_string(),
            _ => return Reply::status("404 Not Found", ""),
        };
        Reply::ok(format!("<!doctype html>{page}"))
    })
}

/// Run `steps` against the shop; returns (exit code, stderr, manifest).
fn run(dir: &Path, port: u16, name: &str, steps: &str) -> (Option<i32>, String, RunOutcome) {
    let r = binary::run_steps(dir, port, "shop", name, steps, |c| c);
    (r.code, r.err, r.manifest)
}

fn diagnosis(m: &RunOutcome) -> (String, String) {
    let d = m
        .failed_step()
        .and_then(|s| s.failure.as_ref())
        .and_then(|f| f.diagnosis.as_ref())
        .expect("a diagnosed failure");
    (d.class.name().to_string(), d.summary.clone())
}

#[test]
fn issue_10_a_form_in_a_cross_origin_frame_is_filled_and_submitted() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let port = shop(payment_site());
    let (code, err, m) = run(
        tmp.path(),
        port,
        "pay",
        "  - doc: Open the checkout\n    goto: /\n\
         \x20 - doc: Enter the **Card number**\n    fill: {label: Card number, value: \"4242\", within: {frame: Payment}}\n\
         \x20 - doc: Click **Pay**\n    click: {button: Pay, within: {frame: payment}}\n    destructive: true\n\
         \x20 - doc: It says Paid\n    expect: {text: Paid 4242, within: {frame: {css: \"iframe[title=Payment]\"}}}\n\
         \x20 - doc: Back on the checkout page\n    expect: {heading: Checkout}\n",
    );
    assert_eq!(code, Some(0), "{err}");
    let pay = m.steps[2].element.as_ref().expect("the button is recorded");
    assert_eq!(pay.name, "Pay");
    assert!(
        pay.bbox.y >= 300.0,
        "the box is in page coordinates (the frame is 300 px down): {:?}",
        pay.bbox
    );
    assert_eq!(
        m.steps[2].locator.as_deref(),
        Some("button \"Pay\" within frame \"payment\"")
    );
    assert_eq!(
        m.steps[2].title.as_deref(),
        Some("Checkout"),
        "the step ends in the top-level document"
    );
}

#[test]
fn issue_10_nested_frames_are_entered_in_turn() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let port = shop(payment_site());
    let (code, err, m) = run(
        tmp.path(),
        port,
        "nested",
        "  - doc: Open the checkout\n    goto: /\n\
         \x20 - doc: Click **Ask** in the help\n    click: {button: Ask, within: {frame: help, within: {frame: Inner}}}\n\
         \x20 - doc: It was asked\n    expect: {button: Asked, within: {frame: help, within: {frame: Inner}}}\n\
         \x20 - doc: The help says Help\n    expect: {heading: Help, within: {frame: help}}\n\
         \x20 - doc: Ask is gone\n    expect: {absent: {button: Ask, within: {frame: help, within: {frame: Inner}}}}\n",
    );
    assert_eq!(code, Some(0), "{err}");
    let ask = m.steps[1].element.as_ref().expect("recorded");
    assert!(
        ask.bbox.y >= 500.0,
        "two frame offsets added (300 + 200 down, then the inner frame): {:?}",
        ask.bbox
    );
    // An absence inside the frames is checked there: a button that is
    // there is not absent.
    let (code, err, m) = run(
        tmp.path(),
        port,
        "present",
        "  - doc: Open the checkout\n    goto: /\n\
         \x20 - doc: No Ask\n    expect: {absent: {button: Ask, within: {frame: help, within: {frame: Inner}}}}\n    timeout: 1s\n",
    );
    assert_eq!(code, Some(1), "{err}");
    assert_eq!(m.failed_step().map(|s| s.number), Some(2));
}

#[test]
fn issue_10_a_frame_that_appears_late_is_waited_for() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let port = shop(payment_site());
    let (code, err, _) = run(
        tmp.path(),
        port,
        "late",
        "  - doc: Open the checkout\n    goto: /late\n\
         \x20 - doc: Enter the **Card number**\n    fill: {label: Card number, value: \"1\", within: {frame: Payment}}\n",
    );
    assert_eq!(code, Some(0), "{err}");
}

#[test]
fn issue_10_a_target_inside_a_frame_the_runbook_did_not_name_is_not_wrong_page() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let port = shop(payment_site());
    let (code, err, m) = run(
        tmp.path(),
        port,
        "unscoped",
        "  - doc: Open the checkout\n    goto: /\n\
         \x20 - doc: Click **Pay**\n    click: {button: Pay}\n    timeout: 1s\n",
    );
    assert_eq!(code, Some(1), "{err}");
    let (class, summary) = diagnosis(&m);
    assert_eq!(class, "in_frame", "{summary}");
    assert_eq!(
        summary,
        "button \"Pay\" is inside frame \"Payment\"; add `within: {frame: Payment}`"
    );
    assert!(err.contains("add `within: {frame: Payment}`"), "{err}");

    let (code, err, m) = run(
        tmp.path(),
        port,
        "unscoped_nested",
        "  - doc: Open the checkout\n    goto: /\n\
         \x20 - doc: Click **Ask**\n    click: {button: Ask}\n    timeout: 1s\n",
    );
    assert_eq!(code, Some(1), "{err}");
    let (class, summary) = diagnosis(&m);
    assert_eq!(class, "in_frame", "{summary}");
    assert!(
        summary.ends_with("add `within: {frame: help, within: {frame: Inner}}`"),
        "{summary}"
    );
}

#[test]
fn issue_10_a_frame_scope_that_finds_no_frame_lists_the_frames() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let port = shop(payment_site());
    let (code, err, m) = run(
        tmp.path(),
        port,
        "noframe",
        "  - doc: Open the checkout\n    goto: /\n\
         \x20 - doc: Click **Pay**\n    click: {button: Pay, within: {frame: Billing}}\n    timeout: 1s\n",
    );
    assert_eq!(code, Some(1), "{err}");
    let (_, summary) = diagnosis(&m);
    assert!(
        summary.starts_with("no frame \"Billing\" on the page; it has 2 frames: iframe title \"Payment\" src \"http://127.0.0.1:"),
        "{summary}"
    );
    assert!(
        summary.contains("iframe name \"help\" src \"/help\""),
        "{summary}"
    );
}

#[test]
fn issue_10_a_renamed_button_inside_a_frame_is_renamed() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let port = shop(payment_site());
    let (code, err, m) = run(
        tmp.path(),
        port,
        "renamed",
        "  - doc: Open the checkout\n    goto: /\n\
         \x20 - doc: Click **Pay now**\n    click: {button: Pay now, within: {frame: Payment}}\n    timeout: 1s\n",
    );
    assert_eq!(code, Some(1), "{err}");
    let (class, summary) = diagnosis(&m);
    assert_eq!(class, "renamed", "{summary}");
    let offer = m
        .failed_step()
        .and_then(|s| s.failure.as_ref())
        .and_then(|f| f.offers.first())
        .expect("an offer");
    assert_eq!(offer.name, "Pay");
    assert!(
        offer.bbox.y >= 300.0,
        "in page coordinates: {:?}",
        offer.bbox
    );
}

#[test]
fn issue_10_dry_run_shows_frames_and_windows_as_written() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let runbook = tmp.path().join("plan.yaml");
    std::fs::write(
        &runbook,
        "name: plan\nprovider: shop\nbase_url: http://127.0.0.1:1\nsteps:\n\
         \x20 - doc: Click **Pay**\n    click: {button: Pay, within: {frame: Payment, within: {region: Card}}}\n    destructive: true\n\
         \x20 - doc: Ask\n    click: {button: Ask, within: {frame: {css: \"iframe.help\"}, within: {frame: Inner}}}\n\
         \x20 - doc: Help\n    switch_window: {title: Help centre}\n\
         \x20 - doc: Close\n    close_window: true\n\
         \x20 - doc: Back\n    switch_window: main\n",
    )
    .expect("write runbook");
    let o = Clickpath::new()
        .args(["run", "--dry-run"])
        .arg(&runbook)
        .run();
    binary::assert_exit(&o, 0);
    let out = binary::stdout(&o);
    for want in [
        "button \"Pay\" within frame \"Payment\" > region \"Card\"",
        "button \"Ask\" within frame (css \"iframe.help\") > frame \"Inner\"",
        "switch_window window titled \"Help centre\"",
        "close_window the current window",
        "switch_window the main window",
    ] {
        let squeezed: String = out.split_whitespace().collect::<Vec<_>>().join(" ");
        assert!(squeezed.contains(want), "{want:?} in\n{out}");
    }
}

#[test]
fn issue_10_a_dialog_a_frame_opens_is_answered_and_the_run_leaves_the_frame() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let port = shop(payment_site());
    let (code, err, m) = run(
        tmp.path(),
        port,
        "confirm",
        "  - doc: Open the cards\n    goto: /cards\n\
         \x20 - doc: Click **Remove**\n    click: {button: Remove, within: {frame: Card}}\n    destructive: true\n\
         \x20 - doc: Confirm\n    dialog: {accept: true, text: Remove this card}\n\
         \x20 - doc: It is removed\n    expect: {button: Removed, within: {frame: Card}}\n\
         \x20 - doc: Still on the cards page\n    expect: {heading: Cards}\n",
    );
    assert_eq!(code, Some(0), "{err}");
    assert_eq!(m.steps[1].dialog.as_deref(), Some("Remove this card?"));
    assert!(
        m.steps[2]
            .url
            .as_deref()
            .is_some_and(|u| u.ends_with("/cards")),
        "the dialog step ends in the top-level page: {:?}",
        m.steps[2].url
    );
}
