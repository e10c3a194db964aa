//! Issue 13 on a real application: a stock Django admin (PyPI `django`, as
//! in tests/django_admin.rs) whose templates are changed the way a vendor
//! release changes them, one change at a time: each change is the stock
//! template copied from the installed Django with one string replaced, and
//! served ahead of the admin's own templates.
//!
//! For each change: the runbook fails at the step it breaks; with the last
//! good run as a witness (`--baseline`) the intended replacement is the
//! first suggestion; `clickpath fix --write` edits a copy of the runbook and
//! the re-run passes, with the database saying what it did. The first
//! suggestion without a witness is printed beside it (`--nocapture`: the
//! README table), so the witness's gain is measured on the same changes.

mod binary;
mod django;

use std::path::{Path, PathBuf};

use binary::{assert_exit, manifest, require_browser, stderr, Clickpath};
use clickpath::outcome::StepStatus;
use django::{app_dir, fresh_secret, Server, Site};

/// What a change does and what a run on it must say.
struct Change {
    name: &'static str,
    /// The admin template it changes, under `django/contrib/admin/templates/`.
    template: &'static str,
    old: &'static str,
    new: &'static str,
    /// The runbook it breaks.
    runbook: &'static str,
    /// `role "name"` of the intended replacement.
    intended: &'static str,
}

const GRANT: &str = "10-grant_staff_access.yaml";
const REVOKE: &str = "20-revoke_staff_access.yaml";

const CHANGES: &[Change] = &[
    Change {
        name: "add-becomes-new",
        template: "admin/change_list_object_tools.html",
        old: "Add {{ name }}",
        new: "New",
        runbook: GRANT,
        intended: "link \"New\"",
    },
    Change {
        name: "keep-editing",
        template: "admin/submit_line.html",
        old: "'Save and continue editing'",
        new: "'Save and keep editing'",
        runbook: GRANT,
        intended: "button \"Save and keep editing\"",
    },
    Change {
        name: "save-changes",
        template: "admin/submit_line.html",
        old: "{% translate 'Save' %}",
        new: "Save changes",
        runbook: GRANT,
        intended: "button \"Save changes\"",
    },
    Change {
        name: "sign-in",
        template: "admin/login.html",
        old: "{% translate 'Log in' %}",
        new: "Sign in",
        runbook: GRANT,
        intended: "button \"Sign in\"",
    },
    Change {
        name: "delete-becomes-remove",
        template: "admin/submit_line.html",
        old: "{% translate \"Delete\" %}",
        new: "Remove",
        runbook: REVOKE,
        intended: "link \"Remove\"",
    },
    Change {
        name: "yes-delete",
        template: "admin/delete_confirmation.html",
        old: "{% translate 'Yes, I’m sure' %}",
        new: "Yes, delete",
        runbook: REVOKE,
        intended: "button \"Yes, delete\"",
    },
];

/// A template directory holding the stock `c.template` with `c.old`
/// replaced by `c.new` (the stock text must be there: a Django upgrade
/// that changes it fails here, loudly).
fn changed_templates(c: &Change, dir: &Path) {
    let stock = app_dir()
        .join(".pkgs/django/contrib/admin/templates")
        .join(c.template);
    let text =
        std::fs::read_to_string(&stock).unwrap_or_else(|e| panic!("{}: {e}", stock.display()));
    assert!(
        text.contains(c.old),
        "{}: the stock template no longer says {:?}",
        stock.display(),
        c.old
    );
    let target = dir.join(c.template);
    std::fs::create_dir_all(target.parent().expect("a parent")).expect("template dir");
    std::fs::write(&target, text.replacen(c.old, c.new, 1)).expect("changed template");
}

/// Put the database in the state `runbook` starts from: for the grant, no
/// user `drivetrain`; for the revoke, `drivetrain` with staff status and
/// the group `Support`.
fn reset(site: &Site, runbook: &str) {
    let present = runbook == REVOKE;
    let code = format!(
        "from django.contrib.auth.models import User, Group\n\
         User.objects.filter(username='drivetrain').delete()\n\
         if {}:\n    u = User.objects.create_user('drivetrain', is_staff=True)\n    \
         u.groups.add(Group.objects.get(name='Support'))",
        if present { "True" } else { "False" }
    );
    site.run(&["shell", "-v", "0", "-c", &code], &[]);
}

/// A copy of the Django runbooks that `fix --write` may edit.
fn runbook_copy(dir: &Path) -> PathBuf {
    let from = app_dir().join("runbooks");
    let to = dir.join("runbooks");
    std::fs::create_dir_all(&to).expect("runbook copy");
    for e in std::fs::read_dir(&from).expect("runbooks") {
        let p = e.expect("entry").path();
        if p.extension().is_some_and(|x| x == "yaml") {
            std::fs::copy(&p, to.join(p.file_name().expect("name"))).expect("copy");
        }
    }
    to
}

struct Ctx<'a> {
    server: &'a Server,
    admin_password: &'a str,
    new_password: &'a str,
}

impl Ctx<'_> {
    fn run(
        &self,
        runbook: &Path,
        out: &Path,
        run_id: &str,
        extra: &[&str],
    ) -> std::process::Output {
        let group: &[&str] = if runbook.ends_with(GRANT) {
            &["--var", "group=Support"]
        } else {
            &[]
        };
        Clickpath::new()
            .arg("run")
            .args(group)
            .args(["--base-url", &self.server.base_url()])
            .args([
                "--var",
                "admin_username=admin",
                "--var",
                "username=drivetrain",
            ])
            .args(["--timeout", "4s"])
            .args(extra)
            .out(out, run_id)
            .env("DJANGO_ADMIN_PASSWORD", self.admin_password)
            .env("DJANGO_NEW_USER_PASSWORD", self.new_password)
            .arg(runbook)
            .run()
    }
}

