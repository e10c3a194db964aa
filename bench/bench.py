#!/usr/bin/env python3
"""Side-by-side benchmark of clickpath, Playwright and Selenium (issue 12).

Called by bench/run.sh once the tools are built and installed; Python
standard library only. Drives the same flows with the three tools against the
same loopback servers, the same Chromium and the same flags, alternating the
tools run by run, and prints two markdown tables (equal evidence; as each
tool's users usually write it), also written to bench/results/latest.md with
the raw figures in bench/results/latest.json. bench/README.md says what each
figure means. Any failure stops the benchmark with the tool's stderr.
"""
import argparse
import datetime
import json
import os
import platform
import secrets
import shutil
import signal
import socket
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "bench"
CLICKPATH = ROOT / "target" / "release" / "clickpath"
CHROMIUM = "/usr/bin/chromium"
CHROMEDRIVER = "/usr/bin/chromedriver"
VENV_PY = BENCH / ".venv" / "bin" / "python"
PLAYWRIGHT_DIR = BENCH / "peers" / "playwright"
SELENIUM_DIR = BENCH / "peers" / "selenium"
DJANGO_DIR = ROOT / "tests" / "apps" / "django"
RESULTS = BENCH / "results"
RUN_TIMEOUT_S = 600
QUIET_LOAD = 1.0

# (key, tool, evidence): the order of the runs inside every round.
RUNS = [
    ("clickpath", "clickpath", "every"),
    ("playwright", "playwright", "every"),
    ("selenium", "selenium", "every"),
    ("playwright-doc", "playwright", "doc"),
    ("selenium-doc", "selenium", "doc"),
]
LABEL = {"clickpath": "clickpath", "playwright": "Playwright", "selenium": "Selenium"}


class BenchError(Exception):
    """A failure that stops the benchmark; the message says what and why."""


def say(msg):
    print(msg, file=sys.stderr, flush=True)


# ---------------------------------------------------------------- machine


def read(path):
    return Path(path).read_text(encoding="utf-8", errors="replace")


def loadavg():
    parts = read("/proc/loadavg").split()
    return float(parts[0]), " ".join(parts[:3])


def check_load(wait_quiet):
    """The load average before starting; with --wait-quiet, wait (up to 30 min) for it to drop."""
    one, text = loadavg()
    if one > QUIET_LOAD and wait_quiet:
        say(f"bench: 1-minute load {one:.2f} > {QUIET_LOAD}: waiting for the machine to go quiet (--wait-quiet)")
        deadline = time.monotonic() + 1800
        while one > QUIET_LOAD and time.monotonic() < deadline:
            time.sleep(15)
            one, text = loadavg()
            say(f"bench: load average {text}")
    warning = None
    if one > QUIET_LOAD:
        warning = (f"WARNING: the 1-minute load average was {one:.2f} (> {QUIET_LOAD}) at the start: "
                   "the machine was busy, these figures are not to be trusted")
        say("!" * 78 + f"\n{warning}\n" + "!" * 78)
    return text, warning


def version(cmd, cwd=None, env=None):
    try:
        out = subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, text=True, timeout=60)
    except OSError as e:
        raise BenchError(f"cannot run {cmd[0]}: {e}") from e
    if out.returncode != 0:
        raise BenchError(f"{' '.join(map(str, cmd))} failed ({out.returncode}):\n{out.stderr}")
    return out.stdout.strip()


def machine(django):
    cpu = next((l.split(":", 1)[1].strip() for l in read("/proc/cpuinfo").splitlines()
                if l.startswith("model name")), platform.processor() or "unknown")
    mem_kib = next(int(l.split()[1]) for l in read("/proc/meminfo").splitlines() if l.startswith("MemTotal"))
    pw = json.loads(read(PLAYWRIGHT_DIR / "node_modules" / "playwright-core" / "package.json"))["version"]
    return {
        "date": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
        "nproc": os.cpu_count(),
        "cpu": cpu,
        "ram_gib": round(mem_kib / 1024 / 1024, 1),
        "kernel": platform.release(),
        "chromium": version([CHROMIUM, "--version"]),
        "chromedriver": version([CHROMEDRIVER, "--version"]).split(" (")[0],
        "clickpath": version([str(CLICKPATH), "--version"]) + " (release build)",
        "node": version(["node", "--version"]),
        "playwright_core": pw,
        "python": platform.python_version(),
        "selenium": version([str(VENV_PY), "-c", "import selenium; print(selenium.__version__)"]),
        "django": django.version if django else None,
        "django_hasher": django.hasher if django else None,
    }


