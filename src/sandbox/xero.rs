//! Xero organisation replica ("Demo Company (UK)", articles 000 and 002):
//! dashboard, Settings, Users (rendered client-side after a timer), invite form,
//! user page with Remove user, Add Xero support, Xero Central and its contact form.

use axum::extract::rejection::PathRejection;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};

use super::layout::{
    self, combobox_field, dialog, document, esc, menu_button, nav_links, notice, placeholder_main,
    text_field, ICON_CHEVRON, ICON_HELP,
};
use super::state::{Provider, XeroRequest, XeroUser};
use super::variants::Variant;
use super::{
    check_origin, checked, path_id, plausible_email, redirect, require_session, required,
    signed_form, AppState, FormBody, SignedForm,
};

const P: Provider = Provider::Xero;
/// The organisation name shown on the org menu button.
pub(crate) const ORG: &str = "Demo Company (UK)";
const PROJECTS: [&str; 4] = ["No access", "Contributor", "Manager", "Admin"];
const BUSINESS: [&str; 4] = ["Read only", "Invoice only", "Standard", "Advisor"];
/// Id of the Xero Support user once added.
const SUPPORT_ID: &str = "xero-support";

/// All `/xero/...` routes except sign-in.
pub(crate) fn routes() -> Router<AppState> {
    let router = Router::new()
        .route("/xero/dashboard", get(dashboard))
        .route("/xero/settings", get(settings))
        .route("/xero/settings/users", get(users))
        .route("/xero/api/users", get(api_users))
        .route(
            "/xero/settings/users/invite",
            get(invite_form).post(invite_post),
        )
        .route("/xero/settings/users/support", post(add_support))
        .route("/xero/settings/users/{id}", get(user_page))
        .route("/xero/settings/users/{id}/remove", post(remove_user))
        .route("/xero/support", get(central))
        .route(
            "/xero/support/contact",
            get(contact_form).post(contact_post),
        )
        .route("/xero/support/contact/sent", get(contact_sent));
    PLACEHOLDERS
        .into_iter()
        .fold(router, |router, (path, heading, active)| {
            router.route(path, get(move |st, h| placeholder(st, h, heading, active)))
        })
}

/// Pages the sandbox only links to: `(path, heading, active nav key)`.
const PLACEHOLDERS: [(&str, &str, &str); 6] = [
    ("/xero/files", "Files", ""),
    ("/xero/subscription", "Subscription and billing", ""),
    ("/xero/business", "Business", "business"),
    ("/xero/accounting", "Accounting", "accounting"),
    ("/xero/settings/organisation", "Organisation details", ""),
    ("/xero/settings/currencies", "Currencies", ""),
];

fn header(active: &str) -> String {
    let org_label = format!("{}{ICON_CHEVRON}", esc(ORG));
    let org = menu_button(
        "org-menu",
        "org-btn",
        &org_label,
        None,
        &[
            ("Settings", "/xero/settings"),
            ("Files", "/xero/files"),
            ("Subscription and billing", "/xero/subscription"),
        ],
        false,
    );
    let nav = nav_links(
        " class=\"nav\"",
        &[
            ("dashboard", "Dashboard", "/xero/dashboard"),
            ("business", "Business", "/xero/business"),
            ("accounting", "Accounting", "/xero/accounting"),
            ("users", "Users", "/xero/settings/users"),
        ],
        active,
    );
    let help = menu_button(
        "help-menu",
        "icon-btn",
        ICON_HELP,
        Some("Help"),
        &[("Xero Central", "/xero/support")],
        true,
    );
    format!(
        "<header class=\"xhdr\"><span class=\"org-logo\" aria-hidden=\"true\">DC</span>{org}\
<nav aria-label=\"Main\" class=\"row\" style=\"margin-left:18px\">{nav}</nav><span class=\"spacer\"></span>\
{help}<span class=\"avatar\" aria-hidden=\"true\">DA</span></header>"
    )
}

fn page(heading: &str, active: &str, main: &str) -> Response {
    let body = format!("{}<main>{main}</main>", header(active));
    Html(document(&layout::title_for(P, heading), "xero", &body)).into_response()
}

fn not_found_user() -> Response {
    layout::error_page(
        Some(P),
        StatusCode::NOT_FOUND,
        "We couldn't find that user in Demo Company (UK).",
    )
}

