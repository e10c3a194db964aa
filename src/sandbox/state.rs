//! In-memory state of one sandbox server: sessions, users, invitations and
//! support access per provider. Owned by the router state behind a mutex; knows
//! nothing of HTML or HTTP.

use std::collections::hash_map::RandomState;
use std::collections::HashMap;
use std::hash::{BuildHasher, Hasher};

use serde::Serialize;

/// The three replicated vendors, one mount path each.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum Provider {
    Xero,
    Qbo,
    MyXero,
}

impl Provider {
    pub(crate) const ALL: [Provider; 3] = [Provider::Xero, Provider::Qbo, Provider::MyXero];

    /// Mount name, e.g. `xero` for `/xero/...`.
    pub(crate) fn mount(self) -> &'static str {
        match self {
            Provider::Xero => "xero",
            Provider::Qbo => "qbo",
            Provider::MyXero => "myxero",
        }
    }

    /// Name of the session cookie for this provider.
    pub(crate) fn cookie(self) -> &'static str {
        match self {
            Provider::Xero => "clickpath_xero",
            Provider::Qbo => "clickpath_qbo",
            Provider::MyXero => "clickpath_myxero",
        }
    }

    /// Path of the landing page after sign-in.
    pub(crate) fn landing(self) -> &'static str {
        match self {
            Provider::Xero => "/xero/dashboard",
            Provider::Qbo => "/qbo/homepage",
            Provider::MyXero => "/myxero/dashboard",
        }
    }

    /// The provider whose mount a request path is under.
    pub(crate) fn of_path(path: &str) -> Option<Provider> {
        let first = path.trim_start_matches('/').split(['/', '?']).next()?;
        Provider::ALL.into_iter().find(|p| p.mount() == first)
    }
}

/// One browser session with one provider.
#[derive(Debug, Clone)]
pub(crate) struct Session {
    pub(crate) provider: Provider,
    /// Password accepted and the authenticator code too.
    pub(crate) mfa_done: bool,
    /// One-shot notice shown on the next list page.
    pub(crate) notice: Option<String>,
    /// QBO invite waiting for the "Verify it's you" code.
    pub(crate) pending_qbo: Option<QboUser>,
}

/// A user of the Xero organisation.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct XeroUser {
    pub(crate) id: String,
    pub(crate) first_name: String,
    pub(crate) last_name: String,
    pub(crate) email: String,
    pub(crate) projects: String,
    pub(crate) business_and_accounting: String,
    pub(crate) org_admin: bool,
    pub(crate) status: String,
}

/// "First Last", or just the one given when the other is empty.
fn full_name(first: &str, last: &str) -> String {
    format!("{first} {last}").trim().to_string()
}

impl XeroUser {
    pub(crate) fn name(&self) -> String {
        full_name(&self.first_name, &self.last_name)
    }

    /// The text of the Role column.
    pub(crate) fn role(&self) -> String {
        if self.org_admin {
            format!("{} · Org Admin", self.business_and_accounting)
        } else {
            self.business_and_accounting.clone()
        }
    }
}

/// A support request sent from Xero Central.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct XeroRequest {
    pub(crate) subject: String,
    pub(crate) details: String,
}

/// The Xero organisation "Demo Company (UK)".
#[derive(Debug, Clone, Serialize)]
pub(crate) struct XeroState {
    pub(crate) users: Vec<XeroUser>,
    pub(crate) xero_support: bool,
    pub(crate) support_requests: Vec<XeroRequest>,
}

impl XeroState {
    /// Whether a user or pending invite has this email (ASCII case ignored).
    pub(crate) fn has_email(&self, email: &str) -> bool {
        self.users
            .iter()
            .any(|u| u.email.eq_ignore_ascii_case(email))
    }
}

/// A user of the QuickBooks company.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct QboUser {
    pub(crate) id: String,
    pub(crate) first_name: String,
    pub(crate) last_name: String,
    pub(crate) email: String,
    pub(crate) user_type: String,
    pub(crate) status: String,
}

impl QboUser {
    pub(crate) fn name(&self) -> String {
        full_name(&self.first_name, &self.last_name)
    }
}

/// The QuickBooks company "Craig's Design and Landscaping".
#[derive(Debug, Clone, Serialize)]
pub(crate) struct QboState {
    pub(crate) users: Vec<QboUser>,
}

