import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  apiCall,
  assertNoHorizontalScroll,
  BASE_URL,
  DEMO_PASSWORD,
  expectHeading,
  msg,
  openBrowser,
  screenshot,
  signIn,
  tokenFor,
  unlabelledControls,
} from './support.mjs';

const es = (key, params) => msg('es', key, params);
const en = (key, params) => msg('en', key, params);
// The demo student's account is in Portuguese: once signed in, the interface is too.
const pt = (key, params) => msg('pt', key, params);

const PHONE = { width: 390, height: 844 };
const DESKTOP = { width: 1280, height: 900 };

const escape = (text) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
/** ICU puts narrow and no-break spaces in numbers; the page's text is compared without them. */
const plain = (text) => text.replace(/[\u00a0\u2009\u202f]/g, ' ');

/** A counted message in `locale`, as the interface picks `.one` or `.other`. */
function counted(locale, key, count) {
  const form = new Intl.PluralRules(locale).select(count) === 'one' ? 'one' : 'other';
  return msg(locale, `${key}.${form}`, { count });
}

const kindOf = (learner, kind) => learner.kinds.find((k) => k.kind === kind);

/**
 * Watches a browser for requests that leave the server under test and for script
 * errors, like `assertClean`, but lets the page show images from its own `blob:`
 * object URLs (a signature fetched with the access token).
 */
function watch({ context, page }) {
  const outside = [];
  const errors = [];
  context.on('request', (request) => {
    const url = request.url();
    if (/^(https?|wss?):/.test(url) && !url.startsWith(BASE_URL)) outside.push(url);
  });
  page.on('pageerror', (error) => errors.push(String(error)));
  return () => {
    assert.deepEqual(outside, [], 'requests left the server under test');
    assert.deepEqual(errors, [], 'the page raised script errors');
  };
}

/**
 * The demo's finished offering with certificates, as its instructor sees it: the first
 * offering of the instructor's courses whose eligibility report names a certificate.
 */
async function finishedOffering(token) {
  const { body: courses } = await apiCall('GET', '/courses?mine=true&status=all&per_page=100', { token });
  const today = new Date().toISOString().slice(0, 10);
  for (const course of courses.items) {
    const { body: offerings } = await apiCall('GET', `/courses/${encodeURIComponent(course.code)}/offerings`, { token });
    for (const offering of offerings) {
      if (offering.end_date >= today) continue;
      const { status, body: report } = await apiCall('GET', `/offerings/${offering.id}/certification`, { token });
      if (status === 200 && report.learners.some((l) => l.kinds.some((k) => k.certificate))) return { offering, report };
    }
  }
  assert.fail('the demo data has a finished offering with certificates issued');
}

