//! The built-in sandbox: axum replicas of the vendor screens the seed articles
//! walk through (Xero organisation, QuickBooks Online, My Xero practice), with
//! in-memory state per server, a TOTP sign-in and documented drift variants.
//!
//! Owns the HTTP server, its pages and its state. Knows nothing of runbooks,
//! WebDriver or reports: the executor only gets a base URL per provider.
//! Every path and accessible name is listed in `docs/sandbox.md`.

// Guards return `Result<T, Response>` so a handler can `tri!` the error page
// straight back; a response is ~128 bytes and only built on the rare error path.
#![allow(clippy::result_large_err)]

/// Unwrap a `Result<T, Response>` or return the error response from the handler.
macro_rules! tri {
    ($e:expr) => {
        match $e {
            Ok(v) => v,
            Err(resp) => return resp,
        }
    };
}

mod auth;
mod bench;
mod headers;
mod layout;
mod myxero;
mod qbo;
mod state;
mod variants;
mod xero;

use std::collections::HashMap;
use std::fmt;
use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::sync::{Arc, Mutex, MutexGuard};

use axum::extract::rejection::{FormRejection, PathRejection, QueryRejection};
use axum::extract::{Path, Query, State};
use axum::http::header::{COOKIE, ORIGIN, REFERER, SET_COOKIE};
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Form, Json, Router};
use tokio::sync::oneshot;
use tokio::task::JoinHandle;
use totp_rs::{Algorithm, TOTP};

pub use variants::{variants, VariantInfo};

use state::{Provider, World};
use variants::Variant;

/// Sign-in email of the sandbox admin (a public test value).
pub const SANDBOX_EMAIL: &str = "admin@example.com";
/// Sign-in password of the sandbox admin (a public test value).
pub const SANDBOX_PASSWORD: &str = "sandbox-password";
/// Base32 TOTP seed the sandbox checks authenticator codes against by default.
pub const DEFAULT_TOTP_SEED: &str = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP";
/// Provider mount names: `http://127.0.0.1:PORT/<provider>/...`.
pub const PROVIDERS: [&str; 3] = ["xero", "qbo", "myxero"];

/// How long [`Sandbox::shutdown`] waits for open connections before cutting them.
pub const SHUTDOWN_GRACE: std::time::Duration = std::time::Duration::from_secs(5);

/// How to start a sandbox server.
#[derive(Clone)]
pub struct SandboxConfig {
    /// Address to bind; loopback unless `allow_remote`.
    pub bind: IpAddr,
    /// Port to bind; 0 lets the OS choose (tests).
    pub port: u16,
    /// Allow a non-loopback `bind`.
    pub allow_remote: bool,
    /// Drift variant to serve (see [`variants`]); `None` serves the documented screens.
    pub variant: Option<String>,
    /// Base32 TOTP seed for the multi-factor pages (RFC 6238, SHA1, 6 digits, 30 s).
    pub totp_seed: String,
}

impl Default for SandboxConfig {
    fn default() -> Self {
        SandboxConfig {
            bind: IpAddr::V4(Ipv4Addr::LOCALHOST),
            port: 0,
            allow_remote: false,
            variant: None,
            totp_seed: DEFAULT_TOTP_SEED.to_string(),
        }
    }
}

impl fmt::Debug for SandboxConfig {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SandboxConfig")
            .field("bind", &self.bind)
            .field("port", &self.port)
            .field("allow_remote", &self.allow_remote)
            .field("variant", &self.variant)
            .field("totp_seed", &"***")
            .finish()
    }
}

/// Why a sandbox could not start.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum SandboxError {
    /// The bind address is not loopback and `allow_remote` was not given.
    #[error("refusing to bind the sandbox to non-loopback address {addr}; pass --allow-remote to expose it")]
    NonLoopback {
        /// The refused address.
        addr: IpAddr,
    },
    /// The variant name is not one of [`variants`].
    #[error("unknown sandbox variant `{name}`; known variants: {known}")]
    UnknownVariant {
        /// The name given.
        name: String,
        /// The known names, comma separated.
        known: String,
    },
    /// The TOTP seed is not base32 of at least 128 bits (the seed itself is never shown).
    #[error("the sandbox TOTP seed is not valid base32 of at least 16 bytes")]
    InvalidTotpSeed,
    /// The socket could not be bound or read back.
    #[error("cannot bind the sandbox to {addr}")]
    Bind {
        /// The address asked for.
        addr: SocketAddr,
        /// The I/O error.
        #[source]
        source: std::io::Error,
    },
}

