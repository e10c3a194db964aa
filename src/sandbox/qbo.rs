//! QuickBooks Online replica ("Craig's Design and Landscaping", article 001):
//! home page with the gear "Settings" panel, Manage users with a Delete button
//! per row and a confirmation dialog, the Add user form and the "Verify it's
//! you" code check before the invite goes out.

use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::{get, post};
use axum::Router;

use super::auth::BAD_CODE;
use super::layout::{
    self, alert, combobox_field, dialog, document, esc, nav_links, notice, placeholder_main,
    text_field, ICON_GEAR,
};
use super::state::{Provider, QboUser};
use super::variants::Variant;
use super::{
    field, plausible_email, redirect, require_session, required, signed_form, AppState, FormBody,
    SignedForm,
};

const P: Provider = Provider::Qbo;
/// The company name in the header.
pub(crate) const COMPANY: &str = "Craig's Design and Landscaping";
const USER_TYPES: [&str; 3] = ["Admin", "Standard user", "Reports only"];

/// All `/qbo/...` routes except sign-in.
pub(crate) fn routes() -> Router<AppState> {
    let router = Router::new()
        .route("/qbo/homepage", get(home))
        .route("/qbo/app/usermgt", get(usermgt))
        .route("/qbo/app/usermgt/add", get(add_form).post(add_post))
        .route(
            "/qbo/app/usermgt/verify",
            get(verify_form).post(verify_post),
        )
        .route("/qbo/app/usermgt/delete", post(delete_post));
    PLACEHOLDERS
        .into_iter()
        .fold(router, |router, (path, heading)| {
            router.route(path, get(move |st, h| placeholder(st, h, heading)))
        })
}

/// Pages the sandbox only links to: `(path, heading)`.
const PLACEHOLDERS: [(&str, &str); 5] = [
    ("/qbo/app/settings", "Account and settings"),
    ("/qbo/app/customformstyles", "Custom form styles"),
    ("/qbo/app/sales", "Sales"),
    ("/qbo/app/expenses", "Expenses"),
    ("/qbo/app/reports", "Reports"),
];

fn page(heading: &str, active: &str, main: &str) -> Response {
    let gear = format!(
        "<div class=\"menu-wrap\"><button type=\"button\" class=\"icon-btn\" id=\"gear-btn\" aria-label=\"Settings\" \
aria-haspopup=\"true\" aria-expanded=\"false\" aria-controls=\"gear-panel\">{ICON_GEAR}</button>\
<div class=\"gear-panel\" id=\"gear-panel\" hidden><section aria-labelledby=\"gear-company\"><h2 id=\"gear-company\">Your company</h2>\
<a href=\"/qbo/app/settings\">Account and settings</a><a href=\"/qbo/app/usermgt\">Manage Users</a>\
<a href=\"/qbo/app/customformstyles\">Custom form styles</a></section></div></div>"
    );
    let nav = nav_links(
        "",
        &[
            ("home", "Home", "/qbo/homepage"),
            ("sales", "Sales", "/qbo/app/sales"),
            ("expenses", "Expenses", "/qbo/app/expenses"),
            ("reports", "Reports", "/qbo/app/reports"),
        ],
        active,
    );
    let body = format!(
        "<header class=\"qhdr\">{}<span class=\"company\">{}</span><span class=\"spacer\"></span>{gear}</header>\
<div class=\"qshell\"><nav class=\"qnav\" aria-label=\"Main\">{nav}</nav><main>{main}</main></div>",
        layout::LOGO_QBO.replace("width=\"56\" height=\"56\"", "width=\"34\" height=\"34\""),
        esc(COMPANY)
    );
    Html(document(&layout::title_for(P, heading), "qbo", &body)).into_response()
}

async fn placeholder(
    State(st): State<AppState>,
    headers: HeaderMap,
    heading: &'static str,
) -> Response {
    tri!(require_session(&st, &headers, P));
    page(heading, "", &placeholder_main(heading))
}

async fn home(State(st): State<AppState>, headers: HeaderMap) -> Response {
    tri!(require_session(&st, &headers, P));
    page(
        "Home",
        "home",
        "<h1>Home</h1><div class=\"grid\">\
<section class=\"card\"><h2>Profit and loss</h2><p class=\"muted\">Last 30 days</p><p style=\"font-size:22px;font-weight:600\">$8,312.45</p></section>\
<section class=\"card\"><h2>Invoices</h2><p class=\"muted\">$5,281.52 unpaid</p><p>3 overdue</p></section>\
<section class=\"card\"><h2>Bank accounts</h2><p class=\"muted\">Checking</p><p style=\"font-size:22px;font-weight:600\">$1,201.00</p></section></div>",
    )
}

