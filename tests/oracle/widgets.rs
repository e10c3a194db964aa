//! The oracle's pages of the real-library widgets app (tests/apps/widgets,
//! served as tests/real_widgets.rs serves it): Team settings (MUI) with each
//! tab panel shown in turn and with each portal open (MUI renders a dialog's,
//! a select's listbox and a menu only while open), Workspace (Shoelace: the
//! elements inside its open shadow roots are compared too, see
//! `LISTING_JS`), Billing (the top document, then the same-origin and the
//! cross-origin frame's documents) and the help page. The page is driven
//! with fantoccini's own clicks, not with clickpath.

use std::time::Duration;

use fantoccini::{Client, Locator};

use crate::widgets_app::serve;
use crate::{compare_page, compare_page_at, Seen};

/// Click the element `css` finds (waiting up to 5 s for it), then let the
/// page settle (compare_page waits for its elements to stop changing).
async fn click(client: &Client, page: &str, css: &str) {
    let el = client
        .wait()
        .at_most(Duration::from_secs(5))
        .for_element(Locator::Css(css))
        .await
        .unwrap_or_else(|e| panic!("{page}: no {css} to click: {e}"));
    el.click()
        .await
        .unwrap_or_else(|e| panic!("{page}: clicking {css}: {e}"));
}

/// Wait up to 5 s for `css` to be on the page (an opened portal).
async fn wait_for(client: &Client, page: &str, css: &str) {
    client
        .wait()
        .at_most(Duration::from_secs(5))
        .for_element(Locator::Css(css))
        .await
        .unwrap_or_else(|e| panic!("{page}: {css} did not appear: {e}"));
}

/// A fresh Team settings page with `clicks` done in turn (each waits for
/// `css` to appear), then compared as `page`.
async fn team_state(
    client: &Client,
    base: &str,
    page: &str,
    clicks: &[(&str, &str)],
    seen: &mut Vec<Seen>,
) {
    client
        .goto(&format!("{base}/"))
        .await
        .unwrap_or_else(|e| panic!("{page}: {e}"));
    for (target, appears) in clicks {
        click(client, page, target).await;
        wait_for(client, page, appears).await;
    }
    compare_page(client, page, seen).await;
}

/// Compare every page and state of the widgets app.
pub async fn compare_all(client: &Client, seen: &mut Vec<Seen>) {
    let site = serve("dist");
    let base = site.base_url.as_str();

    // Team settings: each tab panel (the others are rendered empty).
    compare_page_at(client, &format!("{base}/"), "widgets/team/members", seen).await;
    for (i, tab) in ["notifications", "announcements", "branding"]
        .iter()
        .enumerate()
    {
        let page = format!("widgets/team/{tab}");
        click(client, &page, &format!("#tab-{}", i + 1)).await;
        wait_for(client, &page, &format!("#tabpanel-{} > *", i + 1)).await;
        compare_page(client, &page, seen).await;
    }

    // The portals, each open on a fresh page.
    const INVITE: &str = "main button.MuiButton-contained";
    const DIALOG: &str = "[role=dialog]";
    const LISTBOX: &str = "[role=listbox] [role=option]";
    team_state(
        client,
        base,
        "widgets/team/invite-dialog",
        &[(INVITE, DIALOG)],
        seen,
    )
    .await;
    team_state(
        client,
        base,
        "widgets/team/invite-dialog-role-listbox",
        &[(INVITE, DIALOG), ("#invite-role", LISTBOX)],
        seen,
    )
    .await;
    team_state(
        client,
        base,
        "widgets/team/row-role-listbox",
        &[("tbody [role=combobox]", LISTBOX)],
        seen,
    )
    .await;
    team_state(
        client,
        base,
        "widgets/team/actions-menu",
        &[("button[id^=actions-button-]", "[role=menu] [role=menuitem]")],
        seen,
    )
    .await;

    // Workspace: Shoelace, light DOM and open shadow roots.
    let url = format!("{base}/workspace.html");
    compare_page_at(client, &url, "widgets/workspace", seen).await;

    // Billing: the top document, then each frame's document.
    let url = format!("{base}/billing.html?partner={}", site.partner);
    compare_page_at(client, &url, "widgets/billing", seen).await;
    for (i, frame) in ["payment-frame (same origin)", "tax-frame (cross-origin)"]
        .iter()
        .enumerate()
    {
        let page = format!("widgets/billing/{frame}");
        let index = u16::try_from(i).expect("a frame index");
        client
            .enter_frame(index)
            .await
            .unwrap_or_else(|e| panic!("{page}: switching into frame {i}: {e}"));
        wait_for(client, &page, "form").await;
        compare_page(client, &page, seen).await;
        client
            .enter_parent_frame()
            .await
            .unwrap_or_else(|e| panic!("{page}: back to the top document: {e}"));
    }

    let url = format!("{base}/help.html");
    compare_page_at(client, &url, "widgets/help", seen).await;
}