async fn dashboard(State(st): State<AppState>, headers: HeaderMap) -> Response {
    tri!(require_session(&st, &headers, P));
    let main = "<h1>Dashboard</h1><div class=\"grid\">\
<section class=\"card\"><h2>Business bank account</h2><p class=\"muted\">Balance in Xero</p><p style=\"font-size:22px;font-weight:600\">£12,480.32</p></section>\
<section class=\"card\"><h2>Invoices owed to you</h2><p class=\"muted\">6 draft invoices</p><p style=\"font-size:22px;font-weight:600\">£4,210.00</p></section>\
<section class=\"card\"><h2>Bills you need to pay</h2><p class=\"muted\">3 awaiting payment</p><p style=\"font-size:22px;font-weight:600\">£1,905.50</p></section>\
</div>";
    page("Dashboard", "dashboard", main)
}

async fn settings(State(st): State<AppState>, headers: HeaderMap) -> Response {
    tri!(require_session(&st, &headers, P));
    let mut cards = String::new();
    for (text, href, desc) in [
        (
            "Organisation details",
            "/xero/settings/organisation",
            "Address, logo and contact details",
        ),
        (
            "Users",
            "/xero/settings/users",
            "Invite users and manage their access",
        ),
        (
            "Currencies",
            "/xero/settings/currencies",
            "Foreign currencies you trade in",
        ),
    ] {
        cards.push_str(&format!(
            "<section class=\"card\"><h2><a href=\"{href}\">{text}</a></h2><p class=\"muted\">{desc}</p></section>"
        ));
    }
    page(
        "Settings",
        "",
        &format!("<h1>Settings</h1><div class=\"grid\">{cards}</div>"),
    )
}

async fn placeholder(
    State(st): State<AppState>,
    headers: HeaderMap,
    heading: &'static str,
    active: &'static str,
) -> Response {
    tri!(require_session(&st, &headers, P));
    page(heading, active, &placeholder_main(heading))
}

async fn users(State(st): State<AppState>, headers: HeaderMap) -> Response {
    let token = tri!(require_session(&st, &headers, P));
    let (note, has_support) = {
        let mut w = st.world();
        (w.take_notice(&token, P), w.xero.xero_support)
    };
    let invite = if st.is(Variant::MovedInvite) {
        menu_button(
            "more-menu",
            "btn",
            &format!("More{ICON_CHEVRON}"),
            None,
            &[("Invite a user", "/xero/settings/users/invite")],
            true,
        )
    } else {
        let label = if st.is(Variant::RenamedInvite) {
            "Invite user"
        } else {
            "Invite a user"
        };
        // restyled-invite: a secondary button; it moves left below.
        let class = if st.is(Variant::RestyledInvite) {
            "btn"
        } else {
            "btn btn-primary"
        };
        format!(
            "<form method=\"get\" action=\"/xero/settings/users/invite\" class=\"inline\">\
<button type=\"submit\" class=\"{class}\">{label}</button></form>"
        )
    };
    let support_btn = if has_support {
        String::new()
    } else {
        "<button type=\"button\" class=\"btn\" id=\"add-support-btn\" data-open-dialog=\"support-dialog\">Add Xero support</button>".to_string()
    };
    let support_dialog = dialog(
        "support-dialog",
        "Add Xero support",
        "<p>Xero support staff will be able to log in to Demo Company (UK) with adviser access to help with your query. \
You can remove their access at any time from this page.</p>\
<form method=\"post\" action=\"/xero/settings/users/support\" class=\"actions\">\
<button type=\"button\" class=\"btn\" data-close-dialog>Cancel</button>\
<button type=\"submit\" class=\"btn btn-primary\" data-autofocus>Confirm</button></form>",
    );
    let delay = if st.is(Variant::SlowUsers) { 3000 } else { 500 };
    let buttons = if st.is(Variant::RestyledInvite) {
        format!("{invite}{support_btn}")
    } else {
        format!("{support_btn}{invite}")
    };
    let main = format!(
        "<nav aria-label=\"Breadcrumb\" class=\"muted\" style=\"margin-bottom:6px\"><a href=\"/xero/settings\">Settings</a> › Users</nav>\
<div class=\"row\"><h1>Users</h1><span class=\"spacer\"></span>{buttons}</div>{}\
<div class=\"card\"><div id=\"users-table\" aria-busy=\"true\"><p class=\"muted\">Loading users…</p></div></div>\
<p class=\"bottom-links muted\">Need help with users? <a href=\"/xero/support/contact\">Contact Xero support</a></p>\
{support_dialog}<script>{}</script>",
        notice(note.as_deref()),
        USERS_SCRIPT.replace("DELAY_MS", &delay.to_string())
    );
    page("Users", "users", &main)
}

