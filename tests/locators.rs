//! Documentation words on real-world markup (issue 10, parts 1, 2, 4 and 5):
//! Django-like labels with colons and required marks, typographic
//! apostrophes, CSS-uppercased links, sr-only text, images by alt text,
//! role-free `control:`, open shadow roots two deep, table-caption and
//! fieldset-legend scopes, and the diagnoses a failed locator gets (a real
//! rename, a missing scope, a closed menu, a page error, a placeholder, a
//! styled checkbox's stand-in).
//!
//! Everything runs through the real `clickpath` binary and headless Chromium
//! against pages served on 127.0.0.1 ([`binary::serve_pages`]): one run of
//! the runbooks that must pass, one run of the runbooks that must fail.
//!
//! See: issue 10, "Real web apps, not only our replicas".

use std::path::Path;

mod binary;
mod common;

use binary::{manifest, require_browser, serve_pages, Clickpath, Reply};
use clickpath::locate::DriftClass;
use clickpath::outcome::{RunOutcome, StepRecord, StepStatus};

fn page(title: &str, body: &str) -> String {
    format!(
        "<!doctype html><html><head><meta charset=utf-8><title>{title}</title><style>\
         .sr-only{{position:absolute;width:1px;height:1px;padding:0;margin:-1px;\
         overflow:hidden;clip:rect(0,0,0,0);white-space:nowrap;border:0}}\
         .btn{{display:inline-block;padding:6px 12px;background:#246;color:#fff}}\
         </style></head><body>{body}</body></html>"
    )
}

/// A Django-admin-like form: colons, required marks, `I’m`, a CSS-uppercased
/// link, an sr-only suffix, a boolean icon by alt text, a link styled as a
/// button.
const WORDS: &str = r#"<h1>Add user</h1>
<form onsubmit="return false">
<p><label for="u" class="required">Username:</label> <input id="u" name="username"></p>
<p><label for="f">First Name*</label> <input id="f"></p>
<p><label for="e">Email address (required)</label> <input id="e" type="email"></p>
</form>
<p>I’m ready to “add” a user – now</p>
<p><a href="/words?again" style="text-transform:uppercase">Add user</a></p>
<p><a href="/edit">Edit<span class="sr-only"> user Jane</span></a></p>
<table><tr><td>jane</td><td><img src="data:image/gif;base64,R0lGODlhAQABAAAAACw=" alt="True"></td></tr></table>
<p><a href="/added" class="btn">Add a user</a></p>"#;

/// Web components: a button and a labelled field two shadow roots deep.
const SHADOW: &str = r#"<h1>Profile</h1><x-outer></x-outer><p id="out"></p>
<script>
customElements.define("x-inner", class extends HTMLElement {
  constructor() {
    super();
    const r = this.attachShadow({mode: "open"});
    r.innerHTML = '<label for="n">Nickname</label> <input id="n"> <button id="b">Save settings</button>';
    r.getElementById("b").addEventListener("click", () => {
      document.getElementById("out").textContent = "Saved " + r.getElementById("n").value;
    });
  }
});
customElements.define("x-outer", class extends HTMLElement {
  constructor() { super(); this.attachShadow({mode: "open"}).innerHTML = "<div><x-inner></x-inner></div>"; }
});
customElements.define("x-button", class extends HTMLElement {
  constructor() {
    super();
    const r = this.attachShadow({mode: "open"});
    r.innerHTML = '<button part="base" style="font-size:20px;padding:8px"><slot></slot></button>';
    r.querySelector("button").addEventListener("click", () => {
      document.getElementById("out").textContent = "Published";
    });
  }
});
</script><x-button>Publish</x-button>"#;

/// Sections as users name them: a table by its caption, a fieldset by its
/// legend, both holding an "Active" checkbox.
const SCOPES: &str = r#"<h1>Change user</h1>
<table><caption>Permissions</caption>
<tr><th scope="col">Name</th><th scope="col">Active</th></tr>
<tr><td>Admin</td><td><input type="checkbox" aria-label="Active"></td></tr></table>
<fieldset><legend>Personal info</legend><label><input type="checkbox"> Active</label></fieldset>
<section><h2>Authentication and Authorization</h2><label><input type="checkbox"> Active</label></section>
<div role="group" aria-label="Notifications"><label><input type="checkbox"> Active</label></div>"#;

/// Pages the failing runbooks meet.
const RENAMED: &str =
    r#"<h1>Users</h1><main><button>Invite user</button> <button>Export</button></main>"#;
