//! Integration tests of the sandbox over real HTTP: every documented flow is
//! driven with form posts like a browser would send them, and the server state
//! (`GET /__sandbox/state`) is asserted before and after.
//!
//! The HTTP client is a few lines of HTTP/1.1 over `tokio::net::TcpStream`
//! (`Connection: close`, no redirects followed) so that status codes, `Location`
//! and `Set-Cookie` are visible exactly as the server sent them.

use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::time::Duration;

mod binary;

use binary::{require_browser, Clickpath};
use clickpath::sandbox::{self, Sandbox, SandboxConfig, SandboxError};
use serde_json::Value;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;
use totp_rs::{Algorithm, Secret, TOTP};

struct Resp {
    status: u16,
    headers: Vec<(String, String)>,
    body: String,
}

impl Resp {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    fn location(&self) -> &str {
        self.header("location").unwrap_or("")
    }

    fn json(&self) -> Value {
        serde_json::from_str(&self.body).unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.body))
    }

    #[track_caller]
    fn assert_redirect(&self, to: &str) {
        assert_eq!(
            (self.status, self.location()),
            (303, to),
            "body: {}",
            self.body
        );
    }

    #[track_caller]
    fn assert_error_page(&self, status: u16) {
        assert_eq!(self.status, status, "body: {}", self.body);
        assert!(
            self.body.contains("Something went wrong")
                || self.body.contains("Something&#39;s not quite right"),
            "not a vendor error page: {}",
            self.body
        );
    }
}

fn form_encode(fields: &[(&str, &str)]) -> String {
    let enc = |s: &str| {
        let mut out = String::new();
        for b in s.bytes() {
            match b {
                b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' => {
                    out.push(b as char)
                }
                b' ' => out.push('+'),
                _ => out.push_str(&format!("%{b:02X}")),
            }
        }
        out
    };
    fields
        .iter()
        .map(|(k, v)| format!("{}={}", enc(k), enc(v)))
        .collect::<Vec<_>>()
        .join("&")
}

/// A cookie-keeping HTTP/1.1 client for one sandbox.
struct Client {
    addr: SocketAddr,
    cookies: Vec<(String, String)>,
}

impl Client {
    fn new(sb: &Sandbox) -> Self {
        Client {
            addr: sb.addr(),
            cookies: Vec::new(),
        }
    }

    fn origin(&self) -> String {
        format!("http://{}", self.addr)
    }

    async fn send(
        &mut self,
        method: &str,
        path: &str,
        extra: &[(&str, String)],
        body: Option<String>,
    ) -> Resp {
        // A test may send its own Host (a foreign name); else the address.
        let mut req = format!("{method} {path} HTTP/1.1\r\nConnection: close\r\n");
        if !extra.iter().any(|(k, _)| k.eq_ignore_ascii_case("host")) {
            req.push_str(&format!("Host: {}\r\n", self.addr));
        }
        if !self.cookies.is_empty() {
            let jar: Vec<String> = self
                .cookies
                .iter()
                .map(|(k, v)| format!("{k}={v}"))
                .collect();
            req.push_str(&format!("Cookie: {}\r\n", jar.join("; ")));
        }
        for (k, v) in extra {
            req.push_str(&format!("{k}: {v}\r\n"));
        }
        let body = body.unwrap_or_default();
        req.push_str(&format!("Content-Length: {}\r\n\r\n{body}", body.len()));
        let io = async {
            let mut stream = TcpStream::connect(self.addr).await?;
            stream.write_all(req.as_bytes()).await?;
            let mut raw = Vec::new();
            stream.read_to_end(&mut raw).await?;
            Ok::<_, std::io::Error>(raw)
        };
        let raw = tokio::time::timeout(Duration::from_secs(10), io)
            .await
            .unwrap_or_else(|_| panic!("{method} {path}: no answer within 10 s"))
            .unwrap_or_else(|e| panic!("{method} {path}: {e}"));
        let text = String::from_utf8_lossy(&raw).into_owned();
        let (head, body) = text.split_once("\r\n\r\n").unwrap_or((&text, ""));
        let mut lines = head.split("\r\n");
        let status = lines
            .next()
            .and_then(|l| l.split(' ').nth(1))
            .and_then(|s| s.parse().ok())
            .unwrap_or_else(|| panic!("bad status line in: {head}"));
        let headers: Vec<(String, String)> = lines
            .filter_map(|l| l.split_once(':'))
            .map(|(k, v)| (k.trim().to_string(), v.trim().to_string()))
            .collect();
        let chunked = headers
            .iter()
            .any(|(k, v)| k.eq_ignore_ascii_case("transfer-encoding") && v.contains("chunked"));
        let body = if chunked {
            dechunk(body)
        } else {
            body.to_string()
        };
        for (k, v) in &headers {
            if k.eq_ignore_ascii_case("set-cookie") {
                if let Some((name, value)) = v.split(';').next().and_then(|c| c.split_once('=')) {
                    self.cookies.retain(|(n, _)| n != name);
                    self.cookies.push((name.to_string(), value.to_string()));
                }
            }
        }
        Resp {
            status,
            headers,
            body,
        }
    }

    async fn get(&mut self, path: &str) -> Resp {
        self.send("GET", path, &[], None).await
    }

    /// A same-origin form POST, as a browser sends it.
    async fn post(&mut self, path: &str, fields: &[(&str, &str)]) -> Resp {
        let origin = self.origin();
        self.post_from(path, fields, Some(origin)).await
    }

    /// A form POST with the given `Origin` (or none at all).
    async fn post_from(
        &mut self,
        path: &str,
        fields: &[(&str, &str)],
        origin: Option<String>,
    ) -> Resp {
        let mut extra = vec![(
            "Content-Type",
            "application/x-www-form-urlencoded".to_string(),
        )];
        if let Some(o) = origin {
            extra.push(("Origin", o));
        }
        self.send("POST", path, &extra, Some(form_encode(fields)))
            .await
    }

    async fn state(&mut self) -> Value {
        let r = self.get("/__sandbox/state").await;
        assert_eq!(r.status, 200);
        r.json()
    }
}

fn dechunk(body: &str) -> String {
    let mut out = String::new();
    let mut rest = body;
    while let Some((size, tail)) = rest.split_once("\r\n") {
        let n = usize::from_str_radix(size.trim(), 16).unwrap_or(0);
        if n == 0 || tail.len() < n {
            break;
        }
        out.push_str(&tail[..n]);
        rest = tail[n..].trim_start_matches("\r\n");
    }
    out
}

fn totp() -> TOTP {
    let secret = Secret::Encoded(sandbox::DEFAULT_TOTP_SEED.to_string())
        .to_bytes()
        .expect("the default seed is valid base32");
    TOTP::new(Algorithm::SHA1, 6, 1, 30, secret).expect("the default seed is long enough")
}

fn current_code() -> String {
    totp().generate_current().expect("system clock after 1970")
}

/// A six-digit code that is none of the accepted (previous, current, next) ones.
fn wrong_code() -> String {
    let t = totp();
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .expect("system clock after 1970")
        .as_secs();
    let valid: Vec<String> = [now - 30, now, now + 30, now + 60]
        .iter()
        .map(|s| t.generate(*s))
        .collect();
    (0..10)
        .map(|d| d.to_string().repeat(6))
        .find(|c| !valid.contains(c))
        .expect("ten candidates cannot all be valid")
}

async fn start() -> Sandbox {
    sandbox::start(SandboxConfig::default())
        .await
        .expect("sandbox starts on 127.0.0.1:0")
}

async fn start_variant(name: &str) -> Sandbox {
    sandbox::start(SandboxConfig {
        variant: Some(name.to_string()),
        ..SandboxConfig::default()
    })
    .await
    .expect("known variant starts")
}

