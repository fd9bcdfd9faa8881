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

  await page.getByRole('navigation').getByRole('link', { name: msg('es', 'nav.users'), exact: true }).click();
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

  const rolesSaved = page.waitForResponse((r) => r.request().method() === 'PATCH' && r.url().includes('/api/v1/users/'));
  await instructor.click();
  assert.equal((await rolesSaved).status(), 200);
  await page.waitForFunction(
    (address) => document.querySelector(`tr[data-email="${address}"] input[type=checkbox]:checked`) !== null,
    email,
  );
  assert.equal(await instructor.isChecked(), true);

  const statusSaved = page.waitForResponse((r) => r.request().method() === 'PATCH' && r.url().includes('/api/v1/users/'));
  await row.getByRole('button', { name: new RegExp(`^${msg('es', 'admin.users.disable')}`) }).click();
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

  // On a phone the table scrolls inside its own frame, not the whole page.
  await page.setViewportSize({ width: 360, height: 760 });
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 0, `the page is ${overflow}px wider than the phone screen`);
  await screenshot(page, 'e3-admin-users-phone');

  browser.assertClean();
});
