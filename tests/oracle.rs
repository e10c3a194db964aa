//! Issue 10, part 7: an oracle for the resolver. For every element of every
//! test page (the hand-written markup patterns of tests/oracle_pages, every
//! sandbox screen, the Django admin's pages, the real-library widgets app's
//! pages in each of their states: tests/oracle/widgets.rs), the resolver's role and
//! accessible name (`resolver.js`, purpose `describe`) are compared with
//! Chromium's own: WebDriver [Get Computed Role] and [Get Computed Label].
//! Every mismatch fails the test unless a documented deviation
//! ([`DEVIATIONS`], the README's "Resolver oracle" table) explains it.
//!
//! fantoccini has no call for those two commands; [`Computed`] is one
//! `WebDriverCompatibleCommand` sent with `Client::issue_cmd`.
//!
//! [Get Computed Role]: https://www.w3.org/TR/webdriver2/#get-computed-role
//! [Get Computed Label]: https://www.w3.org/TR/webdriver2/#get-computed-label

mod binary;
mod django;
#[path = "oracle/driver.rs"]
mod driver;
mod oracle_pages;
#[path = "oracle/widgets.rs"]
mod widget_pages;
mod widgets_app;

use std::collections::BTreeMap;
use std::time::Duration;

use fantoccini::wd::WebDriverCompatibleCommand;
use fantoccini::{Client, Locator};
use serde_json::{json, Value as Json};

use binary::{require_browser, serve_pages, Reply};
use driver::Driver;

/// The resolver, exactly as `locate` injects it.
use clickpath::locate::RESOLVER_JS;

/// The roles the resolver uses: what locators match (`button`, `link`,
/// `label`'s field roles, `image`, `option`, `cell`...) and what `within`
/// scopes and "where" notes find (rows, list items, dialogs, landmarks,
/// tables, groups). A disagreement on these roles, or on the name of an
/// element with one of them, is a mismatch.
const RELEVANT: &[&str] = &[
    "button",
    "link",
    "heading",
    "tab",
    "tablist",
    "tabpanel",
    "menu",
    "menubar",
    "menuitem",
    "menuitemcheckbox",
    "menuitemradio",
    "checkbox",
    "radio",
    "switch",
    "textbox",
    "searchbox",
    "combobox",
    "listbox",
    "option",
    "spinbutton",
    "slider",
    "img",
    "list",
    "listitem",
    "table",
    "row",
    "cell",
    "columnheader",
    "rowheader",
    "dialog",
    "alertdialog",
    "main",
    "navigation",
    "banner",
    "contentinfo",
    "complementary",
    "region",
    "form",
    "search",
    "group",
    "treeitem",
];

/// One documented deviation: when it applies, and why it is right.
struct Deviation {
    /// Short name, as in the README table.
    id: &'static str,
    /// Does it explain this disagreement?
    applies: fn(&Seen) -> bool,
}

/// What both sides computed for one element.
#[derive(Debug, Clone)]
struct Seen {
    page: String,
    tag: String,
    html: String,
    /// Not rendered (display:none, visibility:hidden, a closed `<details>`)
    /// or inside `aria-hidden=true`.
    hidden: bool,
    /// CSS `text-transform` applies to it, to something inside it, or to what
    /// labels it (its `<label>`, its `aria-labelledby` elements).
    text_transform: bool,
    /// CSS generated content (`::before`, `::after`, `::marker`) in it.
    generated: bool,
    /// The titles of empty elements inside it (an icon link's tooltip).
    tooltips: String,
    ours_role: String,
    ours_name: String,
    chrome_role: String,
    chrome_name: String,
}

