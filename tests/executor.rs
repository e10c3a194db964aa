//! The executor against real headless Chromium and our own small pages:
//! locating in documentation words, acting, waiting, evidence on disk, and the
//! failure messages a QA engineer reads.

mod common;

use std::collections::BTreeMap;
use std::path::Path;

use clickpath::evidence::EvidenceWriter;
use clickpath::execute::{run, RunConfig, StepSink, StepStart, Tee};
use clickpath::outcome::{RunOutcome, RunOutcome as Manifest, StepRecord, StepStatus};
use clickpath::runbook::{Action, By, Expectation, Template, Value};
use clickpath::secret::Secret;
use common::*;

const PASSWORD: &str = "correct horse@battery";
/// How the password looks in a GET form's URL.
const PASSWORD_IN_URL: &str = "correct+horse%40battery";
const SEED: &str = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP";

/// An in-memory sink: what a progress display sees.
#[derive(Default)]
struct Progress {
    started: Vec<usize>,
    finished: usize,
}

impl StepSink for Progress {
    fn run_started(&mut self, run: &RunOutcome) -> std::io::Result<Option<std::path::PathBuf>> {
        assert_eq!(run.steps_total, 18);
        Ok(None)
    }
    fn step_started(&mut self, _: &RunOutcome, step: &StepStart<'_>) -> std::io::Result<()> {
        self.started.push(step.number);
        Ok(())
    }
    fn screenshot(&mut self, _: &StepRecord, png: &[u8]) -> std::io::Result<Option<String>> {
        assert!(png.starts_with(b"\x89PNG"));
        self.finished += 1;
        Ok(None)
    }
    fn step_recorded(&mut self, _: &RunOutcome) -> std::io::Result<()> {
        Ok(())
    }
    fn run_finished(&mut self, _: &RunOutcome) -> std::io::Result<()> {
        Ok(())
    }
}

/// The failure as the terminal shows it (without the source line).
fn failure_text(outcome: &RunOutcome) -> Option<String> {
    clickpath::report::terminal::failure(outcome).map(|d| d.render(None))
}

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
                        status: None,
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
                step(
                    28,
                    "Go back",
                    Action::Goto {
                        url: Template::literal("/app/"),
                        status: None,
                    },
                ),
                step(
                    29,
                    "Enter the code",
                    Action::Totp {
                        target: target(By::Placeholder, "Search users"),
                        secret: "totp_seed".into(),
                    },
                ),
                step(
                    30,
                    "Press **Tab**",
                    Action::Press {
                        key: clickpath::runbook::Key::Tab,
                        target: None,
                    },
                ),
                step(
                    31,
                    "Tick **Send me a copy**",
                    Action::Check {
                        target: target(By::Checkbox, "Send me a copy"),
                    },
                ),
                step(
                    31,
                    "Untick **Send me a copy**",
                    Action::Uncheck {
                        target: target(By::Checkbox, "Send me a copy"),
                    },
                ),
                step(
                    32,
                    "Keep a picture",
                    Action::Screenshot {
                        name: Some("final-form".into()),
                        of: None,
                        padding: 0,
                    },
                ),
            ],
        );
        let tmp = tempfile::tempdir().expect("temp dir");
        let root = tmp.path();
        let mut config = RunConfig::new(format!("{base}/"), "run-happy");
        config.secrets = BTreeMap::from([
            ("password".to_string(), Secret::new(PASSWORD)),
            ("totp_seed".to_string(), Secret::new(SEED)),
        ]);
        // Evidence on disk plus an in-memory sink, as a progress display would be.
        let mut sink = Tee(EvidenceWriter::new(root), Progress::default());
        let outcome = run(&*browser, &rb, &config, &mut sink).await;
        assert_eq!(sink.1.started, (1..=18).collect::<Vec<_>>());
        assert_eq!(sink.1.finished, 18);
        if let Some(e) = failure_text(&outcome) {
            panic!("run failed:\n{e}");
        }
        assert_eq!(outcome.steps.len(), 18);
        for s in &outcome.steps {
            eprintln!(
                "step {:2} {:8} round trips {:2} {:4} ms",
                s.number, s.action, s.round_trips, s.duration_ms
            );
        }
        let dir = root.join("run-happy/test/invite");
        let (text, m) = read_manifest(&dir);
        assert!(
            !text.contains(PASSWORD),
            "the secret leaked into the manifest"
        );
        assert_eq!(m.status.name(), "passed");
        assert!(!text.contains(SEED), "the seed leaked into the manifest");
        assert_eq!(m.steps.len(), 18);
        assert_eq!(m.steps[17].screenshot.as_deref(), Some("18-final-form.png"));
        let unticked = m.steps[16].element.as_ref().expect("checkbox recorded");
        assert_eq!(
            (unticked.name.as_str(), unticked.role.as_str()),
            ("Send me a copy", "checkbox")
        );
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
        assert_eq!(m.steps[0].source.to_string(), "runbooks/test/flow.yaml:3:5");
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
    })
    .await;
}