const USERS_SCRIPT: &str = r#"
(function(){
var box=document.getElementById('users-table');
setTimeout(function(){
fetch('/xero/api/users',{credentials:'same-origin',headers:{'Accept':'application/json'}}).then(function(r){if(!r.ok){throw new Error('HTTP '+r.status);}return r.json();}).then(function(users){
var t=document.createElement('table');t.setAttribute('role','table');t.setAttribute('aria-label','Users');
var hr=t.createTHead().insertRow();['Name','Email','Role','Status'].forEach(function(h){var th=document.createElement('th');th.scope='col';th.textContent=h;hr.appendChild(th);});
var tb=t.createTBody();
users.forEach(function(u){var tr=tb.insertRow();var a=document.createElement('a');a.href='/xero/settings/users/'+encodeURIComponent(u.id);a.textContent=u.name;tr.insertCell().appendChild(a);tr.insertCell().textContent=u.email;tr.insertCell().textContent=u.role;var sp=document.createElement('span');sp.className='pill'+(u.status==='Invite pending'?' pending':'');sp.textContent=u.status;tr.insertCell().appendChild(sp);});
box.replaceChildren(t);box.setAttribute('aria-busy','false');
}).catch(function(){box.textContent='Users could not be loaded. Refresh the page to try again.';box.setAttribute('aria-busy','false');});
},DELAY_MS);
})();
"#;

async fn api_users(State(st): State<AppState>, headers: HeaderMap) -> Response {
    if require_session(&st, &headers, P).is_err() {
        return (
            StatusCode::UNAUTHORIZED,
            Json(serde_json::json!({"error": "not signed in"})),
        )
            .into_response();
    }
    let w = st.world();
    let list: Vec<serde_json::Value> = w
        .xero
        .users
        .iter()
        .map(|u| {
            serde_json::json!({"id": u.id, "name": u.name(), "email": u.email, "role": u.role(), "status": u.status})
        })
        .collect();
    Json(list).into_response()
}

fn invite_page(st: &AppState) -> Response {
    let send = "<button type=\"submit\" class=\"btn btn-primary\">Send invite</button>";
    let top = if st.is(Variant::DuplicatedSend) {
        format!(
            "<div class=\"row\" style=\"justify-content:flex-end;margin-bottom:12px\">{send}</div>"
        )
    } else {
        String::new()
    };
    let last = if st.is(Variant::RemovedLastName) {
        String::new()
    } else {
        text_field("last_name", "last_name", "Last name", "text", "")
    };
    let cancel = "<a class=\"btn\" role=\"button\" href=\"/xero/settings/users\">Cancel</a>";
    let buttons = if st.is(Variant::SwappedSend) {
        format!(
            "{}{cancel}",
            send.replace("btn-primary\">Send invite<", "btn-primary\">Continue<")
        )
    } else {
        format!("{cancel}{send}")
    };
    let email_label = if st.is(Variant::RelabelledEmail) {
        "Email address"
    } else {
        "Email"
    };
    let main = format!(
        "<nav aria-label=\"Breadcrumb\" class=\"muted\" style=\"margin-bottom:6px\"><a href=\"/xero/settings/users\">All users</a> › Invite</nav>\
<h1>Invite a user</h1><form method=\"post\" action=\"/xero/settings/users/invite\" class=\"card\" style=\"max-width:640px\">{top}\
<div class=\"two\">{}{last}</div>{}\
<h2 style=\"margin-top:8px\">Permissions</h2>\
<div class=\"two\">{}{}</div>\
<div class=\"check\"><input type=\"checkbox\" id=\"org_admin\" name=\"org_admin\" value=\"on\"><label for=\"org_admin\">Org Admin</label></div>\
<p class=\"muted\">Org Admins can manage users and organisation settings.</p>\
<div class=\"row\" style=\"justify-content:flex-end;margin-top:18px\">\
{buttons}</div></form>",
        text_field("first_name", "first_name", "First name", "text", ""),
        text_field("email", "email", email_label, "email", ""),
        combobox_field("projects", "Projects", &PROJECTS, "No access"),
        combobox_field("business_and_accounting", "Business and Accounting", &BUSINESS, "Standard"),
    );
    page("Invite a user", "users", &main)
}

async fn invite_form(State(st): State<AppState>, headers: HeaderMap) -> Response {
    tri!(require_session(&st, &headers, P));
    invite_page(&st)
}

fn bad(msg: &str) -> Response {
    layout::error_page(Some(P), StatusCode::BAD_REQUEST, msg)
}

