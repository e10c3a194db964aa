//! The guardian: cleanup that survives SIGKILL.
//!
//! A signal handler cannot run when clickpath is killed with SIGKILL (or
//! crashes, or is OOM-killed), and Chromium is started by chromedriver, not
//! by us, so `PR_SET_PDEATHSIG` on chromedriver would not reach the browser
//! (and it fires on the death of the spawning *thread*, not the process).
//! What the kernel does guarantee is that a dead process's file descriptors
//! are closed. So the first time a run starts chromedriver, clickpath
//! re-executes itself as `clickpath __guard` (hidden from `--help`) with its
//! standard input on a pipe whose write end only clickpath holds (std creates
//! pipes close-on-exec, so chromedriver and Chromium never inherit it).
//! clickpath tells the guardian, one line at a time, which driver process
//! groups and profile directories it owns, and which it has cleaned up
//! itself. When clickpath dies, for any reason, the pipe reaches end of file:
//! the guardian kills each process group it still knows (and every
//! descendant of its leader), removes the profile directories, and exits.
//! After a normal exit it has nothing left to do and exits at once.
//!
//! The guardian runs in its own process group, so the terminal's Ctrl-C (or
//! a signal to clickpath's group) does not stop it before clickpath has
//! finished its own cleanup; it also ignores SIGINT and SIGHUP.
//!
//! Only the binary enables it ([`enable`], from `clickpath run`): a program
//! using the library (the test suites) keeps the drop-based cleanup alone,
//! because re-executing *its* executable would not start a guardian.
//!
//! Protocol (text lines on the guardian's standard input): `pid N START`
//! (a driver, group leader of its own process group, with its start time
//! from `/proc/N/stat`), `dir PATH` (a profile directory), `-pid N` and
//! `-dir PATH` (cleaned up already).

use std::io::{BufRead, Write};
use std::path::{Path, PathBuf};
use std::process::{ChildStdin, Command, Stdio};
use std::sync::{Mutex, OnceLock, PoisonError};
use std::time::Duration;

use super::chromedriver::{kill_tree, poll_until, process_running};

/// The hidden subcommand that runs the guardian.
pub const GUARD_COMMAND: &str = "__guard";

/// The program to re-execute as the guardian, once [`enable`]d.
static PROGRAM: OnceLock<PathBuf> = OnceLock::new();

/// The write end of the guardian's pipe (`None`: not enabled, or it could
/// not be started; cleanup then relies on drops and signal handlers alone).
static CHANNEL: OnceLock<Option<Mutex<ChildStdin>>> = OnceLock::new();

/// Let browser launches start a guardian: `program` (this executable) run as
/// `program __guard`. Call once, before the first launch.
pub fn enable(program: PathBuf) {
    let _ = PROGRAM.set(program);
}

/// The guardian's pipe, starting the guardian on first use.
fn channel() -> Option<&'static Mutex<ChildStdin>> {
    CHANNEL
        .get_or_init(|| {
            let program = PROGRAM.get()?;
            let mut cmd = Command::new(program);
            cmd.arg(GUARD_COMMAND)
                .stdin(Stdio::piped())
                .stdout(Stdio::null())
                .stderr(Stdio::null());
            #[cfg(unix)]
            {
                use std::os::unix::process::CommandExt;
                cmd.process_group(0);
            }
            match cmd.spawn() {
                Ok(mut child) => {
                    tracing::debug!("browser: guardian {} started", child.id());
                    // Never waited for: it outlives us by design, and exits
                    // when our end of the pipe closes.
                    child.stdin.take().map(Mutex::new)
                }
                Err(e) => {
                    tracing::warn!(
                        "could not start the cleanup guardian ({e}); a killed run may leave \
                         its browser behind"
                    );
                    None
                }
            }
        })
        .as_ref()
}

/// Send one line to the guardian, if there is one. Errors are ignored: a
/// guardian that is gone cannot be helped, and the run goes on.
fn send(line: &str) {
    if let Some(channel) = channel() {
        let mut pipe = channel.lock().unwrap_or_else(PoisonError::into_inner);
        let _ = pipe.write_all(line.as_bytes());
        let _ = pipe.flush();
    }
}

/// Have the guardian kill `pid`'s process group and descendants if we die.
pub(crate) fn watch_process(pid: u32) {
    send(&format!("pid {pid} {}\n", start_time(pid).unwrap_or(0)));
}

/// `pid` was stopped by us.
pub(crate) fn release_process(pid: u32) {
    send(&format!("-pid {pid}\n"));
}

/// Have the guardian remove `dir` if we die.
pub(crate) fn watch_dir(dir: &Path) {
    if let Some(line) = path_line("dir", dir) {
        send(&line);
    }
}

/// `dir` was removed by us.
pub(crate) fn release_dir(dir: &Path) {
    if let Some(line) = path_line("-dir", dir) {
        send(&line);
    }
}