/// Run `steps` as flow `flow`, returning the rendered error (if any), the
/// flow directory and the parsed manifest.
async fn run_case(
    browser: &dyn clickpath::browser::Browser,
    base: &str,
    root: &Path,
    flow: &str,
    steps: Vec<clickpath::runbook::Step>,
) -> (Option<String>, std::path::PathBuf, Manifest) {
    let rb = runbook(flow, steps);
    let config = RunConfig::new(format!("{base}/"), format!("run-{flow}"));
    let mut sink = EvidenceWriter::new(root);
    let outcome = run(browser, &rb, &config, &mut sink).await;
    let dir = root.join(format!("run-{flow}/test/{flow}"));
    let (_, m) = read_manifest(&dir);
    (failure_text(&outcome), dir, m)
}

fn with_timeout(mut s: clickpath::runbook::Step, secs: u64) -> clickpath::runbook::Step {
    s.timeout = Some(std::time::Duration::from_secs(secs));
    s
}

fn goto(line: usize, path: &str) -> clickpath::runbook::Step {
    step(
        line,
        "Open the page",
        Action::Goto {
            url: Template::literal(path),
            status: None,
        },
    )
}

/// The failing step's screenshot is on disk, viewport-sized, and named in the message.
fn assert_failed_shot(msg: &str, dir: &Path, m: &Manifest, number: usize) {
    let s = m
        .steps
        .iter()
        .find(|s| s.number == number)
        .expect("failed step in manifest");
    assert_eq!(s.status, StepStatus::Failed);
    let name = s.screenshot.as_deref().expect("failure screenshot");
    assert!(
        name.starts_with(&format!("{number:02}-")) && name.ends_with("-FAILED.png"),
        "{name}"
    );
    let path = dir.join(name);
    assert_eq!(png_size(&path), (VIEWPORT.width, VIEWPORT.height));
    assert!(
        msg.contains(&format!("= screenshot: {}", path.display())),
        "{msg}"
    );
    assert_eq!(m.status.name(), "failed");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn failures_name_the_step_the_locator_and_what_the_page_offers() {
    with_browser(|browser, base| async move {
        let tmp = tempfile::tempdir().expect("temp dir");
        let root = tmp.path();

        // 1. A renamed button: nothing matches; the page offers the new name first.
        let (msg, dir, m) = run_case(&*browser, &base, root, "renamed", vec![
            goto(3, "/app/settings"),
            with_timeout(step(21, "Click **Invite a User**", Action::Click {
                target: target(By::Button, "Invite a user"),
            }), 1),
            step(25, "Enter the email", Action::Fill {
                target: target(By::Label, "Email"),
                value: Value::Text(Template::literal("x@example.com")),
            }),
        ]).await;
        let msg = msg.expect("the renamed button fails");
        let expected_head = format!(
            "error: step 2 of runbooks/test/renamed.yaml failed: no button named \"Invite a user\"\n  \
             --> runbooks/test/flow.yaml:21:5\n   \
             = the page does not match this step\n   \
             = doc: Click **Invite a User**\n   \
             = locator: button \"Invite a user\"\n   = url: {base}/app/settings\n   \
             = page offers: button \"Invite user\" (main), button \"Add Xero support\" (main)\n"
        );
        assert!(msg.starts_with(&expected_head), "got:\n{msg}\nexpected to start with:\n{expected_head}");
        assert_failed_shot(&msg, &dir, &m, 2);
        assert_eq!(m.steps.len(), 3);
        assert_eq!(m.steps[0].status, StepStatus::Passed);
        assert!(matches!(m.steps[2].status, StepStatus::Skipped { .. }));
        let f = m.steps[1].failure.as_ref().expect("failure recorded");
        assert_eq!(f.kind.name(), "not_found");
        assert_eq!(f.candidates()[0].name, "Invite user");
        // Issue 6: the drift is classified, with the top suggestion.
        assert!(msg.contains("   = diagnosis: renamed \u{2014} did you mean button \"Invite user\" (main) instead of \"Invite a user\"?\n"), "{msg}");
        let d = f.diagnosis.as_ref().expect("diagnosis recorded");
        assert_eq!(d.class, clickpath::locate::DriftClass::Renamed);
        assert_eq!(d.suggestion.as_ref().map(|c| c.name.as_str()), Some("Invite user"));

        // 2. Two buttons named "Save": strict mode names both, at once.
        let started = std::time::Instant::now();
        let (msg, dir, m) = run_case(&*browser, &base, root, "dupes", vec![
            goto(3, "/app/dupes"),
            step(7, "Click **Save**", Action::Click { target: target(By::Button, "Save") }),
        ]).await;
        let msg = msg.expect("ambiguous fails");
        assert!(started.elapsed() < std::time::Duration::from_secs(5), "ambiguity must fail at once");
        assert!(msg.contains("failed: button \"Save\" matches 2 elements: button \"Save\" at "), "{msg}");
        assert!(msg.contains("in region \"Top\"") && msg.contains("in region \"Bottom\""), "{msg}");
        assert_failed_shot(&msg, &dir, &m, 2);
        let f = m.steps[1].failure.as_ref().unwrap();
        assert_eq!((f.kind.name(), f.candidates().len()), ("ambiguous", 2));
        // ... and `nth` picks one.
        let mut second = target(By::Button, "Save");
        second.nth = Some(2);
        let (msg, _, m) = run_case(&*browser, &base, root, "nth", vec![
            goto(3, "/app/dupes"),
            step(7, "Click the second **Save**", Action::Click { target: second }),
        ]).await;
        assert!(msg.is_none(), "{msg:?}");
        assert!(m.steps[1].element.as_ref().unwrap().bbox.y > 150.0);

        // 3. A modal backdrop covers the button: the message names the cover.
        let (msg, dir, m) = run_case(&*browser, &base, root, "covered", vec![
            goto(3, "/app/modal"),
            with_timeout(step(9, "Click **Delete**", Action::Click {
                target: target(By::Button, "Delete"),
            }), 1),
        ]).await;
        let msg = msg.expect("covered fails");
        assert!(msg.contains("failed: button \"Delete\" is covered by div#backdrop"), "{msg}");
        assert_failed_shot(&msg, &dir, &m, 2);
        let f = m.steps[1].failure.as_ref().unwrap();
        assert_eq!((f.kind.name(), f.candidates()[0].name.as_str()), ("covered", "Delete"));
        assert!(!msg.contains("page offers"), "the target exists; nothing else to offer: {msg}");

        // 4. Content inserted late by a setTimeout: the click waits for it.
        let (msg, _, m) = run_case(&*browser, &base, root, "late", vec![
            goto(3, "/app/late"),
            step(5, "Click **Continue**", Action::Click { target: target(By::Button, "Continue") }),
            step(6, "It continued", Action::Expect(Expectation::Title(Template::literal("Continued")))),
        ]).await;
        assert!(msg.is_none(), "{msg:?}");
        assert!(m.steps[1].duration_ms >= 300, "the button appears after 700 ms: {}", m.steps[1].duration_ms);
        // The page waited for the button (a MutationObserver in the
        // resolver's script), so no poll from Rust per 100 ms: one resolver
        // call, the click, the page state, stilling the page for its
        // capture, the screenshot.
        assert!(
            m.steps[1].round_trips <= 5,
            "one resolver round trip should have waited in the page: {} round trips",
            m.steps[1].round_trips
        );

        // 5. An expectation that never becomes true, with a 1 s step timeout.
        let started = std::time::Instant::now();
        let (msg, dir, m) = run_case(&*browser, &base, root, "never", vec![
            goto(3, "/app/"),
            with_timeout(step(8, "You see **Welcome back**", Action::Expect(Expectation::Visible(
                target(By::Text, "Welcome back"),
            ))), 1),
        ]).await;
        let msg = msg.expect("expect fails");
        let took = started.elapsed();
        assert!(took >= std::time::Duration::from_secs(1) && took < std::time::Duration::from_secs(8), "{took:?}");
        assert!(msg.contains("failed: timed out after 1s waiting for text \"Welcome back\" to be visible"), "{msg}");
        assert_failed_shot(&msg, &dir, &m, 2);
        assert_eq!(m.steps[1].failure.as_ref().unwrap().kind.name(), "timeout");

        // 6. A control inside a closed menu: not visible, and inside what.
        let (msg, dir, m) = run_case(&*browser, &base, root, "hidden", vec![
            goto(3, "/app/hidden"),
            with_timeout(step(4, "Click **Export**", Action::Click { target: target(By::Button, "Export") }), 1),
        ]).await;
        let msg = msg.expect("hidden fails");
        assert!(msg.contains("failed: button \"Export\" is not visible: it is inside div#more which has display:none (click button \"Menu\" to reveal it)"), "{msg}");
        assert!(msg.contains("= diagnosis: hidden \u{2014} button \"Export\" exists but is hidden inside div#more; click button \"Menu\" first to reveal it"), "{msg}");
        assert_failed_shot(&msg, &dir, &m, 2);
        let d = m.steps[1].failure.as_ref().and_then(|f| f.diagnosis.as_ref()).expect("diagnosis");
        assert_eq!(d.reveal.as_deref(), Some("button \"Menu\""));

        // 7. The page went elsewhere by itself (a session that expired): not
        // a rename on the sign-in page but the wrong page (issue 6).
        let (msg, dir, m) = run_case(&*browser, &base, root, "expiring", vec![
            goto(3, "/app/expiring"),
            with_timeout(step(5, "Click **Invite a User**", Action::Click {
                target: target(By::Button, "Invite a user"),
            }), 3),
        ]).await;
        let msg = msg.expect("the redirected page fails");
        assert!(msg.contains("= diagnosis: wrong_page \u{2014} the page changed after step 1 although this step had not acted: it ended on \"Users\" (/app/expiring), now it is the page without a heading at /app/login"), "{msg}");
        assert_failed_shot(&msg, &dir, &m, 2);

        if std::env::var_os("CLICKPATH_KEEP_EVIDENCE").is_some() {
            eprintln!("evidence kept in {}", tmp.keep().display());
        }
    })
    .await;
}

#[tokio::test]
async fn a_missing_chromedriver_is_one_paragraph_naming_the_packages() {
    let config = clickpath::browser::BrowserConfig {
        chromedriver: Some("/nonexistent/chromedriver".into()),
        ..Default::default()
    };
    let err = clickpath::browser::launch(&config)
        .await
        .expect_err("no driver there");
    let msg = err.to_string();
    assert!(
        msg.contains("/nonexistent/chromedriver does not exist"),
        "{msg}"
    );
    assert!(
        msg.contains("apt-get install chromium chromium-driver"),
        "{msg}"
    );
    assert!(!msg.contains('\n'), "one paragraph: {msg}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn dropping_the_browser_without_close_kills_driver_and_chromium() {
    let config = clickpath::browser::BrowserConfig {
        viewport: VIEWPORT,
        ..Default::default()
    };
    let browser = clickpath::browser::launch(&config)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let driver = browser.driver_pid().expect("we started chromedriver");
    let mut spawned = descendants(driver);
    assert!(!spawned.is_empty(), "chromium runs below chromedriver");
    spawned.push(driver);
    drop(browser); // the panic / early-return path
    let left: Vec<u32> = spawned.into_iter().filter(|p| alive(*p)).collect();
    assert!(left.is_empty(), "left after drop: {left:?}");
}

/// `--webdriver URL`: connect to a chromedriver someone else started.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn connects_to_a_running_webdriver_endpoint() {
    use std::process::{Command, Stdio};
    let port = std::net::TcpListener::bind(("127.0.0.1", 0))
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("free port");
    let mut driver = Command::new("chromedriver")
        .arg(format!("--port={port}"))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("chromedriver on PATH (apt-get install chromium chromium-driver)");
    // Poll until the endpoint accepts connections.
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
    let mut tick = tokio::time::interval(std::time::Duration::from_millis(50));
    loop {
        tick.tick().await;
        match tokio::net::TcpStream::connect(("127.0.0.1", port)).await {
            Ok(_) => break,
            Err(e) => assert!(
                std::time::Instant::now() < deadline,
                "chromedriver did not listen on 127.0.0.1:{port} within 20 s: {e}"
            ),
        }
    }
    let base = serve().await;
    let config = clickpath::browser::BrowserConfig {
        webdriver_url: Some(format!("http://127.0.0.1:{port}")),
        viewport: VIEWPORT,
        ..Default::default()
    };
    let result = async {
        let browser = clickpath::browser::launch(&config)
            .await
            .map_err(|e| e.to_string())?;
        assert!(browser.driver_pid().is_none(), "nothing started by us");
        let rb = runbook("remote", vec![goto(1, "/app/settings")]);
        let tmp = tempfile::tempdir().expect("temp dir");
        let root = tmp.path();
        let mut sink = EvidenceWriter::new(root);
        let outcome = run(
            &*browser,
            &rb,
            &RunConfig::new(&base, "run-remote"),
            &mut sink,
        )
        .await;
        browser.close().await;
        let (_, m) = read_manifest(&root.join("run-remote/test/remote"));
        let shot = root
            .join("run-remote/test/remote")
            .join(m.steps[0].screenshot.clone().unwrap_or_default());
        let size = png_size(&shot);
        Ok::<_, String>((outcome.passed(), m.browser.name, size))
    }
    .await;
    let _ = driver.kill();
    let _ = driver.wait();
    let (passed, name, size) = result.expect("session through --webdriver");
    assert!(passed);
    assert_eq!(name, "chrome");
    assert_eq!(size, (VIEWPORT.width, VIEWPORT.height));
}

/// A button that a framework re-renders every 40 ms goes stale between
/// locate and click; the step re-resolves it within the same deadline.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_rerendered_element_is_resolved_again() {
    with_browser(|browser, base| async move {
        let tmp = tempfile::tempdir().expect("temp dir");
        let root = tmp.path();
        let (msg, _, m) = run_case(
            &*browser,
            &base,
            root,
            "rerender",
            vec![
                goto(1, "/app/rerender"),
                with_timeout(
                    step(
                        2,
                        "Click **Refresh**",
                        Action::Click {
                            target: target(By::Button, "Refresh"),
                        },
                    ),
                    5,
                ),
                step(
                    3,
                    "It was clicked once",
                    Action::Expect(Expectation::Title(Template::literal("Clicked 1"))),
                ),
            ],
        )
        .await;
        assert!(msg.is_none(), "{msg:?}");
        assert_eq!(m.steps.len(), 3);
        // locate, click (stale), locate, click, page state, stilling the
        // page, screenshot.
        assert!(
            m.steps[1].round_trips >= 7,
            "the first click should have gone stale: {} round trips",
            m.steps[1].round_trips
        );
    })
    .await;
}