/// Sign in to `provider` through the documented pages.
async fn login(c: &mut Client, p: &str) {
    c.get(&format!("/{p}/"))
        .await
        .assert_redirect(&format!("/{p}/login"));
    c.post(
        &format!("/{p}/login"),
        &[
            ("email", sandbox::SANDBOX_EMAIL),
            ("password", sandbox::SANDBOX_PASSWORD),
        ],
    )
    .await
    .assert_redirect(&format!("/{p}/login/mfa"));
    let landing = match p {
        "xero" => "/xero/dashboard",
        "qbo" => "/qbo/homepage",
        _ => "/myxero/dashboard",
    };
    c.post(&format!("/{p}/login/mfa"), &[("code", &current_code())])
        .await
        .assert_redirect(landing);
}

fn xero_emails(state: &Value) -> Vec<String> {
    state["xero"]["users"]
        .as_array()
        .expect("xero.users is an array")
        .iter()
        .filter_map(|u| u["email"].as_str().map(str::to_string))
        .collect()
}

fn find_user<'a>(state: &'a Value, provider: &str, email: &str) -> Option<&'a Value> {
    state[provider]["users"]
        .as_array()
        .and_then(|a| a.iter().find(|u| u["email"] == email))
}

#[tokio::test]
async fn sign_in_rejects_wrong_password_and_wrong_code_then_lands_on_dashboard() {
    let sb = start().await;
    let mut c = Client::new(&sb);
    c.get("/xero/settings/users")
        .await
        .assert_redirect("/xero/login");
    let page = c.get("/xero/login").await;
    assert!(page.body.contains("Log in to Xero"));
    assert!(page.body.contains("<label for=\"email\">Email</label>"));

    let wrong = c
        .post(
            "/xero/login",
            &[("email", sandbox::SANDBOX_EMAIL), ("password", "nope")],
        )
        .await;
    assert_eq!(wrong.status, 200);
    assert!(wrong.body.contains("Your email or password is incorrect"));
    assert!(c.cookies.is_empty(), "no session after a wrong password");

    c.post(
        "/xero/login",
        &[
            ("email", sandbox::SANDBOX_EMAIL),
            ("password", sandbox::SANDBOX_PASSWORD),
        ],
    )
    .await
    .assert_redirect("/xero/login/mfa");
    // Half signed in: pages still redirect to sign-in.
    c.get("/xero/dashboard")
        .await
        .assert_redirect("/xero/login");
    let mfa = c.get("/xero/login/mfa").await;
    assert!(
        mfa.body.contains("Two-step authentication") && mfa.body.contains("Authentication code")
    );
    let bad = c.post("/xero/login/mfa", &[("code", &wrong_code())]).await;
    assert_eq!(bad.status, 200);
    assert!(
        bad.body.contains("That code didn&#39;t work. Try again."),
        "{}",
        bad.body
    );
    c.get("/xero/dashboard")
        .await
        .assert_redirect("/xero/login");

    c.post("/xero/login/mfa", &[("code", &current_code())])
        .await
        .assert_redirect("/xero/dashboard");
    let dash = c.get("/xero/dashboard").await;
    assert_eq!(dash.status, 200);
    assert!(dash.body.contains("<h1>Dashboard</h1>"));
    // A xero session does not open qbo.
    c.get("/qbo/homepage").await.assert_redirect("/qbo/login");
    let qbo = c.get("/qbo/login").await;
    assert!(qbo.body.contains("Sign in to QuickBooks"));
    sb.shutdown().await;
}

#[tokio::test]
async fn xero_invite_then_list_shows_user_then_remove_makes_it_gone() {
    let sb = start().await;
    let mut c = Client::new(&sb);
    login(&mut c, "xero").await;
    let before = c.state().await;
    assert!(!xero_emails(&before).contains(&"dp-acme@drivetrain.ai".to_string()));

    let form = c.get("/xero/settings/users/invite").await;
    for label in [
        "First name",
        "Last name",
        "Email",
        "Projects",
        "Business and Accounting",
        "Org Admin",
    ] {
        assert!(
            form.body.contains(&format!("\">{label}</label>")),
            "missing label {label}"
        );
    }
    c.post(
        "/xero/settings/users/invite",
        &[
            ("first_name", "Drivetrain"),
            ("last_name", "AI"),
            ("email", "dp-acme@drivetrain.ai"),
            ("projects", "Admin"),
            ("business_and_accounting", "Advisor"),
            ("org_admin", "on"),
        ],
    )
    .await
    .assert_redirect("/xero/settings/users");

    let after = c.state().await;
    let u = find_user(&after, "xero", "dp-acme@drivetrain.ai").expect("invited user in state");
    assert_eq!(u["first_name"], "Drivetrain");
    assert_eq!(u["last_name"], "AI");
    assert_eq!(u["projects"], "Admin");
    assert_eq!(u["business_and_accounting"], "Advisor");
    assert_eq!(u["org_admin"], true);
    assert_eq!(u["status"], "Invite pending");
    let id = u["id"].as_str().expect("id").to_string();

    let list = c.get("/xero/settings/users").await;
    assert!(list.body.contains("Invite sent to dp-acme@drivetrain.ai"));
    assert!(
        !list.body.contains("Drivetrain AI"),
        "the table is rendered client-side, not in the HTML"
    );
    let again = c.get("/xero/settings/users").await;
    assert!(
        !again.body.contains("Invite sent to"),
        "the notice is shown once"
    );
    let api = c.get("/xero/api/users").await.json();
    assert!(api
        .as_array()
        .expect("array")
        .iter()
        .any(|u| u["name"] == "Drivetrain AI" && u["status"] == "Invite pending"));

    let page = c.get(&format!("/xero/settings/users/{id}")).await;
    assert!(page.body.contains("<h1>Drivetrain AI</h1>"));
    assert!(page.body.contains(">Remove user</button>"));
    assert!(page.body.contains("Remove Drivetrain AI?"));
    assert!(page.body.contains("role=\"dialog\" aria-modal=\"true\""));

    c.post(&format!("/xero/settings/users/{id}/remove"), &[])
        .await
        .assert_redirect("/xero/settings/users");
    let gone = c.state().await;
    assert!(find_user(&gone, "xero", "dp-acme@drivetrain.ai").is_none());
    assert_eq!(xero_emails(&gone), xero_emails(&before));
    assert!(c
        .get("/xero/settings/users")
        .await
        .body
        .contains("Drivetrain AI was removed"));
    sb.shutdown().await;
}

#[tokio::test]
async fn xero_add_support_then_contact_support() {
    let sb = start().await;
    let mut c = Client::new(&sb);
    login(&mut c, "xero").await;
    let before = c.state().await;
    assert_eq!(before["xero"]["xero_support"], false);
    let users = c.get("/xero/settings/users").await;
    assert!(users.body.contains(">Add Xero support</button>"));
    assert!(users.body.contains(">Contact Xero support</a>"));

    c.post("/xero/settings/users/support", &[])
        .await
        .assert_redirect("/xero/settings/users");
    let after = c.state().await;
    assert_eq!(after["xero"]["xero_support"], true);
    let s = find_user(&after, "xero", "support@xero.com").expect("Xero Support user");
    assert_eq!(s["business_and_accounting"], "Adviser");
    assert_eq!(
        (s["first_name"].as_str(), s["last_name"].as_str()),
        (Some("Xero"), Some("Support"))
    );
    let list = c.get("/xero/settings/users").await;
    assert!(list.body.contains("Xero support was added"));
    assert!(
        !list.body.contains(">Add Xero support</button>"),
        "button gone once added"
    );
    c.post("/xero/settings/users/support", &[])
        .await
        .assert_error_page(409);

    let central = c.get("/xero/support").await;
    assert!(central.body.contains("<h1>Xero Central</h1>"));
    let last_link = central
        .body
        .rfind("Contact Xero support</a>")
        .expect("link at the bottom");
    assert!(
        last_link > central.body.len() / 2,
        "the contact link is at the bottom of the page"
    );
    assert_eq!(
        before["xero"]["support_requests"].as_array().map(Vec::len),
        Some(0)
    );
    c.post(
        "/xero/support/contact",
        &[
            ("subject", "Invited Xero support"),
            ("details", "We added Xero support to Demo Company (UK)."),
        ],
    )
    .await
    .assert_redirect("/xero/support/contact/sent");
    assert!(c
        .get("/xero/support/contact/sent")
        .await
        .body
        .contains("<h1>Request sent</h1>"));
    let sent = c.state().await;
    assert_eq!(
        sent["xero"]["support_requests"][0]["subject"],
        "Invited Xero support"
    );

    // Removing the Xero Support user clears the flag.
    c.post("/xero/settings/users/xero-support/remove", &[])
        .await
        .assert_redirect("/xero/settings/users");
    assert_eq!(c.state().await["xero"]["xero_support"], false);
    sb.shutdown().await;
}