/// `tag PATH\n`, unless the path cannot be one line of UTF-8 (such a
/// profile is left to the start-up sweep of stale profiles).
fn path_line(tag: &str, dir: &Path) -> Option<String> {
    let s = dir.to_str()?;
    (!s.contains('\n')).then(|| format!("{tag} {s}\n"))
}

/// The start time of `pid` (field 22 of `/proc/N/stat`, clock ticks since
/// boot): with the pid, it names one process, even after pid reuse.
fn start_time(pid: u32) -> Option<u64> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    let after = stat.get(stat.rfind(')')? + 2..)?;
    // Fields after the command name start at field 3 (state).
    after.split_whitespace().nth(22 - 3)?.parse().ok()
}

/// A driver the guardian watches.
#[derive(Debug, PartialEq, Eq)]
struct Watched {
    pid: u32,
    start: u64,
}

/// What the guardian still has to clean up.
#[derive(Debug, Default, PartialEq, Eq)]
struct Duties {
    processes: Vec<Watched>,
    dirs: Vec<PathBuf>,
}

impl Duties {
    /// Apply one protocol line; unknown lines are ignored.
    fn apply(&mut self, line: &str) {
        let (tag, rest) = line.split_once(' ').unwrap_or((line, ""));
        match tag {
            "pid" => {
                let mut it = rest.split_whitespace().map(str::parse::<u64>);
                if let (Some(Ok(pid)), Some(Ok(start))) = (it.next(), it.next()) {
                    if let Ok(pid) = u32::try_from(pid) {
                        self.processes.push(Watched { pid, start });
                    }
                }
            }
            "-pid" => {
                if let Ok(pid) = rest.trim().parse::<u32>() {
                    self.processes.retain(|w| w.pid != pid);
                }
            }
            "dir" if !rest.is_empty() => self.dirs.push(PathBuf::from(rest)),
            "-dir" => self.dirs.retain(|d| d != Path::new(rest)),
            _ => {}
        }
    }
}

/// How long the guardian waits for killed processes to go away.
const EXIT_TIMEOUT: Duration = Duration::from_secs(3);

/// How long it retries removing a profile (Chromium may still flush).
const PROFILE_TIMEOUT: Duration = Duration::from_secs(2);

/// Run as the guardian (`clickpath __guard`): read duties from standard
/// input until end of file, then clean up whatever is left and return.
pub fn serve() {
    #[cfg(unix)]
    // SAFETY: setting a signal's disposition to SIG_IGN installs no handler
    // and touches no memory of ours.
    unsafe {
        libc::signal(libc::SIGINT, libc::SIG_IGN);
        libc::signal(libc::SIGHUP, libc::SIG_IGN);
    }
    let mut duties = Duties::default();
    let stdin = std::io::stdin();
    for line in stdin.lock().lines() {
        match line {
            Ok(line) => duties.apply(&line),
            // Not one line of UTF-8: not from clickpath; the pipe still ends.
            Err(e) if e.kind() == std::io::ErrorKind::InvalidData => {}
            Err(_) => break,
        }
    }
    let mut killed = Vec::new();
    for w in &duties.processes {
        match start_time(w.pid) {
            // Our driver is still there: its group and all below it.
            Some(start) if start == w.start => killed.extend(kill_tree(w.pid)),
            // The pid now names another process, so our group (whose id
            // kept the number reserved) is gone: nothing of ours to kill.
            Some(_) => {}
            // The driver is gone; members of its group may not be, and the
            // group id cannot have been reused while they live.
            None => killed.extend(kill_tree(w.pid)),
        }
    }
    poll_until(EXIT_TIMEOUT, || !killed.iter().any(|p| process_running(*p)));
    for dir in &duties.dirs {
        poll_until(PROFILE_TIMEOUT, || {
            std::fs::remove_dir_all(dir).is_ok() || !dir.exists()
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn duties_follow_the_protocol_lines() {
        let mut d = Duties::default();
        for line in [
            "pid 41 1234",
            "dir /tmp/clickpath-profile-7-1-0",
            "pid 42 99",
            "-pid 41",
            "dir /tmp/with space",
            "-dir /tmp/clickpath-profile-7-1-0",
            "pid nonsense",
            "whatever",
        ] {
            d.apply(line);
        }
        assert_eq!(d.processes, vec![Watched { pid: 42, start: 99 }]);
        assert_eq!(d.dirs, vec![PathBuf::from("/tmp/with space")]);
    }

    #[test]
    fn a_process_is_named_by_pid_and_start_time() {
        let me = std::process::id();
        let t = start_time(me).expect("our own start time");
        assert_eq!(start_time(me), Some(t));
        assert!(path_line("dir", Path::new("/tmp/a\nb")).is_none());
    }
}
