import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { test } from 'node:test';
import {
  apiGet,
  assertNoHorizontalScroll,
  DEMO_PASSWORD,
  expectHeading,
  languageSwitcher,
  msg,
  openBrowser,
  screenshot,
  signIn,
  unlabelledControls,
} from './support.mjs';

const es = (key, params) => msg('es', key, params);

/** A course code nobody has used: `TST-` and four digits. */
function freshCode() {
  return `TST-${String(Math.floor(1000 + Math.random() * 9000))}`;
}

function moduleBox(page, title) {
  return page.locator('li.module').filter({ has: page.getByRole('heading', { level: 3, name: new RegExp(`${title}$`) }) });
}

/** The calendar date `offset` days from today, as `YYYY-MM-DD`. */
function day(offset) {
  return new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);
}

/** A tiny but real PDF: the server recognises documents by their content. */
const PDF = Buffer.from(
  '%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj 2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n',
);

test('an instructor writes a course in two languages, an admin publishes it, a visitor finds it', { timeout: 180_000 }, async (t) => {
  const code = freshCode();
  const titleEs = `Gestión actuarial de prestaciones ${code}`;
  const titleEn = `Actuarial management of benefits ${code}`;
  const firstModule = 'Fundamentos';
  const secondModule = 'Proyecciones demográficas';

  // --- The instructor creates the course.
  const teacher = await openBrowser({ locale: 'es-ES' });
  t.after(() => teacher.close());
  let page = teacher.page;

  await page.goto('/sign-in?next=/teach');
  await signIn(page, 'es', 'instructor@demo.test', DEMO_PASSWORD);
  await expectHeading(page, es('teach.title'));
  assert.equal(
    await page.getByRole('navigation').getByRole('link', { name: es('nav.teach'), exact: true }).getAttribute('aria-current'),
    'page',
  );
  await page.getByRole('main').getByRole('link', { name: es('teach.new'), exact: true }).first().click();
  await expectHeading(page, es('editor.newTitle'));

  // Client-side checks come first, beside the fields.
  await page.getByRole('button', { name: es('editor.create'), exact: true }).click();
  await page.getByRole('alert').getByText(es('form.fixErrors')).waitFor();
  const codeField = page.getByLabel(es('editor.code'), { exact: true });
  assert.equal(await codeField.getAttribute('aria-invalid'), 'true');
  assert.ok(await codeField.evaluate((node) => node === document.activeElement), 'focus moves to the first invalid field');

  await codeField.fill(code.toLowerCase());
  await page.getByLabel(es('course.topic'), { exact: true }).selectOption('pensions');
  await page.getByLabel(es('course.type'), { exact: true }).selectOption('workshop');
  await page.getByLabel(es('course.modality'), { exact: true }).selectOption('online');
  await page.getByLabel(es('course.level'), { exact: true }).selectOption('intermediate');
  await page.getByLabel(es('editor.hours'), { exact: true }).fill('24');
  await page.getByRole('checkbox', { name: 'Inglés', exact: true }).check();
  await page.getByLabel(es('editor.courseTitle'), { exact: true }).fill(titleEs);
  await page.getByLabel(es('editor.summary'), { exact: true }).fill('Métodos actuariales para la gestión de prestaciones de largo plazo.');
  await page
    .getByLabel(es('editor.description'), { exact: true })
    .fill('## Enfoque\n\nUn taller **práctico** con casos de instituciones de la región.\n\n- Tablas de mortalidad\n- Proyecciones');
  await page.getByLabel(es('editor.outcomes'), { exact: true }).fill('Construir una proyección actuarial\nEvaluar la sostenibilidad de un régimen');
  await screenshot(page, 'g1-editor-new-course');
  await page.getByRole('button', { name: es('editor.create'), exact: true }).click();

  await page.waitForURL((url) => url.pathname === `/teach/courses/${code}`);
  await expectHeading(page, es('editor.editTitle', { code }));
  await page.getByText(es('editor.created'), { exact: true }).waitFor();

  // The English text, written beside the Spanish reference.
  await page.getByRole('tab', { name: /^Inglés/ }).click();
  await page.getByRole('heading', { name: es('editor.reference', { language: 'español' }) }).waitFor();
  await page.getByLabel(es('editor.courseTitle'), { exact: true }).fill(titleEn);
  await page.getByLabel(es('editor.summary'), { exact: true }).fill('Actuarial methods for managing long-term benefits.');
  await page.getByLabel(es('editor.description'), { exact: true }).fill('## Approach\n\nA **hands-on** workshop.');
  await page.getByRole('button', { name: es('editor.saveTranslation', { language: 'inglés' }), exact: true }).click();
  await page.getByText(es('editor.translationSaved', { language: 'inglés' }), { exact: true }).waitFor();
  // The preview is the server's rendering of the saved Markdown.
  await page.locator('.preview-body strong', { hasText: 'hands-on' }).waitFor();
  // Arrow keys move between the language tabs.
  await page.getByRole('tab', { name: /^Inglés/ }).focus();
  await page.keyboard.press('ArrowLeft');
  assert.equal(await page.evaluate(() => document.activeElement?.id), 'translation-tab-es');
  await screenshot(page, 'g2-editor-translations');

  // Two modules; the second moves up with the keyboard, and focus stays on its button.
  const newModule = page.getByLabel(es('editor.newModuleTitle'), { exact: true });
  for (const title of [firstModule, secondModule]) {
    await newModule.fill(title);
    await page.getByRole('button', { name: es('editor.addModule'), exact: true }).click();
    await moduleBox(page, title).waitFor();
  }
  const moveUp = page.getByRole('button', { name: es('editor.moveUp', { title: secondModule }), exact: true });
  await moveUp.focus();
  const reordered = page.waitForResponse((r) => r.request().method() === 'PUT' && r.url().endsWith('/modules/order'));
  await page.keyboard.press('Enter');
  assert.equal((await reordered).status(), 200);
  await page.getByRole('status').getByText(es('editor.movedModule', { title: secondModule, position: 1, total: 2 })).waitFor({ state: 'attached' });
  const order = await page.locator('li.module h3').allTextContents();
  assert.ok(order[0].includes(secondModule) && order[1].includes(firstModule), `modules in order: ${order}`);
  assert.equal(
    await page.evaluate(() => document.activeElement?.getAttribute('aria-label')),
    es('editor.moveDown', { title: secondModule }),
    'focus stays with the module that moved',
  );

  // A module added by mistake is deleted, after confirming.
  await newModule.fill('Borrador temporal');
  await page.getByRole('button', { name: es('editor.addModule'), exact: true }).click();
  await moduleBox(page, 'Borrador temporal').waitFor();
  page.once('dialog', (dialog) => {
    assert.equal(dialog.message(), es('editor.confirmDeleteModule', { title: 'Borrador temporal' }));
    void dialog.accept();
  });
  await moduleBox(page, 'Borrador temporal').getByRole('button', { name: new RegExp(`^${es('editor.delete')}`) }).click();
  await moduleBox(page, 'Borrador temporal').waitFor({ state: 'detached' });
  assert.equal(await page.locator('li.module').count(), 2);

  // A text lesson in the first module.
  const first = moduleBox(page, firstModule);
  await first.getByRole('button', { name: new RegExp(es('editor.addLesson')) }).click();
  await first.getByLabel(es('editor.lessonTitle'), { exact: true }).fill('Tablas de mortalidad');
  await first.getByLabel(es('editor.lessonBody'), { exact: true }).fill('Las **tablas de mortalidad** resumen la probabilidad de fallecer a cada edad.');
  await first.getByRole('button', { name: es('editor.saveLesson'), exact: true }).click();
  await first.locator('li.lesson', { hasText: 'Tablas de mortalidad' }).waitFor();

  // A document lesson: the wrong type is refused before sending, a PDF uploads.
  await first.getByRole('button', { name: new RegExp(es('editor.addLesson')) }).click();
  await first.getByLabel(es('editor.lessonTitle'), { exact: true }).fill('Guía de lectura');
  await first.getByLabel(es('editor.lessonKind'), { exact: true }).selectOption('file');
  const fileInput = first.getByLabel(es('editor.lessonFile'), { exact: true });
  await fileInput.setInputFiles({ name: 'notas.txt', mimeType: 'text/plain', buffer: Buffer.from('hola') });
  await first.getByRole('button', { name: es('editor.saveLesson'), exact: true }).click();
  await first.getByText(es('editor.fileType'), { exact: true }).waitFor();
  assert.equal(await fileInput.getAttribute('aria-invalid'), 'true');
  // Too large: the server refuses it after the upload, and says the limit.
  const huge = Buffer.concat([PDF, Buffer.alloc(21 * 1024 * 1024, 0x20)]);
  await fileInput.setInputFiles({ name: 'enorme.pdf', mimeType: 'application/pdf', buffer: huge });
  const refused = page.waitForResponse((r) => r.request().method() === 'POST' && /\/lessons\/\d+\/file$/.test(r.url()));
  await first.getByRole('button', { name: es('editor.saveLesson'), exact: true }).click();
  assert.equal((await refused).status(), 413);
  await first.getByText(es('editor.fileTooLarge', { size: new Intl.NumberFormat('es', { style: 'unit', unit: 'megabyte', unitDisplay: 'short', maximumFractionDigits: 1 }).format(20) })).waitFor();
  await screenshot(page, 'g3a-upload-too-large');
  // The lesson exists already: sending again with a proper file completes it.
  await fileInput.setInputFiles({ name: 'guia-de-lectura.pdf', mimeType: 'application/pdf', buffer: PDF });
  const uploaded = page.waitForResponse((r) => r.request().method() === 'POST' && /\/lessons\/\d+\/file$/.test(r.url()));
  await first.getByRole('button', { name: es('editor.saveLesson'), exact: true }).click();
  assert.equal((await uploaded).status(), 200);
  await first.locator('li.lesson', { hasText: 'Guía de lectura' }).getByText(es('lessonKind.file'), { exact: true }).waitFor();

  // An offering open for enrolment now, in Mexico City time, with a session.
  await page.getByRole('button', { name: `+ ${es('offeringForm.add')}`, exact: true }).click();
  await page.getByLabel(es('offeringForm.startDate'), { exact: true }).fill(day(30));
  await page.getByLabel(es('offeringForm.endDate'), { exact: true }).fill(day(60));
  assert.equal(await page.getByLabel(es('offeringForm.timeZone'), { exact: true }).inputValue(), 'America/Mexico_City');
  await page.getByLabel(es('offeringForm.opens'), { exact: true }).fill(`${day(-1)}T09:00`);
  await page.getByLabel(es('offeringForm.closes'), { exact: true }).fill(`${day(20)}T18:00`);
  await page.getByLabel(es('offeringForm.capacity'), { exact: true }).fill('25');
  await page.getByLabel(es('offering.policy'), { exact: true }).selectOption('approval');
  await page.getByLabel(es('offeringForm.feeMember'), { exact: true }).fill('120,50');
  const offeringSaved = page.waitForResponse((r) => r.request().method() === 'POST' && r.url().endsWith(`/courses/${code}/offerings`));
  await page.getByRole('button', { name: es('offeringForm.save'), exact: true }).click();
  const offering = await (await offeringSaved).json();
  assert.equal(offering.fee_member, 12050);
  assert.equal(offering.enrolment_opens_at.slice(0, 16), `${day(-1)}T15:00`, 'the window is stored in UTC');
  const offeringBox = page.locator(`li.offering[data-offering="${offering.id}"]`);
  await offeringBox.getByRole('button', { name: `+ ${es('sessionForm.add')}`, exact: true }).click();
  await offeringBox.getByLabel(es('sessionForm.title'), { exact: true }).fill('Sesión inaugural');
  await offeringBox.getByLabel(es('sessionForm.starts'), { exact: true }).fill(`${day(30)}T10:00`);
  await offeringBox.getByLabel(es('sessionForm.ends'), { exact: true }).fill(`${day(30)}T12:00`);
  await offeringBox.getByRole('button', { name: es('sessionForm.save'), exact: true }).click();
  await offeringBox.locator('[data-session]', { hasText: 'Sesión inaugural' }).waitFor();

  // Every control of the editor is labelled, with the lesson, offering and session forms open too.
  await first.getByRole('button', { name: new RegExp(es('editor.addLesson')) }).click();
  await page.getByRole('button', { name: `+ ${es('offeringForm.add')}`, exact: true }).click();
  await offeringBox.getByRole('button', { name: `+ ${es('sessionForm.add')}`, exact: true }).click();
  assert.deepEqual(await unlabelledControls(page), [], 'the editor has controls without a label');
  await page.setViewportSize({ width: 360, height: 760 });
  await assertNoHorizontalScroll(page);
  await page.setViewportSize({ width: 1280, height: 900 });
  await page.reload();
  await expectHeading(page, es('editor.editTitle', { code }));

  // Instructors see the status; publishing is for administrators.
  await page.getByText(es('editor.statusHint'), { exact: true }).waitFor();
  assert.equal(await page.getByRole('button', { name: es('editor.publish'), exact: true }).count(), 0);
  await screenshot(page, 'g3-editor-outline');
  // The instructor asks for review instead, after a confirmation.
  await page.getByRole('button', { name: es('editor.requestReview'), exact: true }).click();
  await page
    .getByRole('dialog', { name: es('editor.confirmReviewTitle', { code }) })
    .getByRole('button', { name: es('editor.requestReview'), exact: true })
    .click();
  await page.getByText(es('editor.reviewRequestedNotice'), { exact: true }).waitFor();
  await page.getByTestId('review-requested').waitFor();

  // The instructor reads the lesson in the viewer and moves to the next one.
  await page.getByRole('link', { name: es('editor.viewPublic'), exact: true }).click();
  await expectHeading(page, titleEs);
  await page.getByText(es('course.draftNote'), { exact: true }).waitFor();
  await page.getByRole('link', { name: 'Tablas de mortalidad', exact: true }).click();
  await expectHeading(page, 'Tablas de mortalidad');
  await page.locator('.prose strong', { hasText: 'tablas de mortalidad' }).waitFor();
  await page.getByRole('navigation', { name: es('lesson.navigation') }).getByRole('link', { name: /Guía de lectura/ }).click();
  await expectHeading(page, 'Guía de lectura');
  const downloading = page.waitForEvent('download');
  await page.getByRole('button', { name: es('lesson.download', { name: 'guia-de-lectura.pdf' }), exact: true }).click();
  const downloaded = await downloading;
  assert.equal(downloaded.suggestedFilename(), 'guia-de-lectura.pdf');
  const saved = await readFile(await downloaded.path());
  assert.ok(saved.equals(PDF), 'the document comes back as uploaded');
  await screenshot(page, 'g4-lesson-viewer');

  // The course is in the instructor's list, as a draft.
  await page.getByRole('navigation', { name: es('nav.label') }).getByRole('link', { name: es('nav.teach'), exact: true }).click();
  await expectHeading(page, es('teach.title'));
  const row = page.locator(`li.item[data-code="${code}"]`);
  await row.waitFor();
  await row.getByText(es('courseStatus.draft'), { exact: true }).waitFor();
  // Only the courses this instructor teaches: none of the demo courses taught by others.
  const mine = await page.locator('li.item').evaluateAll((items) => items.map((i) => i.dataset.code));
  for (const other of mine) {
    const detail = await apiGet(`/courses/${other}`);
    if (detail.status === 200) {
      assert.ok(detail.body.instructors.some((p) => p.full_name === 'Lucía Fernández Ortíz'), `${other} is taught by the instructor`);
    }
  }
  teacher.assertClean();
  await teacher.close();

  // --- An administrator publishes it.
  const admin = await openBrowser({ locale: 'es-ES' });
  t.after(() => admin.close());
  page = admin.page;
  await page.goto(`/sign-in?next=${encodeURIComponent(`/teach/courses/${code}`)}`);
  await signIn(page, 'es', 'admin@demo.test', DEMO_PASSWORD);
  await expectHeading(page, es('editor.editTitle', { code }));
  // Administrators see who teaches the course, and may change it.
  const teaches = page.getByRole('group', { name: es('course.instructors') }).getByRole('checkbox', { name: 'Lucía Fernández Ortíz', exact: true });
  await teaches.waitFor();
  assert.equal(await teaches.isChecked(), true);
  await page.getByRole('button', { name: es('editor.publish'), exact: true }).click();
  await page
    .getByRole('dialog', { name: es('editor.confirmPublishTitle', { code }) })
    .getByRole('button', { name: es('editor.publish'), exact: true })
    .click();
  await page.getByText(es('editor.publishedNotice'), { exact: true }).waitFor();
  await page.getByRole('button', { name: es('editor.archive'), exact: true }).waitFor();
  await screenshot(page, 'g5-editor-published');
  admin.assertClean();
  await admin.close();

  // --- A signed-out visitor finds it without typing accents, in Spanish and in English.
  // A reader in São Paulo sees the times in their own zone, the edition's beside them.
  const visitor = await openBrowser({ locale: 'es-ES', timezoneId: 'America/Sao_Paulo' });
  t.after(() => visitor.close());
  page = visitor.page;
  await page.goto('/courses');
  await expectHeading(page, es('catalog.title'));
  const search = page.getByRole('searchbox', { name: es('catalog.search') });
  await search.fill(`gestion actuarial de prestaciones ${code.toLowerCase()}`);
  await search.press('Enter');
  const found = page.locator(`article.course-card[data-code="${code}"]`);
  await found.getByRole('heading', { name: titleEs }).waitFor();
  await found.getByText(es('offering.enrolmentOpen'), { exact: true }).waitFor();
  await found.getByRole('link').click();
  await expectHeading(page, titleEs);
  // The offering: fees in the currency, the window in its zone, and applying leads to sign-in.
  const shown = page.locator(`article.offering[data-offering="${offering.id}"]`);
  await shown.getByText(/120,50/).waitFor();
  await shown.getByText(es('offering.feeNonMember', { amount: es('offering.free') }), { exact: true }).waitFor();
  await shown.getByText(/^Horas en su zona \(.+\); la edición se rige por la .+\.$/).waitFor();
  assert.match(await shown.locator('.window').textContent(), /\(\d{1,2}:\d{2}/);
  await shown.getByText(es('policy.approval'), { exact: true }).waitFor();
  const apply = shown.getByRole('link', { name: es('offering.apply'), exact: true });
  assert.equal(await apply.getAttribute('href'), `/sign-in?next=${encodeURIComponent(`/courses/${code}`)}`);
  await shown.getByText(es('offering.sessionsCount.one', { count: 1 }), { exact: true }).click();
  await shown.getByText('Sesión inaugural', { exact: true }).waitFor();
  await screenshot(page, 'g6-published-course');
  await page.getByRole('heading', { level: 3, name: secondModule }).waitFor();
  await page.getByRole('link', { name: 'Tablas de mortalidad', exact: true }).waitFor();
  await languageSwitcher(page, 'es').selectOption('en');
  await expectHeading(page, titleEn);
  assert.equal(await page.getByText(msg('en', 'course.onlyIn', { language: 'Spanish' })).count(), 0);
  await page.setViewportSize({ width: 360, height: 760 });
  await assertNoHorizontalScroll(page);
  await screenshot(page, 'g7-published-course-en-phone');
  visitor.assertClean();
  await visitor.close();

  // --- A signed-in student (whose account is in Portuguese) applies: one request, and the application is sent.
  const student = await openBrowser({ locale: 'es-ES' });
  t.after(() => student.close());
  page = student.page;
  await page.goto(`/sign-in?next=${encodeURIComponent(`/courses/${code}`)}`);
  await signIn(page, 'es', 'student@demo.test', DEMO_PASSWORD);
  await expectHeading(page, titleEs);
  const asked = page.locator(`article.offering[data-offering="${offering.id}"]`);
  const writes = [];
  page.on('request', (r) => {
    if (r.method() !== 'GET') writes.push(`${r.method()} ${new URL(r.url()).pathname}`);
  });
  await asked.getByRole('button', { name: msg('pt', 'offering.apply'), exact: true }).click();
  await asked.getByRole('status').getByText(msg('pt', 'applied.pending_approval'), { exact: true }).waitFor();
  await asked.getByText(msg('pt', 'enrolmentState.pending_approval'), { exact: true }).first().waitFor();
  assert.deepEqual(writes, [`POST /api/v1/offerings/${offering.id}/enrolments`], 'applying sends one request');
  await screenshot(page, 'g8-application-sent-pt');
  student.assertClean();
});