/// Shared state of one server: its world, TOTP checker and variant.
#[derive(Clone)]
pub(crate) struct AppState {
    world: Arc<Mutex<World>>,
    /// The origins of this server's own pages (from the listen address).
    origins: Arc<Vec<String>>,
    totp: Arc<TOTP>,
    variant: Option<Variant>,
}

impl AppState {
    /// Lock the world (a poisoned lock is recovered: state is plain data).
    pub(crate) fn world(&self) -> MutexGuard<'_, World> {
        self.world.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Whether the server runs drift variant `v`.
    pub(crate) fn is(&self, v: Variant) -> bool {
        self.variant == Some(v)
    }

    /// Whether `code` is the current (or previous/next) authenticator code.
    pub(crate) fn check_code(&self, code: &str) -> bool {
        let now = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_secs());
        check_code_at(&self.totp, code, now)
    }
}

/// Whether `code` (spaces ignored) is the code at `unix_secs` or one 30 s step
/// before or after it (RFC 6238 with a skew of one step).
fn check_code_at(totp: &TOTP, code: &str, unix_secs: u64) -> bool {
    let code: String = code.chars().filter(|c| !c.is_whitespace()).collect();
    code.len() == 6 && code.chars().all(|c| c.is_ascii_digit()) && totp.check(&code, unix_secs)
}

/// A running sandbox server.
pub struct Sandbox {
    addr: SocketAddr,
    state: AppState,
    stop: Option<oneshot::Sender<()>>,
    task: JoinHandle<()>,
}

impl fmt::Debug for Sandbox {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Sandbox").field("addr", &self.addr).finish()
    }
}

impl Sandbox {
    /// The bound address (with the real port when 0 was asked for).
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// `http://HOST:PORT/<provider>`, the base URL that replaces a runbook's.
    pub fn base_url(&self, provider: &str) -> String {
        let host = if self.addr.ip().is_unspecified() {
            IpAddr::V4(Ipv4Addr::LOCALHOST)
        } else {
            self.addr.ip()
        };
        format!(
            "http://{}/{provider}",
            SocketAddr::new(host, self.addr.port())
        )
    }

    /// The state JSON also served at `GET /__sandbox/state`.
    pub fn state_json(&self) -> serde_json::Value {
        let variant = self.state.variant.map(Variant::name);
        self.state.world().to_json(variant)
    }

    /// Stop accepting connections, let open requests finish and wait for the
    /// server task; after [`SHUTDOWN_GRACE`] the remaining connections are cut.
    ///
    /// Dropping a `Sandbox` without calling this also starts a graceful
    /// shutdown, without waiting for it.
    pub async fn shutdown(mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if tokio::time::timeout(SHUTDOWN_GRACE, &mut self.task)
            .await
            .is_err()
        {
            self.task.abort();
        }
    }
}

/// Bind and start a sandbox server on the current tokio runtime.
///
/// Returns once the socket is listening. Fails on a non-loopback bind without
/// `allow_remote`, an unknown variant, an invalid TOTP seed or a bind error.
pub async fn start(config: SandboxConfig) -> Result<Sandbox, SandboxError> {
    if !config.bind.is_loopback() && !config.allow_remote {
        return Err(SandboxError::NonLoopback { addr: config.bind });
    }
    let variant = match &config.variant {
        None => None,
        Some(name) => Some(Variant::by_name(name).ok_or_else(|| {
            SandboxError::UnknownVariant {
                name: name.clone(),
                known: variants()
                    .iter()
                    .map(|v| v.name)
                    .collect::<Vec<_>>()
                    .join(", "),
            }
        })?),
    };
    let secret = totp_rs::Secret::Encoded(config.totp_seed.trim().to_uppercase())
        .to_bytes()
        .map_err(|_| SandboxError::InvalidTotpSeed)?;
    let totp =
        TOTP::new(Algorithm::SHA1, 6, 1, 30, secret).map_err(|_| SandboxError::InvalidTotpSeed)?;
    let want = SocketAddr::new(config.bind, config.port);
    let listener = tokio::net::TcpListener::bind(want)
        .await
        .map_err(|source| SandboxError::Bind { addr: want, source })?;
    let addr = listener
        .local_addr()
        .map_err(|source| SandboxError::Bind { addr: want, source })?;
    let state = AppState {
        world: Arc::new(Mutex::new(World::new())),
        origins: Arc::new(own_origins(addr)),
        totp: Arc::new(totp),
        variant,
    };
    let app = router(state.clone());
    let (stop, stopped) = oneshot::channel::<()>();
    let task = tokio::spawn(async move {
        let server = axum::serve(listener, app).with_graceful_shutdown(async move {
            let _ = stopped.await;
        });
        if let Err(err) = server.await {
            tracing::warn!("sandbox server stopped: {err}");
        }
    });
    Ok(Sandbox {
        addr,
        state,
        stop: Some(stop),
        task,
    })
}

