//! Issue 10, part 6: a real application this project did not write. A stock
//! Django admin (PyPI `django`, pinned in `tests/apps/django/setup.sh`) is
//! migrated into a throwaway SQLite file, given a superuser and a group, and
//! served by `manage.py runserver` on a free loopback port; then the built
//! binary runs the grant-then-revoke runbooks of `tests/apps/django/runbooks/`,
//! written in Django's documentation's words, and the database says what they
//! did. The server is killed at the end, also when an assertion fails.
//!
//! See: issue 10 ("Proof on real components and a real app").

mod binary;
mod django;

use binary::{assert_exit, manifest, require_browser, stderr, stdout, Clickpath};
use django::{app_dir, fresh_secret, Server, Site};

#[test]
fn issue_10_django_admin_grant_then_revoke_from_the_documentation_words() {
    require_browser();
    let site = Site::new();
    let admin_password = fresh_secret("admin");
    let new_password = fresh_secret("new user");
    site.prepare(&admin_password);
    let mut server = Server::start(&site);
    let out_dir = tempfile::tempdir().expect("evidence directory");
    let runbooks = app_dir().join("runbooks");
    let run = |file: &str, vars: &[&str]| {
        let mut c = Clickpath::new()
            .arg("run")
            .args(["--base-url", &server.base_url()])
            .args([
                "--var",
                "admin_username=admin",
                "--var",
                "username=drivetrain",
            ])
            .out(out_dir.path(), "django")
            .env("DJANGO_ADMIN_PASSWORD", &admin_password)
            .env("DJANGO_NEW_USER_PASSWORD", &new_password);
        for v in vars {
            c = c.args(["--var", v]);
        }
        let out = c.arg(runbooks.join(file)).run();
        for (what, text) in [("stderr", stderr(&out)), ("stdout", stdout(&out))] {
            assert!(
                !text.contains(&admin_password) && !text.contains(&new_password),
                "{file}: a password reached {what}"
            );
        }
        assert_exit(&out, 0);
    };

    run("10-grant_staff_access.yaml", &["group=Support"]);
    assert_eq!(
        site.user_state("drivetrain"),
        "is_staff=True groups=['Support']",
        "the grant runbook passed, so the user exists with staff status and the group"
    );
    let grant = manifest(&out_dir.path().join("django/django/grant_staff_access"));
    assert_eq!(grant.steps.len(), 17, "every grant step was recorded");

    run("20-revoke_staff_access.yaml", &[]);
    assert_eq!(
        site.user_state("drivetrain"),
        "absent",
        "the revoke runbook passed, so the user is deleted"
    );

    let group = server.child.id() as i32;
    server.stop();
    // SAFETY: signal 0 only asks whether any process of the group is left.
    #[cfg(unix)]
    let left = unsafe { libc::kill(-group, 0) } == 0;
    #[cfg(not(unix))]
    let left = false;
    assert!(
        !left,
        "processes of runserver's group {group} are still running"
    );
}
