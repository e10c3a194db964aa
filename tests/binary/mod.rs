//! Shared helpers for the tests that drive the built `clickpath` binary
//! (check, cli, drift, probe, run, sandbox): the [`Clickpath`] builder that
//! states one invocation, the browser check, the manifest on disk, the
//! processes a run left behind, and polling a condition with a deadline.
#![allow(dead_code)]

use std::ffi::{OsStr, OsString};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

use clickpath::outcome::RunOutcome as Manifest;

/// The binary under test.
pub const BIN: &str = env!("CARGO_BIN_EXE_clickpath");

/// How long [`poll`] waits between two checks.
pub const POLL_INTERVAL: Duration = Duration::from_millis(25);

/// One invocation of the built binary, stated the way just's `Test::new()`
/// states a case: arguments, environment, working directory and standard
/// input, then [`run`](Clickpath::run) it or
/// [`expect_exit`](Clickpath::expect_exit) a status.
///
/// `GITHUB_ACTIONS` is removed from the environment, so the suite prints no
/// CI annotations just because it runs on Actions, unless the test sets it
/// with [`env`](Clickpath::env). Standard input is closed unless the test
/// sets it: nobody is at the terminal.
#[must_use]
#[derive(Default)]
pub struct Clickpath {
    through: Vec<OsString>,
    args: Vec<OsString>,
    env: Vec<(OsString, OsString)>,
    dir: Option<PathBuf>,
    stdin: Option<Stdio>,
}

impl Clickpath {
    /// `clickpath` with no arguments yet.
    pub fn new() -> Self {
        Self::default()
    }

    /// Add one argument.
    pub fn arg(mut self, arg: impl AsRef<OsStr>) -> Self {
        self.args.push(arg.as_ref().to_owned());
        self
    }

    /// Add arguments, in order.
    pub fn args<I>(mut self, args: I) -> Self
    where
        I: IntoIterator,
        I::Item: AsRef<OsStr>,
    {
        self.args
            .extend(args.into_iter().map(|a| a.as_ref().to_owned()));
        self
    }

    /// `--out DIR --run-id ID`: where a run keeps its evidence
    /// (`DIR/ID/<provider>/<flow>/`).
    pub fn out(self, dir: &Path, run_id: &str) -> Self {
        self.arg("--out").arg(dir).args(["--run-id", run_id])
    }

    /// Set an environment variable (setting `GITHUB_ACTIONS` keeps it).
    pub fn env(mut self, key: impl AsRef<OsStr>, value: impl AsRef<OsStr>) -> Self {
        self.env
            .push((key.as_ref().to_owned(), value.as_ref().to_owned()));
        self
    }

    /// Run in `dir` instead of the crate root.
    pub fn current_dir(mut self, dir: impl AsRef<Path>) -> Self {
        self.dir = Some(dir.as_ref().to_owned());
        self
    }

    /// What the binary reads on standard input (closed by default).
    pub fn stdin(mut self, stdin: Stdio) -> Self {
        self.stdin = Some(stdin);
        self
    }

    /// Start the binary through another program that takes a command line,
    /// such as `["xvfb-run", "-a"]`.
    pub fn through<I>(mut self, program: I) -> Self
    where
        I: IntoIterator,
        I::Item: AsRef<OsStr>,
    {
        self.through = program.into_iter().map(|a| a.as_ref().to_owned()).collect();
        self
    }

    /// The command as stated, for a test that needs more control than
    /// [`run`](Clickpath::run) and [`spawn`](Clickpath::spawn) give (an
    /// async child, for example).
    pub fn command(self) -> Command {
        let mut cmd = match self.through.split_first() {
            Some((program, rest)) => {
                let mut cmd = Command::new(program);
                cmd.args(rest).arg(BIN);
                cmd
            }
            None => Command::new(BIN),
        };
        cmd.args(&self.args).env_remove("GITHUB_ACTIONS");
        for (k, v) in &self.env {
            cmd.env(k, v);
        }
        if let Some(dir) = &self.dir {
            cmd.current_dir(dir);
        }
        cmd.stdin(self.stdin.unwrap_or_else(Stdio::null));
        cmd
    }

    /// Run to the end and collect the exit status, stdout and stderr.
    pub fn run(self) -> Output {
        let line = self.command_line();
        self.command()
            .output()
            .unwrap_or_else(|e| panic!("cannot run `{line}`: {e}"))
    }

    /// Start it with stdout and stderr piped (read them with
    /// `wait_with_output`, which also keeps the pipes from filling up).
    pub fn spawn(self) -> Child {
        let line = self.command_line();
        self.command()
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start `{line}`: {e}"))
    }

    /// Run it, assert that it exits with `code` (showing the whole stderr
    /// and stdout when it does not) and return its stderr.
    pub fn expect_exit(self, code: i32) -> String {
        let line = self.command_line();
        let out = self.run();
        assert_exit_of(&line, &out, code);
        stderr(&out)
    }