def preflight(flows):
    """Everything the benchmark needs, or a failure naming the Debian package."""
    need = [(CHROMIUM, "chromium"), (CHROMEDRIVER, "chromium-driver")]
    for path, pkg in need:
        if not os.access(path, os.X_OK):
            raise BenchError(f"{path} is missing: apt-get install -y {pkg}")
    for cmd, pkg in [("node", "nodejs"), ("npm", "npm"), ("python3", "python3")]:
        if not shutil.which(cmd):
            raise BenchError(f"`{cmd}` is not on PATH: apt-get install -y {pkg}")
    # clickpath takes the browser from PATH: it must be the same binary as the peers'.
    found = shutil.which("chromium")
    if not found or os.path.realpath(found) != os.path.realpath(CHROMIUM):
        raise BenchError(f"`chromium` on PATH is {found}, not {CHROMIUM}: clickpath would drive another browser")
    for path, how in [
        (CLICKPATH, "cargo build --release (bench/run.sh does it)"),
        (VENV_PY, "bench/run.sh creates bench/.venv (apt-get install -y python3-venv if `python3 -m venv` fails)"),
        (PLAYWRIGHT_DIR / "node_modules" / "playwright-core", "bench/run.sh runs npm ci in bench/peers/playwright"),
    ]:
        if not Path(path).exists():
            raise BenchError(f"{path} is missing: {how}")
    if "server" in flows and not (DJANGO_DIR / ".pkgs" / "django").is_dir():
        raise BenchError("Django is not installed: tests/apps/django/setup.sh (bench/run.sh runs it)")


# ---------------------------------------------------------------- servers


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def http(method, url, timeout=5):
    req = urllib.request.Request(url, method=method, data=b"" if method == "POST" else None)
    with urllib.request.urlopen(req, timeout=timeout) as r:
        return r.status, r.read()


def kill_group(proc):
    """End a process started with start_new_session=True, and its group: SIGTERM
    first, so a tool closes its browser and driver (clickpath, Playwright and
    chromedriver do), then SIGKILL after 5 s."""
    if proc is None:
        return
    for sig, grace in ((signal.SIGTERM, 5), (signal.SIGKILL, 5)):
        try:
            os.killpg(proc.pid, sig)
        except (ProcessLookupError, PermissionError):
            pass
        try:
            proc.wait(timeout=grace)
            break
        except subprocess.TimeoutExpired:
            continue
    try:
        os.killpg(proc.pid, signal.SIGKILL)  # whatever of the group outlived its leader
    except (ProcessLookupError, PermissionError):
        pass


class Sandbox:
    """One `clickpath sandbox` for the whole benchmark, on a loopback port the OS chose."""

    def __init__(self, tmp):
        self.log = tmp / "sandbox.log"
        self.proc = subprocess.Popen(
            [str(CLICKPATH), "sandbox", "--port", "0"], stdout=open(self.log, "w"),
            stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, start_new_session=True)
        deadline = time.monotonic() + 30
        self.root = None
        while self.root is None:
            text = read(self.log)
            for line in text.splitlines():
                if "listening on http://" in line:
                    self.root = line.split("listening on ", 1)[1].strip().rstrip("/")
            if self.proc.poll() is not None:
                raise BenchError(f"clickpath sandbox exited ({self.proc.returncode}):\n{text}")
            if self.root is None:
                if time.monotonic() > deadline:
                    raise BenchError(f"clickpath sandbox did not say where it listens within 30 s:\n{text}")
                time.sleep(0.05)
        self.reset()
        self.baseline = self.users()

    def reset(self):
        status, _ = http("POST", f"{self.root}/__sandbox/reset")
        if status != 200:
            raise BenchError(f"POST {self.root}/__sandbox/reset answered {status}")

    def users(self):
        _, body = http("GET", f"{self.root}/__sandbox/state")
        return json.loads(body)["xero"]["users"]

    def stop(self):
        kill_group(self.proc)


