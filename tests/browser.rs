//! The browser seam against a real headless Chromium (issue 9, "Seams"):
//! frames and windows through `&dyn Browser`, and chromedriver's errors
//! classified by WebDriver error code, not by their text.

mod common;

use clickpath::browser::{Browser, ElementRef, ErrorKind};

/// A data: URL page (no server needed).
fn page(html: &str) -> String {
    let encoded: String = url::form_urlencoded::byte_serialize(html.as_bytes()).collect();
    format!("data:text/html,{}", encoded.replace('+', "%20"))
}

async fn element(browser: &dyn Browser, script: &str) -> ElementRef {
    let v = browser.execute(script, vec![]).await.expect("script runs");
    ElementRef::from_json(&v).unwrap_or_else(|| panic!("not an element: {v}"))
}

async fn text(browser: &dyn Browser) -> String {
    let v = browser
        .execute("return document.body.textContent.trim();", vec![])
        .await
        .expect("script runs");
    v.as_str().unwrap_or_default().to_string()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn issue_9_frames_and_windows_through_the_trait() {
    common::with_browser(|browser, _base| async move {
        let b: &dyn Browser = &*browser;
        let html = r#"<p>top</p><iframe srcdoc="<p>outer</p><iframe srcdoc='<p>inner</p>'></iframe>"></iframe>"#;
        b.goto(&page(html)).await.expect("page loads");
        assert_eq!(text(b).await, "top");

        let outer = element(b, "return document.querySelector('iframe');").await;
        b.enter_frame(Some(&outer)).await.expect("into the frame");
        let inner = element(b, "return document.querySelector('iframe');").await;
        b.enter_frame(Some(&inner)).await.expect("into the inner frame");
        assert_eq!(text(b).await, "inner");
        b.enter_parent_frame().await.expect("up one frame");
        assert!(text(b).await.starts_with("outer"));
        b.enter_frame(None).await.expect("back to the top document");
        assert_eq!(text(b).await, "top");

        let first = b.windows().await.expect("handles");
        assert_eq!(first.len(), 1);
        b.execute("window.open('about:blank', '_blank');", vec![])
            .await
            .expect("the page opens a window");
        let both = b.windows().await.expect("handles");
        assert_eq!(both.len(), 2, "{both:?}");
        let new = both.iter().find(|h| !first.contains(h)).expect("a new handle");
        b.switch_to_window(new).await.expect("switch to the new window");
        let url = b
            .execute("return location.href;", vec![])
            .await
            .expect("script runs");
        assert_eq!(url, "about:blank");
        b.switch_to_window(&first[0]).await.expect("switch back");
        assert_eq!(text(b).await, "top");
        let gone = b.switch_to_window("no-such-handle").await.expect_err("unknown handle");
        assert_eq!(gone.kind(), ErrorKind::NoSuchWindow, "{gone}");
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn issue_9_chromedriver_errors_are_classified_by_code() {
    common::with_browser(|browser, _base| async move {
        let b: &dyn Browser = &*browser;
        let html = r#"<button id="b" onclick="document.title='clicked'">Save</button>
<div id="cover" style="position:fixed;inset:0;background:rgba(0,0,0,.3)"></div>"#;
        b.goto(&page(html)).await.expect("page loads");

        let button = element(b, "return document.getElementById('b');").await;
        let covered = b
            .click(&button)
            .await
            .expect_err("the overlay takes the click");
        assert_eq!(covered.kind(), ErrorKind::ClickIntercepted, "{covered}");
        assert!(covered.is_retryable() && !covered.is_environment());

        b.execute("document.getElementById('b').remove();", vec![])
            .await
            .expect("script runs");
        let stale = b.click(&button).await.expect_err("the button is gone");
        assert!(stale.is_stale(), "{stale}");

        let thrown = b
            .execute("throw new Error('boom');", vec![])
            .await
            .expect_err("the script throws");
        assert_eq!(thrown.kind(), ErrorKind::JavascriptError, "{thrown}");
        assert!(!thrown.is_transient());

        let port = std::net::TcpListener::bind(("127.0.0.1", 0))
            .and_then(|l| l.local_addr())
            .map(|a| a.port())
            .expect("a free port");
        let refused = b
            .goto(&format!("http://127.0.0.1:{port}/"))
            .await
            .expect_err("nothing listens on that port");
        assert_eq!(refused.kind(), ErrorKind::Navigation, "{refused}");
        assert!(refused.is_environment());
        assert_eq!(refused.net_error(), Some("net::ERR_CONNECTION_REFUSED"));

        let typed = b.active_element().await.expect("the body is active");
        b.send_keys(&typed, "x").await.expect("keys go to the body");
    })
    .await;
}

/// Issue 12 ("faster than Playwright"): one session serves several
/// runbooks, so whatever a page left behind (a second window, a frame
/// entered, an alert nobody answered, cookies and storage) is gone after
/// `isolate`: one blank tab, as a new session would have.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn issue_12_isolate_leaves_one_blank_tab_whatever_the_page_left() {
    common::with_browser(|browser, base| async move {
        let b: &dyn Browser = &*browser;
        assert!(b.can_isolate().await, "chromedriver has the DevTools passthrough");
        let app = format!("{base}/app/");
        b.goto(&app).await.expect("page loads");
        b.execute(
            "document.cookie = 'trace=left; max-age=3600'; \
             localStorage.setItem('trace', 'left'); sessionStorage.setItem('trace', 'left'); \
             window.open(location.href, '_blank'); \
             document.body.insertAdjacentHTML('beforeend', '<iframe srcdoc=\"<p>in</p>\"></iframe>');",
            vec![],
        )
        .await
        .expect("the page leaves traces");
        assert_eq!(b.windows().await.expect("handles").len(), 2);
        let frame = element(b, "return document.querySelector('iframe');").await;
        b.enter_frame(Some(&frame)).await.expect("into the frame");
        b.execute("setTimeout(() => alert('left open'), 0);", vec![])
            .await
            .expect("an alert is scheduled");
        let mut open = None;
        for _ in 0..200 {
            open = b.dialog_text().await.expect("dialog state");
            if open.is_some() {
                break;
            }
            tokio::time::sleep(std::time::Duration::from_millis(10)).await;
        }
        assert_eq!(open.as_deref(), Some("left open"));

        b.isolate(std::slice::from_ref(&app)).await.expect("isolated");

        assert_eq!(b.windows().await.expect("handles").len(), 1, "one window left");
        assert_eq!(b.dialog_text().await.expect("dialog state"), None);
        let blank = b
            .execute("return [location.href, history.length];", vec![])
            .await
            .expect("the new tab answers");
        assert_eq!(blank, serde_json::json!(["about:blank", 1]));
        b.goto(&app).await.expect("page loads again");
        let seen = b
            .execute(
                "return [document.cookie, localStorage.getItem('trace'), \
                 sessionStorage.getItem('trace'), window.frameElement === null];",
                vec![],
            )
            .await
            .expect("script runs");
        assert_eq!(seen, serde_json::json!(["", null, null, true]));
    })
    .await;
}
