#!/usr/bin/env node
// The Playwright side of clickpath's benchmark (bench/README.md): the same
// flows as the runbooks, written as a Playwright user writes them
// (getByRole, getByLabel, fill, click, check, locator.waitFor), on
// playwright-core with the machine's /usr/bin/chromium.
//
//   node flow.js xero|synthetic|server --base URL --out DIR [--evidence every|doc]
//
// --evidence every: a screenshot after every runbook step (clickpath's evidence);
// --evidence doc: one after each documentation step (an action and the
// expects after it; a `use`d login is one), as Playwright users usually do.
// Each runbook gets its own browser (fresh profile), as in clickpath.
// Prints one JSON object per line on stdout: {"event":"ready"} when a
// browser's page is ready, {"event":"step"} per runbook step and
// {"event":"doc"} per documentation step with its milliseconds.
'use strict';

const crypto = require('crypto');
const fs = require('fs');
const path = require('path');
const { performance } = require('perf_hooks');
const { chromium } = require('playwright-core');
const synthetic = require('./synthetic');

const CHROMIUM = '/usr/bin/chromium';
const VIEWPORT = { width: 1280, height: 800 };
// The sandbox's public test account (src/sandbox/mod.rs).
const SANDBOX_EMAIL = 'admin@example.com';
const SANDBOX_PASSWORD = 'sandbox-password';
const DEFAULT_TOTP_SEED = 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP';
const CUSTOMER_EMAIL = 'dp-acme@drivetrain.ai';
// clickpath's own --timeout default.
const TIMEOUT_MS = 10_000;

/** clickpath's Chromium flags (src/browser/chromedriver.rs, chrome_capabilities). */
function chromiumArgs() {
  const args = ['--headless=new'];
  if (process.getuid && process.getuid() === 0) args.push('--no-sandbox');
  args.push(
    '--disable-gpu', '--disable-background-networking', '--disable-component-update',
    '--disable-sync', '--no-first-run', '--no-default-browser-check', '--disable-dev-shm-usage',
    '--force-device-scale-factor=1', '--hide-scrollbars', '--disable-breakpad',
    '--disable-crash-reporter', `--window-size=${VIEWPORT.width},${VIEWPORT.height}`,
  );
  return args;
}

/** RFC 6238 (SHA-1, 6 digits, 30 s) code of a base32 seed. */
function totp(seed, now = Date.now()) {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let bits = '';
  for (const c of seed.replace(/=+$/, '').toUpperCase()) {
    const v = alphabet.indexOf(c);
    if (v < 0) throw new Error('the TOTP seed is not base32');
    bits += v.toString(2).padStart(5, '0');
  }
  const key = Buffer.from(bits.match(/.{8}/g).map((b) => parseInt(b, 2)));
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(Math.floor(now / 1000 / 30)));
  const h = crypto.createHmac('sha1', key).update(counter).digest();
  const o = h[h.length - 1] & 0xf;
  return String((h.readUInt32BE(o) & 0x7fffffff) % 1_000_000).padStart(6, '0');
}

function emit(event) {
  process.stdout.write(JSON.stringify(event) + '\n');
}

function slug(text) {
  return text.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '').slice(0, 60);
}

/** Screenshots and timings: `step` per runbook step, `doc` per documentation step. */
class Evidence {
  constructor(out, mode) {
    this.out = out;
    this.mode = mode;
    this.step = this.step.bind(this);
    this.doc = this.doc.bind(this);
  }

  begin(runbook, page) {
    this.runbook = runbook;
    this.page = page;
    this.shots = 0;
    this.steps = 0;
    this.dir = path.join(this.out, runbook);
    fs.mkdirSync(this.dir, { recursive: true });
  }

  async shot(title) {
    this.shots += 1;
    const name = `${String(this.shots).padStart(2, '0')}-${slug(title)}.png`;
    await this.page.screenshot({ path: path.join(this.dir, name) });
  }

  async step(title, action) {
    const t0 = performance.now();
    await action();
    if (this.mode === 'every') await this.shot(title);
    this.steps += 1;
    emit({ event: 'step', runbook: this.runbook, n: this.steps, doc: title, ms: performance.now() - t0 });
  }

  async doc(title, body) {
    const t0 = performance.now();
    await body();
    if (this.mode === 'doc') await this.shot(title);
    emit({ event: 'doc', runbook: this.runbook, doc: title, ms: performance.now() - t0 });
  }
}

