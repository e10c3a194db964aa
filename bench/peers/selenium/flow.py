#!/usr/bin/env python3
"""The Selenium side of clickpath's benchmark (bench/README.md).

The same flows as the runbooks, written as a Selenium user writes them:
explicit WebDriverWait + expected_conditions, By.ID / By.XPATH, the machine's
/usr/bin/chromedriver and /usr/bin/chromium.

    python flow.py xero|synthetic|server --base URL --out DIR [--evidence every|doc]

--evidence every: a screenshot after every runbook step (clickpath's evidence);
--evidence doc: one after each documentation step (an action and the expects
after it; a `use`d login is one), as Selenium users usually do. Each runbook
gets its own driver and browser (fresh profile), as in clickpath. Prints one
JSON object per line on stdout: {"event": "ready"} when a browser is ready,
{"event": "step"} per runbook step (milliseconds and WebDriver commands) and
{"event": "doc"} per documentation step.
"""
import argparse
import base64
import hashlib
import hmac
import json
import os
import re
import signal
import struct
import sys
import time
from contextlib import contextmanager

from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import Select, WebDriverWait

from synthetic import synthetic

CHROMIUM = "/usr/bin/chromium"
CHROMEDRIVER = "/usr/bin/chromedriver"
WIDTH, HEIGHT = 1280, 800
# The sandbox's public test account (src/sandbox/mod.rs).
SANDBOX_EMAIL = "admin@example.com"
SANDBOX_PASSWORD = "sandbox-password"
DEFAULT_TOTP_SEED = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"
CUSTOMER_EMAIL = "dp-acme@drivetrain.ai"
# clickpath's own --timeout default.
TIMEOUT_S = 10


def chromium_args():
    """clickpath's Chromium flags (src/browser/chromedriver.rs, chrome_capabilities)."""
    args = ["--headless=new"]
    if os.geteuid() == 0:
        args.append("--no-sandbox")
    return args + [
        "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run", "--no-default-browser-check", "--disable-dev-shm-usage",
        "--force-device-scale-factor=1", "--hide-scrollbars", "--disable-breakpad",
        "--disable-crash-reporter", f"--window-size={WIDTH},{HEIGHT}",
    ]