/// Accessible names the way the accessibility tree computes them, and scopes.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn names_come_from_aria_labels_alt_title_value_and_scopes_narrow_the_search() {
    use clickpath::runbook::Scope;
    with_browser(|browser, base| async move {
        let tmp = tempfile::tempdir().expect("temp dir");
        let root = tmp.path();
        let mut ok_in_dialog = target(By::Button, "OK");
        ok_in_dialog.within = Some(Box::new(Scope::Dialog(Some(Template::literal("Invite")))));
        let mut ok_in_region = target(By::Button, "OK");
        ok_in_region.within = Some(Box::new(Scope::Region(Template::literal("Other"))));
        let (msg, _, m) = run_case(
            &*browser,
            &base,
            root,
            "names",
            vec![
                goto(1, "/app/names"),
                step(
                    2,
                    "Click the gear",
                    Action::Click {
                        target: target(By::Button, "Settings"),
                    },
                ),
                step(
                    3,
                    "Click help",
                    Action::Click {
                        target: target(By::Button, "Help"),
                    },
                ),
                step(
                    4,
                    "Open the menu",
                    Action::Click {
                        target: target(By::Link, "Menu"),
                    },
                ),
                step(
                    5,
                    "Name the company",
                    Action::Fill {
                        target: target(By::Label, "Company name"),
                        value: Value::Text(Template::literal("Demo Company (UK)")),
                    },
                ),
                step(
                    6,
                    "Search",
                    Action::Fill {
                        target: target(By::Placeholder, "Search"),
                        value: Value::Text(Template::literal("x")),
                    },
                ),
                step(
                    7,
                    "OK in the dialog",
                    Action::Click {
                        target: ok_in_dialog,
                    },
                ),
                step(
                    8,
                    "Dialog OK",
                    Action::Expect(Expectation::Title(Template::literal("Dialog OK"))),
                ),
                step(
                    9,
                    "OK in Other",
                    Action::Click {
                        target: ok_in_region,
                    },
                ),
                step(
                    10,
                    "Send",
                    Action::Click {
                        target: target(By::Button, "Send invite"),
                    },
                ),
                step(
                    11,
                    "Sent",
                    Action::Expect(Expectation::Title(Template::literal("Sent"))),
                ),
            ],
        )
        .await;
        assert!(msg.is_none(), "{}", msg.unwrap_or_default());
        let roles: Vec<(String, String)> = m.steps[1..=5]
            .iter()
            .map(|s| {
                s.element
                    .as_ref()
                    .map(|e| (e.role.clone(), e.name.clone()))
                    .unwrap_or_default()
            })
            .collect();
        assert_eq!(
            roles,
            [
                ("button".to_string(), "Settings".to_string()),
                ("button".into(), "Help".into()),
                ("link".into(), "Menu".into()),
                ("textbox".into(), "Company name".into()),
                ("textbox".into(), "Search".into()),
            ]
        );
        // Without a scope, "OK" is ambiguous.
        let (msg, _, _) = run_case(
            &*browser,
            &base,
            root,
            "names-ambiguous",
            vec![
                goto(1, "/app/names"),
                step(
                    2,
                    "OK",
                    Action::Click {
                        target: target(By::Button, "OK"),
                    },
                ),
            ],
        )
        .await;
        let msg = msg.expect("two OK buttons");
        assert!(
            msg.contains("in dialog \"Invite\"") && msg.contains("in region \"Other\""),
            "{msg}"
        );
    })
    .await;
}