// One browser for the whole process, launched at the first runbook, as
// clickpath runs all runbooks of a run in one browser; each runbook gets a
// fresh browser context (Playwright's isolation: no cookies, storage or
// cache shared), closed after it.
let sharedBrowser = null;

async function closeBrowser() {
  if (sharedBrowser) await sharedBrowser.close();
  sharedBrowser = null;
}

/** One runbook in its own context of the shared browser, at the benchmark's viewport. */
async function runbook(name, ev, body) {
  if (!sharedBrowser) {
    sharedBrowser = await chromium.launch({ executablePath: CHROMIUM, args: chromiumArgs() });
  }
  const context = await sharedBrowser.newContext({ viewport: VIEWPORT });
  try {
    const page = await context.newPage();
    page.setDefaultTimeout(TIMEOUT_MS);
    emit({ event: 'ready', runbook: name, t: Date.now() / 1000 });
    ev.begin(name, page);
    await body(page);
  } finally {
    await context.close();
  }
}

// A click that submits a form or follows a link, then the new page's load,
// so the step's screenshot shows where it led (clickpath waits for it too).
async function clickAndLoad(page, locator) {
  await locator.click();
  await page.waitForLoadState();
}

// runbooks/xero/login.yaml
async function xeroLogin(page, base, { doc, step }) {
  await doc('Log in to Xero with an **Org Admin** account.', async () => {
    await step('Open Xero; without a session it shows the sign-in page', () => page.goto(`${base}/xero/`));
    await step('Enter your email address', () => page.getByLabel('Email').fill(SANDBOX_EMAIL));
    await step('Enter your password', () => page.getByLabel('Password').fill(SANDBOX_PASSWORD));
    await step('Log in', () => clickAndLoad(page, page.getByRole('button', { name: 'Log in' })));
    await step('Enter the code from your authenticator app', () =>
      page.getByLabel('Authentication code').fill(totp(DEFAULT_TOTP_SEED)));
    await step('Confirm the code', () => clickAndLoad(page, page.getByRole('button', { name: 'Confirm' })));
    await step('You are signed in and see the Dashboard page', () =>
      page.getByRole('heading', { name: 'Dashboard' }).waitFor());
  });
}

// The first steps of both Xero flows, after the login: dashboard, Settings.
async function xeroToSettings(page, base, { doc, step }) {
  await doc('Open the Xero dashboard', () =>
    step('Open the Xero dashboard', () => page.goto(`${base}/xero/`)));
  await doc('Open the Organization dropdown', () =>
    step('Open the Organization dropdown', () => page.getByRole('button', { name: 'Demo Company (UK)' }).click()));
  await doc('From the Organization dropdown, select Settings', () =>
    step('From the Organization dropdown, select Settings', () =>
      clickAndLoad(page, page.getByRole('menuitem', { name: 'Settings' }))));
}