async fn invite_post(State(st): State<AppState>, headers: HeaderMap, form: FormBody) -> Response {
    let SignedForm { token, fields: f } = tri!(signed_form(&st, &headers, form, P));
    let first = tri!(required(&f, "first_name", "First name", P)).to_string();
    let last = if st.is(Variant::RemovedLastName) {
        super::field(&f, "last_name").unwrap_or("").to_string()
    } else {
        tri!(required(&f, "last_name", "Last name", P)).to_string()
    };
    let email = tri!(required(&f, "email", "Email", P)).to_string();
    if !plausible_email(&email) {
        return bad(&format!("“{email}” isn't a valid email address."));
    }
    let projects = tri!(required(&f, "projects", "Projects", P)).to_string();
    if !PROJECTS.contains(&projects.as_str()) {
        return bad("Choose a Projects permission from the list.");
    }
    let ba = tri!(required(
        &f,
        "business_and_accounting",
        "Business and Accounting",
        P
    ))
    .to_string();
    if !BUSINESS.contains(&ba.as_str()) {
        return bad("Choose a Business and Accounting permission from the list.");
    }
    let org_admin = checked(&f, "org_admin");
    let mut w = st.world();
    if w.xero.has_email(&email) {
        return layout::error_page(
            Some(P),
            StatusCode::CONFLICT,
            &format!("{email} already has access to Demo Company (UK) or has been invited."),
        );
    }
    let id = w.next_id("u");
    w.xero.users.push(XeroUser {
        id,
        first_name: first,
        last_name: last,
        email: email.clone(),
        projects,
        business_and_accounting: ba,
        org_admin,
        status: "Invite pending".to_string(),
    });
    w.set_notice(&token, P, format!("Invite sent to {email}"));
    redirect("/xero/settings/users")
}

async fn user_page(
    State(st): State<AppState>,
    headers: HeaderMap,
    id: Result<Path<String>, PathRejection>,
) -> Response {
    tri!(require_session(&st, &headers, P));
    let id = tri!(path_id(id, P));
    let user = st.world().xero.users.iter().find(|u| u.id == id).cloned();
    let Some(u) = user else {
        return not_found_user();
    };
    let name = esc(&u.name());
    let is_self = u.email.eq_ignore_ascii_case(super::SANDBOX_EMAIL);
    let remove = if is_self {
        "<p class=\"muted\">You can't remove yourself.</p>".to_string()
    } else {
        format!(
            "<button type=\"button\" class=\"btn btn-danger\" id=\"remove-user-btn\" data-open-dialog=\"remove-dialog\">Remove user</button>{}",
            dialog(
                "remove-dialog",
                &format!("Remove {name}?"),
                &format!(
                    "<p>{name} will no longer be able to access Demo Company (UK).</p>\
<form method=\"post\" action=\"/xero/settings/users/{}/remove\" class=\"actions\">\
<button type=\"button\" class=\"btn\" data-close-dialog>Cancel</button>\
<button type=\"submit\" class=\"btn btn-danger\" data-autofocus>Remove</button></form>",
                    esc(&u.id)
                ),
            )
        )
    };
    let main = format!(
        "<nav aria-label=\"Breadcrumb\" class=\"muted\" style=\"margin-bottom:6px\"><a href=\"/xero/settings/users\">All users</a> › {name}</nav>\
<h1>{name}</h1><div class=\"card\" style=\"max-width:640px\"><table role=\"presentation\">\
<tr><td class=\"muted\">Email</td><td>{}</td></tr><tr><td class=\"muted\">Projects</td><td>{}</td></tr>\
<tr><td class=\"muted\">Business and Accounting</td><td>{}</td></tr><tr><td class=\"muted\">Status</td><td>{}</td></tr></table>\
<div class=\"row\" style=\"margin-top:18px\">{remove}</div></div>",
        esc(&u.email),
        esc(&u.projects),
        esc(&u.role()),
        esc(&u.status)
    );
    page(&u.name(), "users", &main)
}

async fn remove_user(
    State(st): State<AppState>,
    headers: HeaderMap,
    id: Result<Path<String>, PathRejection>,
) -> Response {
    let token = tri!(require_session(&st, &headers, P));
    let id = tri!(path_id(id, P));
    tri!(check_origin(&st, &headers, P));
    let mut w = st.world();
    let Some(pos) = w.xero.users.iter().position(|u| u.id == id) else {
        return not_found_user();
    };
    if w.xero.users[pos]
        .email
        .eq_ignore_ascii_case(super::SANDBOX_EMAIL)
    {
        return bad("You can't remove yourself.");
    }
    let user = w.xero.users.remove(pos);
    if user.id == SUPPORT_ID {
        w.xero.xero_support = false;
    }
    w.set_notice(&token, P, format!("{} was removed", user.name()));
    redirect("/xero/settings/users")
}