#[tokio::test]
async fn qbo_add_user_needs_the_code_then_delete_removes_it() {
    let sb = start().await;
    let mut c = Client::new(&sb);
    login(&mut c, "qbo").await;
    let home = c.get("/qbo/homepage").await;
    assert!(home.body.contains("aria-label=\"Settings\""));
    assert!(home.body.contains(">Manage Users</a>"));
    let before = c.state().await;
    let n_before = before["qbo"]["users"].as_array().map(Vec::len);

    let form = c.get("/qbo/app/usermgt/add").await;
    assert!(form.body.contains("<h1>Add a new user</h1>"));
    assert!(
        form.body.contains("role=\"combobox\"")
            && form.body.contains("\">Admin</li>")
            && form.body.contains("\">Reports only</li>")
    );
    c.post(
        "/qbo/app/usermgt/add",
        &[
            ("user_type", "Admin"),
            ("first_name", "Drivetrain"),
            ("last_name", "AI"),
            ("email", "dp-acme@drivetrain.ai"),
        ],
    )
    .await
    .assert_redirect("/qbo/app/usermgt/verify");
    let pending = c.state().await;
    assert_eq!(
        pending["qbo"]["users"].as_array().map(Vec::len),
        n_before,
        "not sent before the code"
    );
    assert_eq!(pending["qbo"]["pending_invites"], 1);

    let verify = c.get("/qbo/app/usermgt/verify").await;
    assert!(
        verify.body.contains("Verify it&#39;s you") && verify.body.contains("Authentication code")
    );
    let bad = c
        .post("/qbo/app/usermgt/verify", &[("code", &wrong_code())])
        .await;
    assert_eq!(bad.status, 200);
    assert!(bad.body.contains("That code didn&#39;t work. Try again."));
    assert!(find_user(&c.state().await, "qbo", "dp-acme@drivetrain.ai").is_none());

    c.post("/qbo/app/usermgt/verify", &[("code", &current_code())])
        .await
        .assert_redirect("/qbo/app/usermgt");
    let after = c.state().await;
    let u = find_user(&after, "qbo", "dp-acme@drivetrain.ai").expect("invited after the code");
    assert_eq!(
        (u["user_type"].as_str(), u["status"].as_str()),
        (Some("Admin"), Some("Invited"))
    );
    assert_eq!(after["qbo"]["pending_invites"], 0);
    let id = u["id"].as_str().expect("id").to_string();

    let list = c.get("/qbo/app/usermgt").await;
    assert!(list.body.contains("Invite sent to dp-acme@drivetrain.ai"));
    assert!(list.body.contains(&format!(
        "data-user-id=\"{id}\" data-user-name=\"Drivetrain AI\">Delete</button>"
    )));
    assert!(list.body.contains("Delete user?") && list.body.contains(">Delete user</button>"));

    c.post("/qbo/app/usermgt/delete", &[("id", &id)])
        .await
        .assert_redirect("/qbo/app/usermgt");
    let gone = c.state().await;
    assert!(find_user(&gone, "qbo", "dp-acme@drivetrain.ai").is_none());
    assert_eq!(gone["qbo"]["users"].as_array().map(Vec::len), n_before);
    assert!(c
        .get("/qbo/app/usermgt")
        .await
        .body
        .contains("Drivetrain AI was deleted"));
    sb.shutdown().await;
}

#[tokio::test]
async fn myxero_staff_invite_and_remove_xero_support() {
    let sb = start().await;
    let mut c = Client::new(&sb);
    login(&mut c, "myxero").await;
    assert_eq!(c.state().await["myxero"]["practice_staff_support"], false);
    let staff = c.get("/myxero/my/staff").await;
    assert!(staff.body.contains(">Invite Xero Support</button>"));
    assert!(staff.body.contains(">Contact Xero Support</a>"));
    c.post("/myxero/my/staff/support", &[("action", "invite")])
        .await
        .assert_redirect("/myxero/my/staff");
    assert_eq!(c.state().await["myxero"]["practice_staff_support"], true);
    let staff = c.get("/myxero/my/staff").await;
    assert!(staff
        .body
        .contains("<td>Xero Support</td><td>support@xero.com</td><td>Staff</td>"));
    assert!(staff.body.contains(">Remove Xero Support</button>"));
    c.post("/myxero/my/staff/support", &[("action", "invite")])
        .await
        .assert_error_page(409);
    c.post("/myxero/my/staff/support", &[("action", "remove")])
        .await
        .assert_redirect("/myxero/my/staff");
    let after = c.state().await;
    assert_eq!(after["myxero"]["practice_staff_support"], false);
    assert_eq!(
        after["myxero"]["practice_org_support"], false,
        "staff access is not org access"
    );
    sb.shutdown().await;
}

#[tokio::test]
async fn myxero_contact_form_checkbox_grants_practice_org_access() {
    let sb = start().await;
    let mut c = Client::new(&sb);
    login(&mut c, "myxero").await;
    let form = c.get("/myxero/support/contact").await;
    assert!(form
        .body
        .contains(">Give Xero Access to Hartley &amp; Co Practice</label>"));
    // Without the box: a request, no access.
    c.post(
        "/myxero/support/contact",
        &[
            ("kind", "I think something is broken"),
            ("subject", "Bank feed"),
            ("details", "It stopped."),
        ],
    )
    .await
    .assert_redirect("/myxero/support/contact/sent");
    let s1 = c.state().await;
    assert_eq!(s1["myxero"]["practice_org_support"], false);
    assert_eq!(s1["myxero"]["support_requests"][0]["give_access"], false);
    // With the box: access to the practice organisation.
    c.post(
        "/myxero/support/contact",
        &[
            ("kind", "I need help to do something"),
            ("subject", "Payroll"),
            ("details", "Please look at our pay run."),
            ("give_access", "on"),
        ],
    )
    .await
    .assert_redirect("/myxero/support/contact/sent");
    let s2 = c.state().await;
    assert_eq!(s2["myxero"]["practice_org_support"], true);
    assert_eq!(s2["myxero"]["support_role"], "Adviser");
    assert_eq!(
        s2["myxero"]["support_requests"].as_array().map(Vec::len),
        Some(2)
    );
    assert!(c
        .get("/myxero/support/contact/sent")
        .await
        .body
        .contains("Thanks, we&#39;ve received your request"));
    sb.shutdown().await;
}