fn norm(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Chromium's role names where they are synonyms of the resolver's (ARIA 1.3
/// `image` for `img`; `none` for `presentation`).
fn canonical_role(role: &str) -> &str {
    match role {
        "image" => "img",
        "presentation" => "none",
        r => r,
    }
}

/// Every documented deviation; each row is in the README's "Resolver
/// oracle" table with its reason.
const DEVIATIONS: &[Deviation] = &[
    // Roles the resolver never needs (generic, paragraph, none, Chromium's
    // own names such as StaticText or LabelText): it reports "".
    Deviation {
        id: "structural-role",
        applies: |s| !is_relevant(&s.ours_role) && !is_relevant(&s.chrome_role),
    },
    // Chromium leaves hidden elements out of its accessibility tree (role
    // "none", no label); the resolver describes them on purpose, to say
    // "hidden in the closed menu X, click Y to reveal it".
    Deviation {
        id: "hidden-element",
        applies: |s| s.hidden && matches!(s.chrome_role.as_str(), "none" | ""),
    },
    // Chromium's label follows CSS text-transform ("VIEW SITE"); the
    // resolver keeps the DOM's words ("View site") and compares names
    // case-insensitively, as the documentation's words need.
    Deviation {
        id: "css-text-transform",
        applies: |s| {
            s.text_transform
                && canonical_role(&s.ours_role) == canonical_role(&s.chrome_role)
                && s.ours_name.to_lowercase() == s.chrome_name.to_lowercase()
        },
    },
    // ARIA names rows, list items, landmarks and forms only from
    // aria-label/aria-labelledby; the resolver names them by their text or
    // heading, the words a person uses for `within:` scopes and "where" notes.
    Deviation {
        id: "container-name",
        applies: |s| {
            canonical_role(&s.ours_role) == canonical_role(&s.chrome_role)
                && CONTAINERS.contains(&s.chrome_role.as_str())
                && s.chrome_name.is_empty()
        },
    },
    // Chromium's own roles for inputs with a picker (a file chooser button,
    // Date, ColorWell...): the resolver keeps them fields, so `label:` finds
    // them for fill and upload.
    Deviation {
        id: "input-with-picker",
        applies: |s| {
            s.tag == "input"
                && s.ours_role == "textbox"
                && PICKER_ROLES.contains(&s.chrome_role.as_str())
                && s.ours_name == s.chrome_name
        },
    },
    // Chromium calls <summary> "DisclosureTriangle"; the resolver calls it a
    // button (what a person clicks), so `button:` and `control:` find it.
    Deviation {
        id: "summary-button",
        applies: |s| {
            s.tag == "summary"
                && s.ours_role == "button"
                && s.chrome_role == "DisclosureTriangle"
                && (s.ours_name == s.chrome_name || generated_only(s))
        },
    },
    // Chromium's label includes CSS generated content (Django's filter
    // arrows "↓ By staff status"); the resolver reads the DOM's words, as
    // a person names the control.
    Deviation {
        id: "css-generated-content",
        applies: |s| {
            canonical_role(&s.ours_role) == canonical_role(&s.chrome_role) && generated_only(s)
        },
    },
    // Chromium's name from content includes the title of an empty element
    // inside (Django's sortable column header: a "Toggle sorting" icon link,
    // then "Username"); the resolver leaves tooltips of icons inside out, so
    // the header is named by the words it shows.
    Deviation {
        id: "descendant-tooltip",
        applies: |s| {
            let (chrome, ours) = (s.chrome_name.to_lowercase(), s.ours_name.to_lowercase());
            let tips = s.tooltips.to_lowercase();
            canonical_role(&s.ours_role) == canonical_role(&s.chrome_role)
                && chrome.ends_with(&ours)
                && {
                    let extra = chrome[..chrome.len() - ours.len()].trim();
                    !extra.is_empty() && tips.contains(extra)
                }
        },
    },
];

/// Chromium's name is the resolver's with generated content around it.
fn generated_only(s: &Seen) -> bool {
    s.generated
        && !s.ours_name.is_empty()
        && s.chrome_name
            .to_lowercase()
            .contains(&s.ours_name.to_lowercase())
        && s.chrome_name
            .chars()
            .filter(|c| c.is_alphanumeric())
            .count()
            == s.ours_name.chars().filter(|c| c.is_alphanumeric()).count()
}

/// Roles that ARIA names only from author attributes (see "container-name").
const CONTAINERS: &[&str] = &[
    "row",
    "listitem",
    "main",
    "banner",
    "contentinfo",
    "complementary",
    "form",
    "region",
    "navigation",
];

/// Chromium's roles for inputs with a picker (see "input-with-picker").
const PICKER_ROLES: &[&str] = &["button", "Date", "DateTime", "InputTime", "ColorWell"];

/// Get Computed Role (`what` = "computedrole") or Get Computed Label
/// (`what` = "computedlabel") of one element.
#[derive(Debug)]
struct Computed {
    element: String,
    what: &'static str,
}

impl WebDriverCompatibleCommand for Computed {
    fn endpoint(
        &self,
        base_url: &url::Url,
        session_id: Option<&str>,
    ) -> Result<url::Url, url::ParseError> {
        let session = session_id.unwrap_or("closed");
        base_url.join(&format!(
            "session/{session}/element/{}/{}",
            self.element, self.what
        ))
    }

    fn method_and_body(&self, _request_url: &url::Url) -> (http::Method, Option<String>) {
        (http::Method::GET, None)
    }
}

/// The W3C element reference key.
const ELEMENT_KEY: &str = "element-6066-11e4-a52e-4f735466cecf";

/// Every element with a reference, its tag, start tag, and the facts the
/// deviations need: `[light, shadow]`, the elements of
/// `document.querySelectorAll("*")` and those inside open shadow roots in
/// composed order (the order of the resolver's `describe`). Chromedriver
/// returns references to shadow-tree elements from a script as to any other,
/// and answers Get Computed Role/Label for them.
const LISTING_JS: &str = "const ariaHidden = (e) => { for (let x = e; x; \
               x = x.parentElement || x.getRootNode().host) \
               if (x.getAttribute('aria-hidden') === 'true') return true; return false; }; \
             const hidden = (e) => ariaHidden(e) || \
               !e.checkVisibility({ visibilityProperty: true }); \
             const labelling = (e) => [...(e.labels || []), \
               ...(e.getAttribute('aria-labelledby') || '').split(/\\s+/) \
                 .map((id) => id && e.getRootNode().getElementById(id)).filter(Boolean)]; \
             const cased = (e) => [e, ...labelling(e)].some((r) => [r, ...r.querySelectorAll('*')] \
               .some((x) => getComputedStyle(x).textTransform !== 'none')); \
             const generated = (e) => [e, ...e.querySelectorAll('*')].some((x) => \
               ['::before', '::after', '::marker'].some((p) => \
                 !['none', 'normal', ''].includes(getComputedStyle(x, p).content))); \
             const tooltips = (e) => Array.from(e.querySelectorAll('[title]')) \
               .filter((x) => !x.textContent.trim() && x.checkVisibility()).map((x) => x.title).join(' '); \
             const facts = (e) => [e, e.localName, \
               e.outerHTML.slice(0, e.outerHTML.indexOf('>') + 1).slice(0, 160), \
               hidden(e), cased(e), generated(e), tooltips(e)]; \
             const shadow = []; \
             const walk = (r) => { for (const e of r.querySelectorAll('*')) { \
               if (r !== document) shadow.push(e); if (e.shadowRoot) walk(e.shadowRoot); } }; \
             walk(document); \
             return [Array.from(document.querySelectorAll('*')).map(facts), shadow.map(facts)];";

/// Wait (polling, at most 10 s) until the page is loaded and its number of
/// elements has not changed for 600 ms.
async fn settle(client: &Client, page: &str) {
    let deadline = tokio::time::Instant::now() + Duration::from_secs(10);
    let (mut last, mut same_since) = (-1i64, tokio::time::Instant::now());
    loop {
        let n = client
            .execute(
                "return document.readyState === 'complete' \
                 ? document.querySelectorAll('*').length : -1;",
                vec![],
            )
            .await
            .unwrap_or_else(|e| panic!("{page}: counting elements failed: {e}"))
            .as_i64()
            .unwrap_or(-1);
        let now = tokio::time::Instant::now();
        if n != last || n < 0 {
            (last, same_since) = (n, now);
        } else if now - same_since >= Duration::from_millis(600) {
            return;
        }
        assert!(
            now < deadline,
            "{page}: the page kept changing for 10 s ({n} elements)"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// Compare every element of the current page; push what both sides said.
async fn compare_page(client: &Client, page: &str, out: &mut Vec<Seen>) {
    let started = std::time::Instant::now();
    let before = out.len();
    // The same elements on both sides: wait until the page stops adding or
    // removing elements (the sandbox renders some tables after 0.5 s), and
    // list again if it changed between the two listings.
    let mut tries = 0;
    let (ours, theirs, in_shadow) = loop {
        settle(client, page).await;
        let ours = client
            .execute_async(RESOLVER_JS, vec![Json::Null, json!("describe")])
            .await
            .unwrap_or_else(|e| panic!("{page}: the resolver's describe failed: {e}"));
        let list = |key: &str| {
            ours[key]
                .as_array()
                .unwrap_or_else(|| panic!("{page}: describe returned no {key}: {ours}"))
                .clone()
        };
        let (light, shadow) = (list("elements"), list("shadow"));
        let theirs = client
            .execute(LISTING_JS, vec![])
            .await
            .unwrap_or_else(|e| panic!("{page}: listing elements failed: {e}"));
        let part = |i: usize| theirs[i].as_array().cloned().unwrap_or_default();
        let (their_light, their_shadow) = (part(0), part(1));
        tries += 1;
        if light.len() == their_light.len() && shadow.len() == their_shadow.len() {
            let in_shadow = shadow.len();
            break (
                [light, shadow].concat(),
                [their_light, their_shadow].concat(),
                in_shadow,
            );
        }
        let (ours, theirs) = (
            light.len() + shadow.len(),
            their_light.len() + their_shadow.len(),
        );
        assert!(
            tries < 3,
            "{page}: the page changed between the two listings ({ours} then {theirs} elements), \
             {tries} times"
        );
    };
    for (o, t) in ours.iter().zip(&theirs) {
        out.push(compare_element(client, page, o, t).await);
    }
    eprintln!(
        "oracle: {page}: {} elements ({in_shadow} in open shadow roots) in {:.1} s",
        out.len() - before,
        started.elapsed().as_secs_f64()
    );
}

/// Ask Chromium about one element and pair its answer with the resolver's.
async fn compare_element(client: &Client, page: &str, o: &Json, t: &Json) -> Seen {
    let id = t[0][ELEMENT_KEY]
        .as_str()
        .unwrap_or_else(|| panic!("{page}: no element reference in {t}"))
        .to_string();
    let ask = |what| Computed {
        element: id.clone(),
        what,
    };
    // An unanswered question fails the test: an error text would pass as a
    // structural role.
    let html = t[2].as_str().unwrap_or("");
    let text = |r: Result<Json, fantoccini::error::CmdError>| match r {
        Ok(Json::String(s)) => s,
        Ok(other) => other.to_string(),
        Err(e) => panic!("{page}: Chromium gave no answer for {html}: {e}"),
    };
    let role = text(client.issue_cmd(ask("computedrole")).await);
    let ours_role = o["role"].as_str().unwrap_or("");
    // Names are compared only where a role the resolver uses is involved
    // (see `judge`): the label is not asked for the others, which halves
    // the round trips.
    let name = if is_relevant(ours_role) || is_relevant(&role) {
        text(client.issue_cmd(ask("computedlabel")).await)
    } else {
        String::new()
    };
    Seen {
        page: page.to_string(),
        tag: t[1].as_str().unwrap_or("").to_string(),
        html: html.to_string(),
        hidden: t[3].as_bool().unwrap_or(false),
        text_transform: t[4].as_bool().unwrap_or(false),
        generated: t[5].as_bool().unwrap_or(false),
        tooltips: norm(t[6].as_str().unwrap_or("")),
        ours_role: ours_role.to_string(),
        ours_name: norm(o["name"].as_str().unwrap_or("")),
        chrome_role: role,
        chrome_name: norm(&name),
    }
}

fn is_relevant(role: &str) -> bool {
    RELEVANT.contains(&canonical_role(role))
}

/// The verdict on one element.
#[derive(Debug, PartialEq)]
enum Verdict {
    Agree,
    Deviation(&'static str),
    Mismatch,
}

fn judge(s: &Seen) -> Verdict {
    let (a, b) = (canonical_role(&s.ours_role), canonical_role(&s.chrome_role));
    let relevant = RELEVANT.contains(&a) || RELEVANT.contains(&b);
    let agree = if relevant {
        a == b && s.ours_name == s.chrome_name
    } else {
        a == b
    };
    if agree {
        return Verdict::Agree;
    }
    match DEVIATIONS.iter().find(|d| (d.applies)(s)) {
        Some(d) => Verdict::Deviation(d.id),
        None => Verdict::Mismatch,
    }
}

/// Log in to the Django admin through its form.
async fn django_login(client: &Client, base: &str, password: &str) {
    client
        .goto(&format!("{base}/login/"))
        .await
        .expect("the login page");
    let field = |css| async move { client.find(Locator::Css(css)).await.expect(css) };
    field("#id_username")
        .await
        .send_keys("admin")
        .await
        .expect("username");
    field("#id_password")
        .await
        .send_keys(password)
        .await
        .expect("password");
    field("input[type=submit]")
        .await
        .click()
        .await
        .expect("Log in");
    let deadline = tokio::time::Instant::now() + Duration::from_secs(10);
    loop {
        let url = client.current_url().await.expect("url");
        if url.path() == "/admin/" {
            break;
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "the Django login did not reach /admin/ (at {url})"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn issue_10_the_resolver_agrees_with_chromium_on_roles_and_names() {
    require_browser();
    let driver = Driver::start();
    let client = driver.connect().await;
    let mut seen = Vec::new();
    let result = async {
        // Hand-written markup patterns.
        let pages: BTreeMap<String, String> = oracle_pages::PAGES
            .iter()
            .map(|(n, b)| (format!("/{n}"), oracle_pages::page(n, b)))
            .collect();
        let port = serve_pages(move |target| match pages.get(target) {
            Some(p) => Reply::ok(p.clone()),
            None => Reply::status("404 Not Found", "not found"),
        });
        for (name, _) in oracle_pages::PAGES {
            client
                .goto(&format!("http://127.0.0.1:{port}/{name}"))
                .await
                .expect("page");
            compare_page(&client, &format!("patterns/{name}"), &mut seen).await;
        }

        // Every sandbox screen.
        let sb = clickpath::sandbox::start(clickpath::sandbox::SandboxConfig::default())
            .await
            .expect("sandbox starts");
        let root = format!("http://{}", sb.addr());
        for p in clickpath::sandbox::PROVIDERS {
            client
                .goto(&format!("{root}/{p}/login"))
                .await
                .expect("login");
            compare_page(&client, &format!("sandbox/{p}/login"), &mut seen).await;
        }
        for path in SANDBOX_SCREENS {
            client
                .goto(&format!("{root}/__sandbox/login-as?next={path}"))
                .await
                .expect("screen");
            compare_page(&client, &format!("sandbox{path}"), &mut seen).await;
        }

        // The Django admin's pages (a real application).
        let site = django::Site::new();
        let password = django::fresh_secret("oracle admin");
        site.prepare(&password);
        let server = django::Server::start(&site);
        let base = server.base_url();
        compare_page_at(
            &client,
            &format!("{base}/login/"),
            "django/login",
            &mut seen,
        )
        .await;
        django_login(&client, &base, &password).await;
        for (path, name) in DJANGO_PAGES {
            compare_page_at(&client, &format!("{base}{path}"), name, &mut seen).await;
        }
        drop(server);

        // The real-library widgets app (MUI, Shoelace, frames).
        widget_pages::compare_all(&client, &mut seen).await;
    }
    .await;
    client.close().await.ok();
    drop(driver);
    let _: () = result;
    report(&seen);
}

async fn compare_page_at(client: &Client, url: &str, name: &str, seen: &mut Vec<Seen>) {
    client
        .goto(url)
        .await
        .unwrap_or_else(|e| panic!("{url}: {e}"));
    compare_page(client, name, seen).await;
}

/// Signed-in sandbox screens (the ones tests/sandbox_browser.rs checks).
const SANDBOX_SCREENS: &[&str] = &[
    "/xero/dashboard",
    "/xero/settings",
    "/xero/settings/users",
    "/xero/settings/users/invite",
    "/xero/support",
    "/xero/support/contact",
    "/qbo/homepage",
    "/qbo/app/usermgt",
    "/qbo/app/usermgt/add",
    "/myxero/dashboard",
    "/myxero/my",
    "/myxero/my/staff",
    "/myxero/practice",
    "/myxero/practice/settings",
    "/myxero/practice/settings/users",
    "/myxero/support/contact",
];

/// The Django admin pages the runbooks visit (user 1 is the superuser).
const DJANGO_PAGES: &[(&str, &str)] = &[
    ("/", "django/index"),
    ("/auth/user/", "django/user-list"),
    ("/auth/user/add/", "django/user-add"),
    ("/auth/user/1/change/", "django/user-change"),
    ("/auth/user/1/delete/", "django/user-delete"),
    ("/auth/group/add/", "django/group-add"),
];

/// Print the counts and every disagreement; fail on any undocumented one.
fn report(seen: &[Seen]) {
    let mut agree = 0;
    let mut deviations: BTreeMap<&str, usize> = BTreeMap::new();
    let mut mismatches = Vec::new();
    for s in seen {
        match judge(s) {
            Verdict::Agree => agree += 1,
            Verdict::Deviation(id) => *deviations.entry(id).or_default() += 1,
            Verdict::Mismatch => mismatches.push(s),
        }
    }
    let pages: std::collections::BTreeSet<&str> = seen.iter().map(|s| s.page.as_str()).collect();
    println!(
        "resolver oracle: {} pages, {} elements compared, {} agree, {} documented deviations {:?}, {} mismatches",
        pages.len(),
        seen.len(),
        agree,
        deviations.values().sum::<usize>(),
        deviations,
        mismatches.len()
    );
    // The same counts for each source of pages (patterns, sandbox, django,
    // widgets).
    let mut groups: BTreeMap<&str, [usize; 4]> = BTreeMap::new();
    for s in seen {
        let g = groups
            .entry(s.page.split('/').next().unwrap_or(""))
            .or_default();
        g[0] += 1;
        match judge(s) {
            Verdict::Agree => g[1] += 1,
            Verdict::Deviation(_) => g[2] += 1,
            Verdict::Mismatch => g[3] += 1,
        }
    }
    for (group, [n, a, d, m]) in &groups {
        let pages = pages.iter().filter(|p| p.split('/').next() == Some(group));
        println!(
            "  {group}: {} pages, {n} elements, {a} agree, {d} deviations, {m} mismatches",
            pages.count()
        );
    }
    let lines: Vec<String> = mismatches
        .iter()
        .map(|s| {
            format!(
                "{}: <{}> {}\n    resolver: {} {:?}\n    chromium: {} {:?}",
                s.page, s.tag, s.html, s.ours_role, s.ours_name, s.chrome_role, s.chrome_name
            )
        })
        .collect();
    assert!(
        mismatches.is_empty(),
        "{} undocumented mismatches between the resolver and Chromium:\n{}",
        mismatches.len(),
        lines.join("\n")
    );
}