async fn add_support(State(st): State<AppState>, headers: HeaderMap) -> Response {
    let token = tri!(require_session(&st, &headers, P));
    tri!(check_origin(&st, &headers, P));
    let mut w = st.world();
    if w.xero.xero_support {
        return layout::error_page(
            Some(P),
            StatusCode::CONFLICT,
            "Xero support already has access to Demo Company (UK).",
        );
    }
    w.xero.xero_support = true;
    w.xero.users.push(XeroUser {
        id: SUPPORT_ID.to_string(),
        first_name: "Xero".to_string(),
        last_name: "Support".to_string(),
        email: "support@xero.com".to_string(),
        projects: "No access".to_string(),
        business_and_accounting: "Adviser".to_string(),
        org_admin: false,
        status: "Active".to_string(),
    });
    w.set_notice(&token, P, "Xero support was added".to_string());
    redirect("/xero/settings/users")
}

async fn central(State(st): State<AppState>, headers: HeaderMap) -> Response {
    tri!(require_session(&st, &headers, P));
    let mut sections = String::new();
    for (title, text) in [
        ("Getting started", "Set up your organisation, connect your bank and invite your adviser. Guides walk you through each step of your first month in Xero."),
        ("Bank reconciliation", "Match bank statement lines with transactions in Xero. Use bank rules to reconcile repeating transactions in one click."),
        ("Invoices and quotes", "Create, send and track invoices. Add online payment options so customers can pay you faster."),
        ("Bills and expenses", "Enter bills from suppliers, schedule payments and capture receipts with the mobile app."),
        ("Payroll", "Pay employees, file with the tax authority and manage leave. Payroll settings depend on your region."),
        ("Reports", "Run the profit and loss, balance sheet and aged receivables reports. Customise layouts and publish reports."),
        ("Users and security", "Invite users, change their permissions and turn on two-step authentication for everyone in your organisation."),
        ("Subscription and billing", "Change your plan, update your payment details and download your Xero invoices."),
    ] {
        sections.push_str(&format!(
            "<section class=\"card help-article\"><h2>{title}</h2><p>{text}</p><p class=\"muted\">Popular: How to {}, troubleshooting, video guides.</p></section>",
            title.to_lowercase()
        ));
    }
    let main = format!(
        "<h1>Xero Central</h1><div class=\"field\" style=\"max-width:640px\"><label for=\"search\">Search Xero Central</label>\
<input type=\"text\" id=\"search\" name=\"search\"></div>{sections}{sections}\
<section class=\"bottom-links\"><h2>Still need help?</h2><p>Our support team is available 24/7. \
<a href=\"/xero/support/contact\">Contact Xero support</a></p></section>"
    );
    page("Xero Central", "", &main)
}

async fn contact_form(State(st): State<AppState>, headers: HeaderMap) -> Response {
    tri!(require_session(&st, &headers, P));
    let main = format!(
        "<h1>Contact Xero support</h1><form method=\"post\" action=\"/xero/support/contact\" class=\"card\" style=\"max-width:640px\">\
<p class=\"muted\">Tell us what you need help with. If you've added Xero support as a user, say so here.</p>{}\
<div class=\"field\"><label for=\"details\">Details</label><textarea id=\"details\" name=\"details\"></textarea></div>\
<div class=\"row\" style=\"justify-content:flex-end\"><button type=\"submit\" class=\"btn btn-primary\">Submit request</button></div></form>",
        text_field("subject", "subject", "Subject", "text", "")
    );
    page("Contact Xero support", "", &main)
}

async fn contact_post(State(st): State<AppState>, headers: HeaderMap, form: FormBody) -> Response {
    let f = tri!(signed_form(&st, &headers, form, P)).fields;
    let subject = tri!(required(&f, "subject", "Subject", P)).to_string();
    let details = tri!(required(&f, "details", "Details", P)).to_string();
    st.world()
        .xero
        .support_requests
        .push(XeroRequest { subject, details });
    redirect("/xero/support/contact/sent")
}

async fn contact_sent(State(st): State<AppState>, headers: HeaderMap) -> Response {
    tri!(require_session(&st, &headers, P));
    page(
        "Request sent",
        "",
        "<h1>Request sent</h1><div class=\"card\"><p>Thanks. A member of the Xero support team will reply by email, usually within a few hours.</p>\
<p><a href=\"/xero/support\">Back to Xero Central</a></p></div>",
    )
}
