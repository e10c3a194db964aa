//! The executor against real headless Chromium and our own small pages:
//! locating in documentation words, acting, waiting, evidence on disk, and the
//! failure messages a QA engineer reads.

mod common;

use std::collections::BTreeMap;
use std::path::Path;

use clickpath::evidence::{EvidenceWriter, Manifest};
use clickpath::execute::{run, RunConfig, StepStatus};
use clickpath::runbook::{Action, By, Expectation, Template, Value};
use clickpath::secret::Secret;
use common::*;

const PASSWORD: &str = "correct-horse-battery";

fn read_manifest(dir: &Path) -> (String, Manifest) {
    let text = std::fs::read_to_string(dir.join("manifest.json")).expect("manifest.json on disk");
    let m = serde_json::from_str(&text).expect("manifest parses");
    (text, m)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn happy_path_fills_selects_checks_clicks_and_keeps_evidence() {
    with_browser(|browser, base| async move {
        let rb = runbook(
            "invite",
            vec![
                step(
                    3,
                    "Open the app",
                    Action::Goto {
                        url: Template::literal("/app/"),
                    },
                ),
                step(
                    5,
                    "Enter the **Email**",
                    Action::Fill {
                        target: target(By::Label, "Email"),
                        value: Value::Text(Template::literal("carol@example.com")),
                    },
                ),
                step(
                    8,
                    "Enter the **Password**",
                    Action::Fill {
                        target: target(By::Label, "Password"),
                        value: Value::Secret("password".into()),
                    },
                ),
                step(
                    11,
                    "Choose the **Admin** role",
                    Action::Select {
                        target: target(By::Label, "Role"),
                        option: Template::literal("Admin"),
                    },
                ),
                step(
                    14,
                    "Tick **Send me a copy**",
                    Action::Check {
                        target: target(By::Checkbox, "Send me a copy"),
                    },
                ),
                step(
                    16,
                    "Click **Save**",
                    Action::Click {
                        target: target(By::Button, "Save"),
                    },
                ),
                step(
                    18,
                    "The page confirms",
                    Action::Expect(Expectation::Visible(target(
                        By::Text,
                        "Saved carol@example.com as Admin with copy",
                    ))),
                ),
                step(
                    20,
                    "Remove **bob**",
                    Action::Click {
                        target: in_row(target(By::Button, "Remove"), "bob@example.com"),
                    },
                ),
                step(
                    22,
                    "Bob is gone",
                    Action::Expect(Expectation::Absent(target(By::Text, "bob@example.com"))),
                ),
                step(
                    24,
                    "Open **Settings**",
                    Action::Click {
                        target: target(By::Link, "Settings"),
                    },
                ),
                step(
                    26,
                    "Settings opened",
                    Action::Expect(Expectation::Url(Template::literal("/app/settings"))),
                ),
                step(
                    27,
                    "Title says so",
                    Action::Expect(Expectation::Title(Template::literal("Settings"))),
                ),
            ],
        );
        let root = temp_dir("happy");
        let mut config = RunConfig::new(format!("{base}/"), "run-happy");
        config.secrets = BTreeMap::from([("password".to_string(), Secret::new(PASSWORD))]);
        let mut sink = EvidenceWriter::new(&root);
        let outcome = run(&browser, &rb, &config, &mut sink).await;
        if let Some(e) = &outcome.error {
            panic!("run failed:\n{e}");
        }
        assert_eq!(outcome.steps.len(), 12);
        let dir = root.join("run-happy/test/invite");
        let (text, m) = read_manifest(&dir);
        assert!(
            !text.contains(PASSWORD),
            "the secret leaked into the manifest"
        );
        assert_eq!(m.status, "passed");
        assert_eq!(m.steps.len(), 12);
        assert_eq!(m.viewport.width, VIEWPORT.width);
        assert!(m.browser.driver_version.is_some());
        assert!(m.started_at.ends_with('Z') && m.finished_at.is_some());
        for s in &m.steps {
            assert_eq!(s.status, StepStatus::Passed, "step {}", s.number);
            assert!(
                s.round_trips >= 2,
                "step {} counted {} round trips",
                s.number,
                s.round_trips
            );
            let shot = dir.join(s.screenshot.as_deref().expect("screenshot"));
            assert_eq!(
                png_size(&shot),
                (VIEWPORT.width, VIEWPORT.height),
                "{}",
                shot.display()
            );
        }
        assert_eq!(
            m.steps[1].screenshot.as_deref(),
            Some("02-enter-the-email.png")
        );
        assert_eq!(m.steps[0].source, "runbooks/test/flow.yaml:3");
        let el = m.steps[3]
            .element
            .as_ref()
            .expect("select element recorded");
        assert_eq!(
            (el.tag.as_str(), el.role.as_str(), el.name.as_str()),
            ("select", "combobox", "Role")
        );
        assert!(el.bbox.width > 0.0 && el.bbox.height > 0.0);
        assert!(
            m.steps[9].navigated,
            "clicking the link loads a new document"
        );
        assert!(!m.steps[5].navigated);
        assert_eq!(
            m.steps[9].url.as_deref(),
            Some(format!("{base}/app/settings").as_str())
        );
        // The page changed between "Tick" and "Save" (status text, background).
        let shot =
            |i: usize| std::fs::read(dir.join(m.steps[i].screenshot.as_deref().unwrap())).unwrap();
        assert_ne!(
            shot(4),
            shot(5),
            "the Save click changed the page but not the screenshot"
        );
        assert_ne!(
            shot(6),
            shot(7),
            "removing a row changed the page but not the screenshot"
        );
        let latest = std::fs::read_link(root.join("latest")).expect("latest symlink");
        assert_eq!(latest, Path::new("run-happy"));
        let _ = std::fs::remove_dir_all(&root);
    })
    .await;
}