test(
  'staff issue certificates to everyone eligible and, with a reason, to someone who is not; a visitor verifies one, then sees it revoked',
  { timeout: 240_000 },
  async (t) => {
    const token = await tokenFor('instructor@demo.test');
    const { offering, report } = await finishedOffering(token);
    const code = report.course_code;
    // Someone the rules leave out of a participation certificate: their rules are shown.
    const shown = report.learners.find((l) => !kindOf(l, 'participation').eligible);
    assert.ok(shown, `someone in ${code} is not eligible for participation`);
    const attendance = kindOf(shown, 'participation').rules.find((r) => r.rule === 'attendance');
    const lessons = kindOf(shown, 'participation').rules.find((r) => r.rule === 'required_lessons');
    // Someone who never had an approval certificate and does not meet its rules (not the
    // demo student, whose own certificates another test reads): issued one despite the rules.
    const { body: issuedBefore } = await apiCall('GET', `/offerings/${offering.id}/certificates?per_page=100`, { token });
    const hadApproval = new Set(issuedBefore.items.filter((c) => c.kind === 'approval').map((c) => c.enrolment_id));
    const target = report.learners.find(
      (l) => l.email !== 'student@demo.test' && !kindOf(l, 'approval').eligible && !hadApproval.has(l.enrolment_id),
    );
    assert.ok(target, `someone in ${code} never had an approval certificate and is not eligible for one`);

    // --- The instructor opens the offering's certificates from its gradebook's tabs.
    const staff = await openBrowser({ locale: 'es-ES', viewport: DESKTOP });
    t.after(() => staff.close());
    let page = staff.page;
    const gradebook = `/teach/offerings/${offering.id}/gradebook`;
    await page.goto(`/sign-in?next=${encodeURIComponent(gradebook)}`);
    await signIn(page, 'es', 'instructor@demo.test', DEMO_PASSWORD);
    await expectHeading(page, es('gradebook.title', { code }));
    await page
      .getByRole('navigation', { name: es('offeringTabs.label') })
      .getByRole('link', { name: es('offeringTabs.certificates'), exact: true })
      .click();
    await expectHeading(page, es('offeringCertificates.title', { code }));
    assert.equal(new URL(page.url()).pathname, `/teach/offerings/${offering.id}/certificates`);

    // Each rule shows the value it was judged on, with a mark in words as well as colour.
    const shownCell = page.locator(`#eligibility-table tr[data-enrolment="${shown.enrolment_id}"] td[data-kind="participation"]`);
    await shownCell.getByText(es('eligibility.notEligible'), { exact: true }).waitFor();
    const percent = (n) => new Intl.NumberFormat('es', { style: 'percent', maximumFractionDigits: 1 }).format(n / 100);
    if (attendance?.applicable && attendance.value !== null) {
      const text = plain(`${es('certRule.attendance')} ${percent(attendance.value)} ${attendance.met ? '≥' : '<'} ${percent(attendance.required)}`);
      const read = (await shownCell.locator('li[data-rule="attendance"]').innerText()).trim();
      assert.ok(plain(read).endsWith(text), `attendance reads "${text}": ${read}`);
    }
    if (lessons?.applicable) {
      await shownCell
        .locator('li[data-rule="required_lessons"]')
        .getByText(es('certRule.lessons', { done: lessons.value ?? 0, required: lessons.required }))
        .waitFor();
    }
    assert.deepEqual(await unlabelledControls(page), [], 'the certificates page has controls without a label');
    await screenshot(page, 'v1-certification');
    await page.setViewportSize(PHONE);
    await assertNoHorizontalScroll(page);
    await screenshot(page, 'v2-certification-phone');
    await page.setViewportSize(DESKTOP);

    // Issuing to everyone eligible asks first, then says what happened.
    await page.locator('button[data-bulk="participation"]').click();
    const confirm = page.getByRole('dialog', { name: es('eligibility.issueAll.participation') });
    await confirm.getByText(es('eligibility.issueAllExplain'), { exact: true }).waitFor();
    const bulk = page.waitForResponse((r) => r.request().method() === 'POST' && r.url().endsWith(`/offerings/${offering.id}/certificates`));
    await confirm.getByRole('button', { name: es('eligibility.issueAllConfirm'), exact: true }).click();
    const bulkResponse = await bulk;
    assert.equal(bulkResponse.status(), 200);
    const outcome = await bulkResponse.json();
    assert.deepEqual(JSON.parse(bulkResponse.request().postData()), { kind: 'participation' });
    const summary = [
      counted('es', 'issueReport.issued', outcome.issued.length),
      counted('es', 'issueReport.already', outcome.already_issued),
      counted('es', 'issueReport.notEligible', outcome.not_eligible),
    ].join(', ');
    await page.getByRole('status').locator('[data-outcome]').getByText(summary).waitFor();
    assert.ok(outcome.not_eligible >= 1, 'the person left out is counted');
    await screenshot(page, 'v3-issue-report');

    // The register and the PDFs download with the access token.
    const register = page.waitForEvent('download');
    await page.getByRole('button', { name: es('offeringCertificates.register'), exact: true }).click();
    assert.equal((await register).suggestedFilename(), `certificates-${code}.csv`);
    const archive = page.waitForEvent('download');
    await page.getByRole('button', { name: es('offeringCertificates.archive'), exact: true }).click();
    assert.equal((await archive).suggestedFilename(), `certificates-${code}.zip`);

    // Issuing despite the rules needs a reason.
    const cell = page.locator(`#eligibility-table tr[data-enrolment="${target.enrolment_id}"] td[data-kind="approval"]`);
    await cell.getByText(es('eligibility.notEligible'), { exact: true }).waitFor();
    await cell.getByRole('button', { name: new RegExp(`^${escape(es('eligibility.issueOverride'))}`) }).click();
    const override = page.getByRole('dialog', {
      name: es('override.certTitle', { kind: es('certificateTitle.approval'), name: target.full_name }),
    });
    await override.getByRole('button', { name: es('eligibility.issueOverride'), exact: true }).click();
    await override.getByText(es('validation.required'), { exact: true }).waitFor();
    const reasonField = override.getByLabel(es('certificates.reason'), { exact: true });
    assert.equal(await reasonField.getAttribute('aria-invalid'), 'true');
    await reasonField.fill('Aprobó el examen extraordinario; el acta llegó después del cierre.');
    await page.setViewportSize(PHONE);
    await screenshot(page, 'v4-override-phone');
    await page.setViewportSize(DESKTOP);
    const issuedOne = page.waitForResponse((r) => r.request().method() === 'POST' && r.url().endsWith(`/offerings/${offering.id}/certificates`));
    await override.getByRole('button', { name: es('eligibility.issueOverride'), exact: true }).click();
    const issuedResponse = await issuedOne;
    assert.equal(issuedResponse.status(), 200);
    const issuedBody = await issuedResponse.json();
    assert.equal(issuedBody.issued.length, 1, 'one certificate issued despite the rules');
    const certificate = issuedBody.issued[0];
    await override.waitFor({ state: 'hidden' });
    await page.getByRole('status').getByText(es('eligibility.issued', { code: certificate.code, name: target.full_name }), { exact: true }).waitFor();
    await cell.locator(`[data-certificate="${certificate.code}"]`).waitFor();
    const listed = page.locator(`#issued-table tr[data-certificate="${certificate.code}"]`);
    await listed.getByText(es('certificateVerdict.valid'), { exact: true }).waitFor();
    await listed.getByText(es('issued.override'), { exact: true }).waitFor();
    staff.assertClean();

    // --- A visitor, signed out, types the code as read from paper: any case, with spaces.
    const visitor = await openBrowser({ locale: 'en-GB', viewport: PHONE });
    t.after(() => visitor.close());
    const sentTokens = [];
    visitor.context.on('request', (request) => {
      if (request.url().includes('/api/v1/verify/') && request.headers().authorization) sentTokens.push(request.url());
    });
    let guest = visitor.page;
    await guest.goto('/verify');
    await expectHeading(guest, en('verify.title'));
    await guest.getByLabel(en('verify.codeLabel'), { exact: true }).fill(`  ${certificate.code.toLowerCase().replaceAll('-', ' ')} `);
    await assertNoHorizontalScroll(guest);
    await screenshot(guest, 'v5-verify-form-phone');
    await guest.getByRole('button', { name: en('verify.check'), exact: true }).click();
    await guest.waitForURL((url) => url.pathname === `/verify/${certificate.code}`);
    const banner = guest.locator('section.banner');
    await banner.getByRole('heading', { name: en('verify.headline.valid'), exact: true }).waitFor();
    assert.equal(await banner.getAttribute('data-verdict'), 'valid');
    const printed = guest.locator('section.printed');
    await printed.getByText(target.full_name, { exact: true }).waitFor();
    await printed.getByText(certificate.code, { exact: true }).waitFor();
    await printed.getByText(en('certificateTitle.approval'), { exact: true }).waitFor();
    await printed.getByText(code, { exact: true }).waitFor();
    await assertNoHorizontalScroll(guest);
    await screenshot(guest, 'v6-verify-valid-phone');
    await guest.setViewportSize(DESKTOP);
    await screenshot(guest, 'v7-verify-valid');

    // --- The instructor revokes it, with a reason.
    const reason = 'Emitido por error: la nota final todavía no estaba cerrada.';
    await listed.getByRole('button', { name: new RegExp(`^${escape(es('standing.revoke'))}`) }).click();
    const revoke = page.getByRole('dialog', { name: es('standing.title.revoke', { code: certificate.code }) });
    await revoke.getByText(es('standing.explain.revoke'), { exact: true }).waitFor();
    await revoke.getByLabel(es('certificates.reason'), { exact: true }).fill(reason);
    const revoked = page.waitForResponse((r) => r.request().method() === 'POST' && r.url().endsWith(`/certificates/${certificate.id}/revoke`));
    await revoke.getByRole('button', { name: es('standing.revoke'), exact: true }).click();
    assert.equal((await revoked).status(), 200);
    await revoke.waitFor({ state: 'hidden' });
    await page
      .getByRole('status')
      .getByText(es('standing.done.revoke', { code: certificate.code, name: target.full_name }), { exact: true })
      .waitFor();
    await listed.locator('[data-verdict="revoked"]').waitFor();
    await listed.getByText(reason, { exact: true }).waitFor();
    // Nothing more applies to a revoked certificate.
    assert.equal(await listed.getByRole('button', { name: new RegExp(`^${escape(es('standing.revoke'))}`) }).count(), 0);
    await screenshot(page, 'v8-revoked-staff');
    await page.setViewportSize(PHONE);
    await assertNoHorizontalScroll(page);
    await screenshot(page, 'v9-revoked-staff-phone');
    staff.assertClean();

    // --- The visitor reloads: revoked, with the reason and the date.
    await guest.reload();
    await banner.getByRole('heading', { name: en('verify.headline.revoked'), exact: true }).waitFor();
    assert.equal(await banner.getAttribute('data-verdict'), 'revoked');
    const detail = await banner.locator('[data-detail]').innerText();
    assert.match(detail, new RegExp(`${escape(en('verify.detail.reason', { reason }))}$`));
    await screenshot(guest, 'v10-verify-revoked');
    await guest.setViewportSize(PHONE);
    await assertNoHorizontalScroll(guest);
    await screenshot(guest, 'v11-verify-revoked-phone');
    assert.deepEqual(sentTokens, [], 'the public verification is asked without a token');
    visitor.assertClean();
  },
);