/// The origins a page of a server listening on `addr` has: `http://addr`,
/// and for a loopback or unspecified address the loopback names of its port.
/// Never derived from a request: a foreign name in `Host` is not ours.
fn own_origins(addr: SocketAddr) -> Vec<String> {
    let port = addr.port();
    let mut out = vec![format!("http://{addr}")];
    if addr.ip().is_loopback() || addr.ip().is_unspecified() {
        for host in ["127.0.0.1", "localhost", "[::1]"] {
            let o = format!("http://{host}:{port}");
            if !out.contains(&o) {
                out.push(o);
            }
        }
    }
    out
}

fn router(state: AppState) -> Router {
    // Test-only endpoints: for scripts and the harness, never for another site.
    let test_only = Router::new()
        .route("/__sandbox/state", get(state_handler))
        .route("/__sandbox/reset", post(reset_handler))
        .route("/__sandbox/login-as", get(login_as))
        .route_layer(axum::middleware::from_fn_with_state(
            state.clone(),
            headers::refuse_cross_origin,
        ));
    let mut app = Router::new()
        .route("/", get(|| async { Redirect::to("/xero/") }))
        .merge(test_only);
    for p in Provider::ALL {
        app = app.merge(auth::routes(p));
    }
    app.merge(xero::routes())
        .merge(qbo::routes())
        .merge(myxero::routes())
        .merge(bench::routes())
        .fallback(not_found)
        .method_not_allowed_fallback(method_not_allowed)
        .layer(axum::middleware::map_response(headers::security_headers))
        .with_state(state)
}

async fn state_handler(State(st): State<AppState>) -> Json<serde_json::Value> {
    let variant = st.variant.map(Variant::name);
    Json(st.world().to_json(variant))
}

async fn reset_handler(State(st): State<AppState>) -> Json<serde_json::Value> {
    st.world().reset();
    let variant = st.variant.map(Variant::name);
    Json(st.world().to_json(variant))
}

async fn login_as(
    State(st): State<AppState>,
    q: Result<Query<HashMap<String, String>>, QueryRejection>,
) -> Response {
    let q = q.map(|Query(q)| q).unwrap_or_default();
    let next = q.get("next").map(String::as_str).unwrap_or("");
    let provider = match Provider::of_path(next) {
        Some(p) if next.starts_with('/') && !next.starts_with("//") => p,
        _ => {
            return layout::error_page(
                None,
                StatusCode::BAD_REQUEST,
                "next must be a path under /xero, /qbo or /myxero",
            )
        }
    };
    let token = {
        let mut world = st.world();
        // `session=TOKEN` adopts an existing session of the same provider (so a
        // screenshot can show what a scripted client set up: a notice, a
        // pending QBO invite); an unknown token is refused, never created.
        match q.get("session") {
            Some(t) => match world.session(t, provider) {
                Some(s) => {
                    s.mfa_done = true;
                    t.clone()
                }
                None => {
                    return layout::error_page(
                        None,
                        StatusCode::BAD_REQUEST,
                        "session is not an existing session of that provider",
                    )
                }
            },
            None => world.open_session(provider, true),
        }
    };
    with_cookie(redirect(next), provider, &token)
}

async fn method_not_allowed(uri: axum::http::Uri) -> Response {
    layout::error_page(
        Provider::of_path(uri.path()),
        StatusCode::METHOD_NOT_ALLOWED,
        "That action isn't available on this page.",
    )
}

async fn not_found(uri: axum::http::Uri) -> Response {
    layout::error_page(
        Provider::of_path(uri.path()),
        StatusCode::NOT_FOUND,
        "We couldn't find the page you were looking for.",
    )
}

/// A 303 See Other to `to` (POST-redirect-GET).
pub(crate) fn redirect(to: &str) -> Response {
    Redirect::to(to).into_response()
}