impl QboState {
    /// Whether a user or invitee has this email (ASCII case ignored).
    pub(crate) fn has_email(&self, email: &str) -> bool {
        self.users
            .iter()
            .any(|u| u.email.eq_ignore_ascii_case(email))
    }
}

/// A support request sent from the My Xero help menu.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct MyXeroRequest {
    pub(crate) kind: String,
    pub(crate) subject: String,
    pub(crate) details: String,
    pub(crate) give_access: bool,
}

/// The practice "Hartley & Co" and its practice organisation.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct MyXeroState {
    pub(crate) practice_staff_support: bool,
    pub(crate) practice_org_support: bool,
    pub(crate) support_role: Option<String>,
    pub(crate) payroll_admin: bool,
    pub(crate) support_requests: Vec<MyXeroRequest>,
}

impl MyXeroState {
    /// Give Xero Support access to the practice organisation (default role).
    pub(crate) fn grant_org_support(&mut self) {
        if !self.practice_org_support {
            self.practice_org_support = true;
            self.support_role = Some("Adviser".to_string());
            self.payroll_admin = true;
        }
    }

    /// Take Xero Support's access to the practice organisation away.
    pub(crate) fn revoke_org_support(&mut self) {
        self.practice_org_support = false;
        self.support_role = None;
        self.payroll_admin = false;
    }
}

/// Everything one sandbox server remembers.
#[derive(Debug)]
pub(crate) struct World {
    sessions: HashMap<String, Session>,
    token_seed: RandomState,
    counter: u64,
    pub(crate) xero: XeroState,
    pub(crate) qbo: QboState,
    pub(crate) myxero: MyXeroState,
}

fn xero_user(id: &str, first: &str, last: &str, email: &str, ba: &str, admin: bool) -> XeroUser {
    XeroUser {
        id: id.to_string(),
        first_name: first.to_string(),
        last_name: last.to_string(),
        email: email.to_string(),
        projects: if admin { "Admin" } else { "Contributor" }.to_string(),
        business_and_accounting: ba.to_string(),
        org_admin: admin,
        status: "Active".to_string(),
    }
}

fn qbo_user(id: &str, first: &str, last: &str, email: &str, kind: &str) -> QboUser {
    QboUser {
        id: id.to_string(),
        first_name: first.to_string(),
        last_name: last.to_string(),
        email: email.to_string(),
        user_type: kind.to_string(),
        status: "Active".to_string(),
    }
}

impl World {
    /// A fresh world in the seeded state.
    pub(crate) fn new() -> Self {
        let mut world = World {
            sessions: HashMap::new(),
            token_seed: RandomState::new(),
            counter: 0,
            xero: XeroState {
                users: Vec::new(),
                xero_support: false,
                support_requests: Vec::new(),
            },
            qbo: QboState { users: Vec::new() },
            myxero: MyXeroState {
                practice_staff_support: false,
                practice_org_support: false,
                support_role: None,
                payroll_admin: false,
                support_requests: Vec::new(),
            },
        };
        world.reset();
        world
    }

    /// Back to the seeded state; sessions are kept.
    pub(crate) fn reset(&mut self) {
        self.counter = 100;
        self.xero = XeroState {
            users: vec![
                xero_user("u1", "Demo", "Admin", "admin@example.com", "Advisor", true),
                xero_user(
                    "u2",
                    "Sam",
                    "Patel",
                    "sam.patel@example.com",
                    "Standard",
                    false,
                ),
                xero_user(
                    "u3",
                    "Lee",
                    "Wong",
                    "lee.wong@example.com",
                    "Read only",
                    false,
                ),
            ],
            xero_support: false,
            support_requests: Vec::new(),
        };
        let mut owner = qbo_user(
            "q1",
            "Craig",
            "Carlson",
            "admin@example.com",
            "Primary admin",
        );
        owner.status = "Active".to_string();
        self.qbo = QboState {
            users: vec![
                owner,
                qbo_user(
                    "q2",
                    "Emily",
                    "Platt",
                    "emily.platt@example.com",
                    "Standard user",
                ),
                qbo_user(
                    "q3",
                    "Sara",
                    "Lopez",
                    "sara.lopez@example.com",
                    "Reports only",
                ),
            ],
        };
        self.myxero = MyXeroState {
            practice_staff_support: false,
            practice_org_support: false,
            support_role: None,
            payroll_admin: false,
            support_requests: Vec::new(),
        };
        for s in self.sessions.values_mut() {
            s.notice = None;
            s.pending_qbo = None;
        }
    }

