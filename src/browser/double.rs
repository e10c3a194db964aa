//! A test double behind [`Browser`]: canned answers, no driver. Proves the
//! trait is object-safe and implementable outside `webdriver.rs`.

use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Mutex;

use async_trait::async_trait;
use serde_json::{json, Value as Json};

use super::{Browser, BrowserInfo, CommandError, ElementRef, ErrorKind};
use crate::runbook::Viewport;

/// A page with one button; every command is recorded by name.
#[derive(Debug)]
struct Canned {
    info: BrowserInfo,
    calls: Mutex<Vec<&'static str>>,
    round_trips: AtomicU64,
    closed: AtomicBool,
}

impl Canned {
    fn new() -> Self {
        Canned {
            info: BrowserInfo {
                name: "canned".into(),
                version: "1".into(),
                driver_version: None,
                viewport: Viewport {
                    width: 800,
                    height: 600,
                },
                headed: false,
                scale: 1.0,
            },
            calls: Mutex::new(Vec::new()),
            round_trips: AtomicU64::new(0),
            closed: AtomicBool::new(false),
        }
    }

    fn record(&self, command: &'static str) -> Result<(), CommandError> {
        if self.closed.load(Ordering::SeqCst) {
            return Err(CommandError::new(ErrorKind::SessionLost, command, "closed"));
        }
        self.round_trips.fetch_add(1, Ordering::Relaxed);
        if let Ok(mut calls) = self.calls.lock() {
            calls.push(command);
        }
        Ok(())
    }
}

#[async_trait]
impl Browser for Canned {
    fn info(&self) -> &BrowserInfo {
        &self.info
    }
    fn round_trips(&self) -> u64 {
        self.round_trips.load(Ordering::Relaxed)
    }
    async fn goto(&self, _url: &str) -> Result<(), CommandError> {
        self.record("goto")
    }
    async fn execute(&self, _script: &str, _args: Vec<Json>) -> Result<Json, CommandError> {
        self.record("execute")?;
        Ok(ElementRef::new("button-1").to_json())
    }
    async fn execute_async(&self, _script: &str, _args: Vec<Json>) -> Result<Json, CommandError> {
        self.record("execute_async")?;
        Ok(json!({"status": "found"}))
    }
    async fn click(&self, el: &ElementRef) -> Result<(), CommandError> {
        self.record("click")?;
        if el.id() == "button-1" {
            Ok(())
        } else {
            Err(CommandError::new(ErrorKind::StaleElement, "click", "gone"))
        }
    }
    async fn hover(&self, _el: &ElementRef) -> Result<(), CommandError> {
        self.record("hover")
    }
    async fn pointer_click(&self, _el: &ElementRef) -> Result<(), CommandError> {
        self.record("pointer_click")
    }
    async fn clear(&self, _el: &ElementRef) -> Result<(), CommandError> {
        self.record("clear")
    }
    async fn send_keys(&self, _el: &ElementRef, _text: &str) -> Result<(), CommandError> {
        self.record("send_keys")
    }
    async fn active_element(&self) -> Result<ElementRef, CommandError> {
        self.record("active_element")?;
        Ok(ElementRef::new("button-1"))
    }
    async fn screenshot(&self) -> Result<Vec<u8>, CommandError> {
        self.record("screenshot")?;
        Ok(b"\x89PNG".to_vec())
    }
    async fn windows(&self) -> Result<Vec<String>, CommandError> {
        self.record("windows")?;
        Ok(vec!["main".into()])
    }
    async fn switch_to_window(&self, _handle: &str) -> Result<(), CommandError> {
        self.record("switch_to_window")
    }
    async fn enter_frame(&self, _frame: Option<&ElementRef>) -> Result<(), CommandError> {
        self.record("enter_frame")
    }
    async fn enter_parent_frame(&self) -> Result<(), CommandError> {
        self.record("enter_parent_frame")
    }
    async fn dialog_text(&self) -> Result<Option<String>, CommandError> {
        self.record("dialog_text")?;
        Ok(None)
    }
    async fn accept_dialog(&self) -> Result<(), CommandError> {
        self.record("accept_dialog")
    }
    async fn dismiss_dialog(&self) -> Result<(), CommandError> {
        self.record("dismiss_dialog")
    }
    async fn close(&self) {
        self.closed.store(true, Ordering::SeqCst);
    }
}

/// What an executor does with a browser, through `&dyn Browser` only.
async fn click_the_button(browser: &dyn Browser) -> Result<(), CommandError> {
    let found = browser.execute("return the button", vec![]).await?;
    let el = ElementRef::from_json(&found)
        .ok_or_else(|| CommandError::new(ErrorKind::Protocol, "execute", "not an element"))?;
    browser.click(&el).await
}

#[tokio::test]
async fn a_double_stands_behind_dyn_browser() {
    let canned = Canned::new();
    let browser: &dyn Browser = &canned;
    click_the_button(browser).await.expect("canned click");
    assert_eq!(browser.round_trips(), 2);
    assert_eq!(browser.driver_pid(), None);
    let stale = browser.click(&ElementRef::new("other")).await;
    assert!(stale.is_err_and(|e| e.is_stale() && e.is_retryable()));
    browser.close().await;
    browser.close().await;
    let after = browser.goto("/").await;
    assert!(after.is_err_and(|e| e.is_environment()));
    let calls = canned.calls.lock().map(|c| c.clone()).unwrap_or_default();
    assert_eq!(calls, ["execute", "click", "click"]);
}

#[test]
fn element_refs_round_trip_through_script_json() {
    let el = ElementRef::new("abc");
    let v = el.to_json();
    assert_eq!(v, json!({ super::ELEMENT_KEY: "abc" }));
    assert_eq!(ElementRef::from_json(&v), Some(el));
    assert_eq!(ElementRef::from_json(&json!({"id": "abc"})), None);
}