class Django:
    """The Django admin of tests/apps/django on a throwaway SQLite file, served by runserver.

    The database is migrated, given a superuser and the group Support once;
    that file is kept as the pristine copy and put back before every run.
    """

    def __init__(self, tmp):
        self.dir = tmp / "django"
        self.dir.mkdir()
        self.db = self.dir / "db.sqlite3"
        self.pristine = self.dir / "pristine.sqlite3"
        self.admin_password = "Bench-" + secrets.token_urlsafe(18)
        self.new_password = "Bench-" + secrets.token_urlsafe(18)
        self.env = dict(os.environ, PYTHONPATH=str(DJANGO_DIR / ".pkgs"), PYTHONDONTWRITEBYTECODE="1",
                        CLICKPATH_DJANGO_DB=str(self.db),
                        CLICKPATH_DJANGO_SECRET_KEY=secrets.token_urlsafe(32))
        self.proc = None
        self.manage(["migrate", "-v", "0"])
        self.manage(["createsuperuser", "--noinput", "--username", "admin", "--email", "admin@example.com"],
                    extra={"DJANGO_SUPERUSER_PASSWORD": self.admin_password})
        self.manage(["shell", "-v", "0", "-c",
                     "from django.contrib.auth.models import Group\nGroup.objects.get_or_create(name='Support')"])
        self.hasher = self.manage(["shell", "-v", "0", "-c",
                                   "from django.contrib.auth.hashers import get_hasher\n"
                                   "h = get_hasher()\nprint(type(h).__name__, h.iterations)"]).strip()
        if not self.hasher.startswith("PBKDF2PasswordHasher"):
            raise BenchError(f"Django's default hasher is {self.hasher}, not PBKDF2: "
                             "the server flow must pay for a real password hash on every login")
        self.version = self.manage(["version"]).strip()
        shutil.copyfile(self.db, self.pristine)
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}/admin"
        self.log = self.dir / "runserver.log"
        self.proc = subprocess.Popen(
            ["python3", "manage.py", "runserver", f"127.0.0.1:{self.port}", "--noreload", "--insecure"],
            cwd=DJANGO_DIR / "project", env=self.env, stdout=open(self.log, "w"), stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL, start_new_session=True)
        deadline = time.monotonic() + 30
        while True:
            if self.proc.poll() is not None:
                raise BenchError(f"Django's runserver exited ({self.proc.returncode}):\n{read(self.log)}")
            try:
                if http("GET", f"{self.base}/login/")[0] == 200:
                    break
            except OSError:
                pass
            if time.monotonic() > deadline:
                raise BenchError(f"Django's runserver did not answer within 30 s:\n{read(self.log)}")
            time.sleep(0.1)

    def manage(self, args, extra=None):
        env = dict(self.env, **(extra or {}))
        out = subprocess.run(["python3", "manage.py", *args], cwd=DJANGO_DIR / "project", env=env,
                             capture_output=True, text=True, stdin=subprocess.DEVNULL, timeout=300)
        if out.returncode != 0:
            raise BenchError(f"manage.py {args[0]} failed ({out.returncode}):\n{out.stderr}")
        return out.stdout

    def reset(self):
        """Put the pristine database back (runserver opens a connection per request)."""
        tmp = self.dir / "db.next"
        shutil.copyfile(self.pristine, tmp)
        os.replace(tmp, self.db)

    def users(self):
        with sqlite3.connect(self.db) as c:
            return sorted(r[0] for r in c.execute("SELECT username FROM auth_user"))

    def stop(self):
        kill_group(self.proc)


# ---------------------------------------------------------------- flows


class Flow:
    """What a flow runs with each tool, how its server is reset and what must hold after a run."""

    def __init__(self, name, base, clickpath, env=None, reset=None, check=None):
        self.name, self.base, self.clickpath = name, base, clickpath
        self.env = env or {}
        self.reset = reset or (lambda: None)
        self.check = check or (lambda: None)


def xero_flow(sb):
    def check():
        users = sb.users()
        if users != sb.baseline:
            raise BenchError(f"xero: the sandbox's users after the run differ from the start:\n{users}")

    def cmds(out):
        return [[str(CLICKPATH), "run", "--sandbox-url", sb.root, "--chromedriver", CHROMEDRIVER,
                 "--out", str(out), "--run-id", "bench",
                 "runbooks/xero/10-invite_user.yaml", "runbooks/xero/20-remove_user.yaml"]]

    return Flow("xero", sb.root, cmds, reset=sb.reset, check=check)