async fn usermgt(State(st): State<AppState>, headers: HeaderMap) -> Response {
    let token = tri!(require_session(&st, &headers, P));
    let (note, users) = {
        let mut w = st.world();
        (w.take_notice(&token, P), w.qbo.users.clone())
    };
    let delete_label = if st.is(Variant::RenamedQboDelete) {
        "Remove access"
    } else {
        "Delete"
    };
    let add_label = if st.is(Variant::RewordedAddUser) {
        "New"
    } else {
        "Add user"
    };
    // A longer table whose rows each get a second "Delete" (the note's),
    // before the user's own in the "Action" column.
    let notes = st.is(Variant::DuplicatedRowDelete);
    let notes_head = if notes {
        "<th scope=\"col\">Notes</th>"
    } else {
        ""
    };
    let notes_cell = |what: &str| {
        if notes {
            format!(
                "<td><span class=\"muted\">{}</span> <button type=\"button\" class=\"btn-link\" title=\"Delete this note\">Delete</button></td>",
                esc(what)
            )
        } else {
            String::new()
        }
    };
    let mut rows = String::new();
    if notes {
        for i in 1..=(50usize.saturating_sub(users.len())) {
            rows.push_str(&format!(
                "<tr><td>Team member {i:02}</td><td>member{i:02}@example.com</td><td>Standard user</td>\
<td><span class=\"pill\">Active</span></td>{}<td><button type=\"button\" class=\"btn-link\" disabled>Delete</button></td></tr>",
                notes_cell("Onboarded")
            ));
        }
    }
    for u in &users {
        let action = if u.user_type == "Primary admin" {
            String::new()
        } else {
            format!(
                "<button type=\"button\" class=\"btn-link\" id=\"delete-{}\" data-open-dialog=\"delete-dialog\" data-user-id=\"{}\" data-user-name=\"{}\">{delete_label}</button>",
                esc(&u.id),
                esc(&u.id),
                esc(&u.name())
            )
        };
        rows.push_str(&format!(
            "<tr><td>{}</td><td>{}</td><td>{}</td><td><span class=\"pill\">{}</span></td>{}<td>{action}</td></tr>",
            esc(&u.name()),
            esc(&u.email),
            esc(&u.user_type),
            esc(&u.status),
            notes_cell("Temporary access for support")
        ));
    }
    let del = dialog(
        "delete-dialog",
        "Delete user?",
        "<p><strong data-fill=\"name\">This user</strong> will no longer be able to sign in to this company.</p>\
<form method=\"post\" action=\"/qbo/app/usermgt/delete\" class=\"actions\"><input type=\"hidden\" name=\"id\" value=\"\">\
<button type=\"button\" class=\"btn\" data-close-dialog>Cancel</button>\
<button type=\"submit\" class=\"btn btn-primary\" data-autofocus>Delete user</button></form>",
    );
    let main = format!(
        "<div class=\"row\"><h1>Manage users</h1><span class=\"spacer\"></span>\
<form method=\"get\" action=\"/qbo/app/usermgt/add\" class=\"inline\"><button type=\"submit\" class=\"btn btn-primary\">{add_label}</button></form></div>{}\
<div class=\"card\" style=\"padding:0\"><table aria-label=\"Users\"><thead><tr><th scope=\"col\">Name</th><th scope=\"col\">Email</th>\
<th scope=\"col\">User type</th><th scope=\"col\">Status</th>{notes_head}<th scope=\"col\">Action</th></tr></thead><tbody>{rows}</tbody></table></div>{del}",
        notice(note.as_deref())
    );
    page("Manage users", "", &main)
}

async fn add_form(State(st): State<AppState>, headers: HeaderMap) -> Response {
    tri!(require_session(&st, &headers, P));
    // QuickBooks picks the user type in a dropdown, not with native radios.
    let user_type = combobox_field("user_type", "User type", &USER_TYPES, "Standard user");
    let main = format!(
        "<h1>Add a new user</h1><form method=\"post\" action=\"/qbo/app/usermgt/add\" class=\"card\" style=\"max-width:640px\">\
{user_type}\
<div class=\"two\">{}{}</div>{}\
<div class=\"row\" style=\"justify-content:flex-end;margin-top:12px\"><a class=\"btn\" role=\"button\" href=\"/qbo/app/usermgt\">Cancel</a>\
<button type=\"submit\" class=\"btn btn-primary\">Send invite</button></div></form>",
        text_field("first_name", "first_name", "First name", "text", ""),
        text_field("last_name", "last_name", "Last name", "text", ""),
        text_field("email", "email", "Email", "email", ""),
    );
    page("Add a new user", "", &main)
}