#[tokio::test]
async fn myxero_practice_users_invite_change_role_and_payroll_admin_then_remove() {
    let sb = start().await;
    let mut c = Client::new(&sb);
    login(&mut c, "myxero").await;
    c.get("/myxero/practice/settings/users/xero-support")
        .await
        .assert_error_page(404);
    let users = c.get("/myxero/practice/settings/users").await;
    assert!(
        users.body.contains("<h1>Users</h1>")
            && users.body.contains(">Invite Xero Support</button>")
    );
    c.post(
        "/myxero/practice/settings/users/support",
        &[("action", "invite")],
    )
    .await
    .assert_redirect("/myxero/practice/settings/users");
    let s1 = c.state().await;
    assert_eq!(
        (
            &s1["myxero"]["practice_org_support"],
            &s1["myxero"]["support_role"],
            &s1["myxero"]["payroll_admin"]
        ),
        (
            &Value::Bool(true),
            &Value::from("Adviser"),
            &Value::Bool(true)
        )
    );
    let users = c.get("/myxero/practice/settings/users").await;
    assert!(users
        .body
        .contains("<a href=\"/myxero/practice/settings/users/xero-support\">Xero Support</a>"));
    let edit = c.get("/myxero/practice/settings/users/xero-support").await;
    assert!(edit.body.contains("value=\"Adviser\" checked"));
    assert!(edit
        .body
        .contains("name=\"payroll_admin\" value=\"on\" checked"));
    // Standard, Payroll Admin cleared (an unchecked box is simply not sent).
    c.post(
        "/myxero/practice/settings/users/xero-support",
        &[("role", "Standard")],
    )
    .await
    .assert_redirect("/myxero/practice/settings/users");
    let s2 = c.state().await;
    assert_eq!(s2["myxero"]["support_role"], "Standard");
    assert_eq!(s2["myxero"]["payroll_admin"], false);
    c.post(
        "/myxero/practice/settings/users/xero-support",
        &[("role", "Owner")],
    )
    .await
    .assert_error_page(400);
    c.post(
        "/myxero/practice/settings/users/support",
        &[("action", "remove")],
    )
    .await
    .assert_redirect("/myxero/practice/settings/users");
    let s3 = c.state().await;
    assert_eq!(s3["myxero"]["practice_org_support"], false);
    assert_eq!(s3["myxero"]["support_role"], Value::Null);
    sb.shutdown().await;
}

#[tokio::test]
async fn bad_requests_get_vendor_error_pages_not_500s() {
    let sb = start().await;
    let mut c = Client::new(&sb);
    login(&mut c, "xero").await;
    login(&mut c, "qbo").await;
    let invite = [
        ("first_name", "Drivetrain"),
        ("last_name", "AI"),
        ("email", "dp-acme@drivetrain.ai"),
        ("projects", "Admin"),
        ("business_and_accounting", "Advisor"),
    ];
    // Unknown user ids.
    c.get("/xero/settings/users/nope")
        .await
        .assert_error_page(404);
    c.post("/xero/settings/users/nope/remove", &[])
        .await
        .assert_error_page(404);
    c.post("/qbo/app/usermgt/delete", &[("id", "nope")])
        .await
        .assert_error_page(404);
    // Missing or invalid fields.
    c.post("/xero/settings/users/invite", &invite[..2])
        .await
        .assert_error_page(400);
    c.post(
        "/xero/settings/users/invite",
        &[
            ("first_name", "x"),
            ("last_name", "y"),
            ("email", "not-an-email"),
            ("projects", "Admin"),
            ("business_and_accounting", "Advisor"),
        ],
    )
    .await
    .assert_error_page(400);
    c.post(
        "/xero/settings/users/invite",
        &[
            ("first_name", "x"),
            ("last_name", "y"),
            ("email", "x@y.z"),
            ("projects", "Owner"),
            ("business_and_accounting", "Advisor"),
        ],
    )
    .await
    .assert_error_page(400);
    c.post("/qbo/app/usermgt/delete", &[])
        .await
        .assert_error_page(400);
    c.post("/qbo/app/usermgt/add", &[("first_name", "A")])
        .await
        .assert_error_page(400);
    c.get("/qbo/app/usermgt/verify")
        .await
        .assert_error_page(400);
    // The primary admin and yourself cannot go.
    c.post("/qbo/app/usermgt/delete", &[("id", "q1")])
        .await
        .assert_error_page(400);
    c.post("/xero/settings/users/u1/remove", &[])
        .await
        .assert_error_page(400);
    // A body that is not a form.
    let origin = c.origin();
    let r = c
        .send(
            "POST",
            "/xero/settings/users/invite",
            &[
                ("Content-Type", "application/json".to_string()),
                ("Origin", origin),
            ],
            Some("{\"email\":1}".to_string()),
        )
        .await;
    r.assert_error_page(400);
    // Replayed invite of an existing email.
    c.post("/xero/settings/users/invite", &invite)
        .await
        .assert_redirect("/xero/settings/users");
    c.post("/xero/settings/users/invite", &invite)
        .await
        .assert_error_page(409);
    let mut upper = invite;
    upper[2] = ("email", "ADMIN@Example.com");
    c.post("/xero/settings/users/invite", &upper)
        .await
        .assert_error_page(409);
    // Cross-origin and origin-less POSTs.
    let before = c.state().await;
    c.post_from(
        "/xero/settings/users/support",
        &[],
        Some("http://evil.example".to_string()),
    )
    .await
    .assert_error_page(403);
    c.post_from("/xero/settings/users/support", &[], None)
        .await
        .assert_error_page(403);
    c.post_from(
        "/qbo/login",
        &[("email", "a"), ("password", "b")],
        Some("http://evil.example".to_string()),
    )
    .await
    .assert_error_page(403);
    assert_eq!(c.state().await, before, "blocked requests change nothing");
    // Unknown pages, a test-affordance misuse.
    c.get("/xero/nowhere").await.assert_error_page(404);
    c.get("/qbo/nowhere").await.assert_error_page(404);
    c.get("/__sandbox/login-as?next=https://evil.example/")
        .await
        .assert_error_page(400);
    c.get("/__sandbox/login-as").await.assert_error_page(400);
    c.get("/__sandbox/login-as?next=/xero/dashboard&session=made-up")
        .await
        .assert_error_page(400);
    // Wrong method, undecodable id.
    c.get("/xero/settings/users/support")
        .await
        .assert_error_page(405);
    c.post("/xero/dashboard", &[]).await.assert_error_page(405);
    c.get("/qbo/app/usermgt/delete")
        .await
        .assert_error_page(405);
    c.get("/xero/settings/users/%FF%FE")
        .await
        .assert_error_page(404);
    sb.shutdown().await;
}

#[tokio::test]
async fn non_loopback_bind_is_refused_without_allow_remote() {
    let err = sandbox::start(SandboxConfig {
        bind: IpAddr::V4(Ipv4Addr::UNSPECIFIED),
        ..SandboxConfig::default()
    })
    .await
    .expect_err("0.0.0.0 must be refused");
    assert!(matches!(err, SandboxError::NonLoopback { .. }), "{err:?}");
    assert!(err.to_string().contains("--allow-remote"), "{err}");
}

#[tokio::test]
async fn unknown_variant_lists_the_known_ones() {
    let err = sandbox::start(SandboxConfig {
        variant: Some("renamed-everything".to_string()),
        ..SandboxConfig::default()
    })
    .await
    .expect_err("unknown variant");
    let msg = err.to_string();
    assert!(msg.contains("renamed-everything"), "{msg}");
    for v in sandbox::variants() {
        assert!(msg.contains(v.name), "{msg} lacks {}", v.name);
    }
}

#[tokio::test]
async fn invalid_totp_seed_is_an_error_that_does_not_echo_it() {
    let err = sandbox::start(SandboxConfig {
        totp_seed: "not base32 at all!".to_string(),
        ..SandboxConfig::default()
    })
    .await
    .expect_err("invalid seed");
    assert!(matches!(err, SandboxError::InvalidTotpSeed));
    assert!(!err.to_string().contains("not base32 at all"));
}

#[tokio::test]
async fn sandboxes_in_one_process_keep_separate_state_and_reset_restores_seed() {
    let a = start().await;
    let b = start().await;
    assert_ne!(a.addr(), b.addr());
    assert_eq!(
        a.base_url("xero"),
        format!("http://127.0.0.1:{}/xero", a.addr().port())
    );
    let mut ca = Client::new(&a);
    login(&mut ca, "xero").await;
    ca.post("/xero/settings/users/support", &[])
        .await
        .assert_redirect("/xero/settings/users");
    assert_eq!(a.state_json()["xero"]["xero_support"], true);
    assert_eq!(b.state_json()["xero"]["xero_support"], false);
    assert_eq!(ca.state().await, a.state_json());
    let r = ca.send("POST", "/__sandbox/reset", &[], None).await;
    assert_eq!(r.status, 200);
    assert_eq!(a.state_json(), b.state_json());
    let addr = a.addr();
    a.shutdown().await;
    assert!(
        TcpStream::connect(addr).await.is_err(),
        "shut down server still accepts connections"
    );
    b.shutdown().await;
}