def synthetic_flow(sb):
    def cmds(out):
        return [[str(CLICKPATH), "run", "--sandbox-url", sb.root, "--chromedriver", CHROMEDRIVER,
                 "--out", str(out), "--run-id", "bench", "bench/runbooks/synthetic.yaml"]]

    return Flow("synthetic", sb.root, cmds)


def server_flow(dj):
    start_users = dj.users()

    def check():
        users = dj.users()
        if users != start_users:
            raise BenchError(f"server: Django's users after the run are {users}, expected {start_users}")

    def cmds(out):
        # One process, grant then revoke, as for the other flows.
        runbooks = DJANGO_DIR / "runbooks"
        return [[str(CLICKPATH), "run", "--base-url", dj.base, "--chromedriver", CHROMEDRIVER,
                 "--out", str(out), "--run-id", "bench", "--var", "admin_username=admin",
                 "--var", "username=drivetrain", "--var", "group=Support",
                 str(runbooks / "10-grant_staff_access.yaml"),
                 str(runbooks / "20-revoke_staff_access.yaml")]]

    env = {"DJANGO_ADMIN_PASSWORD": dj.admin_password, "DJANGO_NEW_USER_PASSWORD": dj.new_password}
    return Flow("server", dj.base, cmds, env=env, reset=dj.reset, check=check)


# ---------------------------------------------------------------- one run


def read_hwm(pid):
    try:
        for line in read(f"/proc/{pid}/status").splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def spawn_and_measure(cmd, cwd, env, log):
    """Run one process: wall time from spawn to exit, and the peak RSS (VmHWM) of that pid only."""
    out, err = open(f"{log}.out", "w"), open(f"{log}.err", "w")
    spawned_at = time.time()
    t0 = time.monotonic()
    proc = subprocess.Popen(cmd, cwd=cwd, env=env, stdout=out, stderr=err, stdin=subprocess.DEVNULL,
                            start_new_session=True)
    ended = {}

    def waiter():
        proc.wait()
        ended["t"] = time.monotonic()

    th = threading.Thread(target=waiter, daemon=True)
    th.start()
    hwm = 0
    try:
        while th.is_alive():
            if proc.returncode is None:
                hwm = max(hwm, read_hwm(proc.pid))
            th.join(0.02)
            if time.monotonic() - t0 > RUN_TIMEOUT_S:
                raise BenchError(f"{cmd[0]} did not finish within {RUN_TIMEOUT_S} s:\n{read(f'{log}.err')[-4000:]}")
    except BaseException:
        # Interrupted or timed out: the tool runs in its own session, so end it here.
        kill_group(proc)
        raise
    out.close()
    err.close()
    if proc.returncode != 0:
        raise BenchError(f"`{' '.join(cmd)}` failed (exit {proc.returncode}) in {cwd}:\n"
                         f"--- stderr ---\n{read(f'{log}.err')[-8000:]}\n--- stdout (end) ---\n"
                         f"{read(f'{log}.out')[-2000:]}")
    return {"wall_s": ended["t"] - t0, "spawned_at": spawned_at, "rss_kib": hwm}


def rfc3339(text):
    return datetime.datetime.strptime(text, "%Y-%m-%dT%H:%M:%S.%fZ").replace(
        tzinfo=datetime.timezone.utc).timestamp()


def doc_groups(steps):
    """Documentation steps of one runbook's manifest steps: a top-level step of the
    runbook (a `use` and everything it brings in count as one), with the `expect`
    and `screenshot` steps after it. Returns lists of steps."""
    groups, last_key = [], None
    for s in steps:
        via = s["source"].get("via") or []
        origin = via[0] if via else s["source"]
        key = (origin["file"], origin["line"], origin["column"])
        if groups and (key == last_key or s["action"] in ("expect", "screenshot")):
            groups[-1].append(s)
        else:
            groups.append([s])
        last_key = key
    return groups


def parse_clickpath(out, spawned_at):
    manifests = sorted(out.glob("bench/*/*/manifest.json"))
    if not manifests:
        raise BenchError(f"clickpath wrote no manifest under {out}")
    runs = sorted((json.loads(read(m)) for m in manifests), key=lambda m: m["started_at"])
    steps, groups = [], []
    for m in runs:
        if m["status"] != "passed":
            raise BenchError(f"clickpath: {m['runbook']} is {m['status']}")
        steps += m["steps"]
        groups += doc_groups(m["steps"])
    return {
        "launch_ms": (rfc3339(runs[0]["started_at"]) - spawned_at) * 1000,
        "steps": len(steps),
        "step_ms": [s["duration_ms"] for s in steps],
        "doc_ms": [sum(s["duration_ms"] for s in g) for g in groups],
        "doc_steps": len(groups),
        "round_trips": [[s["action"], s["round_trips"]] for s in steps],
        "runbooks": [m["flow"] for m in runs],
    }