/// The flow folder of `runbook`'s run `run_id` under `out`.
fn flow_dir(out: &Path, run_id: &str, runbook: &str) -> PathBuf {
    let flow = runbook
        .trim_end_matches(".yaml")
        .trim_start_matches(|c: char| c.is_ascii_digit() || c == '-');
    out.join(run_id).join("django").join(flow)
}

/// `role "name"` of the first suggestion of the failed step, and the step.
fn first_suggestion(dir: &Path) -> (Option<String>, usize, String) {
    let m = manifest(dir);
    let step = m.failed_step().expect("a failed step");
    let top = step
        .failure
        .as_ref()
        .and_then(|f| f.diagnosis.as_ref())
        .and_then(|d| d.suggestion.as_ref())
        .map(|c| format!("{} {:?}", c.role, c.name));
    let class = step
        .failure
        .as_ref()
        .and_then(|f| f.diagnosis.as_ref())
        .map_or("none".to_string(), |d| d.class.to_string());
    (top, step.number, class)
}

#[test]
fn issue_13_django_template_changes_are_fixed_from_the_last_good_run() {
    require_browser();
    let site = Site::new();
    let admin_password = fresh_secret("admin");
    let new_password = fresh_secret("new user");
    site.prepare(&admin_password);
    let work = tempfile::tempdir().expect("work dir");
    let base_out = work.path().join("baseline");
    let stock_runbooks = app_dir().join("runbooks");

    // The last good run: both runbooks pass on the stock admin.
    {
        let server = Server::start(&site);
        let ctx = Ctx {
            server: &server,
            admin_password: &admin_password,
            new_password: &new_password,
        };
        for rb in [GRANT, REVOKE] {
            reset(&site, rb);
            let out = ctx.run(&stock_runbooks.join(rb), &base_out, "stock", &[]);
            assert_exit(&out, 0);
        }
    }

    let mut rows = Vec::new();
    let (mut without, mut with) = (0, 0);
    for c in CHANGES {
        let dir = work.path().join(c.name);
        let templates = dir.join("templates");
        changed_templates(c, &templates);
        let templates_env = templates.display().to_string();
        let server = Server::start_with(&site, &[("CLICKPATH_DJANGO_TEMPLATES", &templates_env)]);
        let ctx = Ctx {
            server: &server,
            admin_password: &admin_password,
            new_password: &new_password,
        };
        let runbooks = runbook_copy(&dir);
        let runbook = runbooks.join(c.runbook);

        // Without a witness: what the page alone suggests.
        reset(&site, c.runbook);
        let alone = dir.join("alone");
        let out = ctx.run(&runbook, &alone, "drift", &[]);
        assert_exit(&out, 1);
        let (top_alone, _, class_alone) = first_suggestion(&flow_dir(&alone, "drift", c.runbook));
        if top_alone.as_deref() == Some(c.intended) {
            without += 1;
        }

        // With the last good run as the witness.
        reset(&site, c.runbook);
        let out_dir = dir.join("out");
        let baseline = base_out.join("stock");
        let baseline = baseline.display().to_string();
        let out = ctx.run(&runbook, &out_dir, "drift", &["--baseline", &baseline]);
        assert_exit(&out, 1);
        let flow = flow_dir(&out_dir, "drift", c.runbook);
        let (top, number, class) = first_suggestion(&flow);
        assert_eq!(
            top.as_deref(),
            Some(c.intended),
            "{}: the first suggestion with the witness\n{}",
            c.name,
            stderr(&out)
        );
        with += 1;

        // The diagnosis becomes the edit; the edited runbook passes.
        let fixed = Clickpath::new()
            .arg("fix")
            .arg(out_dir.join("drift"))
            .arg("--write")
            .run();
        assert_exit(&fixed, 0);
        reset(&site, c.runbook);
        let out = ctx.run(&runbook, &dir.join("after"), "fixed", &[]);
        assert_exit(&out, 0);
        let m = manifest(&flow_dir(&dir.join("after"), "fixed", c.runbook));
        assert!(m.steps.iter().all(|s| s.status == StepStatus::Passed));
        let state = site.user_state("drivetrain");
        let expected = if c.runbook == GRANT {
            "is_staff=True groups=['Support']"
        } else {
            "absent"
        };
        assert_eq!(state, expected, "{}: the fixed runbook did its job", c.name);
        rows.push(format!(
            "| `{}` | {} | {}: `{}` → `{}` | {} | {} | {} ({class}) | passes |",
            c.name,
            c.runbook.trim_end_matches(".yaml"),
            c.template,
            c.old,
            c.new,
            number,
            top_alone.unwrap_or_else(|| format!("none ({class_alone})")),
            top.unwrap_or_default(),
        ));
    }
    println!("| change | runbook | template edit | step | first suggestion, page alone | first suggestion, with the last good run | after `fix --write` |");
    println!("|---|---|---|---|---|---|---|");
    for r in &rows {
        println!("{r}");
    }
    println!(
        "django drift: intended replacement first: {without}/{} from the page alone, {with}/{} with the last good run",
        CHANGES.len(),
        CHANGES.len()
    );
}