/// Every documented screen is reachable from the landing page through links
/// and buttons (GET forms), never only by typing its URL.
#[tokio::test]
async fn documented_screens_are_reachable_by_clicks_from_the_landing_page() {
    let sb = start().await;
    let expected: [(&str, &[&str]); 3] = [
        (
            "xero",
            &[
                "/xero/settings",
                "/xero/settings/users",
                "/xero/settings/users/invite",
                "/xero/support",
                "/xero/support/contact",
            ],
        ),
        ("qbo", &["/qbo/app/usermgt", "/qbo/app/usermgt/add"]),
        (
            "myxero",
            &[
                "/myxero/my",
                "/myxero/my/staff",
                "/myxero/practice",
                "/myxero/practice/settings",
                "/myxero/practice/settings/users",
                "/myxero/support/contact",
            ],
        ),
    ];
    for (p, pages) in expected {
        let mut c = Client::new(&sb);
        login(&mut c, p).await;
        if p == "myxero" {
            c.post(
                "/myxero/practice/settings/users/support",
                &[("action", "invite")],
            )
            .await;
        }
        let landing = match p {
            "xero" => "/xero/dashboard",
            "qbo" => "/qbo/homepage",
            _ => "/myxero/dashboard",
        };
        let mut seen = vec![landing.to_string()];
        let mut queue = vec![landing.to_string()];
        while let Some(path) = queue.pop() {
            let body = c.get(&path).await.body;
            for link in links(&body) {
                if link.starts_with(&format!("/{p}/")) && !seen.contains(&link) {
                    seen.push(link.clone());
                    queue.push(link);
                }
            }
        }
        for page in pages {
            assert!(
                seen.iter().any(|s| s == page),
                "{page} not reachable from {landing}; saw {seen:?}"
            );
        }
        if p == "myxero" {
            assert!(seen
                .iter()
                .any(|s| s == "/myxero/practice/settings/users/xero-support"));
        }
    }
    sb.shutdown().await;
}

/// `href`s and GET-form actions of a page.
fn links(html: &str) -> Vec<String> {
    let mut out = Vec::new();
    for marker in ["href=\"", "method=\"get\" action=\""] {
        let mut rest = html;
        while let Some(i) = rest.find(marker) {
            rest = &rest[i + marker.len()..];
            if let Some(end) = rest.find('"') {
                out.push(rest[..end].replace("&amp;", "&"));
            }
        }
    }
    out
}

#[tokio::test]
async fn variants_change_exactly_the_documented_control() {
    async fn page(variant: &str, provider: &str, path: &str) -> String {
        let sb = start_variant(variant).await;
        assert_eq!(sb.state_json()["variant"], variant);
        let mut c = Client::new(&sb);
        login(&mut c, provider).await;
        let body = c.get(path).await.body;
        sb.shutdown().await;
        body
    }
    let default_users = {
        let sb = start().await;
        let mut c = Client::new(&sb);
        login(&mut c, "xero").await;
        let body = c.get("/xero/settings/users").await.body;
        sb.shutdown().await;
        body
    };
    assert!(default_users.contains(">Invite a user</button>"));
    assert!(default_users.contains("},500);"));

    let renamed = page("renamed-invite", "xero", "/xero/settings/users").await;
    assert!(renamed.contains(">Invite user</button>") && !renamed.contains("Invite a user"));
    let moved = page("moved-invite", "xero", "/xero/settings/users").await;
    assert!(!moved.contains(">Invite a user</button>"));
    assert!(moved.contains(
        "aria-haspopup=\"menu\" aria-expanded=\"false\" aria-controls=\"more-menu\">More"
    ));
    assert!(
        moved.contains("role=\"menuitem\" href=\"/xero/settings/users/invite\">Invite a user</a>")
    );
    let no_last = page("removed-last-name", "xero", "/xero/settings/users/invite").await;
    assert!(!no_last.contains("Last name") && no_last.contains(">First name</label>"));
    let relabelled = page("relabelled-email", "xero", "/xero/settings/users/invite").await;
    assert!(
        relabelled.contains(">Email address</label>") && !relabelled.contains(">Email</label>")
    );
    let dup = page("duplicated-send", "xero", "/xero/settings/users/invite").await;
    assert_eq!(dup.matches(">Send invite</button>").count(), 2);
    let slow = page("slow-users", "xero", "/xero/settings/users").await;
    assert!(slow.contains("},3000);") && slow.contains(">Invite a user</button>"));
    let qbo = page("renamed-qbo-delete", "qbo", "/qbo/app/usermgt").await;
    assert!(qbo.contains(">Remove access</button>") && !qbo.contains(">Delete</button>"));
}

#[tokio::test]
async fn removed_last_name_variant_accepts_an_invite_without_it() {
    let sb = start_variant("removed-last-name").await;
    let mut c = Client::new(&sb);
    login(&mut c, "xero").await;
    c.post(
        "/xero/settings/users/invite",
        &[
            ("first_name", "Drivetrain"),
            ("email", "dp-acme@drivetrain.ai"),
            ("projects", "Admin"),
            ("business_and_accounting", "Advisor"),
        ],
    )
    .await
    .assert_redirect("/xero/settings/users");
    assert!(find_user(&c.state().await, "xero", "dp-acme@drivetrain.ai").is_some());
    sb.shutdown().await;
}

/// Whether this process runs as root (Chromium then needs --no-sandbox).
fn running_as_root() -> bool {
    std::fs::read_to_string("/proc/self/status")
        .map(|s| {
            s.lines()
                .find(|l| l.starts_with("Uid:"))
                .and_then(|l| l.split_whitespace().nth(1))
                == Some("0")
        })
        .unwrap_or(false)
}