    /// The command line, for messages.
    fn command_line(&self) -> String {
        self.through
            .iter()
            .map(|a| a.to_string_lossy())
            .chain(["clickpath".into()])
            .chain(self.args.iter().map(|a| a.to_string_lossy()))
            .collect::<Vec<_>>()
            .join(" ")
    }
}

/// A finished run's stderr as text.
pub fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// A finished run's stdout as text.
pub fn stdout(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// Assert that a finished run exited with `code`, showing its whole stderr
/// and stdout when it did not.
pub fn assert_exit(out: &Output, code: i32) {
    assert_exit_of("clickpath", out, code);
}

fn assert_exit_of(line: &str, out: &Output, code: i32) {
    assert!(
        out.status.code() == Some(code),
        "`{line}` exited with {}, expected {code}\n--- stderr\n{}--- stdout\n{}",
        out.status,
        stderr(out),
        stdout(out)
    );
}

/// Fail loudly (never skip) when the browser is missing.
pub fn require_browser() {
    for tool in ["chromedriver", "chromium"] {
        let found = std::env::var_os("PATH")
            .map(|p| std::env::split_paths(&p).any(|d| d.join(tool).is_file()))
            .unwrap_or(false);
        assert!(
            found,
            "{tool} is not installed: these tests drive a real browser. \
             Install it with `apt-get install chromium chromium-driver` (or run ./scripts/deps.sh)."
        );
    }
}

/// What [`run_steps`] left: the exit code, stderr, the manifest and the
/// flow's evidence directory.
pub struct StepsRun {
    pub code: Option<i32>,
    pub err: String,
    pub manifest: Manifest,
    pub evidence: PathBuf,
}

/// Write `steps` (YAML step items) into runbook `name` of `provider` in
/// `dir`, and run it against the loopback site on `port` with a 5 s step
/// timeout and evidence under `dir/shots/r`; `more` adds arguments or
/// environment to the invocation.
pub fn run_steps(
    dir: &Path,
    port: u16,
    provider: &str,
    name: &str,
    steps: &str,
    more: impl FnOnce(Clickpath) -> Clickpath,
) -> StepsRun {
    require_browser();
    let runbook = dir.join(format!("{name}.yaml"));
    std::fs::write(
        &runbook,
        format!(
            "name: {name}\nprovider: {provider}\nbase_url: http://127.0.0.1:1\nsteps:\n{steps}"
        ),
    )
    .expect("write runbook");
    let invocation = Clickpath::new()
        .arg("run")
        .arg("--base-url")
        .arg(format!("http://127.0.0.1:{port}"))
        .out(&dir.join("shots"), "r")
        .args(["--timeout", "5s"]);
    let out = more(invocation).arg(&runbook).run();
    let evidence = dir.join("shots/r").join(provider).join(name);
    StepsRun {
        code: out.status.code(),
        err: stderr(&out),
        manifest: manifest(&evidence),
        evidence,
    }
}

/// The manifest in a flow directory.
pub fn manifest(dir: &Path) -> Manifest {
    manifest_text(dir).1
}

/// The manifest in a flow directory, as written and parsed.
pub fn manifest_text(dir: &Path) -> (String, Manifest) {
    let text = std::fs::read_to_string(dir.join("manifest.json"))
        .unwrap_or_else(|e| panic!("no manifest in {}: {e}", dir.display()));
    let m = serde_json::from_str(&text)
        .unwrap_or_else(|e| panic!("the manifest in {} parses: {e}", dir.display()));
    (text, m)
}

/// Processes (pid, command line) whose environment carries
/// `CLICKPATH_TEST_MARKER=marker`: the chromedriver and Chromium a run
/// started inherit it from the binary.
pub fn processes_with_marker(marker: &str) -> Vec<(String, String)> {
    let needle = format!("CLICKPATH_TEST_MARKER={marker}");
    let mut found = Vec::new();
    for e in std::fs::read_dir("/proc").into_iter().flatten().flatten() {
        let pid = e.file_name().to_string_lossy().to_string();
        if !pid.chars().all(|c| c.is_ascii_digit()) {
            continue;
        }
        let Ok(env) = std::fs::read(e.path().join("environ")) else {
            continue;
        };
        if env.split(|b| *b == 0).any(|kv| kv == needle.as_bytes()) {
            let cmd = std::fs::read(e.path().join("cmdline"))
                .map(|c| String::from_utf8_lossy(&c).replace('\0', " "))
                .unwrap_or_default();
            // A zombie nobody reaped has no command line and holds nothing.
            if !cmd.is_empty() {
                found.push((pid, cmd));
            }
        }
    }
    found
}

/// Wait until no process carries `CLICKPATH_TEST_MARKER=marker`; after
/// `timeout`, fail naming the ones still there.
pub fn assert_no_processes_left(marker: &str, timeout: Duration) {
    let gone = poll(timeout, || {
        let left = processes_with_marker(marker);
        if left.is_empty() {
            Ok(())
        } else {
            Err(left)
        }
    });
    if let Err(left) = gone {
        panic!("browser processes left {timeout:?} after the run: {left:#?}");
    }
}

/// Check `probe` every [`POLL_INTERVAL`] until it returns `Ok`, for at most
/// `timeout` (fantoccini's `Wait`, without a runtime). On timeout the `Err`
/// of the last check says what it saw, for the caller's message.
pub fn poll<T, E>(timeout: Duration, mut probe: impl FnMut() -> Result<T, E>) -> Result<T, E> {
    let deadline = Instant::now() + timeout;
    loop {
        let seen = match probe() {
            Ok(done) => return Ok(done),
            Err(seen) => seen,
        };
        let now = Instant::now();
        if now >= deadline {
            return Err(seen);
        }
        std::thread::sleep(POLL_INTERVAL.min(deadline - now));
    }
}

/// What a [`serve_pages`] site answers to one request.
pub struct Reply {
    /// Status line after `HTTP/1.1`, e.g. `200 OK`.
    pub status: &'static str,
    /// The HTML body.
    pub body: String,
    /// Close the site after this answer: later connections are refused.
    pub last: bool,
}

impl Reply {
    /// `200 OK` with `body`.
    pub fn ok(body: impl Into<String>) -> Self {
        Reply {
            status: "200 OK",
            body: body.into(),
            last: false,
        }
    }

    /// `status` with `body`.
    pub fn status(status: &'static str, body: impl Into<String>) -> Self {
        Reply {
            status,
            body: body.into(),
            last: false,
        }
    }
}

/// A small site on 127.0.0.1 (port chosen by the OS) that answers each
/// request with `respond(target)`, the request's path and query; bounded to
/// 500 connections, gone for good once a reply says `last`.
pub fn serve_pages(respond: impl Fn(&str) -> Reply + Send + 'static) -> u16 {
    use std::io::{BufRead, BufReader, Write};
    let listener =
        std::net::TcpListener::bind("127.0.0.1:0").unwrap_or_else(|e| panic!("bind: {e}"));
    let port = listener
        .local_addr()
        .unwrap_or_else(|e| panic!("local addr: {e}"))
        .port();
    std::thread::spawn(move || {
        for stream in listener.incoming().take(500) {
            let Ok(mut stream) = stream else { continue };
            let Ok(read_half) = stream.try_clone() else {
                continue;
            };
            let mut reader = BufReader::new(read_half);
            let mut line = String::new();
            let _ = reader.read_line(&mut line);
            // Drain the headers; the tests' requests have no body.
            let mut header = String::new();
            while reader.read_line(&mut header).is_ok_and(|n| n > 2) {
                header.clear();
            }
            let target = line.split_whitespace().nth(1).unwrap_or("/");
            let reply = respond(target);
            let _ = write!(
                stream,
                "HTTP/1.1 {}\r\ncontent-type: text/html; charset=utf-8\r\n\
                 content-length: {}\r\nconnection: close\r\n\r\n{}",
                reply.status,
                reply.body.len(),
                reply.body
            );
            let _ = stream.flush();
            if reply.last {
                break; // The listener is dropped: the site is gone.
            }
        }
    });
    port
}

/// A pixel changed past `run --compare`'s default tolerance: one channel
/// more than 16 of 255 apart.
pub const CHANNEL_TOLERANCE: i16 = 16;

/// `run --compare`'s default area tolerance for a 1280x800 viewport: at
/// most 0.1 % of its pixels changed.
pub const COMPARE_AREA_PIXELS: usize = 1024;

/// How two PNG captures differ: the pixels more than
/// [`CHANNEL_TOLERANCE`] apart (`usize::MAX` when they are not two images
/// of one size), and a description (every differing pixel, their bounding
/// box, how many are past the tolerance).
pub fn png_difference(a: &[u8], b: &[u8]) -> (usize, String) {
    let (Ok(a), Ok(b)) = (image::load_from_memory(a), image::load_from_memory(b)) else {
        return (usize::MAX, "not both PNGs".into());
    };
    let (a, b) = (a.to_rgba8(), b.to_rgba8());
    if a.dimensions() != b.dimensions() {
        let what = format!("sizes {:?} and {:?}", a.dimensions(), b.dimensions());
        return (usize::MAX, what);
    }
    let (mut n, mut over, mut x0, mut y0, mut x1, mut y1) = (0, 0, u32::MAX, u32::MAX, 0, 0);
    for (x, y, p) in a.enumerate_pixels() {
        let q = b.get_pixel(x, y);
        if p != q {
            n += 1;
            (x0, y0, x1, y1) = (x0.min(x), y0.min(y), x1.max(x), y1.max(y));
            let far =
                p.0.iter()
                    .zip(q.0)
                    .any(|(u, v)| (i16::from(*u) - i16::from(v)).abs() > CHANNEL_TOLERANCE);
            if far {
                over += 1;
            }
        }
    }
    let what = format!("{n} pixels in ({x0}, {y0})..({x1}, {y1}), {over} past the tolerance");
    (over, what)
}