test('a visitor checks a PDF by its fingerprint, and an unknown code finds nothing', { timeout: 120_000 }, async (t) => {
  const token = await tokenFor('instructor@demo.test');
  const { offering } = await finishedOffering(token);
  const { body: list } = await apiCall('GET', `/offerings/${offering.id}/certificates?per_page=100`, { token });
  const genuine = list.items.find((c) => c.ready && c.verdict === 'valid');
  assert.ok(genuine, 'the demo offering has a valid certificate with its PDF');
  const response = await fetch(`${BASE_URL}/api/v1/certificates/${genuine.id}/pdf`, { headers: { Authorization: `Bearer ${token}` } });
  assert.equal(response.status, 200);
  const pdf = Buffer.from(await response.arrayBuffer());

  const visitor = await openBrowser({ locale: 'fr-FR', viewport: PHONE });
  t.after(() => visitor.close());
  const fr = (key, params) => msg('fr', key, params);
  const { page } = visitor;

  // A code nobody was given: said plainly, nothing suggested.
  await page.goto('/verify/CIESS-0000-0000-0000');
  await expectHeading(page, fr('verify.title'));
  await page.getByRole('alert').getByText(fr('verify.notFound'), { exact: true }).waitFor();
  await screenshot(page, 'v12-verify-unknown-phone');

  // The genuine PDF is recognised by its fingerprint.
  await page.goto('/verify');
  await expectHeading(page, fr('verify.title'));
  const checked = page.waitForResponse((r) => r.request().method() === 'POST' && r.url().endsWith('/api/v1/verification/document'));
  await page
    .getByLabel(fr('verify.chooseDocument'), { exact: true })
    .setInputFiles({ name: `${genuine.code}.pdf`, mimeType: 'application/pdf', buffer: pdf });
  assert.equal((await checked).status(), 200);
  const result = page.locator('section.result');
  await result.getByText(fr('verify.documentGenuine', { name: `${genuine.code}.pdf`, code: genuine.code }), { exact: true }).waitFor();
  await result.getByRole('heading', { name: fr('verify.headline.valid'), exact: true }).waitFor();
  await result.locator('[data-sha256]').getByText(genuine.pdf_sha256, { exact: true }).waitFor();
  assert.equal(await page.evaluate(() => document.activeElement?.id), 'document-result');
  await assertNoHorizontalScroll(page);
  await screenshot(page, 'v13-verify-document-phone');

  // A changed copy is not.
  const changed = Buffer.concat([pdf, Buffer.from('\n% altered\n')]);
  await page
    .getByLabel(fr('verify.chooseDocument'), { exact: true })
    .setInputFiles({ name: 'copie.pdf', mimeType: 'application/pdf', buffer: changed });
  await page.getByRole('alert').getByText(fr('verify.notRecognised'), { exact: true }).waitFor();

  // The signed badge is checked by its signature; an altered one is refused.
  const badgeResponse = await fetch(`${BASE_URL}/api/v1/certificates/${genuine.id}/badge`, {
    headers: { Authorization: `Bearer ${token}` },
  });
  assert.equal(badgeResponse.status, 200);
  const badge = Buffer.from(await badgeResponse.arrayBuffer());
  const badgeChecked = page.waitForResponse((r) => r.request().method() === 'POST' && r.url().endsWith('/api/v1/verification/badge'));
  await page
    .getByLabel(fr('verify.chooseDocument'), { exact: true })
    .setInputFiles({ name: `${genuine.code}.jwt`, mimeType: '', buffer: badge });
  assert.equal((await badgeChecked).status(), 200);
  await result.getByText(fr('verify.badgeGenuine', { name: `${genuine.code}.jwt`, code: genuine.code }), { exact: true }).waitFor();
  const forged = Buffer.from(badge.toString('utf8').slice(0, -8));
  await page
    .getByLabel(fr('verify.chooseDocument'), { exact: true })
    .setInputFiles({ name: 'badge.jwt', mimeType: '', buffer: forged });
  await page.getByRole('alert').getByText(fr('verify.badgeInvalid'), { exact: true }).waitFor();
  visitor.assertClean();
});

