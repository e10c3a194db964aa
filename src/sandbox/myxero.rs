//! My Xero practice replica ("Hartley & Co", practice organisation "Hartley &
//! Co Practice", article 003): header list icon "Menu" > My Xero with its
//! Home/Staff/Settings tabs, the practice organisation's General Settings >
//! Users with Xero Support's role and Payroll Admin, and the help menu's
//! Contact Xero Support form with its access checkbox.

use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::{get, post};
use axum::Router;

use super::layout::{
    self, document, esc, menu_button, notice, placeholder_main, radio_group, text_field, ICON_HELP,
    ICON_LIST,
};
use super::state::{MyXeroRequest, Provider};
use super::{
    checked, field, redirect, require_session, required, signed_form, AppState, Fields, FormBody,
    SignedForm,
};

const P: Provider = Provider::MyXero;
/// The practice name.
pub(crate) const PRACTICE: &str = "Hartley & Co";
/// The practice's own Xero organisation.
pub(crate) const PRACTICE_ORG: &str = "Hartley & Co Practice";
const ROLES: [&str; 3] = ["Adviser", "Standard", "Read only"];
const KINDS: [&str; 2] = ["I need help to do something", "I think something is broken"];

/// All `/myxero/...` routes except sign-in.
pub(crate) fn routes() -> Router<AppState> {
    Router::new()
        .route("/myxero/dashboard", get(dashboard))
        .route("/myxero/my", get(my_home))
        .route("/myxero/my/staff", get(my_staff))
        .route("/myxero/my/staff/support", post(staff_support))
        .route("/myxero/my/settings", get(my_settings))
        .route("/myxero/practice", get(practice))
        .route("/myxero/practice/settings", get(general_settings))
        .route(
            "/myxero/practice/settings/organisation",
            get(|st, h| placeholder(st, h, "Organisation details")),
        )
        .route(
            "/myxero/practice/settings/financial",
            get(|st, h| placeholder(st, h, "Financial settings")),
        )
        .route("/myxero/practice/settings/users", get(org_users))
        .route("/myxero/practice/settings/users/support", post(org_support))
        .route(
            "/myxero/practice/settings/users/xero-support",
            get(support_user).post(support_user_post),
        )
        .route(
            "/myxero/support/contact",
            get(contact_form).post(contact_post),
        )
        .route("/myxero/support/contact/sent", get(contact_sent))
}

fn page(heading: &str, main: &str) -> Response {
    let menu = menu_button(
        "app-menu",
        "icon-btn",
        ICON_LIST,
        Some("Menu"),
        &[("My Xero", "/myxero/my")],
        false,
    );
    let help = menu_button(
        "help-menu",
        "icon-btn",
        ICON_HELP,
        Some("Help"),
        &[("Contact Xero Support", "/myxero/support/contact")],
        true,
    );
    let body = format!(
        "<header class=\"xhdr\">{menu}<span class=\"mx-title\">{}</span>\
<span class=\"spacer\"></span>{help}<span class=\"avatar\" aria-hidden=\"true\">JH</span></header><main>{main}</main>",
        esc(PRACTICE)
    );
    Html(document(&layout::title_for(P, heading), "xero", &body)).into_response()
}

fn conflict(msg: &str) -> Response {
    layout::error_page(Some(P), StatusCode::CONFLICT, msg)
}

fn bad(msg: &str) -> Response {
    layout::error_page(Some(P), StatusCode::BAD_REQUEST, msg)
}

async fn placeholder(
    State(st): State<AppState>,
    headers: HeaderMap,
    heading: &'static str,
) -> Response {
    tri!(require_session(&st, &headers, P));
    page(heading, &placeholder_main(heading))
}