/// Probe mode stops before the first destructive step, after checking it.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn probe_verifies_the_destructive_step_without_acting() {
    with_browser(|browser, base| async move {
        let tmp = tempfile::tempdir().expect("temp dir");
        let root = tmp.path();
        let mut remove = step(
            3,
            "Remove **bob**",
            Action::Click {
                target: in_row(target(By::Button, "Remove"), "bob@example.com"),
            },
        );
        remove.destructive = true;
        let rb = runbook(
            "probe",
            vec![
                goto(1, "/app/"),
                remove,
                step(
                    5,
                    "Bob is gone",
                    Action::Expect(Expectation::Absent(target(By::Text, "bob@example.com"))),
                ),
            ],
        );
        let mut config = RunConfig::new(&base, "run-probe");
        config.probe = true;
        let mut sink = EvidenceWriter::new(root);
        let outcome = run(&*browser, &rb, &config, &mut sink).await;
        assert!(outcome.passed(), "{:?}", failure_text(&outcome));
        assert_eq!(outcome.probed_through, Some(2));
        let (_, m) = read_manifest(&root.join("run-probe/test/probe"));
        assert_eq!(m.steps[1].status, StepStatus::Probed);
        assert!(matches!(m.steps[2].status, StepStatus::Skipped { .. }));
        // Nothing was removed: bob's row is still there.
        let (msg, _, _) = run_case(
            &*browser,
            &base,
            root,
            "probe-check",
            vec![step(
                1,
                "Bob is still listed",
                Action::Expect(Expectation::Visible(target(By::Text, "bob@example.com"))),
            )],
        )
        .await;
        assert!(msg.is_none(), "{msg:?}");
    })
    .await;
}