def parse_peer(stdout, spawned_at, who):
    events = []
    for line in stdout.splitlines():
        try:
            events.append(json.loads(line))
        except json.JSONDecodeError as e:
            raise BenchError(f"{who}: a line of its output is not JSON ({e}): {line[:200]}") from e
    if not events or events[-1].get("event") != "done":
        raise BenchError(f"{who}: its output does not end with the done event")
    ready = [e for e in events if e["event"] == "ready"]
    steps = [e for e in events if e["event"] == "step"]
    docs = [e for e in events if e["event"] == "doc"]
    return {
        "launch_ms": (ready[0]["t"] - spawned_at) * 1000,
        "steps": len(steps),
        "step_ms": [e["ms"] for e in steps],
        "doc_ms": [e["ms"] for e in docs],
        "doc_steps": len(docs),
        "commands": [e["commands"] for e in steps if "commands" in e],
        "runbooks": [e["runbook"] for e in ready],
    }


def one_run(flow, key, tool, evidence, work):
    """One whole run of one tool: reset the server, spawn, time, verify, parse."""
    out = work / "evidence"
    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)
    env = dict(os.environ, PYTHONDONTWRITEBYTECODE="1", **flow.env)
    if tool == "clickpath":
        cmds, cwd = flow.clickpath(out), ROOT
    elif tool == "playwright":
        cmds, cwd = [["node", "flow.js", flow.name, "--base", flow.base, "--out", str(out),
                      "--evidence", evidence]], PLAYWRIGHT_DIR
    else:
        cmds, cwd = [[str(VENV_PY), "flow.py", flow.name, "--base", flow.base, "--out", str(out),
                      "--evidence", evidence]], SELENIUM_DIR
    flow.reset()
    measured = [spawn_and_measure(c, cwd, env, work / f"{key}-{i}") for i, c in enumerate(cmds)]
    flow.check()
    first = measured[0]["spawned_at"]
    if tool == "clickpath":
        parsed = parse_clickpath(out, first)
    else:
        parsed = parse_peer(read(work / f"{key}-0.out"), first, f"{LABEL[tool]} ({flow.name})")
    parsed.update(
        key=key, tool=tool, evidence=evidence,
        total_s=sum(m["wall_s"] for m in measured),
        rss_kib=max(m["rss_kib"] for m in measured),
        screenshots=sum(1 for _ in out.rglob("*.png")),
    )
    return parsed


def check_equal_evidence(flow, runs):
    """The same steps and screenshots on every side; doc-evidence peers one per documentation step."""
    cp = runs["clickpath"]
    for key in ("playwright", "selenium"):
        r = runs[key]
        if (r["steps"], r["screenshots"]) != (cp["steps"], cp["screenshots"]):
            raise BenchError(
                f"{flow}: {LABEL[r['tool']]} ran {r['steps']} steps with {r['screenshots']} screenshots, "
                f"clickpath {cp['steps']} steps with {cp['screenshots']}: the flows are not the same")
    for key in ("playwright-doc", "selenium-doc"):
        r = runs[key]
        if r["screenshots"] != cp["doc_steps"] or r["doc_steps"] != cp["doc_steps"]:
            raise BenchError(
                f"{flow}: {LABEL[r['tool']]} (doc evidence) took {r['screenshots']} screenshots in "
                f"{r['doc_steps']} documentation steps; clickpath's runbooks have {cp['doc_steps']}")


# ---------------------------------------------------------------- report


def med(xs):
    return statistics.median(xs) if xs else float("nan")


