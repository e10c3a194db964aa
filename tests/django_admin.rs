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
    site.snapshot();
    let mut server = Server::start(&site);
    let out_dir = tempfile::tempdir().expect("evidence directory");
    let runbooks = app_dir().join("runbooks");
    let run = |file: &str, vars: &[&str], run_id: &str| {
        let mut c = Clickpath::new()
            .arg("run")
            .args(["--base-url", &server.base_url()])
            .args([
                "--var",
                "admin_username=admin",
                "--var",
                "username=drivetrain",
            ])
            .out(out_dir.path(), run_id)
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

    run("10-grant_staff_access.yaml", &["group=Support"], "django");
    assert_eq!(
        site.user_state("drivetrain"),
        "is_staff=True groups=['Support']",
        "the grant runbook passed, so the user exists with staff status and the group"
    );
    let grant = manifest(&out_dir.path().join("django/django/grant_staff_access"));
    assert_eq!(grant.steps.len(), 17, "every grant step was recorded");

    run("20-revoke_staff_access.yaml", &[], "django");
    assert_eq!(
        site.user_state("drivetrain"),
        "absent",
        "the revoke runbook passed, so the user is deleted"
    );

    // Issue 14, deterministic captures on a real application: the same two
    // runbooks again (the user was deleted, so the grant works again) give
    // the same screenshots, with the runbooks' masks over what changes by
    // itself (sign-in times, the password's salt and hash). The database is put back as it was before the first
    // round, so the pages have the same rows and ids.
    site.restore();
    run("10-grant_staff_access.yaml", &["group=Support"], "again");
    run("20-revoke_staff_access.yaml", &[], "again");
    let (mut same, mut total, mut differ) = (0, 0, Vec::new());
    for flow in ["grant_staff_access", "revoke_staff_access"] {
        let dir = |id: &str| out_dir.path().join(id).join("django").join(flow);
        let first = manifest(&dir("django"));
        for step in &first.steps {
            let Some(name) = step.screenshot.as_deref() else {
                continue;
            };
            total += 1;
            let a = std::fs::read(dir("django").join(name)).expect("first round");
            let b = std::fs::read(dir("again").join(name)).unwrap_or_default();
            if a == b {
                same += 1;
            } else {
                let (n, what) = binary::png_difference(&a, &b);
                let line = format!("{flow} step {}: {name}: {what}", step.number);
                println!("differs: {line}");
                // Past `run --compare`'s default tolerance: a visible change.
                if n > binary::COMPARE_AREA_PIXELS {
                    differ.push(line);
                }
            }
        }
        let masked = first.steps.iter().filter(|s| !s.masks.is_empty()).count();
        assert!(masked > 0, "{flow}: the runbook's masks covered something");
    }
    println!(
        "django: {same}/{total} screenshots byte-identical over two rounds, {} of them within \
         run --compare's default tolerance (cargo test --test django_admin -- --nocapture)",
        total - differ.len()
    );
    assert!(
        differ.is_empty(),
        "screenshots that differ visibly between two rounds:\n{}",
        differ.join("\n")
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