const MENU: &str = r#"<h1>Users</h1><main><table><tr><td>jane</td><td>
<button aria-haspopup="menu" aria-expanded="false" aria-controls="m">Actions</button></td></tr></table>
</main><div role="alert" class="MuiAlert-root MuiAlert-colorSuccess">Announcement posted</div>"#;
const ERROR: &str = r#"<h1>Add user</h1><p class="errornote">Please correct the error below.</p>
<ul class="errorlist"><li>A user with that username already exists.</li></ul>
<form><label for="u">Username:</label><input id="u" aria-invalid="true" value="jane">
<button>Save</button></form>"#;
const PLACEHOLDER: &str =
    r#"<h1>Users</h1><input type="search" placeholder="Search users"> <button>Go</button>"#;
const STYLED: &str = r#"<h1>Roles</h1><style>.cb{position:relative;display:inline-block;width:20px;height:20px}
.cb input{position:absolute;left:0;top:0;margin:0;width:20px;height:20px;opacity:0}
.cb span{position:absolute;left:0;top:0;width:20px;height:20px;border:1px solid #333}</style>
<p><span class="cb"><input type="checkbox" id="oa" aria-label="Org admin*"><span class="box"></span></span>
<span>Org Admin</span></p>"#;

fn site() -> u16 {
    serve_pages(|target| {
        let path = target.split('?').next().unwrap_or(target);
        let body = match path {
            "/words" => page("Add user", WORDS),
            "/added" => page("Added", "<h1>User added</h1>"),
            "/shadow" => page("Profile", SHADOW),
            "/scopes" => page("Change user", SCOPES),
            "/renamed" => page("Users", RENAMED),
            "/menu" => page("Users", MENU),
            "/error" => page("Add user", ERROR),
            "/placeholder" => page("Users", PLACEHOLDER),
            "/styled" => page("Roles", STYLED),
            _ => return Reply::status("404 Not Found", page("Not found", "<h1>Not found</h1>")),
        };
        Reply::ok(body)
    })
}

fn write_runbook(dir: &Path, flow: &str, steps: &str) {
    std::fs::write(
        dir.join(format!("{flow}.yaml")),
        format!("name: {flow}\nprovider: site\nbase_url: http://127.0.0.1:1\nsteps:\n{steps}"),
    )
    .expect("write runbook");
}

/// The step of `m` whose doc is `doc`.
fn step<'a>(m: &'a RunOutcome, doc: &str) -> &'a StepRecord {
    m.steps
        .iter()
        .find(|s| s.doc == doc)
        .unwrap_or_else(|| panic!("no step {doc:?} in {:#?}", m.steps))
}