/// Attach the provider's session cookie to a response.
pub(crate) fn with_cookie(mut resp: Response, provider: Provider, token: &str) -> Response {
    let cookie = format!(
        "{}={token}; Path=/; HttpOnly; SameSite=Lax",
        provider.cookie()
    );
    if let Ok(v) = HeaderValue::from_str(&cookie) {
        resp.headers_mut().append(SET_COOKIE, v);
    }
    resp
}

/// The session token the request carries for `provider`, if any.
pub(crate) fn cookie_token(headers: &HeaderMap, provider: Provider) -> Option<String> {
    let prefix = format!("{}=", provider.cookie());
    headers
        .get_all(COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .map(str::trim)
        .find_map(|c| c.strip_prefix(prefix.as_str()).map(str::to_string))
}

/// The token of a fully signed-in session, or a redirect to the sign-in page.
pub(crate) fn require_session(
    st: &AppState,
    headers: &HeaderMap,
    provider: Provider,
) -> Result<String, Response> {
    let token = cookie_token(headers, provider);
    if let Some(token) = token {
        let mut world = st.world();
        if world.session(&token, provider).is_some_and(|s| s.mfa_done) {
            return Ok(token);
        }
    }
    Err(redirect(&format!("/{}/login", provider.mount())))
}

/// Reject a POST that does not come from a page of this server.
///
/// The `Origin` header must be one of this server's own origins (from its
/// listen address, never from the request's `Host`); without it, `Referer`
/// must start with one of them; with neither the request is refused.
pub(crate) fn check_origin(
    st: &AppState,
    headers: &HeaderMap,
    provider: Provider,
) -> Result<(), Response> {
    if from_own_page(&st.origins, headers) == Some(true) {
        Ok(())
    } else {
        Err(layout::error_page(
            Some(provider),
            StatusCode::FORBIDDEN,
            "This request didn't come from this site, so it was blocked.",
        ))
    }
}

/// Whether the request says it comes from one of `origins`: by `Origin`,
/// else by `Referer`; `None` when it says neither.
pub(crate) fn from_own_page(origins: &[String], headers: &HeaderMap) -> Option<bool> {
    let text = |v: &HeaderValue| v.to_str().ok().map(str::to_string);
    if let Some(o) = headers.get(ORIGIN) {
        return Some(text(o).is_some_and(|o| origins.contains(&o)));
    }
    let r = headers.get(REFERER)?;
    Some(text(r).is_some_and(|r| {
        origins.iter().any(|o| {
            r.strip_prefix(o.as_str())
                .is_some_and(|rest| rest.starts_with('/'))
        })
    }))
}

/// The `{id}` path segment, or the vendor 404 page when it cannot be decoded.
pub(crate) fn path_id(
    id: Result<Path<String>, PathRejection>,
    provider: Provider,
) -> Result<String, Response> {
    id.map(|Path(id)| id).map_err(|_| {
        layout::error_page(
            Some(provider),
            StatusCode::NOT_FOUND,
            "We couldn't find the page you were looking for.",
        )
    })
}

/// Fields of a submitted form, in order.
pub(crate) type Fields = Vec<(String, String)>;

/// A form body as a handler receives it: the rejection becomes the vendor 400 page.
pub(crate) type FormBody = Result<Form<Fields>, FormRejection>;

/// A same-origin form POST from a fully signed-in session.
pub(crate) struct SignedForm {
    /// The session token (for notices and pending state).
    pub(crate) token: String,
    /// The submitted fields, in order.
    pub(crate) fields: Fields,
}

/// The prelude of every signed-in POST handler, in this order: the session
/// (else a redirect to sign-in), the origin check (else 403), the form (else 400).
pub(crate) fn signed_form(
    st: &AppState,
    headers: &HeaderMap,
    form: FormBody,
    provider: Provider,
) -> Result<SignedForm, Response> {
    let token = require_session(st, headers, provider)?;
    let fields = same_origin_form(st, headers, form, provider)?;
    Ok(SignedForm { token, fields })
}

/// The fields of a POST that comes from a page of this server: the origin
/// check (else 403), then the form (else 400).
pub(crate) fn same_origin_form(
    st: &AppState,
    headers: &HeaderMap,
    form: FormBody,
    provider: Provider,
) -> Result<Fields, Response> {
    check_origin(st, headers, provider)?;
    form_fields(form, provider)
}

/// The form fields, or the vendor error page for an unreadable body.
fn form_fields(form: FormBody, provider: Provider) -> Result<Fields, Response> {
    form.map(|Form(f)| f).map_err(|_| {
        layout::error_page(
            Some(provider),
            StatusCode::BAD_REQUEST,
            "The form couldn't be read. Please try again.",
        )
    })
}

/// The trimmed value of field `name`, if present.
pub(crate) fn field<'a>(fields: &'a Fields, name: &str) -> Option<&'a str> {
    fields
        .iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.trim())
}