async fn dashboard(State(st): State<AppState>, headers: HeaderMap) -> Response {
    tri!(require_session(&st, &headers, P));
    page(
        "Dashboard",
        "<h1>Dashboard</h1><div class=\"grid\">\
<section class=\"card\"><h2>Clients</h2><p class=\"muted\">42 active client organisations</p></section>\
<section class=\"card\"><h2>Jobs</h2><p class=\"muted\">7 jobs due this week</p></section>\
<section class=\"card\"><h2>Practice</h2><p class=\"muted\">Open My Xero from the menu to manage staff and settings.</p></section></div>",
    )
}

/// The My Xero tab strip (green tabs); `active` is "home", "staff" or "settings".
fn my_tabs(active: &str) -> String {
    let mut tabs = String::new();
    for (key, text, href) in [
        ("home", "Home", "/myxero/my"),
        ("staff", "Staff", "/myxero/my/staff"),
        ("settings", "Settings", "/myxero/my/settings"),
    ] {
        let sel = if key == active { "true" } else { "false" };
        tabs.push_str(&format!(
            "<a role=\"tab\" aria-selected=\"{sel}\" href=\"{href}\">{text}</a>"
        ));
    }
    format!(
        "<div role=\"tablist\" aria-label=\"My Xero\" class=\"tablist green-tabs\">{tabs}</div>"
    )
}

async fn my_home(State(st): State<AppState>, headers: HeaderMap) -> Response {
    tri!(require_session(&st, &headers, P));
    let main = format!(
        "<h1>My Xero</h1>{}<div role=\"tabpanel\" aria-label=\"Home\"><div class=\"card\"><h2>Your practice</h2>\
<p><a href=\"/myxero/practice\">{}</a></p><p class=\"muted\">Practice organisation: {}</p></div>\
<div class=\"card\"><h2>Client organisations</h2><p>Baker Street Bakery Ltd</p><p>Greenfield Farms</p><p>Northwind Traders</p></div></div>",
        my_tabs("home"),
        esc(PRACTICE),
        esc(PRACTICE_ORG)
    );
    page("My Xero", &main)
}

async fn my_settings(State(st): State<AppState>, headers: HeaderMap) -> Response {
    tri!(require_session(&st, &headers, P));
    let main = format!(
        "<p class=\"muted\">My Xero</p>{}<div role=\"tabpanel\" aria-label=\"Settings\"><h1>Practice settings</h1>\
<div class=\"card\"><p class=\"muted\">Practice details, branding and billing live here.</p></div></div>",
        my_tabs("settings")
    );
    page("Practice settings", &main)
}

async fn my_staff(State(st): State<AppState>, headers: HeaderMap) -> Response {
    let token = tri!(require_session(&st, &headers, P));
    let (note, invited) = {
        let mut w = st.world();
        (w.take_notice(&token, P), w.myxero.practice_staff_support)
    };
    let mut rows = String::from(
        "<tr><td>Jane Hartley</td><td>jane@hartley.example</td><td>Practice Administrator</td></tr>\
<tr><td>Tom Reid</td><td>tom@hartley.example</td><td>Staff</td></tr>",
    );
    if invited {
        rows.push_str("<tr><td>Xero Support</td><td>support@xero.com</td><td>Staff</td></tr>");
    }
    let toggle = support_toggle_form("/myxero/my/staff/support", invited);
    let main = format!(
        "<p class=\"muted\">My Xero</p>{}<div role=\"tabpanel\" aria-label=\"Staff\"><div class=\"row\"><h1>Staff</h1><span class=\"spacer\"></span>\
{toggle}</div>{}\
<div class=\"card\" style=\"padding:0\"><table aria-label=\"Staff\"><thead><tr><th scope=\"col\">Name</th><th scope=\"col\">Email</th>\
<th scope=\"col\">Permissions</th></tr></thead><tbody>{rows}</tbody></table></div>\
{INVITED_US}</div>",
        my_tabs("staff"),
        notice(note.as_deref())
    );
    page("Staff", &main)
}

/// The pointer to the contact form under both Xero Support user lists.
const INVITED_US: &str = "<p class=\"bottom-links muted\">Let us know you've invited us: \
<a href=\"/myxero/support/contact\">Contact Xero Support</a></p>";