/// The DOM of `path` after headless Chromium ran its scripts for `budget_ms`
/// of virtual time (Chromium's `--dump-dom`; no WebDriver involved).
async fn chromium_dom(sb: &Sandbox, path: &str, budget_ms: u32) -> String {
    require_browser();
    let profile = tempfile::Builder::new()
        .prefix("clickpath-chromium-profile-")
        .tempdir()
        .expect("temp dir for the Chromium profile");
    let next: String = path.replace('/', "%2F");
    let url = format!("http://{}/__sandbox/login-as?next={next}", sb.addr());
    let mut cmd = tokio::process::Command::new("chromium");
    cmd.args([
        "--headless=new",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        "--disable-dev-shm-usage",
        "--window-size=1280,800",
    ])
    .arg(format!("--user-data-dir={}", profile.path().display()))
    .arg(format!("--virtual-time-budget={budget_ms}"))
    .arg("--dump-dom")
    .arg(&url)
    .kill_on_drop(true);
    if running_as_root() {
        cmd.arg("--no-sandbox");
    }
    let out = tokio::time::timeout(Duration::from_secs(90), cmd.output())
        .await
        .expect("chromium finishes within 90 s")
        .expect("chromium starts");
    let dom = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(
        dom.contains("</html>"),
        "no DOM from chromium; stderr: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    dom
}

/// The Xero users table is the "late rendering" page: it exists only after the
/// page's timer and fetch ran in a real browser, and `slow-users` only delays it.
#[tokio::test]
async fn chromium_renders_the_xero_users_table_late_and_slow_users_only_delays_it() {
    let table = "<table role=\"table\" aria-label=\"Users\">";
    let sb = start().await;
    let dom = chromium_dom(&sb, "/xero/settings/users", 1500).await;
    assert!(dom.contains(table), "table not rendered after 1.5 s: {dom}");
    assert!(dom.contains(">Demo Admin</a>") && dom.contains("aria-busy=\"false\""));
    assert!(dom.contains("aria-label=\"Help\"") && dom.contains(">Invite a user</button>"));
    sb.shutdown().await;

    let slow = start_variant("slow-users").await;
    let early = chromium_dom(&slow, "/xero/settings/users", 1500).await;
    assert!(
        !early.contains(table),
        "slow-users rendered the table before 3 s"
    );
    assert!(early.contains("Loading users…"));
    let late = chromium_dom(&slow, "/xero/settings/users", 6000).await;
    assert!(
        late.contains(table) && late.contains(">Demo Admin</a>"),
        "{late}"
    );
    slow.shutdown().await;
}

/// What a runbook locator needs to find on a screen (docs/sandbox.md).
#[derive(Debug, Clone, Copy)]
enum Control {
    Heading(&'static str),
    Button(&'static str),
    /// A button named only by `aria-label` (icon without text).
    IconButton(&'static str),
    Link(&'static str),
    MenuItem(&'static str),
    Tab(&'static str),
    /// A form control labelled by `<label for>`.
    Field(&'static str),
    /// An ARIA combobox labelled by a `<label id>` through `aria-labelledby`
    /// (a vendor's custom picker, not a native select).
    Combobox(&'static str),
    /// A modal dialog (hidden until opened) by its heading.
    Dialog(&'static str),
}

fn html_escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('\'', "&#39;")
        .replace('"', "&quot;")
}

/// Opening tags of the elements `<tag ...>NAME</tag>` in `html`.
fn opening_tags<'a>(html: &'a str, tag: &str, name: &str) -> Vec<&'a str> {
    let mut needles = vec![format!(">{}</{tag}>", html_escape(name))];
    if !name.contains('&') {
        needles.push(format!(">{name}</{tag}>"));
    }
    needles.dedup();
    needles
        .iter()
        .flat_map(|needle| html.match_indices(needle.as_str()).map(|(i, _)| i))
        .filter_map(|i| html[..=i].rfind('<').map(|start| &html[start..=i]))
        .filter(|open| open.starts_with(&format!("<{tag}")))
        .collect()
}

/// `html` without inline SVG (icons are `aria-hidden` and add nothing to names).
fn without_svg(html: &str) -> String {
    let mut out = String::new();
    let mut rest = html;
    while let Some(i) = rest.find("<svg") {
        out.push_str(&rest[..i]);
        rest = rest[i..]
            .find("</svg>")
            .map_or("", |j| &rest[i + j + "</svg>".len()..]);
    }
    out.push_str(rest);
    out
}

fn has_control(html: &str, c: Control) -> bool {
    let html = &without_svg(html);
    match c {
        Control::Heading(n) => ["h1", "h2"]
            .iter()
            .any(|t| !opening_tags(html, t, n).is_empty()),
        Control::Button(n) => {
            !opening_tags(html, "button", n).is_empty()
                || opening_tags(html, "a", n)
                    .iter()
                    .any(|o| o.contains("role=\"button\""))
        }
        Control::IconButton(n) => html.contains(&format!("aria-label=\"{}\"", html_escape(n))),
        Control::Link(n) => opening_tags(html, "a", n)
            .iter()
            .any(|o| !o.contains("role=")),
        Control::MenuItem(n) => opening_tags(html, "a", n)
            .iter()
            .any(|o| o.contains("role=\"menuitem\"")),
        Control::Tab(n) => ["a", "button"].iter().any(|t| {
            opening_tags(html, t, n)
                .iter()
                .any(|o| o.contains("role=\"tab\""))
        }),
        Control::Field(n) => opening_tags(html, "label", n).iter().any(|o| {
            o.split("for=\"")
                .nth(1)
                .and_then(|rest| rest.split('"').next())
                .is_some_and(|id| html.contains(&format!(" id=\"{id}\"")))
        }),
        Control::Combobox(n) => opening_tags(html, "label", n).iter().any(|o| {
            o.split("id=\"")
                .nth(1)
                .and_then(|r| r.split('"').next())
                .is_some_and(|id| {
                    html.contains(&format!(
                        "role=\"combobox\" tabindex=\"0\" aria-labelledby=\"{id}\""
                    )) && !html.contains("<select")
                })
        }),
        Control::Dialog(n) => opening_tags(html, "h2", n).iter().any(|o| {
            o.split("id=\"")
                .nth(1)
                .and_then(|r| r.split('"').next())
                .is_some_and(|id| {
                    html.contains(&format!(
                        "role=\"dialog\" aria-modal=\"true\" aria-labelledby=\"{id}\""
                    ))
                })
        }),
    }
}

/// Every screen of docs/sandbox.md offers each documented control by role and name.
#[tokio::test]
async fn every_documented_screen_offers_its_controls_by_role_and_name() {
    use Control::*;
    let sb = start().await;
    let mut anon = Client::new(&sb);
    for (p, heading) in [
        ("xero", "Log in to Xero"),
        ("qbo", "Sign in to QuickBooks"),
        ("myxero", "Log in to Xero"),
    ] {
        let html = anon.get(&format!("/{p}/login")).await.body;
        for c in [
            Heading(heading),
            Field("Email"),
            Field("Password"),
            Button("Log in"),
        ] {
            assert!(has_control(&html, c), "/{p}/login lacks {c:?}");
        }
    }
    let mut c = Client::new(&sb);
    for p in sandbox::PROVIDERS {
        login(&mut c, p).await;
    }
    c.post(
        "/xero/settings/users/invite",
        &[
            ("first_name", "Drivetrain"),
            ("last_name", "AI"),
            ("email", "dp-acme@drivetrain.ai"),
            ("projects", "Admin"),
            ("business_and_accounting", "Advisor"),
        ],
    )
    .await;
    let xid = find_user(&c.state().await, "xero", "dp-acme@drivetrain.ai")
        .and_then(|u| u["id"].as_str().map(str::to_string))
        .expect("invited");
    c.post(
        "/myxero/practice/settings/users/support",
        &[("action", "invite")],
    )
    .await;
    c.post(
        "/qbo/app/usermgt/add",
        &[
            ("user_type", "Admin"),
            ("first_name", "Drivetrain"),
            ("last_name", "AI"),
            ("email", "dp-acme@drivetrain.ai"),
        ],
    )
    .await
    .assert_redirect("/qbo/app/usermgt/verify");
    let xero_header = [
        IconButton("Help"),
        MenuItem("Settings"),
        MenuItem("Files"),
        MenuItem("Subscription and billing"),
        MenuItem("Xero Central"),
        Link("Dashboard"),
        Link("Business"),
        Link("Accounting"),
        Link("Users"),
    ];
    let myxero_header = [
        IconButton("Menu"),
        IconButton("Help"),
        MenuItem("My Xero"),
        MenuItem("Contact Xero Support"),
    ];
    let qbo_header = [
        IconButton("Settings"),
        Link("Account and settings"),
        Link("Manage Users"),
        Link("Custom form styles"),
    ];
    let user_page = format!("/xero/settings/users/{xid}");
    let screens: Vec<(&str, Vec<Control>)> = vec![
        (
            "/xero/dashboard",
            vec![Heading("Dashboard"), Button("Demo Company (UK)")],
        ),
        (
            "/xero/settings",
            vec![
                Heading("Settings"),
                Link("Organisation details"),
                Link("Currencies"),
            ],
        ),
        (
            "/xero/settings/users",
            vec![
                Heading("Users"),
                Button("Invite a user"),
                Button("Add Xero support"),
                Dialog("Add Xero support"),
                Button("Confirm"),
                Button("Cancel"),
                Link("Contact Xero support"),
            ],
        ),
        (
            "/xero/settings/users/invite",
            vec![
                Heading("Invite a user"),
                Field("First name"),
                Field("Last name"),
                Field("Email"),
                Combobox("Projects"),
                Combobox("Business and Accounting"),
                Field("Org Admin"),
                Button("Send invite"),
                Button("Cancel"),
            ],
        ),
        (
            &user_page,
            vec![
                Heading("Drivetrain AI"),
                Button("Remove user"),
                Dialog("Remove Drivetrain AI?"),
                Button("Remove"),
                Button("Cancel"),
            ],
        ),
        (
            "/xero/support",
            vec![Heading("Xero Central"), Link("Contact Xero support")],
        ),
        (
            "/xero/support/contact",
            vec![
                Heading("Contact Xero support"),
                Field("Subject"),
                Field("Details"),
                Button("Submit request"),
            ],
        ),
        (
            "/qbo/homepage",
            vec![Heading("Home"), Heading("Your company")],
        ),
        (
            "/qbo/app/usermgt",
            vec![
                Heading("Manage users"),
                Button("Add user"),
                Button("Delete"),
                Dialog("Delete user?"),
                Button("Delete user"),
                Button("Cancel"),
            ],
        ),
        (
            "/qbo/app/usermgt/add",
            vec![
                Heading("Add a new user"),
                Combobox("User type"),
                Field("First name"),
                Field("Last name"),
                Field("Email"),
                Button("Send invite"),
            ],
        ),
        (
            "/qbo/app/usermgt/verify",
            vec![
                Heading("Verify it's you"),
                Field("Authentication code"),
                Button("Confirm"),
            ],
        ),
        ("/myxero/dashboard", vec![Heading("Dashboard")]),
        (
            "/myxero/my",
            vec![
                Heading("My Xero"),
                Tab("Home"),
                Tab("Staff"),
                Tab("Settings"),
                Link("Hartley & Co"),
            ],
        ),
        (
            "/myxero/my/staff",
            vec![
                Heading("Staff"),
                Button("Invite Xero Support"),
                Link("Contact Xero Support"),
            ],
        ),
        (
            "/myxero/practice",
            vec![
                Heading("Hartley & Co Practice"),
                Tab("Dashboard"),
                Tab("Settings"),
                Link("General Settings"),
            ],
        ),
        (
            "/myxero/practice/settings",
            vec![Heading("General Settings"), Link("Users")],
        ),
        (
            "/myxero/practice/settings/users",
            vec![
                Heading("Users"),
                Button("Remove Xero Support"),
                Link("Xero Support"),
                Link("Contact Xero Support"),
            ],
        ),
        (
            "/myxero/practice/settings/users/xero-support",
            vec![
                Heading("Xero Support"),
                Field("Adviser"),
                Field("Standard"),
                Field("Read only"),
                Field("Payroll Admin"),
                Button("Save"),
            ],
        ),
        (
            "/myxero/support/contact",
            vec![
                Heading("Contact Xero Support"),
                Field("I need help to do something"),
                Field("I think something is broken"),
                Field("Subject"),
                Field("Details"),
                Field("Give Xero Access to Hartley & Co Practice"),
                Button("Send Support Request"),
            ],
        ),
    ];
    for (path, controls) in &screens {
        let r = c.get(path).await;
        assert_eq!(r.status, 200, "{path}");
        let header: &[Control] = if path.starts_with("/xero/") {
            &xero_header
        } else if path.starts_with("/qbo/") {
            &qbo_header
        } else {
            &myxero_header
        };
        for ctl in controls.iter().chain(header) {
            assert!(has_control(&r.body, *ctl), "{path} lacks {ctl:?}");
        }
    }
    // The checker itself can fail.
    let users = c.get("/xero/settings/users").await.body;
    assert!(!has_control(&users, Button("Invite user")));
    assert!(!has_control(&users, Link("Invite a user")));
    assert!(!has_control(&users, Field("Email")));
    sb.shutdown().await;
}

/// `clickpath sandbox` refuses a non-loopback bind and an unknown variant
/// before listening, with exit code 2 and the reason on stderr.
#[test]
fn cli_sandbox_refuses_remote_bind_and_unknown_variant() {
    let err = Clickpath::new()
        .args(["sandbox", "--port", "0", "--bind", "0.0.0.0"])
        .expect_exit(2);
    assert!(
        err.contains("non-loopback") && err.contains("--allow-remote"),
        "{err}"
    );

    let err = Clickpath::new()
        .args(["sandbox", "--port", "0", "--variant", "nope"])
        .expect_exit(2);
    assert!(
        err.contains("unknown sandbox variant `nope`") && err.contains("moved-invite"),
        "{err}"
    );
}

/// `clickpath sandbox --port 0` prints its base URLs and credentials, serves,
/// and exits 0 on Ctrl-C (SIGINT).
#[tokio::test]
async fn cli_sandbox_serves_until_ctrl_c() {
    use tokio::io::AsyncBufReadExt;
    let sandbox = Clickpath::new()
        .args(["sandbox", "--port", "0", "--variant", "slow-users"])
        .command();
    let mut child = tokio::process::Command::from(sandbox)
        .stdout(std::process::Stdio::piped())
        .kill_on_drop(true)
        .spawn()
        .expect("clickpath starts");
    let stdout = child.stdout.take().expect("piped stdout");
    let mut lines = tokio::io::BufReader::new(stdout).lines();
    let mut printed = Vec::new();
    let read = async {
        while let Ok(Some(line)) = lines.next_line().await {
            let done = line.contains("Ctrl-C");
            printed.push(line);
            if done {
                break;
            }
        }
    };
    tokio::time::timeout(Duration::from_secs(20), read)
        .await
        .expect("banner printed within 20 s");
    let text = printed.join("\n");
    let base = printed
        .iter()
        .find_map(|l| l.strip_prefix("clickpath sandbox listening on "))
        .unwrap_or_else(|| panic!("no listening line in:\n{text}"))
        .to_string();
    for p in sandbox::PROVIDERS {
        assert!(text.contains(&format!("{base}/{p}/")), "{text}");
    }
    assert!(text.contains(sandbox::SANDBOX_EMAIL) && text.contains(sandbox::SANDBOX_PASSWORD));
    assert!(text.contains("variant: slow-users"));
    let addr: SocketAddr = base
        .trim_start_matches("http://")
        .parse()
        .expect("host:port");
    let mut c = Client {
        addr,
        cookies: Vec::new(),
    };
    assert_eq!(c.state().await["variant"], "slow-users");

    let pid = child.id().expect("running").to_string();
    let status = std::process::Command::new("kill")
        .args(["-INT", &pid])
        .status()
        .expect("kill runs");
    assert!(status.success());
    let exit = tokio::time::timeout(Duration::from_secs(20), child.wait())
        .await
        .expect("exits within 20 s of Ctrl-C")
        .expect("wait works");
    assert!(exit.success(), "{exit:?}");
}

/// Menus, dialogs and tabs open on click in a real browser: the page script
/// clicks the element named by `#open=ID` and Chromium dumps the resulting DOM.
#[tokio::test]
async fn chromium_opens_menus_dialogs_and_tabs_on_click() {
    let sb = start().await;
    let org = chromium_dom(&sb, "/xero/dashboard#open=org-menu-btn", 1000).await;
    assert!(
        org.contains("aria-haspopup=\"menu\" aria-expanded=\"true\" aria-controls=\"org-menu\""),
        "org menu button not expanded: {org}"
    );
    assert!(org.contains(
        "<ul role=\"menu\" id=\"org-menu\" class=\"\" aria-labelledby=\"org-menu-btn\">"
    ));
    let closed = chromium_dom(&sb, "/xero/dashboard", 1000).await;
    assert!(
        closed.contains("aria-labelledby=\"org-menu-btn\" hidden=\"\""),
        "menu open without a click"
    );

    let qbo = chromium_dom(&sb, "/qbo/app/usermgt#open=delete-q2", 1000).await;
    assert!(
        qbo.contains("<div class=\"backdrop\" id=\"delete-dialog\">"),
        "dialog still hidden: {qbo}"
    );
    assert!(qbo.contains("<strong data-fill=\"name\">Emily Platt</strong>"));

    let tabs = chromium_dom(&sb, "/myxero/practice#open=tab-settings", 1000).await;
    assert!(tabs.contains("aria-selected=\"true\" aria-controls=\"panel-settings\""));
    assert!(tabs.contains("id=\"panel-dashboard\" aria-labelledby=\"tab-dashboard\" hidden=\"\""));
    assert!(tabs.contains(
        "<div role=\"tabpanel\" id=\"panel-settings\" aria-labelledby=\"tab-settings\">"
    ));
    sb.shutdown().await;
}

/// Issue 11: a cross-origin POST whose `Origin` and `Host` agree on a foreign
/// name (DNS rebinding) was accepted; origins now come from the listen address.
#[tokio::test]
async fn issue_11_post_from_a_foreign_name_that_host_agrees_with_is_refused() {
    let sb = start().await;
    let mut c = Client::new(&sb);
    let foreign = format!("evil.example:{}", sb.addr().port());
    let fields = form_encode(&[
        ("email", sandbox::SANDBOX_EMAIL),
        ("password", sandbox::SANDBOX_PASSWORD),
    ]);
    let headers = [
        ("Host", foreign.clone()),
        ("Origin", format!("http://{foreign}")),
        (
            "Content-Type",
            "application/x-www-form-urlencoded".to_string(),
        ),
    ];
    let r = c
        .send("POST", "/xero/login", &headers, Some(fields.clone()))
        .await;
    r.assert_error_page(403);
    assert!(r.header("set-cookie").is_none(), "a session was opened");
    let referer = [
        ("Host", foreign.clone()),
        ("Referer", format!("http://{foreign}/xero/login")),
        (
            "Content-Type",
            "application/x-www-form-urlencoded".to_string(),
        ),
    ];
    c.send("POST", "/xero/login", &referer, Some(fields.clone()))
        .await
        .assert_error_page(403);
    // The same form from the server's own origin, by address or by name.
    let local = format!("http://localhost:{}", sb.addr().port());
    c.post_from(
        "/xero/login",
        &[
            ("email", sandbox::SANDBOX_EMAIL),
            ("password", sandbox::SANDBOX_PASSWORD),
        ],
        Some(local),
    )
    .await
    .assert_redirect("/xero/login/mfa");
    sb.shutdown().await;
}

/// Issue 11: the session id was kept across the authenticator step, so a
/// cookie planted before sign-in (session fixation) became a signed-in one.
#[tokio::test]
async fn issue_11_session_id_is_rotated_after_mfa() {
    let sb = start().await;
    for p in ["xero", "qbo", "myxero"] {
        let mut c = Client::new(&sb);
        c.post(
            &format!("/{p}/login"),
            &[
                ("email", sandbox::SANDBOX_EMAIL),
                ("password", sandbox::SANDBOX_PASSWORD),
            ],
        )
        .await
        .assert_redirect(&format!("/{p}/login/mfa"));
        let before = c.cookies.clone();
        assert_eq!(before.len(), 1, "{p}: one session cookie: {before:?}");
        let r = c
            .post(&format!("/{p}/login/mfa"), &[("code", &current_code())])
            .await;
        assert_eq!(r.status, 303, "{p}: {}", r.body);
        assert!(r.header("set-cookie").is_some(), "{p}: no new cookie");
        assert_ne!(c.cookies, before, "{p}: the session id was kept");
        let landing = c.get(&format!("/{p}/")).await;
        assert_ne!(landing.location(), format!("/{p}/login"), "{p}: new id");
        let mut old = Client::new(&sb);
        old.cookies = before;
        old.get(&format!("/{p}/"))
            .await
            .assert_redirect(&format!("/{p}/login"));
        assert_eq!(
            old.get(&format!("/{p}/login/mfa")).await.location(),
            format!("/{p}/login"),
            "{p}: the pre-MFA id still opens the code page"
        );
    }
    sb.shutdown().await;
}

/// Issue 11: `POST /__sandbox/reset` took any origin. Test-only endpoints now
/// refuse another site (Origin, Referer, Sec-Fetch-Site or a foreign Host)
/// and still serve scripts and the harness, which send none of these.
#[tokio::test]
async fn issue_11_test_only_endpoints_refuse_cross_origin_requests() {
    let sb = start().await;
    let mut c = Client::new(&sb);
    login(&mut c, "xero").await;
    c.post("/xero/settings/users/support", &[])
        .await
        .assert_redirect("/xero/settings/users");
    let port = sb.addr().port();
    type Attack = (&'static str, &'static str, Vec<(&'static str, String)>);
    let attacks: [Attack; 5] = [
        (
            "POST",
            "/__sandbox/reset",
            vec![("Origin", "http://evil.example".into())],
        ),
        (
            "POST",
            "/__sandbox/reset",
            vec![("Referer", "http://evil.example/page".into())],
        ),
        (
            "POST",
            "/__sandbox/reset",
            vec![("Sec-Fetch-Site", "cross-site".into())],
        ),
        (
            "POST",
            "/__sandbox/reset",
            vec![("Host", format!("evil.example:{port}"))],
        ),
        (
            "GET",
            "/__sandbox/state",
            vec![("Origin", format!("http://evil.example:{port}"))],
        ),
    ];
    for (method, path, headers) in &attacks {
        let r = c.send(method, path, headers, None).await;
        assert_eq!(r.status, 403, "{method} {path} {headers:?}: {}", r.body);
    }
    let login_as = c
        .send(
            "GET",
            "/__sandbox/login-as?next=/xero/dashboard",
            &[("Origin", "http://evil.example".to_string())],
            None,
        )
        .await;
    assert_eq!(login_as.status, 403);
    assert!(login_as.header("set-cookie").is_none());
    assert_eq!(sb.state_json()["xero"]["xero_support"], true, "was reset");
    let own = [("Origin", c.origin())];
    let r = c.send("POST", "/__sandbox/reset", &own, None).await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(sb.state_json()["xero"]["xero_support"], false);
    assert_eq!(
        c.send("POST", "/__sandbox/reset", &[], None).await.status,
        200
    );
    sb.shutdown().await;
}

/// Issue 11: every response carries a Content-Security-Policy (only this
/// server's resources and the page's own inline scripts, by hash; no framing
/// by another site) and the related headers.
#[tokio::test]
async fn issue_11_every_response_carries_csp_and_related_headers() {
    let sb = start().await;
    let mut c = Client::new(&sb);
    login(&mut c, "xero").await;
    for path in [
        "/xero/login",
        "/xero/dashboard",
        "/xero/settings/users",
        "/xero/no-such-page",
        "/xero/api/users",
        "/__sandbox/state",
        "/",
    ] {
        let r = c.get(path).await;
        let csp = r
            .header("content-security-policy")
            .unwrap_or_else(|| panic!("{path}: no CSP"));
        for directive in [
            "default-src 'self'",
            "frame-ancestors 'self'",
            "object-src 'none'",
            "base-uri 'none'",
            "form-action 'self'",
        ] {
            assert!(csp.contains(directive), "{path}: {csp}");
        }
        let script_src = csp
            .split(';')
            .find(|d| d.trim().starts_with("script-src"))
            .unwrap_or_else(|| panic!("{path}: no script-src in {csp}"));
        assert!(!script_src.contains("unsafe"), "{path}: {csp}");
        // Each inline script of the page is allowed by its hash.
        let scripts = r.body.matches("<script>").count();
        let hashes = script_src.matches("'sha256-").count();
        assert!(hashes >= scripts.min(1), "{path}: {scripts} scripts, {csp}");
        assert_eq!(r.header("x-frame-options"), Some("SAMEORIGIN"), "{path}");
        assert_eq!(
            r.header("x-content-type-options"),
            Some("nosniff"),
            "{path}"
        );
        assert_eq!(r.header("referrer-policy"), Some("same-origin"), "{path}");
    }
    let users = c.get("/xero/settings/users").await;
    let script_src = users.header("content-security-policy").unwrap_or_default();
    assert_eq!(
        script_src.matches("'sha256-").count(),
        users.body.matches("<script>").count(),
        "{script_src}"
    );
    sb.shutdown().await;
}