const PASSING: &str = r#"  - doc: Open the **Add user** page
    goto: /words
  - doc: Enter the **Username**
    fill: {label: Username, value: jane}
  - doc: Enter the **First name**
    fill: {label: First name, value: Jane}
  - doc: Enter the **Email address**
    fill: {label: Email address, value: jane@example.com}
  - doc: The page says I'm ready to "add" a user - now
    expect: {text: I'm ready to "add" a user - now}
  - doc: The **Edit** link shows
    expect: {text: Edit}
  - doc: Screen-reader-only words are not visible text
    expect: {absent: {text: Edit user Jane}}
  - doc: Jane is active (a green tick)
    expect: {image: "True", within: {row: jane}}
  - doc: The **ADD USER** link, as the screen shows it
    expect: {link: ADD USER}
  - doc: The **Add user** link, as the DOM writes it
    expect: {link: Add user}
  - doc: Click **Add a user**
    click: {control: Add a user}
  - doc: The user is added
    expect: {heading: User added}
  - doc: Open the profile
    goto: /shadow
  - doc: Enter a **Nickname**
    fill: {label: Nickname, value: Jo}
  - doc: Click **Save settings**
    click: {button: Save settings}
  - doc: The profile is saved
    expect: {text: Saved Jo}
  - doc: Click **Publish** (a web component's slotted label)
    click: {button: Publish}
  - doc: The profile is published
    expect: {text: Published}
  - doc: Open the user's permissions
    goto: /scopes
  - doc: Under **Permissions**, tick **Active**
    check: {checkbox: Active, within: {region: Permissions}}
  - doc: Under **Personal info**, tick **Active**
    check: {checkbox: Active, within: {region: Personal info}}
  - doc: Under **Authentication and Authorization**, tick **Active**
    check: {checkbox: Active, within: {region: Authentication and Authorization}}
  - doc: Under **Notifications**, tick **Active**
    check: {checkbox: Active, within: {region: Notifications}}
  - doc: The permissions table has an **Active** column
    expect: {columnheader: Active, within: {region: Permissions}}
  - doc: Admin is listed
    expect: {cell: Admin}
"#;

/// Issue 10: documentation words find real-world markup, shadow DOM
/// included, and the manifest records the page's own words.
#[test]
fn issue_10_documentation_words_find_real_world_markup() {
    require_browser();
    let port = site();
    let dir = tempfile::tempdir().expect("temp dir");
    write_runbook(dir.path(), "words", PASSING);
    let out = Clickpath::new()
        .args(["run", "--timeout", "5s", "--base-url"])
        .arg(format!("http://127.0.0.1:{port}"))
        .out(&dir.path().join("shots"), "r")
        .arg(dir.path().join("words.yaml"))
        .run();
    let m = manifest(&dir.path().join("shots/r/site/words"));
    assert_eq!(
        out.status.code(),
        Some(0),
        "every step passes:\n{}\n{:#?}",
        binary::stderr(&out),
        m.steps
            .iter()
            .filter(|s| s.status != StepStatus::Passed)
            .collect::<Vec<_>>()
    );
    let matched = |doc: &str| {
        step(&m, doc)
            .element
            .as_ref()
            .and_then(|e| e.matched.clone())
            .unwrap_or_default()
    };
    assert_eq!(matched("Enter the **Username**"), "Username:");
    assert_eq!(matched("Enter the **First name**"), "First Name*");
    assert_eq!(
        matched("Enter the **Email address**"),
        "Email address (required)"
    );
    assert_eq!(
        matched("The page says I'm ready to \"add\" a user - now"),
        "I’m ready to “add” a user – now"
    );
    assert_eq!(
        matched("The **ADD USER** link, as the screen shows it"),
        "Add user"
    );
    assert_eq!(matched("Click **Add a user**"), "Add a user");
    let shadow = step(&m, "Click **Save settings**");
    assert_eq!(
        shadow.element.as_ref().map(|e| e.role.as_str()),
        Some("button")
    );
}

const FAILING: &[(&str, &str)] = &[
    (
        "renamed",
        "  - doc: Open users\n    goto: /renamed\n  - doc: Click **Invite a user**\n    click: {button: Invite a user}\n",
    ),
    (
        "shadow",
        "  - doc: Open the profile\n    goto: /shadow\n  - doc: Click **Save all settings**\n    click: {button: Save all settings}\n",
    ),
    (
        "scope",
        "  - doc: Open permissions\n    goto: /scopes\n  - doc: Under **Authentication**, tick **Active**\n    check: {checkbox: Active, within: {region: Authentication}}\n",
    ),
    (
        "menu",
        "  - doc: Open users\n    goto: /menu\n  - doc: Choose **Delete user**\n    click: {menuitem: Delete user}\n",
    ),
    (
        "error",
        "  - doc: Open the form\n    goto: /error\n  - doc: The user is added\n    expect: {text: The user was added successfully}\n",
    ),
    (
        "placeholder",
        "  - doc: Open users\n    goto: /placeholder\n  - doc: Search for jane\n    fill: {label: Search users, value: jane}\n",
    ),
    (
        "styled",
        "  - doc: Open roles\n    goto: /styled\n  - doc: Click **Org Admin**\n    click: {checkbox: Org Admin}\n",
    ),
];

/// Issue 10: what a failed locator is told on real-world markup.
#[test]
fn issue_10_failures_say_what_the_page_has_instead() {
    require_browser();
    let port = site();
    let dir = tempfile::tempdir().expect("temp dir");
    for (flow, steps) in FAILING {
        write_runbook(dir.path(), flow, steps);
    }
    let out = Clickpath::new()
        .args(["run", "--timeout", "2s", "--base-url"])
        .arg(format!("http://127.0.0.1:{port}"))
        .out(&dir.path().join("shots"), "r")
        .args(
            FAILING
                .iter()
                .map(|(f, _)| dir.path().join(format!("{f}.yaml"))),
        )
        .run();
    let stderr = binary::stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    let failure = |flow: &str| {
        let m = manifest(&dir.path().join(format!("shots/r/site/{flow}")));
        let s = m.failed_step().unwrap_or_else(|| panic!("{flow} failed"));
        assert_eq!(s.number, 2, "{flow}: the second step fails");
        s.failure
            .clone()
            .unwrap_or_else(|| panic!("{flow}: failure"))
    };
    let diagnosis = |flow: &str| {
        failure(flow)
            .diagnosis
            .unwrap_or_else(|| panic!("{flow}: diagnosis"))
    };

    // A real change of words still fails, as a rename with the right first suggestion.
    let d = diagnosis("renamed");
    assert_eq!(d.class, DriftClass::Renamed);
    assert_eq!(d.suggestion.map(|c| c.name).as_deref(), Some("Invite user"));

    // A renamed button two shadow roots deep is renamed, never `wrong_page`.
    let d = diagnosis("shadow");
    assert_eq!(d.class, DriftClass::Renamed, "{}", d.summary);
    assert_eq!(
        d.suggestion.map(|c| c.name).as_deref(),
        Some("Save settings")
    );

    // A missing scope lists the scopes there are.
    let f = failure("scope");
    assert!(
        f.message
            .contains("the page has table \"Permissions\", group \"Personal info\""),
        "{}",
        f.message
    );
    let d = f.diagnosis.expect("scope diagnosis");
    assert!(
        d.summary.contains("group \"Personal info\""),
        "{}",
        d.summary
    );

    // Nothing matches: the closed menus are named.
    let d = diagnosis("menu");
    assert!(
        d.summary
            .contains("it may be inside a closed menu or dropdown, which holds its items only while open: button \"Actions\""),
        "{}",
        d.summary
    );
    // A success toast (MUI's Alert has role=alert whatever its severity) is
    // not an error of the page.
    assert!(!d.summary.contains("Announcement posted"), "{}", d.summary);

    // A page error is quoted instead of guessing a rename.
    let d = diagnosis("error");
    assert_eq!(d.class, DriftClass::WrongPage, "{}", d.summary);
    assert!(
        d.summary
            .contains("\"A user with that username already exists.\""),
        "{}",
        d.summary
    );

    // The field has these words only as its placeholder.
    let d = diagnosis("placeholder");
    assert_eq!(d.class, DriftClass::Renamed, "{}", d.summary);
    assert!(
        d.summary.ends_with("use `placeholder: Search users`"),
        "{}",
        d.summary
    );

    // A styled checkbox: the covering box is named, and what to click instead.
    let f = failure("styled");
    assert_eq!(f.kind.name(), "covered", "{}", f.message);
    assert!(
        f.message.contains("span.box") && f.message.contains("stands in for it"),
        "{}",
        f.message
    );
    // Matched by normalised words, it still fails: the message says the words are not why.
    assert!(
        f.message.contains(
            "(its words \"Org admin*\" differ from \"Org Admin\" only in punctuation or case"
        ),
        "{}",
        f.message
    );
}

/// The page the describe purpose is checked on.
const DESCRIBE: &str = r#"<h1>Users</h1>
<table><caption>Permissions</caption>
<thead><tr><th>Email</th><th>Active</th></tr></thead>
<tbody><tr><th scope="row">Jane</th><td>yes</td></tr><tr><th>Bob</th><td>no</td></tr></tbody></table>
<fieldset><legend>Personal info</legend>
<label for="e">Email address (required)</label><input id="e" type="email">
<label for="t">Phone</label><input id="t" type="tel" list="codes"><datalist id="codes"></datalist>
</fieldset>
<img src="data:image/gif;base64,R0lGODlhAQABAAAAACw=" alt="True">
<svg role="img" aria-label="Warning" width="8" height="8"></svg>
<table><tr><td><div role="combobox" aria-label="Role" tabindex="0">Admin</div></td>
<td><select aria-label="Plan"><option>Free</option><option selected>Pro</option></select></td>
<td><input aria-label="Seats" value="5"></td></tr></table>"#;

/// Issue 10: the resolver's `describe` purpose gives every element's role and
/// name, in `querySelectorAll("*")` order (for the oracle test), with the
/// HTML-AAM roles real pages need and accname's embedded-control rule.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn issue_10_describe_gives_every_elements_role_and_name() {
    let port = serve_pages(|_| Reply::ok(page("Users", DESCRIBE)));
    common::with_browser(move |browser, _| async move {
        browser
            .goto(&format!("http://127.0.0.1:{port}/"))
            .await
            .unwrap_or_else(|e| panic!("goto: {e}"));
        let all = clickpath::locate::describe(&*browser)
            .await
            .unwrap_or_else(|e| panic!("describe: {e}"));
        let count = browser
            .execute("return document.querySelectorAll('*').length", vec![])
            .await
            .unwrap_or_else(|e| panic!("count: {e}"));
        assert_eq!(Some(all.len() as u64), count.as_u64());
        for (role, name) in [
            ("columnheader", "Email"),
            ("rowheader", "Jane"),
            ("rowheader", "Bob"),
            ("table", "Permissions"),
            ("group", "Personal info"),
            ("textbox", "Email address (required)"),
            ("combobox", "Phone"),
            ("img", "True"),
            ("img", "Warning"),
            ("heading", "Users"),
            // An embedded control gives a name from content its value
            // (accname, as Chromium computes it), and keeps its own label.
            ("cell", "Admin"),
            ("cell", "Pro"),
            ("cell", "5"),
            ("combobox", "Role"),
            ("combobox", "Plan"),
            ("textbox", "Seats"),
        ] {
            assert!(
                all.iter().any(|d| d.role == role && d.name == name),
                "{role} {name:?} in {all:#?}"
            );
        }
    })
    .await;
}