def totp(seed, now=None):
    """RFC 6238 (SHA-1, 6 digits, 30 s) code of a base32 seed."""
    key = base64.b32decode(seed.upper() + "=" * (-len(seed) % 8))
    counter = struct.pack(">Q", int((time.time() if now is None else now) // 30))
    h = hmac.new(key, counter, hashlib.sha1).digest()
    o = h[-1] & 0x0F
    return "%06d" % ((struct.unpack(">I", h[o:o + 4])[0] & 0x7FFFFFFF) % 1_000_000)


def emit(event):
    print(json.dumps(event), flush=True)


def slug(text):
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:60]


class Evidence:
    """Screenshots and timings: `step` per runbook step, `doc` per documentation step."""

    def __init__(self, out, mode):
        self.out, self.mode = out, mode
        self.commands = 0

    def begin(self, runbook, driver):
        self.runbook, self.driver = runbook, driver
        self.shots = self.steps = 0
        self.dir = os.path.join(self.out, runbook)
        os.makedirs(self.dir, exist_ok=True)

    def shot(self, title):
        self.shots += 1
        self.driver.save_screenshot(os.path.join(self.dir, f"{self.shots:02d}-{slug(title)}.png"))

    def step(self, title, action):
        t0, c0 = time.perf_counter(), self.commands
        action()
        if self.mode == "every":
            self.shot(title)
        self.steps += 1
        emit({"event": "step", "runbook": self.runbook, "n": self.steps, "doc": title,
              "ms": (time.perf_counter() - t0) * 1000, "commands": self.commands - c0})

    @contextmanager
    def doc(self, title):
        t0 = time.perf_counter()
        yield
        if self.mode == "doc":
            self.shot(title)
        emit({"event": "doc", "runbook": self.runbook, "doc": title, "ms": (time.perf_counter() - t0) * 1000})


class Helpers:
    """The small wait-then-act helpers every Selenium suite grows."""

    def __init__(self, driver):
        self.wait = WebDriverWait(driver, TIMEOUT_S)

    def type_into(self, locator, text):
        field = self.wait.until(EC.element_to_be_clickable(locator))
        field.clear()
        field.send_keys(text)

    def click(self, locator):
        self.wait.until(EC.element_to_be_clickable(locator)).click()

    def choose(self, locator, text):
        Select(self.wait.until(EC.element_to_be_clickable(locator))).select_by_visible_text(text)

    def pick(self, combobox, option):
        """A custom dropdown: open it, click the option."""
        self.click(combobox)
        self.click(option)

    def set_checked(self, locator, on, via=None):
        """Tick or untick; `via` is what to click when a styled label covers the input."""
        box = self.wait.until(EC.presence_of_element_located(locator))
        if box.is_selected() != on:
            self.click(via or locator)
        self.wait.until(EC.element_selection_state_to_be(box, on))

    def see(self, locator):
        self.wait.until(EC.visibility_of_element_located(locator))

    def see_text(self, locator, text):
        self.wait.until(EC.text_to_be_present_in_element(locator, text))

    def gone(self, locator):
        self.wait.until(EC.invisibility_of_element_located(locator))


def xpath_text(tag, text):
    return (By.XPATH, f"//{tag}[normalize-space()={quote(text)}]")


def quote(text):
    return f"'{text}'" if "'" not in text else f'"{text}"'


# One chromedriver and Chromium for the whole process, as clickpath runs all
# runbooks of a run in one browser; between runbooks the browser is cleared
# (cookies, every origin's storage and cache, through Chrome's DevTools as
# Selenium 4 offers it) and left on about:blank.
SHARED = {}


def start_driver(ev):
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for arg in chromium_args():
        options.add_argument(arg)
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    execute = driver.execute

    def counted(command, params=None):
        ev.commands += 1
        return execute(command, params)

    driver.execute = counted
    fit_viewport(driver)
    return driver


def quit_driver():
    driver = SHARED.pop("driver", None)
    if driver is not None:
        driver.quit()


@contextmanager
def browser(name, ev):
    """A runbook in the shared browser, started at the first runbook, cleared after each."""
    if "driver" not in SHARED:
        SHARED["driver"] = start_driver(ev)
    driver = SHARED["driver"]
    emit({"event": "ready", "runbook": name, "t": time.time()})
    ev.begin(name, driver)
    try:
        yield driver, Helpers(driver)
    finally:
        origins = driver.execute_script("return location.origin;")
        driver.execute_cdp_cmd("Network.clearBrowserCookies", {})
        driver.execute_cdp_cmd("Network.clearBrowserCache", {})
        if origins and origins != "null":
            driver.execute_cdp_cmd("Storage.clearDataForOrigin",
                                   {"origin": origins, "storageTypes": "all"})
        driver.get("about:blank")


def fit_viewport(driver):
    """Make the page area WIDTH x HEIGHT CSS pixels (what clickpath does too)."""
    for _ in range(3):
        ow, oh, iw, ih = driver.execute_script(
            "return [outerWidth, outerHeight, innerWidth, innerHeight];")
        if (iw, ih) == (WIDTH, HEIGHT):
            return
        driver.set_window_size(WIDTH + max(ow - iw, 0), HEIGHT + max(oh - ih, 0))
    raise RuntimeError(f"the window could not be fitted to {WIDTH}x{HEIGHT}")


def xero_login(driver, base, ev, h):
    """runbooks/xero/login.yaml"""
    with ev.doc("Log in to Xero with an **Org Admin** account."):
        ev.step("Open Xero; without a session it shows the sign-in page", lambda: driver.get(f"{base}/xero/"))
        ev.step("Enter your email address", lambda: h.type_into((By.ID, "email"), SANDBOX_EMAIL))
        ev.step("Enter your password", lambda: h.type_into((By.ID, "password"), SANDBOX_PASSWORD))
        ev.step("Log in", lambda: h.click(xpath_text("button", "Log in")))
        ev.step("Enter the code from your authenticator app",
                lambda: h.type_into((By.ID, "code"), totp(DEFAULT_TOTP_SEED)))
        ev.step("Confirm the code", lambda: h.click(xpath_text("button", "Confirm")))
        ev.step("You are signed in and see the Dashboard page", lambda: h.see(xpath_text("h1", "Dashboard")))


def xero_to_settings(driver, base, ev, h):
    with ev.doc("Open the Xero dashboard"):
        ev.step("Open the Xero dashboard", lambda: driver.get(f"{base}/xero/"))
    with ev.doc("Open the Organization dropdown"):
        ev.step("Open the Organization dropdown", lambda: h.click((By.ID, "org-menu-btn")))
    with ev.doc("From the Organization dropdown, select Settings"):
        ev.step("From the Organization dropdown, select Settings",
                lambda: h.click((By.XPATH, "//a[@role='menuitem'][normalize-space()='Settings']")))


USER_ROW = f"//tr[td[normalize-space()='{CUSTOMER_EMAIL}']]"
MAIN_USERS_LINK = (By.XPATH, "//main//a[normalize-space()='Users']")


def xero(base, ev):
    """runbooks/xero/10-invite_user.yaml then 20-remove_user.yaml"""
    with browser("invite_user", ev) as (driver, h):
        xero_login(driver, base, ev, h)
        xero_to_settings(driver, base, ev, h)
        with ev.doc("Select Settings > Users"):
            ev.step("Select Settings > Users", lambda: h.click(MAIN_USERS_LINK))
            ev.step("The Users page lists who has access", lambda: h.see(xpath_text("h1", "Users")))
        with ev.doc("Click Invite a User."):
            ev.step("Click Invite a User.", lambda: h.click(xpath_text("button", "Invite a user")))
        with ev.doc("First name: Drivetrain"):
            ev.step("First name: Drivetrain", lambda: h.type_into((By.ID, "first_name"), "Drivetrain"))
        with ev.doc("Last name: AI"):
            ev.step("Last name: AI", lambda: h.type_into((By.ID, "last_name"), "AI"))
        with ev.doc("Email: dp-acme@drivetrain.ai"):
            ev.step("Email: dp-acme@drivetrain.ai", lambda: h.type_into((By.ID, "email"), CUSTOMER_EMAIL))
        with ev.doc("Assign permissions: Projects: Admin"):
            ev.step("Assign permissions: Projects: Admin", lambda: h.pick(
                (By.ID, "projects_combo"), (By.XPATH, "//ul[@id='projects_list']/li[normalize-space()='Admin']")))
        with ev.doc("Business and Accounting: Advisor"):
            ev.step("Business and Accounting: Advisor", lambda: h.pick(
                (By.ID, "business_and_accounting_combo"),
                (By.XPATH, "//ul[@id='business_and_accounting_list']/li[normalize-space()='Advisor']")))
        with ev.doc("Org Admin is preferred for troubleshooting"):
            # A styled checkbox: the label covers the native input, so click the label.
            ev.step("Org Admin is preferred for troubleshooting", lambda: h.set_checked(
                (By.ID, "org_admin"), True, via=(By.CSS_SELECTOR, "label[for='org_admin']")))
        with ev.doc("Click Send Invite."):
            ev.step("Click Send Invite.", lambda: h.click(xpath_text("button", "Send invite")))
            ev.step("Once the invite has been sent, the Drivetrain user is listed as invited",
                    lambda: h.see((By.XPATH, f"{USER_ROW}//*[normalize-space()='Invite pending']")))
            ev.step("Keep a capture of the pending invite", lambda: None)
    with browser("remove_user", ev) as (driver, h):
        xero_login(driver, base, ev, h)
        xero_to_settings(driver, base, ev, h)
        with ev.doc("Return to Users in Xero."):
            ev.step("Return to Users in Xero.", lambda: h.click(MAIN_USERS_LINK))
        with ev.doc("Locate the Drivetrain user."):
            ev.step("Locate the Drivetrain user.",
                    lambda: h.click((By.XPATH, f"{USER_ROW}//a[normalize-space()='Drivetrain AI']")))
            ev.step("The Drivetrain user's page opens", lambda: h.see(xpath_text("h1", "Drivetrain AI")))
        with ev.doc("Click Remove User."):
            ev.step("Click Remove User.", lambda: h.click((By.ID, "remove-user-btn")))
        with ev.doc("Confirm the removal"):
            ev.step("Confirm the removal",
                    lambda: h.click((By.XPATH, "//div[@role='dialog']//button[normalize-space()='Remove']")))
            ev.step("Xero confirms the removal",
                    lambda: h.see_text((By.CSS_SELECTOR, "[role=status]"), "Drivetrain AI was removed"))
            ev.step("The temporary user no longer has access",
                    lambda: h.gone((By.XPATH, f"//*[contains(text(), '{CUSTOMER_EMAIL}')]")))


def django_login(driver, base, ev, h):
    """tests/apps/django/runbooks/login.yaml"""
    with ev.doc("Try logging in with the superuser account"):
        ev.step("Go to /admin/: the login screen", lambda: driver.get(f"{base}/"))
        ev.step("Username", lambda: h.type_into((By.ID, "id_username"), "admin"))
        ev.step("Password", lambda: h.type_into((By.ID, "id_password"), env("DJANGO_ADMIN_PASSWORD")))
        ev.step("Log in", lambda: h.click((By.CSS_SELECTOR, "input[type=submit][value='Log in']")))
        ev.step("You should see the Django admin index page",
                lambda: h.see(xpath_text("h1", "Site administration")))


def django_users(ev, h):
    with ev.doc("Users in the Authentication and Authorization section"):
        ev.step("Users in the Authentication and Authorization section",
                lambda: h.click((By.CSS_SELECTOR, ".app-auth tr.model-user th a")))


USER_LINK = (By.XPATH, "//table[@id='result_list']//a[normalize-space()='drivetrain']")


def staff_icon(alt):
    return (By.XPATH, f"//tr[.//a[normalize-space()='drivetrain']]/td[contains(@class,'field-is_staff')]/img[@alt='{alt}']")


def server(base, ev):
    """tests/apps/django/runbooks/10-grant_staff_access.yaml then 20-revoke_staff_access.yaml"""
    password = env("DJANGO_NEW_USER_PASSWORD")
    with browser("grant_staff_access", ev) as (driver, h):
        django_login(driver, base, ev, h)
        django_users(ev, h)
        with ev.doc("The Add user admin page"):
            ev.step("The Add user admin page", lambda: h.click((By.CSS_SELECTOR, ".object-tools a.addlink")))
        with ev.doc("Username"):
            ev.step("Username", lambda: h.type_into((By.ID, "id_username"), "drivetrain"))
        with ev.doc("Password"):
            ev.step("Password", lambda: h.type_into((By.ID, "id_password1"), password))
        with ev.doc("Password confirmation"):
            ev.step("Password confirmation", lambda: h.type_into((By.ID, "id_password2"), password))
        with ev.doc("Save and continue editing"):
            ev.step("Save and continue editing", lambda: h.click((By.NAME, "_continue")))
            ev.step("The rest of the user fields can now be edited", lambda: h.see(xpath_text("h1", "Change user")))
        with ev.doc("Staff status"):
            ev.step("Staff status", lambda: h.set_checked((By.ID, "id_is_staff"), True))
        with ev.doc("Choose the group in Groups"):
            ev.step("Choose the group in Groups",
                    lambda: h.click((By.XPATH, "//select[@id='id_groups_from']/option[normalize-space()='Support']")))
        with ev.doc("Choose selected groups"):
            ev.step("Choose selected groups", lambda: h.click((By.ID, "id_groups_add")))
        with ev.doc("Save"):
            ev.step("Save", lambda: h.click((By.NAME, "_save")))
            ev.step("The change list shows the user with Staff status True", lambda: h.see(staff_icon("True")))
    with browser("revoke_staff_access", ev) as (driver, h):
        django_login(driver, base, ev, h)
        django_users(ev, h)
        with ev.doc("Choose the user on the change list"):
            ev.step("Choose the user on the change list", lambda: h.click(USER_LINK))
        with ev.doc("Clear Staff status"):
            ev.step("Clear Staff status", lambda: h.set_checked((By.ID, "id_is_staff"), False))
        with ev.doc("Save"):
            ev.step("Save", lambda: h.click((By.NAME, "_save")))
            ev.step("The change list shows the user with Staff status False", lambda: h.see(staff_icon("False")))
        with ev.doc("Open the user again"):
            ev.step("Open the user again", lambda: h.click(USER_LINK))
        with ev.doc("Delete"):
            ev.step("Delete", lambda: h.click((By.CSS_SELECTOR, "a.deletelink")))
        with ev.doc("Yes, I'm sure"):
            ev.step("Yes, I'm sure", lambda: h.click((By.XPATH, "//input[@type='submit'][starts-with(@value, 'Yes')]")))
            ev.step("Back on the change list, the user is gone", lambda: h.gone(USER_LINK))


def env(name):
    value = os.environ.get(name)
    if not value:
        raise RuntimeError(f"{name} is not set")
    return value


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("flow", choices=["xero", "synthetic", "server"])
    ap.add_argument("--base", required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--evidence", choices=["every", "doc"], default="every")
    args = ap.parse_args()
    ev = Evidence(args.out, args.evidence)
    base = args.base.rstrip("/")
    try:
        if args.flow == "xero":
            xero(base, ev)
        elif args.flow == "server":
            server(base, ev)
        else:
            with browser("synthetic", ev) as (driver, h):
                synthetic(driver, base, ev, h)
    finally:
        quit_driver()
    emit({"event": "done"})


if __name__ == "__main__":
    # Stopped by the orchestrator: unwind, so `driver.quit()` closes the browser.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    try:
        main()
    except Exception as err:  # noqa: BLE001 - the orchestrator shows stderr and fails the run
        import traceback

        traceback.print_exc()
        print(f"selenium flow failed: {err!r}", file=sys.stderr)
        sys.exit(1)
