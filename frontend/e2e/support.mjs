// Shared helpers for the end-to-end tests: the server under test, a headless
// Chromium, the interface's own messages, the outgoing mail, and screenshots.
//
// The tests run against a server that is already running:
//   AULA_E2E_URL       base URL of the server, e.g. http://127.0.0.1:18080
//   AULA_E2E_MAIL_DIR  directory where the server writes outgoing mail as .eml files
//   CHROMIUM_PATH      optional; defaults to `command -v chromium`

import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdir, mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const here = dirname(fileURLToPath(import.meta.url));
const repoRoot = resolve(here, '..', '..');
export const SCREENSHOT_DIR = join(repoRoot, 'artifacts', 'screenshots');

function requireEnv(name, example) {
  const value = process.env[name];
  if (!value) {
    throw new Error(
      `${name} is not set. The end-to-end tests need a running Aula server: ` +
        `run them through scripts/e2e, which starts one, or set ${name} (for example ${example}).`,
    );
  }
  return value;
}

export const BASE_URL = requireEnv('AULA_E2E_URL', 'http://127.0.0.1:18080').replace(/\/+$/, '');

export function mailDir() {
  return requireEnv('AULA_E2E_MAIL_DIR', '$AULA_DATA_DIR/mail');
}

export const DEMO_PASSWORD = 'aula-demo-2026';

/** A fresh address for each run, so tests never collide with earlier data. */
export function uniqueEmail(label) {
  const nonce = `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 7)}`;
  return `e2e.${label}.${nonce}@example.test`;
}

// ---------------------------------------------------------------------------
// The interface's messages, read from the same catalogues the app is built from.

const LOCALES = ['es', 'en', 'pt', 'fr'];
const readCatalogue = async (part, locale) =>
  JSON.parse(await readFile(join(here, '..', 'src', 'lib', 'i18n', part, `${locale}.json`), 'utf8'));
const catalogues = Object.fromEntries(
  await Promise.all(
    LOCALES.map(async (locale) => [
      locale,
      { ...(await readCatalogue('core', locale)), ...(await readCatalogue('pages', locale)) },
    ]),
  ),
);

/** The interface text for `key` in `locale`, with `{name}` placeholders filled. */
export function msg(locale, key, params = {}) {
  const text = catalogues[locale]?.[key];
  assert.ok(text, `no message ${key} in ${locale}`);
  return text.replace(/\{(\w+)\}/g, (whole, name) => (name in params ? String(params[name]) : whole));
}

// ---------------------------------------------------------------------------
// Browser

const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

function chromiumPath() {
  if (process.env.CHROMIUM_PATH) return process.env.CHROMIUM_PATH;
  try {
    return execFileSync('sh', ['-c', 'command -v chromium'], { encoding: 'utf8' }).trim();
  } catch {
    throw new Error('Chromium was not found: install it with `apt-get install -y chromium` or set CHROMIUM_PATH.');
  }
}

/**
 * Starts Chromium with a fresh profile and returns its first page.
 * `locale` sets the browser's language (and so `navigator.language`).
 * Requests that leave the server under test are recorded: the app must load
 * nothing from elsewhere.
 */
/** A browser in `timezoneId` (the reader's own zone: times are shown in it). */
export async function openBrowser({ locale = 'es-ES', viewport = { width: 1280, height: 900 }, timezoneId = 'America/Mexico_City' } = {}) {
  const userDataDir = await mkdtemp(join(tmpdir(), 'aula-e2e-'));
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: chromiumPath(),
    headless: true,
    args: CHROMIUM_ARGS,
    locale,
    viewport,
    timezoneId,
    baseURL: BASE_URL,
  });
  const page = context.pages()[0] ?? (await context.newPage());
  page.setDefaultTimeout(15_000);

  const outsideRequests = [];
  const pageErrors = [];
  context.on('request', (request) => {
    const url = request.url();
    if (!url.startsWith(BASE_URL) && !url.startsWith('data:') && !url.startsWith('about:')) outsideRequests.push(url);
  });
  page.on('pageerror', (error) => pageErrors.push(String(error)));

  let closed = false;
  return {
    context,
    page,
    /** Asserts that the app only talked to its own server and raised no script errors. */
    assertClean() {
      assert.deepEqual(outsideRequests, [], 'requests left the server under test');
      assert.deepEqual(pageErrors, [], 'the page raised script errors');
    },
    async close() {
      if (closed) return;
      closed = true;
      await context.close().catch(() => undefined);
      await rm(userDataDir, { recursive: true, force: true });
    },
  };
}