fn bad(msg: &str) -> Response {
    layout::error_page(Some(P), StatusCode::BAD_REQUEST, msg)
}

/// The 409 page for an email that is already a user (or invitee) of the company.
fn already_a_user(email: &str) -> Response {
    layout::error_page(
        Some(P),
        StatusCode::CONFLICT,
        &format!("{email} is already a user of this company."),
    )
}

async fn add_post(State(st): State<AppState>, headers: HeaderMap, form: FormBody) -> Response {
    let SignedForm { token, fields: f } = tri!(signed_form(&st, &headers, form, P));
    let user_type = tri!(required(&f, "user_type", "User type", P)).to_string();
    if !USER_TYPES.contains(&user_type.as_str()) {
        return bad("Choose a user type.");
    }
    let first = tri!(required(&f, "first_name", "First name", P)).to_string();
    let last = tri!(required(&f, "last_name", "Last name", P)).to_string();
    let email = tri!(required(&f, "email", "Email", P)).to_string();
    if !plausible_email(&email) {
        return bad(&format!(
            "Enter a valid email address (“{email}” isn't one)."
        ));
    }
    let mut w = st.world();
    if w.qbo.has_email(&email) {
        return already_a_user(&email);
    }
    let id = w.next_id("q");
    let user = QboUser {
        id,
        first_name: first,
        last_name: last,
        email,
        user_type,
        status: "Invited".to_string(),
    };
    if let Some(s) = w.session(&token, P) {
        s.pending_qbo = Some(user);
    }
    redirect("/qbo/app/usermgt/verify")
}

fn verify_page(error: Option<&str>) -> Response {
    let main = format!(
        "<h1>Verify it's you</h1><form method=\"post\" action=\"/qbo/app/usermgt/verify\" class=\"card\" style=\"max-width:480px\">\
<p class=\"muted\">For your security, enter the 6-digit code from your authenticator app before we send this invite.</p>{}{}\
<button type=\"submit\" class=\"btn btn-primary\">Confirm</button></form>",
        alert(error),
        text_field("code", "code", "Authentication code", "text", "")
    );
    page("Verify it's you", "", &main)
}

fn has_pending(st: &AppState, token: &str) -> bool {
    st.world()
        .session(token, P)
        .is_some_and(|s| s.pending_qbo.is_some())
}

async fn verify_form(State(st): State<AppState>, headers: HeaderMap) -> Response {
    let token = tri!(require_session(&st, &headers, P));
    if !has_pending(&st, &token) {
        return bad("There's no invite waiting to be verified. Add the user again.");
    }
    verify_page(None)
}

async fn verify_post(State(st): State<AppState>, headers: HeaderMap, form: FormBody) -> Response {
    let SignedForm { token, fields: f } = tri!(signed_form(&st, &headers, form, P));
    if !has_pending(&st, &token) {
        return bad("There's no invite waiting to be verified. Add the user again.");
    }
    if !st.check_code(field(&f, "code").unwrap_or("")) {
        return verify_page(Some(BAD_CODE));
    }
    let mut w = st.world();
    let Some(user) = w.session(&token, P).and_then(|s| s.pending_qbo.take()) else {
        return bad("There's no invite waiting to be verified. Add the user again.");
    };
    if w.qbo.has_email(&user.email) {
        return already_a_user(&user.email);
    }
    let note = format!("Invite sent to {}", user.email);
    w.qbo.users.push(user);
    w.set_notice(&token, P, note);
    redirect("/qbo/app/usermgt")
}

async fn delete_post(State(st): State<AppState>, headers: HeaderMap, form: FormBody) -> Response {
    let SignedForm { token, fields: f } = tri!(signed_form(&st, &headers, form, P));
    let id = tri!(required(&f, "id", "User", P)).to_string();
    let mut w = st.world();
    let Some(pos) = w.qbo.users.iter().position(|u| u.id == id) else {
        return layout::error_page(
            Some(P),
            StatusCode::NOT_FOUND,
            "We couldn't find that user.",
        );
    };
    if w.qbo.users[pos].user_type == "Primary admin" {
        return bad("The primary admin can't be deleted.");
    }
    let user = w.qbo.users.remove(pos);
    w.set_notice(&token, P, format!("{} was deleted", user.name()));
    redirect("/qbo/app/usermgt")
}
