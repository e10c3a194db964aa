//! Sign-in pages of every provider: email + password, then the authenticator
//! code (TOTP) page, then the session cookie. Knows nothing of the pages behind it.

use axum::extract::State;
use axum::http::HeaderMap;
use axum::response::{Html, IntoResponse, Response};
use axum::routing::get;
use axum::Router;

use super::layout::{self, alert, document, esc, text_field, LOGO_QBO, LOGO_XERO};
use super::state::Provider;
use super::{cookie_token, field, redirect, same_origin_form, with_cookie, AppState, FormBody};
use super::{SANDBOX_EMAIL, SANDBOX_PASSWORD};

/// Error shown for a wrong email or password.
pub(crate) const BAD_PASSWORD: &str = "Your email or password is incorrect";
/// Error shown for a wrong authenticator code.
pub(crate) const BAD_CODE: &str = "That code didn't work. Try again.";

/// Routes `/<p>`, `/<p>/`, `/<p>/login`, `/<p>/login/mfa` for one provider.
pub(crate) fn routes(p: Provider) -> Router<AppState> {
    let m = p.mount();
    Router::new()
        .route(
            &format!("/{m}"),
            get(move |st: State<AppState>, h: HeaderMap| landing(p, st, h)),
        )
        .route(
            &format!("/{m}/"),
            get(move |st: State<AppState>, h: HeaderMap| landing(p, st, h)),
        )
        .route(
            &format!("/{m}/login"),
            get(move || async move { login_page(p, None) }).post(
                move |st: State<AppState>, h: HeaderMap, f: FormBody| login_post(p, st, h, f),
            ),
        )
        .route(
            &format!("/{m}/login/mfa"),
            get(move |st: State<AppState>, h: HeaderMap| mfa_get(p, st, h))
                .post(move |st: State<AppState>, h: HeaderMap, f: FormBody| mfa_post(p, st, h, f)),
        )
}

async fn landing(p: Provider, State(st): State<AppState>, headers: HeaderMap) -> Response {
    match super::require_session(&st, &headers, p) {
        Ok(_) => redirect(p.landing()),
        Err(to_login) => to_login,
    }
}

fn shell(p: Provider, heading: &str, inner: &str) -> Response {
    let (class, logo) = match p {
        Provider::Qbo => ("qbo", LOGO_QBO),
        _ => ("xero", LOGO_XERO),
    };
    let body = format!(
        "<main class=\"login\"><div class=\"card\"><div class=\"brand\">{logo}</div>\
<h1 style=\"text-align:center\">{}</h1>{inner}</div></main>",
        esc(heading)
    );
    Html(document(&layout::title_for(p, heading), class, &body)).into_response()
}

fn login_page(p: Provider, error: Option<&str>) -> Response {
    let heading = match p {
        Provider::Qbo => "Sign in to QuickBooks",
        _ => "Log in to Xero",
    };
    let inner = format!(
        "{}<form method=\"post\" action=\"/{m}/login\">{}{}\
<button type=\"submit\" class=\"btn btn-primary\" style=\"width:100%\">Log in</button></form>\
<p class=\"muted\" style=\"margin-top:18px;text-align:center\">Sandbox replica · no real account is used</p>",
        alert(error),
        text_field("email", "email", "Email", "email", ""),
        text_field("password", "password", "Password", "password", ""),
        m = p.mount()
    );
    shell(p, heading, &inner)
}

fn mfa_page(p: Provider, error: Option<&str>) -> Response {
    let heading = match p {
        Provider::Qbo => "Verify it's you",
        _ => "Two-step authentication",
    };
    let inner = format!(
        "<p class=\"muted\">Enter the 6-digit code from your authenticator app.</p>{}\
<form method=\"post\" action=\"/{m}/login/mfa\">{}\
<button type=\"submit\" class=\"btn btn-primary\" style=\"width:100%\">Confirm</button></form>",
        alert(error),
        text_field("code", "code", "Authentication code", "text", ""),
        m = p.mount()
    );
    shell(p, heading, &inner)
}

async fn login_post(
    p: Provider,
    State(st): State<AppState>,
    headers: HeaderMap,
    form: FormBody,
) -> Response {
    let fields = tri!(same_origin_form(&st, &headers, form, p));
    let email = field(&fields, "email").unwrap_or("");
    // The password is compared as typed (no trimming), like a real sign-in.
    let password = fields
        .iter()
        .find(|(k, _)| k == "password")
        .map_or("", |(_, v)| v.as_str());
    if !email.eq_ignore_ascii_case(SANDBOX_EMAIL) || password != SANDBOX_PASSWORD {
        return login_page(p, Some(BAD_PASSWORD));
    }
    let token = st.world().open_session(p, false);
    with_cookie(redirect(&format!("/{}/login/mfa", p.mount())), p, &token)
}

async fn mfa_get(p: Provider, State(st): State<AppState>, headers: HeaderMap) -> Response {
    let has_session =
        cookie_token(&headers, p).is_some_and(|t| st.world().session(&t, p).is_some());
    if has_session {
        mfa_page(p, None)
    } else {
        redirect(&format!("/{}/login", p.mount()))
    }
}

async fn mfa_post(
    p: Provider,
    State(st): State<AppState>,
    headers: HeaderMap,
    form: FormBody,
) -> Response {
    let fields = tri!(same_origin_form(&st, &headers, form, p));
    let Some(token) = cookie_token(&headers, p) else {
        return redirect(&format!("/{}/login", p.mount()));
    };
    if st.world().session(&token, p).is_none() {
        return redirect(&format!("/{}/login", p.mount()));
    }
    let code = field(&fields, "code").unwrap_or("");
    if !st.check_code(code) {
        return mfa_page(p, Some(BAD_CODE));
    }
    // A new session id once fully signed in: the pre-MFA cookie stops working.
    let Some(signed_in) = st.world().rotate_session(&token, p) else {
        return redirect(&format!("/{}/login", p.mount()));
    };
    with_cookie(redirect(p.landing()), p, &signed_in)
}
