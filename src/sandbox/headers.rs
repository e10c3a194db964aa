//! What every sandbox response carries for the browser's protection, and the
//! guard of the test-only endpoints (`/__sandbox/*`).
//!
//! The pages are replicas of a vendor's screens, served with the headers a
//! vendor would send: a `Content-Security-Policy` that allows only this
//! server's own resources and the inline scripts this server wrote (by hash,
//! computed from the page itself), `frame-ancestors 'self'` against
//! clickjacking, and no MIME sniffing. Knows nothing of the pages' content.

use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::header::{
    CONTENT_SECURITY_POLICY, CONTENT_TYPE, HOST, REFERRER_POLICY, X_CONTENT_TYPE_OPTIONS,
    X_FRAME_OPTIONS,
};
use axum::http::{HeaderName, HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::Response;
use base64::Engine as _;
use sha2::{Digest, Sha256};

use super::state::Provider;
use super::{from_own_page, layout, AppState};

/// Largest page whose inline scripts are hashed; a larger body keeps a policy
/// without script hashes (its scripts do not run). Pages are a few KiB.
const MAX_HASHED_BODY: usize = 1 << 20;

/// The policy of a page whose inline scripts hash to `hashes`.
pub(crate) fn content_security_policy(hashes: &[String]) -> String {
    let scripts: String = hashes.iter().map(|h| format!(" 'sha256-{h}'")).collect();
    format!(
        "default-src 'self'; script-src 'self'{scripts}; style-src 'self' 'unsafe-inline'; \
img-src 'self' data:; connect-src 'self'; form-action 'self'; frame-ancestors 'self'; \
base-uri 'none'; object-src 'none'"
    )
}

/// The SHA-256 (base64) of every inline `<script>` of an HTML page.
pub(crate) fn inline_script_hashes(html: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = html;
    while let Some(at) = rest.find("<script>") {
        let body = &rest[at + "<script>".len()..];
        let Some(end) = body.find("</script>") else {
            break;
        };
        let digest = Sha256::digest(&body.as_bytes()[..end]);
        let hash = base64::engine::general_purpose::STANDARD.encode(digest);
        if !out.contains(&hash) {
            out.push(hash);
        }
        rest = &body[end..];
    }
    out
}

/// Add the security headers to every response (map_response middleware).
pub(crate) async fn security_headers(resp: Response) -> Response {
    let is_html = resp
        .headers()
        .get(CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("text/html"));
    let (mut parts, body) = resp.into_parts();
    let (body, hashes) = if is_html {
        match axum::body::to_bytes(body, MAX_HASHED_BODY).await {
            Ok(bytes) => {
                let hashes = inline_script_hashes(&String::from_utf8_lossy(&bytes));
                (Body::from(bytes), hashes)
            }
            Err(_) => (Body::empty(), Vec::new()),
        }
    } else {
        (body, Vec::new())
    };
    let h = &mut parts.headers;
    if let Ok(v) = HeaderValue::from_str(&content_security_policy(&hashes)) {
        h.insert(CONTENT_SECURITY_POLICY, v);
    }
    h.insert(X_FRAME_OPTIONS, HeaderValue::from_static("SAMEORIGIN"));
    h.insert(X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    h.insert(REFERRER_POLICY, HeaderValue::from_static("same-origin"));
    h.insert(
        HeaderName::from_static("cross-origin-opener-policy"),
        HeaderValue::from_static("same-origin"),
    );
    h.insert(
        HeaderName::from_static("cross-origin-resource-policy"),
        HeaderValue::from_static("same-origin"),
    );
    Response::from_parts(parts, body)
}

/// Refuse a request to a test-only endpoint that another site made: an
/// `Origin` or `Referer` that is not this server's, `Sec-Fetch-Site:
/// cross-site`, or a `Host` that names something other than the listen
/// address (DNS rebinding). Scripts and the harness send none of these.
pub(crate) async fn refuse_cross_origin(
    State(st): State<AppState>,
    req: Request,
    next: Next,
) -> Response {
    let headers = req.headers();
    let host_ok = headers
        .get(HOST)
        .and_then(|h| h.to_str().ok())
        .is_none_or(|h| {
            st.origins
                .iter()
                .any(|o| o.strip_prefix("http://") == Some(h))
        });
    let site_ok = headers
        .get("sec-fetch-site")
        .and_then(|v| v.to_str().ok())
        .is_none_or(|v| v != "cross-site" && v != "same-site");
    let page_ok = from_own_page(&st.origins, headers) != Some(false);
    if host_ok && site_ok && page_ok {
        return next.run(req).await;
    }
    layout::error_page(
        Provider::of_path(req.uri().path()),
        StatusCode::FORBIDDEN,
        "This request didn't come from this site, so it was blocked.",
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_inline_script_is_hashed_once() {
        let page = "<p>x</p><script>a()</script><script>b()</script><script>a()</script>";
        let hashes = inline_script_hashes(page);
        assert_eq!(hashes.len(), 2);
        // echo -n 'a()' | openssl dgst -sha256 -binary | base64
        let want = base64::engine::general_purpose::STANDARD.encode(Sha256::digest(b"a()"));
        assert_eq!(hashes[0], want);
        let csp = content_security_policy(&hashes);
        assert!(csp.contains(&format!("'sha256-{want}'")), "{csp}");
        assert!(csp.contains("frame-ancestors 'self'"), "{csp}");
        let script_src = csp.split(';').find(|d| d.trim().starts_with("script-src"));
        assert!(script_src.is_some_and(|d| !d.contains("unsafe")), "{csp}");
    }
}