/// The "Invite Xero Support" / "Remove Xero Support" button: a form posting
/// `action=invite|remove` to `to`, depending on whether Xero Support is `present`.
fn support_toggle_form(to: &str, present: bool) -> String {
    let (action, label) = if present {
        ("remove", "Remove Xero Support")
    } else {
        ("invite", "Invite Xero Support")
    };
    format!(
        "<form method=\"post\" action=\"{to}\" class=\"inline\"><input type=\"hidden\" name=\"action\" value=\"{action}\">\
<button type=\"submit\" class=\"btn btn-primary\">{label}</button></form>"
    )
}

/// Whether a [`support_toggle_form`] POST invites (`true`) or removes Xero
/// Support, given whether it is `present` in `place` ("your practice"); a 409
/// when that is already so, a 400 for any other action.
fn support_action(f: &Fields, present: bool, place: &str) -> Result<bool, Response> {
    match (required(f, "action", "Action", P)?, present) {
        ("invite", false) => Ok(true),
        ("remove", true) => Ok(false),
        ("invite", true) => Err(conflict(&format!(
            "Xero Support is already a user of {place}."
        ))),
        ("remove", false) => Err(conflict(&format!("Xero Support isn't a user of {place}."))),
        _ => Err(bad("Unknown action.")),
    }
}

/// The notice after a [`support_action`] on `name`.
fn support_note(invite: bool, name: &str) -> String {
    if invite {
        format!("Xero Support was invited to {name}")
    } else {
        format!("Xero Support was removed from {name}")
    }
}

async fn staff_support(State(st): State<AppState>, headers: HeaderMap, form: FormBody) -> Response {
    let SignedForm { token, fields: f } = tri!(signed_form(&st, &headers, form, P));
    let mut w = st.world();
    let invite = tri!(support_action(
        &f,
        w.myxero.practice_staff_support,
        "your practice"
    ));
    w.myxero.practice_staff_support = invite;
    w.set_notice(&token, P, support_note(invite, PRACTICE));
    redirect("/myxero/my/staff")
}

async fn practice(State(st): State<AppState>, headers: HeaderMap) -> Response {
    tri!(require_session(&st, &headers, P));
    let main = format!(
        "<h1>{}</h1><div role=\"tablist\" aria-label=\"Organisation\" class=\"tablist\">\
<button type=\"button\" role=\"tab\" id=\"tab-dashboard\" aria-selected=\"true\" aria-controls=\"panel-dashboard\">Dashboard</button>\
<button type=\"button\" role=\"tab\" id=\"tab-settings\" aria-selected=\"false\" aria-controls=\"panel-settings\">Settings</button></div>\
<div role=\"tabpanel\" id=\"panel-dashboard\" aria-labelledby=\"tab-dashboard\"><div class=\"grid\">\
<section class=\"card\"><h2>Business bank account</h2><p style=\"font-size:22px;font-weight:600\">£31,902.10</p></section>\
<section class=\"card\"><h2>Payroll</h2><p class=\"muted\">Next pay run: Friday</p></section>\
<section class=\"card\"><h2>Bills to pay</h2><p class=\"muted\">2 awaiting approval</p></section></div></div>\
<div role=\"tabpanel\" id=\"panel-settings\" aria-labelledby=\"tab-settings\" hidden><div class=\"grid\">\
<section class=\"card\"><h2><a href=\"/myxero/practice/settings\">General Settings</a></h2><p class=\"muted\">Organisation, users and financial settings</p></section>\
<section class=\"card\"><h2>Payroll settings</h2><p class=\"muted\">Pay items, calendars and holidays</p></section>\
<section class=\"card\"><h2>Chart of accounts</h2><p class=\"muted\">Accounts, tax rates and tracking</p></section></div></div>",
        esc(PRACTICE_ORG)
    );
    page(PRACTICE_ORG, &main)
}