test("a learner's certificates: files, the verification link to copy, LinkedIn", { timeout: 120_000 }, async (t) => {
  const token = await tokenFor('student@demo.test');
  const { body: mine } = await apiCall('GET', '/me/certificates', { token });
  assert.ok(mine.length > 0, 'the demo student holds certificates');
  const valid = mine.find((c) => c.verdict === 'valid');
  const replaced = mine.find((c) => c.verdict === 'superseded');
  assert.ok(valid, 'one of them is valid');

  const learner = await openBrowser({ locale: 'es-ES', viewport: PHONE });
  t.after(() => learner.close());
  await learner.context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: BASE_URL });
  const { page } = learner;
  await page.goto('/sign-in?next=%2Fcertificates');
  await signIn(page, 'es', 'student@demo.test', DEMO_PASSWORD);
  await expectHeading(page, pt('certificates.title'));

  const card = page.locator(`li[data-certificate="${valid.code}"]`);
  await card.locator('[data-status]').getByText(pt('certificateVerdict.valid'), { exact: true }).waitFor();
  const linkedIn = card.getByRole('link', { name: new RegExp(`^${escape(pt('certificates.linkedIn'))}`) });
  assert.equal(await linkedIn.getAttribute('target'), '_blank');
  assert.match(await linkedIn.getAttribute('rel'), /\bnoopener\b/);
  const href = new URL(await linkedIn.getAttribute('href'));
  assert.equal(href.origin + href.pathname, 'https://www.linkedin.com/profile/add');
  assert.equal(href.searchParams.get('startTask'), 'CERTIFICATION_NAME');
  assert.equal(href.searchParams.get('certId'), valid.code);
  assert.equal(href.searchParams.get('certUrl'), valid.verify_url);
  assert.equal(href.searchParams.get('organizationName'), 'CIESS');

  if (valid.ready) {
    const pdf = page.waitForEvent('download');
    await card.getByRole('button', { name: new RegExp(`^${escape(pt('certificates.downloadPdf'))}`) }).click();
    assert.equal((await pdf).suggestedFilename(), `${valid.code}.pdf`);
    const badge = page.waitForEvent('download');
    await card.getByRole('button', { name: new RegExp(`^${escape(pt('certificates.downloadBadge'))}`) }).click();
    assert.equal((await badge).suggestedFilename(), `${valid.code}.jwt`);
  } else {
    await card.getByText(pt('certificates.preparing'), { exact: true }).waitFor();
  }

  await card.getByRole('button', { name: new RegExp(`^${escape(pt('certificates.copyLink'))}`) }).click();
  await card.getByRole('status').getByText(pt('certificates.copied'), { exact: false }).waitFor();
  assert.equal(await page.evaluate(() => navigator.clipboard.readText()), valid.verify_url);

  // A replaced certificate is shown muted, with its successor, and nothing to share.
  if (replaced) {
    const old = page.locator(`li[data-certificate="${replaced.code}"]`);
    assert.match((await old.getAttribute('class')) ?? '', /\bretired\b/);
    await old.locator('[data-status]').getByText(pt('certificateVerdict.superseded'), { exact: true }).waitFor();
    assert.equal(await old.getByRole('link', { name: new RegExp(`^${escape(pt('certificates.linkedIn'))}`) }).count(), 0);
  }
  await assertNoHorizontalScroll(page);
  await screenshot(page, 'v14-my-certificates-phone');
  await page.setViewportSize(DESKTOP);
  await screenshot(page, 'v15-my-certificates');
  learner.assertClean();
});