def summarise(rounds):
    """Per run key: medians over the measured rounds (per-step figures pooled over all rounds)."""
    out = {}
    for key, _, _ in RUNS:
        rs = [r[key] for r in rounds]
        rt = [x for r in rs for x in r.get("round_trips", [])]
        out[key] = {
            "launch_ms": med([r["launch_ms"] for r in rs]),
            "step_ms": med([x for r in rs for x in r["step_ms"]]),
            "doc_ms": med([x for r in rs for x in r["doc_ms"]]),
            "totals": [r["total_s"] for r in rs],
            "total_s": med([r["total_s"] for r in rs]),
            "rss_mib": med([r["rss_kib"] for r in rs]) / 1024,
            "screenshots": rs[0]["screenshots"],
            "steps": rs[0]["steps"],
            "doc_steps": rs[0]["doc_steps"],
            "rt_all": med([n for _, n in rt]) if rt else None,
            "rt_act": med([n for a, n in rt if a in ("click", "fill", "check", "uncheck")]) if rt else None,
            "commands": med([x for r in rs for x in r.get("commands", [])]) if rs[0].get("commands") else None,
        }
    return out


def ratios(rounds, s, key):
    """clickpath / tool: ratio of the median totals, and median of the per-round ratios."""
    of_medians = s["clickpath"]["total_s"] / s[key]["total_s"]
    per_round = med([r["clickpath"]["total_s"] / r[key]["total_s"] for r in rounds])
    return f"{of_medians:.2f} · {per_round:.2f}"


def spread(s):
    return f"{s['total_s']:.2f} ({min(s['totals']):.2f}–{max(s['totals']):.2f})"


def report(info, load_before, load_after, warning, rounds_n, results):
    lines = ["# clickpath vs Playwright vs Selenium", ""]
    if warning:
        lines += [f"**{warning}**", ""]
    lines += [
        f"- date: {info['date']}; rounds: {rounds_n} measured after 1 warm-up round; "
        "order in every round: clickpath, Playwright, Selenium, Playwright (doc evidence), Selenium (doc evidence)",
        f"- machine: {info['nproc']} × {info['cpu']}, {info['ram_gib']} GiB RAM, Linux {info['kernel']}",
        f"- load average (1, 5, 15 min): {load_before} before, {load_after} after",
        f"- browser: {info['chromium']} ({CHROMIUM}), {info['chromedriver']} ({CHROMEDRIVER}), "
        "headless, 1280x800, clickpath's flags on every side",
        f"- tools: {info['clickpath']}; playwright-core {info['playwright_core']} on node {info['node']}; "
        f"selenium {info['selenium']} on Python {info['python']}"
        + (f"; server flow: Django {info['django']} runserver, hasher {info['django_hasher']} iterations"
           if info["django"] else ""),
        "",
        "## Equal evidence: a screenshot after every step on all three sides",
        "",
        "| flow | tool | launch (ms) | per step (ms, median) | total (s, median (min–max)) | screenshots "
        "| peak RSS of the driving process (MiB) | WebDriver commands per step (median: all · click/fill/check) "
        "| clickpath/tool total (ratio of medians · median of per-round ratios) |",
        "| --- | --- | ---: | ---: | ---: | ---: | ---: | --- | --- |",
    ]
    for flow, rounds in results.items():
        s = summarise(rounds)
        for key in ("clickpath", "playwright", "selenium"):
            x = s[key]
            if key == "clickpath":
                cmds, ratio = f"{x['rt_all']:g} · {x['rt_act']:g}", "—"
            elif key == "selenium":
                cmds, ratio = f"{x['commands']:g} · n/a", ratios(rounds, s, key)
            else:
                cmds, ratio = "n/a (CDP)", ratios(rounds, s, key)
            lines.append(f"| {flow} | {LABEL[key]} | {x['launch_ms']:.0f} | {x['step_ms']:.0f} | {spread(x)} "
                         f"| {x['screenshots']} | {x['rss_mib']:.1f} | {cmds} | {ratio} |")
    lines += [
        "",
        "## As usually written: Playwright and Selenium screenshot once per documentation step, "
        "clickpath keeps one per step",
        "",
        "| flow | tool | screenshots | total (s, median (min–max)) | per documentation step (ms, median) "
        "| clickpath/tool total (ratio of medians · median of per-round ratios) |",
        "| --- | --- | ---: | ---: | ---: | --- |",
    ]
    for flow, rounds in results.items():
        s = summarise(rounds)
        for key, label in (("clickpath", "clickpath (every step)"), ("playwright-doc", "Playwright (doc steps)"),
                           ("selenium-doc", "Selenium (doc steps)")):
            x = s[key]
            ratio = "—" if key == "clickpath" else ratios(rounds, s, key)
            lines.append(f"| {flow} | {label} | {x['screenshots']} | {spread(x)} | {x['doc_ms']:.0f} | {ratio} |")
    lines += [
        "",
        "Launch: spawn of the process to its first browser being ready (clickpath: the first manifest's "
        "`started_at`, taken once the session is open and the window fitted; peers: their `ready` line, "
        "printed once the page exists). Per step: each runbook step's time including its screenshot "
        "(clickpath: manifest `duration_ms`, which excludes writing the PNG and manifest; peers: their own "
        "clock around the step and `screenshot`). Total: spawn to exit of the whole process, measured by "
        "bench.py. Peak RSS: VmHWM of the driving process only (clickpath, node, python), never the "
        "browser or chromedriver. A documentation step is a top-level step of a runbook (a `use`d "
        "login counts as one) with the expects and captures after it.",
        "",
    ]
    return "\n".join(lines)


