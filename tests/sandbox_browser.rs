//! Issue 4: every documented control of every sandbox screen is found in a
//! real headless Chromium by role and accessible name, through the same
//! resolver the runbooks use (so "the sandbox names it" and "clickpath finds
//! it" are one claim, tested).

mod common;

use std::sync::Arc;

use clickpath::browser::Browser;
use clickpath::locate::{self, Purpose, ResolvedTarget};
use clickpath::runbook::By;
use clickpath::sandbox::{self, SandboxConfig};

/// A screen: its path, an element to click on load (`#open=ID`), its controls.
type Screen<'a> = (&'a str, &'a str, &'a [(By, &'a str)]);

fn target(by: By, name: &str) -> ResolvedTarget {
    ResolvedTarget {
        by,
        name: name.to_string(),
        contains: false,
        ignore_case: false,
        nth: None,
        within: None,
    }
}

/// Open `path` (signed in through the sandbox's test affordance; `open`
/// clicks a menu or dialog button on load) and find every control visible,
/// exactly once.
async fn assert_screen(
    browser: &dyn Browser,
    root: &str,
    path: &str,
    open: &str,
    controls: &[(By, &str)],
) {
    let url = format!("{root}/__sandbox/login-as?next={path}{open}");
    browser.goto(&url).await.expect("page loads");
    let deadline = tokio::time::Instant::now() + std::time::Duration::from_secs(5);
    for (by, name) in controls {
        let t = target(*by, name);
        match locate::locate(browser, &t, Purpose::Present, deadline).await {
            Ok(found) => assert_eq!(
                found.info.name.trim(),
                *name,
                "{path}{open}: {t} resolved to a different name"
            ),
            Err(e) => panic!("{path}{open}: {t} not found: {e}"),
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn issue_4_every_documented_control_is_found_by_role_and_name_in_chromium() {
    common::with_browser(|browser: Arc<dyn Browser>, _base| async move {
        let sb = sandbox::start(SandboxConfig::default())
            .await
            .expect("sandbox starts");
        let root = format!("http://{}", sb.addr());
        use By::*;
        // Sign-in pages need no session.
        for p in sandbox::PROVIDERS {
            browser
                .goto(&format!("{root}/{p}/login"))
                .await
                .expect("sign-in page");
            let deadline = tokio::time::Instant::now() + std::time::Duration::from_secs(5);
            for (by, name) in [(Label, "Email"), (Label, "Password"), (Button, "Log in")] {
                locate::locate(&*browser, &target(by, name), Purpose::Present, deadline)
                    .await
                    .unwrap_or_else(|e| panic!("/{p}/login: {e}"));
            }
        }
        let screens: &[Screen] = &[
            (
                "/xero/dashboard",
                "",
                &[
                    (Heading, "Dashboard"),
                    (Button, "Demo Company (UK)"),
                    (Button, "Help"),
                    (Link, "Dashboard"),
                    (Link, "Business"),
                    (Link, "Accounting"),
                ],
            ),
            (
                "/xero/dashboard",
                "#open=org-menu-btn",
                &[
                    (MenuItem, "Settings"),
                    (MenuItem, "Files"),
                    (MenuItem, "Subscription and billing"),
                ],
            ),
            (
                "/xero/dashboard",
                "#open=help-menu-btn",
                &[(MenuItem, "Xero Central")],
            ),
            (
                "/xero/settings",
                "",
                &[
                    (Heading, "Settings"),
                    (Link, "Organisation details"),
                    (Link, "Currencies"),
                ],
            ),
            (
                "/xero/settings/users",
                "",
                &[
                    (Heading, "Users"),
                    (Button, "Invite a user"),
                    (Button, "Add Xero support"),
                    (Link, "Contact Xero support"),
                    (Link, "Demo Admin"),
                ],
            ),
            (
                "/xero/settings/users",
                "#open=add-support-btn",
                &[
                    (Heading, "Add Xero support"),
                    (Button, "Confirm"),
                    (Button, "Cancel"),
                ],
            ),
            (
                "/xero/settings/users/invite",
                "",
                &[
                    (Heading, "Invite a user"),
                    (Label, "First name"),
                    (Label, "Last name"),
                    (Label, "Email"),
                    (Label, "Projects"),
                    (Label, "Business and Accounting"),
                    (Checkbox, "Org Admin"),
                    (Button, "Send invite"),
                    (Button, "Cancel"),
                ],
            ),
            (
                "/xero/support",
                "",
                &[(Heading, "Xero Central"), (Link, "Contact Xero support")],
            ),
            (
                "/xero/support/contact",
                "",
                &[
                    (Heading, "Contact Xero support"),
                    (Label, "Subject"),
                    (Label, "Details"),
                    (Button, "Submit request"),
                ],
            ),
            (
                "/qbo/homepage",
                "",
                &[(Heading, "Home"), (Button, "Settings")],
            ),
            (
                "/qbo/homepage",
                "#open=gear-btn",
                &[
                    (Link, "Account and settings"),
                    (Link, "Manage Users"),
                    (Link, "Custom form styles"),
                ],
            ),
            (
                "/qbo/app/usermgt",
                "",
                &[(Heading, "Manage users"), (Button, "Add user")],
            ),
            (
                "/qbo/app/usermgt/add",
                "",
                &[
                    (Heading, "Add a new user"),
                    (Label, "User type"),
                    (Label, "First name"),
                    (Label, "Last name"),
                    (Label, "Email"),
                    (Button, "Send invite"),
                ],
            ),
            (
                "/myxero/dashboard",
                "#open=app-menu-btn",
                &[(Button, "Menu"), (MenuItem, "My Xero")],
            ),
            (
                "/myxero/dashboard",
                "#open=help-menu-btn",
                &[(Button, "Help"), (MenuItem, "Contact Xero Support")],
            ),
            (
                "/myxero/my",
                "",
                &[
                    (Heading, "My Xero"),
                    (Tab, "Home"),
                    (Tab, "Staff"),
                    (Tab, "Settings"),
                    (Link, "Hartley & Co"),
                ],
            ),
            (
                "/myxero/my/staff",
                "",
                &[
                    (Heading, "Staff"),
                    (Button, "Invite Xero Support"),
                    (Link, "Contact Xero Support"),
                ],
            ),
            (
                "/myxero/practice",
                "#open=tab-settings",
                &[
                    (Heading, "Hartley & Co Practice"),
                    (Tab, "Dashboard"),
                    (Tab, "Settings"),
                    (Link, "General Settings"),
                ],
            ),
            (
                "/myxero/practice/settings",
                "",
                &[
                    (Heading, "General Settings"),
                    (Link, "Users"),
                    (Link, "Organisation details"),
                    (Link, "Financial settings"),
                ],
            ),
            (
                "/myxero/practice/settings/users",
                "",
                &[
                    (Heading, "Users"),
                    (Button, "Invite Xero Support"),
                    (Link, "Contact Xero Support"),
                ],
            ),
            (
                "/myxero/support/contact",
                "",
                &[
                    (Heading, "Contact Xero Support"),
                    (Radio, "I need help to do something"),
                    (Radio, "I think something is broken"),
                    (Label, "Subject"),
                    (Label, "Details"),
                    (Checkbox, "Give Xero Access to Hartley & Co Practice"),
                    (Button, "Send Support Request"),
                ],
            ),
        ];
        for (path, open, controls) in screens {
            assert_screen(&*browser, &root, path, open, controls).await;
        }
        sb.shutdown().await;
    })
    .await;
}