/// A secret that ends up in the URL (a GET form) is redacted everywhere.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn secrets_are_redacted_from_urls_messages_and_manifest() {
    with_browser(|browser, base| async move {
        let tmp = tempfile::tempdir().expect("temp dir");
        let root = tmp.path();
        let rb = runbook(
            "secrets",
            vec![
                goto(1, "/app/login"),
                step(
                    2,
                    "Enter the password",
                    Action::Fill {
                        target: target(By::Label, "Password"),
                        value: Value::Secret("password".into()),
                    },
                ),
                step(
                    3,
                    "Log in",
                    Action::Click {
                        target: target(By::Button, "Log in"),
                    },
                ),
                with_timeout(
                    step(
                        4,
                        "Lands on the dashboard",
                        Action::Expect(Expectation::Url(Template::literal("/dashboard"))),
                    ),
                    1,
                ),
            ],
        );
        let mut config = RunConfig::new(&base, "run-secrets");
        config.secrets = BTreeMap::from([("password".to_string(), Secret::new(PASSWORD))]);
        let mut sink = EvidenceWriter::new(root);
        let outcome = run(&*browser, &rb, &config, &mut sink).await;
        let msg = failure_text(&outcome).expect("no dashboard");
        assert!(
            !msg.contains(PASSWORD) && !msg.contains(PASSWORD_IN_URL),
            "{msg}"
        );
        assert!(msg.contains("pw=***"), "{msg}");
        let (text, m) = read_manifest(&root.join("run-secrets/test/secrets"));
        assert!(
            !text.contains(PASSWORD) && !text.contains(PASSWORD_IN_URL),
            "{text}"
        );
        assert!(m.steps[2].navigated);
        assert!(
            m.steps[2]
                .url
                .as_deref()
                .is_some_and(|u| u.ends_with("pw=***")),
            "{:?}",
            m.steps[2].url
        );
    })
    .await;
}