// runbooks/xero/10-invite_user.yaml then 20-remove_user.yaml
async function xero(base, ev) {
  const { doc, step } = ev;
  await runbook('invite_user', ev, async (page) => {
    await xeroLogin(page, base, ev);
    await xeroToSettings(page, base, ev);
    await doc('Select Settings > Users', async () => {
      await step('Select Settings > Users', () =>
        clickAndLoad(page, page.getByRole('main').getByRole('link', { name: 'Users', exact: true })));
      await step('The Users page lists who has access', () =>
        page.getByRole('heading', { name: 'Users', exact: true }).waitFor());
    });
    await doc('Click Invite a User.', () =>
      step('Click Invite a User.', () => clickAndLoad(page, page.getByRole('button', { name: 'Invite a user' }))));
    await doc('First name: Drivetrain', () =>
      step('First name: Drivetrain', () => page.getByLabel('First name').fill('Drivetrain')));
    await doc('Last name: AI', () => step('Last name: AI', () => page.getByLabel('Last name').fill('AI')));
    await doc('Email: dp-acme@drivetrain.ai', () =>
      step('Email: dp-acme@drivetrain.ai', () => page.getByLabel('Email').fill(CUSTOMER_EMAIL)));
    await doc('Assign permissions: Projects: Admin', () =>
      step('Assign permissions: Projects: Admin', async () => {
        await page.getByRole('combobox', { name: 'Projects' }).click();
        await page.getByRole('option', { name: 'Admin', exact: true }).click();
      }));
    await doc('Business and Accounting: Advisor', () =>
      step('Business and Accounting: Advisor', async () => {
        await page.getByRole('combobox', { name: 'Business and Accounting' }).click();
        await page.getByRole('option', { name: 'Advisor', exact: true }).click();
      }));
    await doc('Org Admin is preferred for troubleshooting', () =>
      step('Org Admin is preferred for troubleshooting', () =>
        // A styled checkbox: its label covers the native input, which
        // Playwright then refuses to click ("label intercepts pointer
        // events"); force clicks the same point, then check() verifies.
        page.getByRole('checkbox', { name: 'Org Admin' }).check({ force: true })));
    await doc('Click Send Invite.', async () => {
      await step('Click Send Invite.', () => clickAndLoad(page, page.getByRole('button', { name: 'Send invite' })));
      await step('Once the invite has been sent, the Drivetrain user is listed as invited', () =>
        page.getByRole('row', { name: CUSTOMER_EMAIL }).getByText('Invite pending').waitFor());
      await step('Keep a capture of the pending invite', async () => {});
    });
  });
  await runbook('remove_user', ev, async (page) => {
    await xeroLogin(page, base, ev);
    await xeroToSettings(page, base, ev);
    await doc('Return to Users in Xero.', () =>
      step('Return to Users in Xero.', () =>
        clickAndLoad(page, page.getByRole('main').getByRole('link', { name: 'Users', exact: true }))));
    await doc('Locate the Drivetrain user.', async () => {
      await step('Locate the Drivetrain user.', () =>
        clickAndLoad(page, page.getByRole('row', { name: CUSTOMER_EMAIL }).getByRole('link', { name: 'Drivetrain AI' })));
      await step("The Drivetrain user's page opens", () =>
        page.getByRole('heading', { name: 'Drivetrain AI' }).waitFor());
    });
    await doc('Click Remove User.', () =>
      step('Click Remove User.', () => page.getByRole('button', { name: 'Remove user' }).click()));
    await doc('Confirm the removal', async () => {
      await step('Confirm the removal', () =>
        clickAndLoad(page, page.getByRole('dialog', { name: 'Remove Drivetrain AI?' })
          .getByRole('button', { name: 'Remove', exact: true })));
      await step('Xero confirms the removal', () => page.getByText('Drivetrain AI was removed').waitFor());
      await step('The temporary user no longer has access', () =>
        page.getByText(CUSTOMER_EMAIL).waitFor({ state: 'detached' }));
    });
  });
}

// tests/apps/django/runbooks/login.yaml
async function djangoLogin(page, base, { doc, step }) {
  await doc('Try logging in with the superuser account', async () => {
    await step('Go to /admin/: the login screen', () => page.goto(`${base}/`));
    await step('Username', () => page.getByLabel('Username').fill('admin'));
    await step('Password', () => page.getByLabel('Password').fill(env('DJANGO_ADMIN_PASSWORD')));
    await step('Log in', () => clickAndLoad(page, page.getByRole('button', { name: 'Log in' })));
    await step('You should see the Django admin index page', () =>
      page.getByRole('heading', { name: 'Site administration' }).waitFor());
  });
}

async function djangoUsers(page, { doc, step }) {
  await doc('Users in the Authentication and Authorization section', () =>
    step('Users in the Authentication and Authorization section', () =>
      clickAndLoad(page, page.getByRole('table', { name: 'Authentication and Authorization' })
        .getByRole('link', { name: 'Users', exact: true }))));
}

function userRow(page) {
  return page.getByRole('row', { name: 'drivetrain' });
}

