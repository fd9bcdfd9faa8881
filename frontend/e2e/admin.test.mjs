import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  createAccount,
  DEMO_PASSWORD,
  expectHeading,
  msg,
  openBrowser,
  screenshot,
  signIn,
  uniqueEmail,
} from './support.mjs';

test('an admin sees the users, finds one, grants a role and disables the account', { timeout: 90_000 }, async (t) => {
  const email = uniqueEmail('admin-target');
  await createAccount({ email, password: 'contrasena-de-prueba', fullName: 'Paulo Sérgio Araújo', verify: false });

  const browser = await openBrowser({ locale: 'es-ES' });
  t.after(() => browser.close());
  const { page } = browser;

  await page.goto('/sign-in');
  await signIn(page, 'es', 'admin@demo.test', DEMO_PASSWORD);
  await page.waitForURL((url) => url.pathname === '/');
  await page.locator('header .user-name').waitFor();

  await page.getByRole('navigation').getByRole('link', { name: msg('es', 'nav.admin'), exact: true }).click();
  await expectHeading(page, msg('es', 'admin.users.title'));
  assert.equal(new URL(page.url()).pathname, '/admin/users');

  const table = page.getByRole('table');
  await table.waitFor();
  const rows = table.locator('tbody tr');
  assert.ok((await rows.count()) >= 4, 'the demo accounts are listed');
  await screenshot(page, 'e1-admin-users');

  // Search narrows the list.
  const search = page.getByRole('searchbox', { name: msg('es', 'admin.users.search') });
  await search.fill('student@demo.test');
  await page.getByRole('button', { name: msg('es', 'admin.users.searchSubmit'), exact: true }).click();
  await table.locator('tr[data-email="student@demo.test"]').waitFor();
  await page.waitForFunction(() => document.querySelectorAll('tbody tr').length === 1);

  // Grant a role to the new account, then disable it.
  await search.fill(email);
  await page.getByRole('button', { name: msg('es', 'admin.users.searchSubmit'), exact: true }).click();
  const row = table.locator(`tr[data-email="${email}"]`);
  await row.waitFor();
  const instructor = row.getByRole('checkbox', { name: msg('es', 'role.instructor'), exact: true });
  assert.equal(await instructor.isChecked(), false);

  // Granting a role asks first; cancelling changes nothing.
  await instructor.click();
  const confirm = page.getByRole('dialog', {
    name: msg('es', 'admin.users.grantTitle', { role: msg('es', 'role.instructor'), name: 'Paulo Sérgio Araújo' }),
  });
  await confirm.waitFor();
  await screenshot(page, 'e1b-admin-grant-confirm');
  await confirm.getByRole('button', { name: msg('es', 'common.cancel'), exact: true }).click();
  await confirm.waitFor({ state: 'hidden' });
  assert.equal(await instructor.isChecked(), false);
  await instructor.click();
  const rolesSaved = page.waitForResponse((r) => r.request().method() === 'PATCH' && r.url().includes('/api/v1/users/'));
  await confirm.getByRole('button', { name: msg('es', 'admin.users.grantConfirm'), exact: true }).click();
  assert.equal((await rolesSaved).status(), 200);
  await page.waitForFunction(
    (address) => document.querySelector(`tr[data-email="${address}"] input[type=checkbox]:checked`) !== null,
    email,
  );
  assert.equal(await instructor.isChecked(), true);

  const statusSaved = page.waitForResponse((r) => r.request().method() === 'PATCH' && r.url().includes('/api/v1/users/'));
  await row.getByRole('button', { name: new RegExp(`^${msg('es', 'admin.users.disable')}`) }).click();
  await page
    .getByRole('dialog', { name: msg('es', 'admin.users.disableTitle', { name: 'Paulo Sérgio Araújo' }) })
    .getByRole('button', { name: msg('es', 'admin.users.disable'), exact: true })
    .click();
  assert.equal((await statusSaved).status(), 200);
  await row.getByText(msg('es', 'status.disabled'), { exact: true }).waitFor();
  await screenshot(page, 'e2-admin-user-updated');

  // The changes are stored on the server.
  await page.reload();
  await expectHeading(page, msg('es', 'admin.users.title'));
  await search.fill(email);
  await page.getByRole('button', { name: msg('es', 'admin.users.searchSubmit'), exact: true }).click();
  await row.waitFor();
  await row.getByText(msg('es', 'status.disabled'), { exact: true }).waitFor();
  assert.equal(await instructor.isChecked(), true);

  // On a phone each person is a card: the state and the main action on screen, no sideways scrolling.
  await page.setViewportSize({ width: 390, height: 844 });
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 0, `the page is ${overflow}px wider than the phone screen`);
  const enable = row.getByRole('button', { name: new RegExp(`^${msg('es', 'admin.users.enable')}`) });
  await enable.scrollIntoViewIfNeeded();
  for (const [what, box] of [
    ['the main action', await enable.boundingBox()],
    ['the state', await row.getByText(msg('es', 'status.disabled'), { exact: true }).boundingBox()],
  ]) {
    assert.ok(box && box.x >= 0 && box.x + box.width <= 390, `${what} is on screen: ${JSON.stringify(box)}`);
  }
  await screenshot(page, 'e3-admin-users-phone');

  browser.assertClean();
});