# ---------------------------------------------------------------- main


def main():
    ap = argparse.ArgumentParser(description="clickpath vs Playwright vs Selenium (bench/README.md)")
    ap.add_argument("--rounds", type=int, default=5, help="measured rounds per flow, after one warm-up (default 5)")
    ap.add_argument("--flows", default="xero,synthetic,server", help="comma-separated: xero, synthetic, server")
    ap.add_argument("--wait-quiet", action="store_true", help="wait (up to 30 min) for the 1-minute load to drop to 1.0")
    ap.add_argument("--keep", action="store_true", help="keep the work directory (logs, last evidence)")
    args = ap.parse_args()
    flows = [f.strip() for f in args.flows.split(",") if f.strip()]
    unknown = [f for f in flows if f not in ("xero", "synthetic", "server")]
    if unknown or not flows:
        raise BenchError(f"unknown flow(s) {unknown or flows}: choose from xero, synthetic, server")
    if args.rounds < 1:
        raise BenchError("--rounds must be at least 1")
    preflight(flows)
    load_before, warning = check_load(args.wait_quiet)
    tmp = Path(tempfile.mkdtemp(prefix="clickpath-bench-"))
    sandbox = django = None
    try:
        if "xero" in flows or "synthetic" in flows:
            sandbox = Sandbox(tmp)
        if "server" in flows:
            django = Django(tmp)
        info = machine(django)
        results = {}
        for name in flows:
            flow = {"xero": lambda: xero_flow(sandbox), "synthetic": lambda: synthetic_flow(sandbox),
                    "server": lambda: server_flow(django)}[name]()
            rounds = []
            for rnd in range(args.rounds + 1):
                runs = {}
                for key, tool, evidence in RUNS:
                    work = tmp / name / f"round-{rnd}"
                    work.mkdir(parents=True, exist_ok=True)
                    runs[key] = one_run(flow, key, tool, evidence, work)
                    what = "warm-up" if rnd == 0 else f"round {rnd}/{args.rounds}"
                    say(f"bench: {name} {what} {key}: {runs[key]['total_s']:.2f} s, "
                        f"{runs[key]['screenshots']} screenshots")
                check_equal_evidence(name, runs)
                if rnd > 0:
                    rounds.append(runs)
            results[name] = rounds
        load_after = loadavg()[1]
        text = report(info, load_before, load_after, warning, args.rounds, results)
        print(text)
        RESULTS.mkdir(exist_ok=True)
        (RESULTS / "latest.md").write_text(text)
        (RESULTS / "latest.json").write_text(json.dumps(
            {"machine": info, "load_before": load_before, "load_after": load_after, "warning": warning,
             "rounds": args.rounds, "results": results}, indent=1))
        say(f"bench: written to {RESULTS / 'latest.md'} and latest.json")
    finally:
        if sandbox:
            sandbox.stop()
        if django:
            django.stop()
        if args.keep:
            say(f"bench: work directory kept: {tmp}")
        else:
            shutil.rmtree(tmp, ignore_errors=True)


def on_signal(signum, _frame):
    raise KeyboardInterrupt(signal.Signals(signum).name)


if __name__ == "__main__":
    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGHUP, on_signal)
    try:
        main()
    except BenchError as e:
        say(f"bench: FAILED: {e}")
        sys.exit(1)
    except KeyboardInterrupt as e:
        say(f"bench: interrupted {e}")
        sys.exit(130)