/// A secret typed into a field that shows its text (not `type=password`) is
/// masked on the page before the screenshot; a password field is left alone
/// (the browser already hides it).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_secret_typed_into_a_plain_text_field_is_masked_before_the_screenshot() {
    with_browser(|browser, base| async move {
        let rb = runbook(
            "mask",
            vec![
                step(3, "Open the app", Action::Goto { url: Template::literal("/app/"), status: None }),
                step(
                    4,
                    "Paste the API token",
                    Action::Fill {
                        target: target(By::Placeholder, "Search users"),
                        value: Value::Secret("password".into()),
                    },
                ),
                step(
                    5,
                    "Enter the password",
                    Action::Fill {
                        target: target(By::Label, "Password"),
                        value: Value::Secret("password".into()),
                    },
                ),
            ],
        );
        let tmp = tempfile::tempdir().expect("temp dir");
        let root = tmp.path();
        let mut config = RunConfig::new(format!("{base}/"), "run-mask");
        config.secrets = BTreeMap::from([("password".to_string(), Secret::new(PASSWORD))]);
        let mut sink = EvidenceWriter::new(root);
        let outcome = clickpath::execute::run(&*browser, &rb, &config, &mut sink).await;
        assert!(outcome.passed(), "{:?}", failure_text(&outcome));
        let seen = browser
            .execute(
                "const q = document.getElementById('q'), pw = document.getElementById('pw'); \
                 return [q.value, getComputedStyle(q).webkitTextSecurity, \
                         q.hasAttribute('data-clickpath-masked'), pw.hasAttribute('data-clickpath-masked')];",
                vec![],
            )
            .await
            .expect("read the fields");
        assert_eq!(seen[0], PASSWORD, "the field still holds the secret for the page");
        assert_eq!(seen[1], "disc", "the plain text field is masked");
        assert_eq!(seen[2], true);
        assert_eq!(seen[3], false, "a password field needs no mask");
        let (text, _) = read_manifest(&root.join("run-mask/test/mask"));
        assert!(!text.contains(PASSWORD));
    })
    .await;
}