test('an admin adds an institution and a topic, and corrects the institution', { timeout: 90_000 }, async (t) => {
  const browser = await openBrowser({ locale: 'es-ES' });
  t.after(() => browser.close());
  const { page } = browser;
  const suffix = Date.now().toString(36).slice(-5).toUpperCase();
  const acronym = `CSS${suffix}`;

  await page.goto('/sign-in');
  await signIn(page, 'es', 'admin@demo.test', DEMO_PASSWORD);
  await page.locator('header .user-name').waitFor();
  await page.goto('/admin/users');
  await page.getByRole('navigation', { name: msg('es', 'admin.tabs.label') })
    .getByRole('link', { name: msg('es', 'admin.tabs.institutions'), exact: true })
    .click();
  await expectHeading(page, msg('es', 'admin.institutions.title'));
  await page.getByRole('table').waitFor();
  await screenshot(page, 'e4-admin-institutions');

  // A new institution: every field is required, then it is listed.
  await page.getByRole('button', { name: msg('es', 'admin.institutions.add'), exact: true }).click();
  const form = page.getByRole('form', { name: msg('es', 'admin.institutions.newTitle') });
  await form.getByRole('button', { name: msg('es', 'admin.institutions.save'), exact: true }).click();
  await form.getByText(msg('es', 'form.fixErrors'), { exact: true }).waitFor();
  await form.getByLabel(msg('es', 'admin.institutions.name'), { exact: true }).fill('Caja de Seguro Social de Prueba');
  await form.getByLabel(msg('es', 'admin.institutions.acronym'), { exact: true }).fill(acronym);
  await form.getByLabel(msg('es', 'admin.institutions.country'), { exact: true }).selectOption('PA');
  await form.getByLabel(msg('es', 'admin.institutions.category'), { exact: true }).selectOption('asociado');
  await form.getByRole('button', { name: msg('es', 'admin.institutions.save'), exact: true }).click();
  await page.getByText(msg('es', 'admin.institutions.created', { name: 'Caja de Seguro Social de Prueba' }), { exact: true }).waitFor();

  // Found by its acronym, and corrected in place.
  const search = page.getByRole('searchbox', { name: msg('es', 'admin.institutions.search') });
  await search.fill(acronym);
  await search.press('Enter');
  const row = page.locator('tr[data-institution]').filter({ hasText: acronym });
  await row.waitFor();
  await row.getByText('Panamá', { exact: true }).waitFor();
  await row.getByRole('button', { name: msg('es', 'admin.institutions.editOne', { name: 'Caja de Seguro Social de Prueba' }) }).click();
  const edit = page.getByRole('form', { name: msg('es', 'admin.institutions.editTitle', { name: 'Caja de Seguro Social de Prueba' }) });
  await edit.getByLabel(msg('es', 'admin.institutions.name'), { exact: true }).fill('Caja de Seguro Social (prueba)');
  await edit.getByRole('button', { name: msg('es', 'admin.institutions.save'), exact: true }).click();
  await page.getByText(msg('es', 'admin.institutions.saved', { name: 'Caja de Seguro Social (prueba)' }), { exact: true }).waitFor();
  assert.equal(new URL(page.url()).searchParams.get('q'), acronym, 'the search stays in the address');

  // On a phone each institution is a card: nothing scrolls sideways.
  await page.setViewportSize({ width: 390, height: 800 });
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 0, `the page is ${overflow}px wider than the phone screen`);
  await screenshot(page, 'e5-admin-institutions-phone');
  await page.setViewportSize({ width: 1280, height: 900 });

  // A topic needs its name in the four languages.
  await page.goto('/admin/topics');
  await expectHeading(page, msg('es', 'admin.topics.title'));
  const slug = `cuidados_${suffix.toLowerCase()}`;
  await page.getByLabel(msg('es', 'admin.topics.slug'), { exact: true }).fill(slug);
  const names = { es: 'Cuidados de largo plazo', en: 'Long-term care', pt: 'Cuidados de longa duração', fr: 'Soins de longue durée' };
  const native = { es: 'Español', en: 'English', pt: 'Português', fr: 'Français' };
  for (const [locale, name] of Object.entries(names)) {
    await page.getByLabel(msg('es', 'admin.topics.nameIn', { language: native[locale] }), { exact: true }).fill(name);
  }
  await page.getByRole('button', { name: msg('es', 'admin.topics.create'), exact: true }).click();
  await page.getByText(msg('es', 'admin.topics.created', { name: names.es }), { exact: true }).waitFor();
  await page.getByText(slug, { exact: true }).waitFor();
  await screenshot(page, 'e6-admin-topics');

  browser.assertClean();
});