async fn general_settings(State(st): State<AppState>, headers: HeaderMap) -> Response {
    tri!(require_session(&st, &headers, P));
    let main = format!(
        "<p class=\"muted\"><a href=\"/myxero/practice\">{}</a></p><h1>General Settings</h1><div class=\"grid\">\
<section class=\"card\"><h2><a href=\"/myxero/practice/settings/organisation\">Organisation details</a></h2><p class=\"muted\">Name, address and contacts</p></section>\
<section class=\"card\"><h2><a href=\"/myxero/practice/settings/users\">Users</a></h2><p class=\"muted\">Who can access this organisation</p></section>\
<section class=\"card\"><h2><a href=\"/myxero/practice/settings/financial\">Financial settings</a></h2><p class=\"muted\">Financial year, tax and lock dates</p></section></div>",
        esc(PRACTICE_ORG)
    );
    page("General Settings", &main)
}

async fn org_users(State(st): State<AppState>, headers: HeaderMap) -> Response {
    let token = tri!(require_session(&st, &headers, P));
    let (note, m) = {
        let mut w = st.world();
        (w.take_notice(&token, P), w.myxero.clone())
    };
    let mut rows = String::from(
        "<tr><td>Jane Hartley</td><td>jane@hartley.example</td><td>Adviser</td><td>Yes</td></tr>\
<tr><td>Tom Reid</td><td>tom@hartley.example</td><td>Standard</td><td>No</td></tr>",
    );
    if m.practice_org_support {
        rows.push_str(&format!(
            "<tr><td><a href=\"/myxero/practice/settings/users/xero-support\">Xero Support</a></td><td>support@xero.com</td><td>{}</td><td>{}</td></tr>",
            esc(m.support_role.as_deref().unwrap_or("Adviser")),
            if m.payroll_admin { "Yes" } else { "No" }
        ));
    }
    let toggle = support_toggle_form(
        "/myxero/practice/settings/users/support",
        m.practice_org_support,
    );
    let main = format!(
        "<p class=\"muted\"><a href=\"/myxero/practice/settings\">General Settings</a></p><div class=\"row\"><h1>Users</h1><span class=\"spacer\"></span>\
{toggle}</div>{}\
<div class=\"card\" style=\"padding:0\"><table aria-label=\"Users\"><thead><tr><th scope=\"col\">Name</th><th scope=\"col\">Email</th>\
<th scope=\"col\">User role</th><th scope=\"col\">Payroll Admin</th></tr></thead><tbody>{rows}</tbody></table></div>\
{INVITED_US}",
        notice(note.as_deref())
    );
    page("Users", &main)
}

async fn org_support(State(st): State<AppState>, headers: HeaderMap, form: FormBody) -> Response {
    let SignedForm { token, fields: f } = tri!(signed_form(&st, &headers, form, P));
    let mut w = st.world();
    let invite = tri!(support_action(
        &f,
        w.myxero.practice_org_support,
        "this organisation"
    ));
    if invite {
        w.myxero.grant_org_support();
    } else {
        w.myxero.revoke_org_support();
    }
    w.set_notice(&token, P, support_note(invite, PRACTICE_ORG));
    redirect("/myxero/practice/settings/users")
}

fn support_missing() -> Response {
    layout::error_page(
        Some(P),
        StatusCode::NOT_FOUND,
        "Xero Support isn't a user of this organisation.",
    )
}