    /// A new id with the given prefix, unique within this world.
    pub(crate) fn next_id(&mut self, prefix: &str) -> String {
        self.counter += 1;
        format!("{prefix}{}", self.counter)
    }

    /// Open a session and return its token (128 bits, hex).
    pub(crate) fn open_session(&mut self, provider: Provider, mfa_done: bool) -> String {
        self.counter += 1;
        let mut token = String::new();
        for salt in [0x9e37_79b9_u64, 0x7f4a_7c15] {
            let mut h = self.token_seed.build_hasher();
            h.write_u64(self.counter);
            h.write_u64(salt);
            token.push_str(&format!("{:016x}", h.finish()));
        }
        self.sessions.insert(
            token.clone(),
            Session {
                provider,
                mfa_done,
                notice: None,
                pending_qbo: None,
            },
        );
        token
    }

    /// Replace session `old` by a new token holding the same state, signed in
    /// fully (after the authenticator code), so a token seen before sign-in
    /// (session fixation) no longer works. `None` when `old` is unknown.
    pub(crate) fn rotate_session(&mut self, old: &str, provider: Provider) -> Option<String> {
        let mut session = self
            .sessions
            .remove(old)
            .filter(|s| s.provider == provider)?;
        session.mfa_done = true;
        let token = self.open_session(provider, true);
        self.sessions.insert(token.clone(), session);
        Some(token)
    }

    /// The session for a token, if it belongs to `provider`.
    pub(crate) fn session(&mut self, token: &str, provider: Provider) -> Option<&mut Session> {
        self.sessions
            .get_mut(token)
            .filter(|s| s.provider == provider)
    }

    /// Take the one-shot notice of a session.
    pub(crate) fn take_notice(&mut self, token: &str, provider: Provider) -> Option<String> {
        self.session(token, provider).and_then(|s| s.notice.take())
    }

    /// Set the one-shot notice of a session.
    pub(crate) fn set_notice(&mut self, token: &str, provider: Provider, notice: String) {
        if let Some(s) = self.session(token, provider) {
            s.notice = Some(notice);
        }
    }

    /// The state JSON served at `/__sandbox/state`.
    pub(crate) fn to_json(&self, variant: Option<&str>) -> serde_json::Value {
        let pending = self
            .sessions
            .values()
            .filter(|s| s.pending_qbo.is_some())
            .count();
        serde_json::json!({
            "variant": variant,
            "xero": self.xero,
            "qbo": {"users": self.qbo.users, "pending_invites": pending},
            "myxero": self.myxero,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sessions_are_unique_and_bound_to_their_provider() {
        let mut w = World::new();
        let a = w.open_session(Provider::Xero, false);
        let b = w.open_session(Provider::Xero, false);
        assert_ne!(a, b);
        assert_eq!(a.len(), 32);
        assert!(w.session(&a, Provider::Xero).is_some());
        assert!(w.session(&a, Provider::Qbo).is_none());
        assert!(w.session("nope", Provider::Xero).is_none());
    }

    #[test]
    fn reset_restores_the_seeded_users_and_keeps_sessions() {
        let mut w = World::new();
        let seeded = w.to_json(None);
        let t = w.open_session(Provider::Qbo, true);
        w.qbo.users.clear();
        w.xero.xero_support = true;
        w.myxero.grant_org_support();
        w.set_notice(&t, Provider::Qbo, "x".to_string());
        w.reset();
        assert_eq!(w.to_json(None), seeded);
        assert!(w.session(&t, Provider::Qbo).is_some());
        assert_eq!(w.take_notice(&t, Provider::Qbo), None);
    }

    #[test]
    fn provider_of_path_reads_the_first_segment_only() {
        assert_eq!(Provider::of_path("/xero/settings"), Some(Provider::Xero));
        assert_eq!(Provider::of_path("/myxero"), Some(Provider::MyXero));
        assert_eq!(Provider::of_path("/qbox/x"), None);
        assert_eq!(Provider::of_path("https://evil/xero"), None);
    }
}