const AXE_SOURCE = join(here, '..', 'node_modules', 'axe-core', 'axe.min.js');

/**
 * Runs axe-core (every rule, best practices included) on the page as it is and fails
 * on any violation, naming the rule, its impact and the elements.
 */
export async function checkAccessibility(page, where) {
  if (!(await page.evaluate(() => 'axe' in window))) await page.addScriptTag({ path: AXE_SOURCE });
  const violations = await page.evaluate(async () => {
    const result = await window.axe.run(document, { resultTypes: ['violations'] });
    return result.violations.map((v) => ({
      rule: v.id,
      impact: v.impact,
      help: v.help,
      nodes: v.nodes.slice(0, 5).map((n) => n.target.join(' ')),
    }));
  });
  assert.deepEqual(violations, [], `accessibility violations on ${where} (${page.url()})`);
}

/** A screenshot of a step, after checking the page with axe. */
export async function screenshot(page, name) {
  await checkAccessibility(page, name);
  await mkdir(SCREENSHOT_DIR, { recursive: true });
  await page.screenshot({ path: join(SCREENSHOT_DIR, `${name}.png`), fullPage: true });
}

/** Waits for the page's main heading to read exactly `text`. */
export async function expectHeading(page, text) {
  await page.getByRole('heading', { level: 1, name: text, exact: true }).waitFor();
}

export function languageSwitcher(page, locale) {
  return page.locator('header').getByRole('combobox', { name: msg(locale, 'language.label'), exact: true });
}

export async function htmlLang(page) {
  return page.locator('html').getAttribute('lang');
}

/** Signs in through the form, in the interface's current `locale`. */
export async function signIn(page, locale, email, password) {
  await page.getByLabel(msg(locale, 'signIn.email'), { exact: true }).fill(email);
  await page.getByLabel(msg(locale, 'signIn.password'), { exact: true }).fill(password);
  await page.getByRole('button', { name: msg(locale, 'signIn.submit'), exact: true }).click();
}

// ---------------------------------------------------------------------------
// API, for setting up data that a test is not about