test('a coordinator lists the institution’s certificates; an admin keeps the signatories', { timeout: 120_000 }, async (t) => {
  const browser = await openBrowser({ locale: 'es-ES', viewport: DESKTOP });
  t.after(() => browser.close());
  let { page } = browser;

  await page.goto('/sign-in?next=%2Fcoordinator');
  await signIn(page, 'es', 'coordinator@demo.test', DEMO_PASSWORD);
  await expectHeading(page, es('coordinator.title'));
  await page.getByRole('link', { name: es('coordinator.certificates'), exact: true }).click();
  await expectHeading(page, es('coordinatorCertificates.title'));
  await page.locator('#institution-certificates').waitFor();
  await screenshot(page, 'v16-coordinator-certificates');
  await page.setViewportSize(PHONE);
  await assertNoHorizontalScroll(page);
  await screenshot(page, 'v17-coordinator-certificates-phone');
  await page.setViewportSize(DESKTOP);
  const csv = page.waitForEvent('download');
  await page.getByRole('button', { name: es('roster.export'), exact: true }).click();
  assert.equal((await csv).suggestedFilename(), 'certificates.csv');
  browser.assertClean();
  await browser.close();

  // The administrator adds a signatory, gives the signature, sees it and deletes them.
  const admin = await openBrowser({ locale: 'es-ES', viewport: DESKTOP });
  t.after(() => admin.close());
  const adminClean = watch(admin);
  page = admin.page;
  await page.goto('/sign-in?next=%2Fadmin%2Fusers');
  await signIn(page, 'es', 'admin@demo.test', DEMO_PASSWORD);
  await expectHeading(page, es('admin.users.title'));
  await page
    .getByRole('navigation', { name: es('admin.tabs.label') })
    .getByRole('link', { name: es('admin.tabs.signatories'), exact: true })
    .click();
  await expectHeading(page, es('signatories.title'));
  await page.locator('#signatories-table').waitFor();

  const name = `Mtra. Prueba ${Date.now().toString(36)}`;
  await page.getByRole('button', { name: es('signatories.add'), exact: true }).click();
  const form = page.getByRole('form', { name: es('signatories.newTitle') });
  await form.getByLabel(es('signatories.name'), { exact: true }).fill(name);
  await form.getByLabel(es('signatories.titleField'), { exact: true }).fill('Secretaria Académica');
  const created = page.waitForResponse((r) => r.request().method() === 'POST' && r.url().endsWith('/api/v1/signatories'));
  await form.getByRole('button', { name: es('signatories.save'), exact: true }).click();
  assert.equal((await created).status(), 201);
  const signatory = await (await created).json();
  await page.getByRole('status').getByText(es('signatories.created', { name }), { exact: true }).waitFor();
  const row = page.locator(`tr[data-signatory="${signatory.id}"]`);
  await row.getByText(es('signatories.noSignature'), { exact: true }).waitFor();

  // A PNG signature: a 1×1 image is enough for the server to recognise it.
  const png = Buffer.from(
    'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==',
    'base64',
  );
  await row.getByRole('button', { name: new RegExp(`^${escape(es('signatories.uploadSignature'))}`) }).click();
  const picker = page.getByLabel(es('signatories.chooseImage'), { exact: true });
  await picker.setInputFiles({ name: 'firma.txt', mimeType: 'text/plain', buffer: Buffer.from('hola') });
  await page.getByRole('alert').getByText(es('signatories.wrongType'), { exact: true }).waitFor();
  const uploaded = page.waitForResponse((r) => r.request().method() === 'PUT' && r.url().endsWith(`/signatories/${signatory.id}/signature`));
  await picker.setInputFiles({ name: 'firma.png', mimeType: 'image/png', buffer: png });
  assert.equal((await uploaded).status(), 200);
  await row.getByRole('img', { name: es('signatories.signatureOf', { name }) }).waitFor();
  await screenshot(page, 'v18-signatories');
  await page.setViewportSize(PHONE);
  await assertNoHorizontalScroll(page);
  await screenshot(page, 'v19-signatories-phone');
  await page.setViewportSize(DESKTOP);

  await row.getByRole('button', { name: new RegExp(`^${escape(es('editor.delete'))}`) }).click();
  const dialog = page.getByRole('dialog', { name: es('signatories.deleteTitle', { name }) });
  const deleted = page.waitForResponse((r) => r.request().method() === 'DELETE' && r.url().endsWith(`/signatories/${signatory.id}`));
  await dialog.getByRole('button', { name: es('editor.delete'), exact: true }).click();
  assert.equal((await deleted).status(), 204);
  await page.getByRole('status').getByText(es('signatories.deleted', { name }), { exact: true }).waitFor();
  await row.waitFor({ state: 'detached' });
  adminClean();
});
