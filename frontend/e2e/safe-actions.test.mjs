import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  apiCall,
  createAccount,
  DEMO_PASSWORD,
  expectHeading,
  msg,
  openBrowser,
  screenshot,
  signIn,
  tokenFor,
  uniqueEmail,
} from './support.mjs';

const es = (key, params) => msg('es', key, params);

/** A course code no earlier run used. */
function freshCode() {
  return `QA-${String(Date.now()).slice(-4)}`;
}

test('publishing a course without an edition is refused with the reason, after a confirmation', { timeout: 120_000 }, async (t) => {
  const admin = await tokenFor('admin@demo.test');
  const code = freshCode();
  const created = await apiCall('POST', '/courses', {
    token: admin,
    body: {
      code,
      topic: 'pensions',
      programme_type: 'course',
      modality: 'online',
      level: 'introductory',
      hours: 10,
      primary_language: 'es',
      languages: ['es'],
      translation: { title: 'Curso sin edición', summary: 'Resumen', description_md: 'Descripción', learning_outcomes: [] },
    },
  });
  assert.equal(created.status, 201, JSON.stringify(created.body));

  const browser = await openBrowser({ locale: 'es-ES' });
  t.after(() => browser.close());
  const { page } = browser;
  await page.goto(`/sign-in?next=${encodeURIComponent(`/teach/courses/${code}`)}`);
  await signIn(page, 'es', 'admin@demo.test', DEMO_PASSWORD);
  await expectHeading(page, es('editor.editTitle', { code }));

  await page.getByRole('button', { name: es('editor.publish'), exact: true }).click();
  const dialog = page.getByRole('dialog', { name: es('editor.confirmPublishTitle', { code }) });
  await dialog.waitFor();
  await screenshot(page, 'p1-publish-confirm');
  const refused = page.waitForResponse((r) => r.url().endsWith(`/courses/${code}/publish`));
  await dialog.getByRole('button', { name: es('editor.publish'), exact: true }).click();
  assert.equal((await refused).status(), 409);
  const alert = page.getByRole('alert').filter({ hasText: es('editor.notReady') });
  await alert.waitFor();
  // The server's reason, in the reader's language.
  await alert.getByText('Agregue al menos una edición', { exact: true }).waitFor();
  await screenshot(page, 'p2-publish-refused');
  const detail = await apiCall('GET', `/courses/${code}`, { token: admin });
  assert.equal(detail.body.status, 'draft');
  browser.assertClean();
});

test('an instructor asks for review; the admin sends it back with a note from a phone', { timeout: 120_000 }, async (t) => {
  const instructor = await tokenFor('instructor@demo.test');
  const code = freshCode().replace('QA-', 'RV-');
  const created = await apiCall('POST', '/courses', {
    token: instructor,
    body: {
      code,
      topic: 'pensions',
      programme_type: 'course',
      modality: 'online',
      level: 'introductory',
      hours: 10,
      primary_language: 'es',
      languages: ['es'],
      translation: { title: 'Curso por revisar', summary: 'Resumen', description_md: 'Descripción', learning_outcomes: [] },
    },
  });
  assert.equal(created.status, 201, JSON.stringify(created.body));
  const day = (n) => new Date(Date.now() + n * 86_400_000);
  const offering = await apiCall('POST', `/courses/${code}/offerings`, {
    token: instructor,
    body: {
      start_date: day(30).toISOString().slice(0, 10),
      end_date: day(60).toISOString().slice(0, 10),
      enrolment_opens_at: day(-1).toISOString(),
      enrolment_closes_at: day(20).toISOString(),
      time_zone: 'America/Mexico_City',
      capacity: 20,
      admission_policy: 'open',
      fee_member: 0,
      fee_non_member: 0,
      currency: 'USD',
    },
  });
  assert.equal(offering.status, 201, JSON.stringify(offering.body));
  const asked = await apiCall('POST', `/courses/${code}/review-request`, { token: instructor });
  assert.equal(asked.status, 200, JSON.stringify(asked.body));

  const browser = await openBrowser({ locale: 'es-ES', viewport: { width: 390, height: 844 } });
  t.after(() => browser.close());
  const { page } = browser;
  await page.goto('/sign-in?next=%2Fadmin%2Freviews');
  await signIn(page, 'es', 'admin@demo.test', DEMO_PASSWORD);
  await expectHeading(page, es('admin.reviews.title'));
  const row = page.locator(`tr[data-code="${code}"]`);
  await row.waitFor();
  const sendBack = row.getByRole('button', { name: new RegExp(`^${es('admin.reviews.sendBack')}`) });
  const box = await sendBack.boundingBox();
  assert.ok(box && box.x >= 0 && box.x + box.width <= 390, `the action is on screen: ${JSON.stringify(box)}`);
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 0, `the page is ${overflow}px wider than the phone screen`);
  await screenshot(page, 'p3-review-queue-phone');

  await sendBack.click();
  const dialog = page.getByRole('dialog', { name: es('admin.reviews.sendBackTitle', { code }) });
  await dialog.getByLabel(es('admin.reviews.note'), { exact: true }).fill('Añada los objetivos de aprendizaje.');
  await dialog.getByRole('button', { name: es('admin.reviews.sendBack'), exact: true }).click();
  await page.getByText(es('admin.reviews.sentBack', { code }), { exact: true }).waitFor();
  await row.waitFor({ state: 'detached' });
  const detail = await apiCall('GET', `/courses/${code}`, { token: instructor });
  assert.equal(detail.body.review.note, 'Añada los objetivos de aprendizaje.');
  browser.assertClean();
});

test('changing the password signs the other sessions out and keeps this one', { timeout: 120_000 }, async (t) => {
  const email = uniqueEmail('password-change');
  const oldPassword = 'contrasena-de-prueba';
  const newPassword = 'otra-contrasena-larga';
  await createAccount({ email, password: oldPassword, fullName: 'Rita Morales' });

  const here = await openBrowser({ locale: 'es-ES' });
  const elsewhere = await openBrowser({ locale: 'es-ES' });
  t.after(() => here.close());
  t.after(() => elsewhere.close());
  for (const { page } of [here, elsewhere]) {
    await page.goto('/sign-in?next=%2Fprofile');
    await signIn(page, 'es', email, oldPassword);
    await expectHeading(page, es('profile.title'));
  }

  const page = here.page;
  await page.getByLabel(es('profile.currentPassword'), { exact: true }).fill('no-es-la-clave');
  await page.getByLabel(es('profile.newPassword'), { exact: true }).fill(newPassword);
  await page.getByRole('button', { name: es('profile.changePassword'), exact: true }).click();
  await page.getByText('La contraseña actual no es correcta', { exact: true }).waitFor();
  await page.getByLabel(es('profile.currentPassword'), { exact: true }).fill(oldPassword);
  await page.getByRole('button', { name: es('profile.changePassword'), exact: true }).click();
  await page.getByText(es('profile.passwordChanged'), { exact: true }).waitFor();
  await screenshot(page, 'p4-password-changed');

  // The other browser is signed out on its next request.
  await elsewhere.page.reload();
  await elsewhere.page.waitForURL((url) => url.pathname === '/sign-in');
  // This one stays signed in, across a reload too.
  await page.reload();
  await expectHeading(page, es('profile.title'));
  await page.locator('header .user-name').waitFor();

  // The new password signs in.
  const again = await openBrowser({ locale: 'es-ES' });
  t.after(() => again.close());
  await again.page.goto('/sign-in?next=%2Fprofile');
  await signIn(again.page, 'es', email, newPassword);
  await expectHeading(again.page, es('profile.title'));
  here.assertClean();
});