export async function apiPost(path, body, locale = 'es') {
  const response = await fetch(`${BASE_URL}/api/v1${path}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', 'Accept-Language': locale },
    body: JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : null };
}

/** Any API call, optionally with a bearer token. */
export async function apiCall(method, path, { body, token, locale = 'es' } = {}) {
  const headers = { 'Accept-Language': locale };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  if (token) headers.Authorization = `Bearer ${token}`;
  const response = await fetch(`${BASE_URL}/api/v1${path}`, {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : null };
}

/** An access token for a demo account. */
export async function tokenFor(email, password = DEMO_PASSWORD) {
  const { status, body } = await apiPost('/auth/login', { email, password });
  assert.equal(status, 200, `sign-in of ${email} failed: ${JSON.stringify(body)}`);
  return body.access_token;
}

export async function apiGet(path, locale = 'es') {
  const response = await fetch(`${BASE_URL}/api/v1${path}`, { headers: { 'Accept-Language': locale } });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : null };
}

/** Form controls on the page that have no label (their ids, or markup). */
export async function unlabelledControls(page) {
  return page.evaluate(() =>
    [...document.querySelectorAll('input, select, textarea')]
      .filter((control) => control.type !== 'hidden' && (control.labels?.length ?? 0) === 0)
      .map((control) => control.id || control.outerHTML),
  );
}

/** Fails when the page is wider than its viewport (content that needs sideways scrolling). */
export async function assertNoHorizontalScroll(page) {
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 0, `the page is ${overflow}px wider than the screen`);
}

/** Creates an account through the API and, unless told otherwise, verifies it from its mail. */
export async function createAccount({ email, password, fullName, verify = true }) {
  const registered = await apiPost('/auth/register', {
    email,
    password,
    full_name: fullName,
    locale: 'es',
    institution_id: null,
  });
  // 202 alike for new and taken addresses: sign-up does not tell whether one has an account.
  assert.equal(registered.status, 202, `registration failed: ${JSON.stringify(registered.body)}`);
  if (verify) {
    const { link } = await waitForMail({ to: email, linkPath: '/verify-email' });
    const token = new URL(link).searchParams.get('token');
    const verified = await apiPost('/auth/verify-email', { token });
    assert.equal(verified.status, 200, `verification failed: ${JSON.stringify(verified.body)}`);
  }
  return registered.body;
}

// ---------------------------------------------------------------------------
// Mail: raw RFC 5322 messages, possibly multipart, quoted-printable or base64.

function splitHead(text) {
  const match = /\r?\n\r?\n/.exec(text);
  const head = match ? text.slice(0, match.index) : text;
  const body = match ? text.slice(match.index + match[0].length) : '';
  const headers = {};
  for (const line of head.replace(/\r?\n[ \t]+/g, ' ').split(/\r?\n/)) {
    const colon = line.indexOf(':');
    if (colon > 0) headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  return { headers, body };
}

export function decodeQuotedPrintable(text) {
  const joined = text.replace(/=\r?\n/g, '');
  const bytes = [];
  for (let i = 0; i < joined.length; i++) {
    const hex = joined.slice(i + 1, i + 3);
    if (joined[i] === '=' && /^[0-9A-Fa-f]{2}$/.test(hex)) {
      bytes.push(parseInt(hex, 16));
      i += 2;
    } else {
      bytes.push(...Buffer.from(joined[i], 'utf8'));
    }
  }
  return Buffer.from(bytes).toString('utf8');
}

function decodePart(headers, body) {
  const type = headers['content-type'] ?? 'text/plain';
  const boundary = /boundary="?([^";]+)"?/i.exec(type)?.[1];
  if (/^multipart\//i.test(type) && boundary) {
    return body
      .split(`--${boundary}`)
      .slice(1)
      .filter((part) => !part.startsWith('--'))
      .map((part) => {
        const inner = splitHead(part.replace(/^\r?\n/, ''));
        return decodePart(inner.headers, inner.body);
      })
      .join('\n');
  }
  const encoding = (headers['content-transfer-encoding'] ?? '').trim().toLowerCase();
  if (encoding === 'quoted-printable') return decodeQuotedPrintable(body);
  if (encoding === 'base64') return Buffer.from(body.replace(/\s+/g, ''), 'base64').toString('utf8');
  return body;
}

/** The readable text of a raw message, and its headers. */
export function readMessage(raw) {
  const { headers, body } = splitHead(raw);
  return { headers, text: decodePart(headers, body) };
}

function findLink(text, linkPath) {
  const escaped = linkPath.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
  const match = new RegExp(`https?://[^\\s"'<>]+?${escaped}\\?token=[^\\s"'<>&]+`).exec(text);
  return match?.[0] ?? null;
}

/**
 * Waits for a message to `to` that contains a link to `linkPath` (such as
 * `/verify-email`), and returns that link. Messages in `seen` are skipped.
 */
export async function waitForMail({ to, linkPath, timeoutMs = 10_000, seen = new Set() }) {
  const dir = mailDir();
  const deadline = Date.now() + timeoutMs;
  const address = to.toLowerCase();
  while (Date.now() < deadline) {
    let names = [];
    try {
      names = (await readdir(dir)).filter((name) => name.endsWith('.eml')).sort();
    } catch (error) {
      if (error.code !== 'ENOENT') throw error;
    }
    for (const name of names) {
      if (seen.has(name)) continue;
      const raw = await readFile(join(dir, name), 'utf8');
      const { headers, text } = readMessage(raw);
      if (!(headers.to ?? '').toLowerCase().includes(address)) continue;
      const link = findLink(text, linkPath) ?? findLink(decodeQuotedPrintable(raw), linkPath);
      if (link) {
        seen.add(name);
        return { file: name, link, subject: headers.subject ?? '' };
      }
    }
    await new Promise((done) => setTimeout(done, 200));
  }
  throw new Error(`no mail to ${to} with a ${linkPath} link arrived in ${dir} within ${timeoutMs / 1000} s`);
}

/** The path and query of a link from a mail, to open on the server under test. */
export function inApp(link) {
  const url = new URL(link);
  return url.pathname + url.search;
}