// tests/apps/django/runbooks/10-grant_staff_access.yaml then 20-revoke_staff_access.yaml
async function server(base, ev) {
  const { doc, step } = ev;
  const password = env('DJANGO_NEW_USER_PASSWORD');
  await runbook('grant_staff_access', ev, async (page) => {
    await djangoLogin(page, base, ev);
    await djangoUsers(page, ev);
    await doc('The Add user admin page', () =>
      step('The Add user admin page', () => clickAndLoad(page, page.getByRole('link', { name: 'Add user' }))));
    await doc('Username', () => step('Username', () => page.getByLabel('Username').fill('drivetrain')));
    await doc('Password', () =>
      step('Password', () => page.getByLabel('Password:', { exact: true }).fill(password)));
    await doc('Password confirmation', () =>
      step('Password confirmation', () => page.getByLabel('Password confirmation').fill(password)));
    await doc('Save and continue editing', async () => {
      await step('Save and continue editing', () =>
        clickAndLoad(page, page.getByRole('button', { name: 'Save and continue editing' })));
      await step('The rest of the user fields can now be edited', () =>
        page.getByRole('heading', { name: 'Change user' }).waitFor());
    });
    await doc('Staff status', () =>
      step('Staff status', () => page.getByRole('checkbox', { name: 'Staff status' }).check()));
    await doc('Choose the group in Groups', () =>
      step('Choose the group in Groups', () => page.getByRole('option', { name: 'Support' }).click()));
    await doc('Choose selected groups', () =>
      step('Choose selected groups', () => page.getByRole('button', { name: 'Choose selected groups' }).click()));
    await doc('Save', async () => {
      await step('Save', () => clickAndLoad(page, page.getByRole('button', { name: 'Save', exact: true })));
      await step('The change list shows the user with Staff status True', () =>
        userRow(page).getByRole('img', { name: 'True' }).waitFor());
    });
  });
  await runbook('revoke_staff_access', ev, async (page) => {
    await djangoLogin(page, base, ev);
    await djangoUsers(page, ev);
    await doc('Choose the user on the change list', () =>
      step('Choose the user on the change list', () =>
        clickAndLoad(page, userRow(page).getByRole('link', { name: 'drivetrain' }))));
    await doc('Clear Staff status', () =>
      step('Clear Staff status', () => page.getByRole('checkbox', { name: 'Staff status' }).uncheck()));
    await doc('Save', async () => {
      await step('Save', () => clickAndLoad(page, page.getByRole('button', { name: 'Save', exact: true })));
      await step('The change list shows the user with Staff status False', () =>
        userRow(page).getByRole('img', { name: 'False' }).waitFor());
    });
    await doc('Open the user again', () =>
      step('Open the user again', () => clickAndLoad(page, userRow(page).getByRole('link', { name: 'drivetrain' }))));
    await doc('Delete', () =>
      step('Delete', () => clickAndLoad(page, page.getByRole('link', { name: 'Delete', exact: true }))));
    await doc("Yes, I'm sure", async () => {
      await step("Yes, I'm sure", () => clickAndLoad(page, page.getByRole('button', { name: 'Yes, I’m sure' })));
      await step('Back on the change list, the user is gone', () =>
        page.getByRole('link', { name: 'drivetrain', exact: true }).waitFor({ state: 'detached' }));
    });
  });
}

function env(name) {
  const v = process.env[name];
  if (!v) throw new Error(`${name} is not set`);
  return v;
}

function parseArgs(argv) {
  const [flow, ...rest] = argv;
  const opts = { flow, evidence: 'every' };
  for (let i = 0; i < rest.length; i += 2) {
    const key = rest[i].replace(/^--/, '');
    if (!['base', 'out', 'evidence'].includes(key) || rest[i + 1] === undefined) {
      throw new Error(`unknown or incomplete option ${rest[i]}`);
    }
    opts[key] = rest[i + 1];
  }
  if (!['xero', 'synthetic', 'server'].includes(flow)) throw new Error(`unknown flow ${flow}`);
  if (!opts.base || !opts.out) throw new Error('--base and --out are required');
  if (!['every', 'doc'].includes(opts.evidence)) throw new Error('--evidence is every or doc');
  return opts;
}

async function main() {
  const opts = parseArgs(process.argv.slice(2));
  const ev = new Evidence(opts.out, opts.evidence);
  const base = opts.base.replace(/\/+$/, '');
  try {
    if (opts.flow === 'xero') await xero(base, ev);
    else if (opts.flow === 'server') await server(base, ev);
    else await runbook('synthetic', ev, (page) => synthetic(page, base, ev));
  } finally {
    await closeBrowser();
  }
  emit({ event: 'done' });
}

main().catch((err) => {
  process.stderr.write(`playwright flow failed: ${err && err.stack ? err.stack : err}\n`);
  // Not process.exit(): on SIGTERM, Playwright is still closing the browser
  // and removing its temporary profile, and exits by itself when done.
  process.exitCode = 1;
});