/// The trimmed, non-empty value of a required field, or a 400 page naming it.
pub(crate) fn required<'a>(
    fields: &'a Fields,
    name: &str,
    label: &str,
    provider: Provider,
) -> Result<&'a str, Response> {
    match field(fields, name) {
        Some(v) if !v.is_empty() => Ok(v),
        _ => Err(layout::error_page(
            Some(provider),
            StatusCode::BAD_REQUEST,
            &format!("{label} is required."),
        )),
    }
}

/// Whether a checkbox field was submitted checked.
pub(crate) fn checked(fields: &Fields, name: &str) -> bool {
    field(fields, name).is_some_and(|v| !v.is_empty() && v != "off" && v != "false")
}

/// A plausible email address (something@something.tld, no spaces).
pub(crate) fn plausible_email(email: &str) -> bool {
    match email.split_once('@') {
        Some((user, domain)) => {
            !user.is_empty()
                && domain.contains('.')
                && !domain.starts_with('.')
                && !domain.ends_with('.')
                && !email.contains(char::is_whitespace)
                && !domain.contains('@')
        }
        None => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plausible_email_rejects_obvious_garbage() {
        assert!(plausible_email("dp-acme@drivetrain.ai"));
        assert!(!plausible_email("dp-acme"));
        assert!(!plausible_email("a b@c.d"));
        assert!(!plausible_email("@c.d"));
        assert!(!plausible_email("a@cd"));
    }

    fn default_totp() -> TOTP {
        let secret = totp_rs::Secret::Encoded(DEFAULT_TOTP_SEED.to_string())
            .to_bytes()
            .unwrap_or_default();
        TOTP::new(Algorithm::SHA1, 6, 1, 30, secret).expect("the default seed is valid")
    }

    #[test]
    fn codes_of_the_neighbouring_windows_are_accepted_and_older_ones_not() {
        let totp = default_totp();
        let t = 1_700_000_000;
        // RFC 6238 test-vector shape: 6 digits from the 30 s step.
        assert!(check_code_at(&totp, &totp.generate(t), t));
        assert!(check_code_at(&totp, &totp.generate(t - 30), t));
        assert!(check_code_at(&totp, &totp.generate(t + 30), t));
        let spaced = totp.generate(t);
        assert!(check_code_at(
            &totp,
            &format!("{} {}", &spaced[..3], &spaced[3..]),
            t
        ));
        let old = totp.generate(t - 90);
        let valid = [t - 30, t, t + 30].map(|s| totp.generate(s));
        if !valid.contains(&old) {
            assert!(!check_code_at(&totp, &old, t));
        }
        assert!(!check_code_at(&totp, "12345", t));
        assert!(!check_code_at(&totp, "abcdef", t));
    }

    #[test]
    fn config_debug_hides_the_seed() {
        let dbg = format!("{:?}", SandboxConfig::default());
        assert!(!dbg.contains(DEFAULT_TOTP_SEED), "{dbg}");
    }

    #[test]
    fn origins_come_from_the_listen_address_not_the_host_header() {
        use axum::http::header::HOST;
        let addr: SocketAddr = "127.0.0.1:9".parse().expect("an address");
        let own = own_origins(addr);
        let mut h = HeaderMap::new();
        assert_eq!(from_own_page(&own, &h), None);
        h.insert(
            REFERER,
            HeaderValue::from_static("http://127.0.0.1:9/xero/x"),
        );
        assert_eq!(from_own_page(&own, &h), Some(true));
        h.insert(
            REFERER,
            HeaderValue::from_static("http://127.0.0.1:99/xero/x"),
        );
        assert_eq!(from_own_page(&own, &h), Some(false));
        h.insert(ORIGIN, HeaderValue::from_static("http://localhost:9"));
        assert_eq!(from_own_page(&own, &h), Some(true));
        // A foreign name that the Host header agrees with (DNS rebinding).
        h.insert(HOST, HeaderValue::from_static("evil.example:9"));
        h.insert(ORIGIN, HeaderValue::from_static("http://evil.example:9"));
        assert_eq!(from_own_page(&own, &h), Some(false));
    }
}