async fn support_user(State(st): State<AppState>, headers: HeaderMap) -> Response {
    tri!(require_session(&st, &headers, P));
    let m = st.world().myxero.clone();
    if !m.practice_org_support {
        return support_missing();
    }
    let role = m.support_role.as_deref().unwrap_or("Adviser");
    let roles = radio_group("role", "role-legend", "User role", &ROLES, role);
    let payroll = if m.payroll_admin { " checked" } else { "" };
    let main = format!(
        "<p class=\"muted\"><a href=\"/myxero/practice/settings/users\">Users</a></p><h1>Xero Support</h1>\
<form method=\"post\" action=\"/myxero/practice/settings/users/xero-support\" class=\"card\" style=\"max-width:560px\">\
<p class=\"muted\">support@xero.com</p>\
{roles}\
<div class=\"check\"><input type=\"checkbox\" id=\"payroll_admin\" name=\"payroll_admin\" value=\"on\"{payroll}><label for=\"payroll_admin\">Payroll Admin</label></div>\
<div class=\"row\" style=\"justify-content:flex-end\"><button type=\"submit\" class=\"btn btn-primary\">Save</button></div></form>"
    );
    page("Xero Support", &main)
}

async fn support_user_post(
    State(st): State<AppState>,
    headers: HeaderMap,
    form: FormBody,
) -> Response {
    let SignedForm { token, fields: f } = tri!(signed_form(&st, &headers, form, P));
    let role = tri!(required(&f, "role", "User role", P)).to_string();
    if !ROLES.contains(&role.as_str()) {
        return bad("Choose a user role.");
    }
    let payroll = checked(&f, "payroll_admin");
    let mut w = st.world();
    if !w.myxero.practice_org_support {
        return support_missing();
    }
    w.myxero.support_role = Some(role);
    w.myxero.payroll_admin = payroll;
    w.set_notice(&token, P, "Xero Support's access was updated".to_string());
    redirect("/myxero/practice/settings/users")
}

async fn contact_form(State(st): State<AppState>, headers: HeaderMap) -> Response {
    tri!(require_session(&st, &headers, P));
    let kinds = radio_group("kind", "kind-legend", "What do you need?", &KINDS, KINDS[0]);
    let main = format!(
        "<h1>Contact Xero Support</h1><form method=\"post\" action=\"/myxero/support/contact\" class=\"card\" style=\"max-width:640px\">\
{kinds}{}\
<div class=\"field\"><label for=\"details\">Details</label><textarea id=\"details\" name=\"details\"></textarea></div>\
<div class=\"check\"><input type=\"checkbox\" id=\"give_access\" name=\"give_access\" value=\"on\"><label for=\"give_access\">Give Xero Access to {}</label></div>\
<div class=\"row\" style=\"justify-content:flex-end\"><button type=\"submit\" class=\"btn btn-primary\">Send Support Request</button></div></form>",
        text_field("subject", "subject", "Subject", "text", ""),
        esc(PRACTICE_ORG)
    );
    page("Contact Xero Support", &main)
}

async fn contact_post(State(st): State<AppState>, headers: HeaderMap, form: FormBody) -> Response {
    let f = tri!(signed_form(&st, &headers, form, P)).fields;
    let kind = field(&f, "kind").unwrap_or("").to_string();
    if !KINDS.contains(&kind.as_str()) {
        return bad("Choose what you need help with.");
    }
    let subject = tri!(required(&f, "subject", "Subject", P)).to_string();
    let details = tri!(required(&f, "details", "Details", P)).to_string();
    let give_access = checked(&f, "give_access");
    let mut w = st.world();
    if give_access {
        w.myxero.grant_org_support();
    }
    w.myxero.support_requests.push(MyXeroRequest {
        kind,
        subject,
        details,
        give_access,
    });
    redirect("/myxero/support/contact/sent")
}

async fn contact_sent(State(st): State<AppState>, headers: HeaderMap) -> Response {
    tri!(require_session(&st, &headers, P));
    let main = format!(
        "<h1>Thanks, we've received your request</h1><div class=\"card\"><p>We'll get back to you by email.</p>{}\
<p><a href=\"/myxero/dashboard\">Back to dashboard</a></p></div>",
        if st.world().myxero.practice_org_support {
            format!("<p>Xero Support has access to {}.</p>", esc(PRACTICE_ORG))
        } else {
            String::new()
        }
    );
    page("Thanks, we've received your request", &main)
}
