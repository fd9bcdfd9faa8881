import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { test } from 'node:test';
import {
  apiGet,
  assertNoHorizontalScroll,
  DEMO_PASSWORD,
  expectHeading,
  inApp,
  msg,
  openBrowser,
  screenshot,
  signIn,
  uniqueEmail,
  unlabelledControls,
  waitForMail,
} from './support.mjs';

const es = (key, params) => msg('es', key, params);

/** A tiny but real PDF: the server recognises documents by their content. */
const PDF = Buffer.from(
  '%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj 2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n',
);

/**
 * A published course with an offering that needs an institution's endorsement, open for
 * enrolment now, and at least one required lesson (the demo seed guarantees one).
 */
async function endorsedOffering() {
  const today = new Date().toISOString().slice(0, 10);
  const { body: courses } = await apiGet('/courses?per_page=100&sort=code');
  for (const course of courses.items) {
    const { body: offerings } = await apiGet(`/courses/${course.code}/offerings`);
    const offering = offerings.find(
      (o) => o.admission_policy === 'institution_endorsed' && o.enrolment_open && o.end_date >= today,
    );
    if (!offering) continue;
    const { body: modules } = await apiGet(`/courses/${course.code}/modules`);
    const lesson = modules.flatMap((m) => m.lessons).find((l) => l.required);
    if (lesson) return { code: course.code, offering, lesson };
  }
  throw new Error('the demo data has no open institution_endorsed offering with a lesson');
}

/** The row or card of one person in a list of enrolments. */
function personIn(page, selector, email) {
  return page.locator(`${selector}[data-email="${email}"]`);
}

/** Opens a list row's "More actions" menu, when it has one. */
async function openMore(scope) {
  const more = scope.getByRole('button', { name: new RegExp(`^${es('action.more')}`) });
  if ((await more.count()) > 0 && (await more.getAttribute('aria-expanded')) !== 'true') await more.click();
}

/** The actions offered in `scope`, in order (the server's `actions`, as shown, the menu's too). */
async function offered(scope) {
  await openMore(scope);
  return scope.locator('button[data-action]').evaluateAll((buttons) => buttons.map((b) => b.dataset.action));
}

/** Opens a decision's dialog from its button and confirms it. */
async function decide(page, scope, action, reason) {
  const button = scope.getByRole('button', { name: new RegExp(`^${es(`action.${action}`)}`) });
  if ((await button.count()) === 0) await openMore(scope);
  await button.click();
  const dialog = page.getByRole('dialog');
  await dialog.waitFor();
  if (reason) await dialog.getByLabel(es('decision.reasonOptional'), { exact: true }).fill(reason);
  await dialog.getByRole('button', { name: es(`action.${action}`), exact: true }).click();
  await dialog.waitFor({ state: 'hidden' });
}

test(
  'a learner of IMSS applies with documents, the coordinator endorses, the instructor admits, the learner studies',
  { timeout: 240_000 },
  async (t) => {
    const { code, offering, lesson } = await endorsedOffering();
    const { body: course } = await apiGet(`/courses/${code}?lang=es`);
    const fullName = 'Inés Ramírez Quispe';
    const email = uniqueEmail('matricula');
    const password = 'previsión social 2027';

    // --- A visitor registers with the IMSS as institution and confirms the address.
    const learner = await openBrowser({ locale: 'es-ES' });
    t.after(() => learner.close());
    let page = learner.page;
    await page.goto('/register');
    await expectHeading(page, es('register.title'));
    await page.getByLabel(es('register.fullName'), { exact: true }).fill(fullName);
    await page.getByLabel(es('register.email'), { exact: true }).fill(email);
    await page.getByLabel(es('register.password'), { exact: true }).fill(password);
    await page.waitForFunction(() =>
      [...document.querySelectorAll('#institution_id option')].some((o) => /\(IMSS\b/.test(o.textContent ?? '')),
    );
    const imss = await page
      .locator('#institution_id option')
      .evaluateAll((nodes) => nodes.find((o) => /\(IMSS\b/.test(o.textContent ?? ''))?.value);
    await page.getByLabel(es('register.institution'), { exact: true }).selectOption(imss);
    await page.getByRole('button', { name: es('register.submit'), exact: true }).click();
    await expectHeading(page, es('register.doneTitle'));
    const mail = await waitForMail({ to: email, linkPath: '/verify-email' });
    await page.goto(inApp(mail.link));
    await page.getByText(es('verify.successTitle'), { exact: true }).waitFor();

    // --- Signed out, the course page asks to sign in to apply, and comes back.
    const coursePath = `/courses/${code}`;
    await page.goto(coursePath);
    await expectHeading(page, course.title);
    const card = page.locator(`article.offering[data-offering="${offering.id}"]`);
    await card.getByRole('link', { name: es('offering.apply'), exact: true }).click();
    await expectHeading(page, es('signIn.title'));
    await signIn(page, 'es', email, password);
    await expectHeading(page, course.title);
    assert.equal(new URL(page.url()).pathname, coursePath);

    // --- "My learning" is in the menu, and empty for now.
    const nav = page.getByRole('navigation', { name: es('nav.label') });
    await nav.getByRole('link', { name: es('nav.learning'), exact: true }).waitFor();

    // --- The learner applies: the application waits for the three documents.
    await card.getByText(es('myEnrolment.policyNote.institution_endorsed')).waitFor();
    await card.getByRole('button', { name: es('offering.apply'), exact: true }).click();
    await card.getByRole('status').getByText(es('applied.pending_endorsement'), { exact: true }).waitFor();
    await card.getByText(es('enrolmentState.pending_endorsement'), { exact: true }).first().waitFor();
    await card.getByText(es('stateHelp.pending_endorsement', { institution: 'IMSS' }), { exact: true }).waitFor();

    // The documents go in the page's main column, where the offering's card leads.
    await card.getByRole('link', { name: es('documents.goTo'), exact: true }).click();
    const documents = page.locator(`#application-documents-${offering.id}`);
    await documents.getByRole('heading', { name: es('documents.title'), exact: true }).waitFor();
    // A file of the wrong kind is refused before sending; PDFs upload one by one.
    const chooser = (kind) => documents.getByLabel(es('documents.choose', { kind: es(`documentKind.${kind}`) }), { exact: true });
    await chooser('cv').setInputFiles({ name: 'notas.txt', mimeType: 'text/plain', buffer: Buffer.from('hola') });
    await documents.getByText(es('problem.file_type_not_allowed'), { exact: true }).waitFor();
    assert.equal(await chooser('cv').getAttribute('aria-invalid'), 'true');
    for (const [kind, name] of [
      ['application_letter', 'carta-de-postulación.pdf'],
      ['cv', 'curriculum.pdf'],
      ['transcript', 'certificado.pdf'],
    ]) {
      const uploaded = page.waitForResponse(
        (r) => r.request().method() === 'PUT' && r.url().endsWith(`/documents/${kind}`),
      );
      await chooser(kind).setInputFiles({ name, mimeType: 'application/pdf', buffer: PDF });
      assert.equal((await uploaded).status(), 200);
      await documents.locator(`[data-kind="${kind}"]`).getByRole('button', { name: new RegExp(`^${name}`) }).waitFor();
    }
    await documents.getByText(es('documents.complete'), { exact: true }).waitFor();
    // Uploaded documents can be replaced while the application waits.
    await documents.getByLabel(es('documents.replace', { kind: es('documentKind.cv') }), { exact: true }).waitFor();
    assert.deepEqual(await unlabelledControls(page), [], 'the course page has controls without a label');
    await screenshot(page, 'h1-application-documents');
    await page.setViewportSize({ width: 360, height: 760 });
    await assertNoHorizontalScroll(page);
    await screenshot(page, 'h2-application-documents-phone');
    await page.setViewportSize({ width: 1280, height: 900 });

    // The application is listed in "My learning", waiting for endorsement.
    await nav.getByRole('link', { name: es('nav.learning'), exact: true }).click();
    await expectHeading(page, es('learning.title'));
    const mine = page.locator(`article.enrolment-card[data-code="${code}"]`);
    await mine.getByText(es('enrolmentState.pending_endorsement'), { exact: true }).waitFor();
    learner.assertClean();

    // --- The coordinator of the IMSS checks a document and endorses the application.
    const coordinator = await openBrowser({ locale: 'es-ES' });
    t.after(() => coordinator.close());
    page = coordinator.page;
    await page.goto(`/sign-in?next=${encodeURIComponent('/coordinator?tab=endorsements')}`);
    await signIn(page, 'es', 'coordinator@demo.test', DEMO_PASSWORD);
    await expectHeading(page, es('coordinator.title'));
    await page
      .getByRole('navigation', { name: es('nav.label') })
      .getByRole('link', { name: es('nav.coordinator'), exact: true })
      .waitFor();
    const application = personIn(page, 'article.application', email);
    await application.waitFor();
    const downloading = page.waitForEvent('download');
    await application.locator('[data-kind="cv"]').getByRole('button', { name: /^curriculum\.pdf/ }).click();
    const document = await downloading;
    assert.equal(document.suggestedFilename(), 'curriculum.pdf');
    assert.ok((await readFile(await document.path())).equals(PDF), 'the document comes back as uploaded');
    await screenshot(page, 'h3-coordinator-endorsements');
    // The server says what the coordinator may do; the card offers exactly that.
    assert.deepEqual(await offered(application), ['endorse', 'decline']);
    await decide(page, application, 'endorse', 'Personal de la Dirección de Prestaciones.');
    await page
      .getByRole('status')
      .getByText(es('decision.done', { name: fullName, state: es('enrolmentState.pending_approval') }), { exact: true })
      .waitFor();
    await application.waitFor({ state: 'detached' });

    // Her people list shows the application, now waiting for the course team.
    await page.getByRole('link', { name: es('coordinator.people'), exact: true }).click();
    const person = personIn(page, '#people-table tr', email);
    await person.getByText(es('enrolmentState.pending_approval'), { exact: true }).waitFor();
    // Nominating starts from the offering's link; every control is labelled.
    await page.goto(`/coordinator?tab=nominate&offering=${offering.id}`);
    // The chosen offering is named by its code and dates (the dates as the browser writes them).
    await page.getByText(es('coordinator.offeringChosen', { code, dates: '' }).replace(/[\s,]+$/, '')).waitFor();
    await page.getByRole('checkbox').first().waitFor();
    assert.deepEqual(await unlabelledControls(page), [], 'the coordinator portal has controls without a label');
    await page.setViewportSize({ width: 360, height: 760 });
    await assertNoHorizontalScroll(page);
    coordinator.assertClean();

    // --- The instructor admits the application from the queue.
    const instructor = await openBrowser({ locale: 'es-ES' });
    t.after(() => instructor.close());
    page = instructor.page;
    await page.goto('/sign-in?next=/teach');
    await signIn(page, 'es', 'instructor@demo.test', DEMO_PASSWORD);
    await expectHeading(page, es('teach.title'));
    await page.getByRole('main').getByRole('link', { name: es('approvals.link'), exact: true }).click();
    await expectHeading(page, es('approvals.title'));
    const pending = personIn(page, '#approvals-table tr', email);
    await pending.waitFor();
    await screenshot(page, 'h4-approvals');
    const payment = offering.fee_member > 0 ? ['record_payment'] : [];
    assert.deepEqual(await offered(pending), ['admit', 'reject', 'withdraw', ...payment]);
    // On a phone the queue is a stack of cards: the main action shows without scrolling sideways.
    await page.setViewportSize({ width: 390, height: 844 });
    await assertNoHorizontalScroll(page);
    const admitBox = await pending.getByRole('button', { name: new RegExp(`^${es('action.admit')}`) }).boundingBox();
    assert.ok(admitBox && admitBox.x >= 0 && admitBox.x + admitBox.width <= 390, 'the admit button is on screen');
    await screenshot(page, 'h4b-approvals-phone');
    await page.setViewportSize({ width: 1280, height: 900 });
    // Rejecting needs a reason: the dialog says so and keeps the application.
    await openMore(pending);
    await pending.getByRole('button', { name: new RegExp(`^${es('action.reject')}`) }).click();
    let dialog = page.getByRole('dialog');
    await dialog.getByRole('button', { name: es('action.reject'), exact: true }).click();
    await dialog.getByText(es('decision.reasonMissing'), { exact: true }).waitFor();
    await dialog.getByRole('button', { name: es('common.cancel'), exact: true }).click();
    await dialog.waitFor({ state: 'hidden' });
    await decide(page, pending, 'admit');
    await page
      .getByRole('status')
      .getByText(es('decision.done', { name: fullName, state: es('enrolmentState.enrolled') }), { exact: true })
      .waitFor();

    // The roster lists her with a seat; it exports as CSV, and attendance is taken.
    await page.goto(`/teach/offerings/${offering.id}/roster?q=${encodeURIComponent(email)}`);
    await expectHeading(page, es('roster.title', { code }));
    const row = personIn(page, '#roster-table tr', email);
    await row.getByText(es('enrolmentState.enrolled'), { exact: true }).waitFor();
    assert.deepEqual(await offered(row), ['complete', 'fail', 'withdraw', ...payment]);
    // One button per row: passing; failing and withdrawing wait in the menu.
    await openMore(row);
    await row.getByRole('button', { name: new RegExp(`^${es('action.more')}`) }).click();
    assert.equal(await row.locator('button[data-action]').count(), 1);
    await page.setViewportSize({ width: 390, height: 844 });
    await assertNoHorizontalScroll(page);
    const passBox = await row.getByRole('button', { name: new RegExp(`^${es('action.complete')}`) }).boundingBox();
    assert.ok(passBox && passBox.x + passBox.width <= 390, 'the main action is on screen');
    await screenshot(page, 'h5b-roster-phone');
    await page.setViewportSize({ width: 1280, height: 900 });
    const exported = page.waitForEvent('download');
    await page.getByRole('button', { name: es('roster.export'), exact: true }).click();
    const csv = await exported;
    assert.equal(csv.suggestedFilename(), 'roster.csv');
    assert.match(await readFile(await csv.path(), 'utf8'), new RegExp(email.replace(/[.]/g, '\\.')));
    assert.deepEqual(await unlabelledControls(page), [], 'the roster has controls without a label');
    await screenshot(page, 'h5-roster');
    await page.setViewportSize({ width: 768, height: 1000 });
    await assertNoHorizontalScroll(page);
    await page.setViewportSize({ width: 1280, height: 900 });

    const firstSession = page
      .getByRole('region', { name: es('roster.sessions'), exact: true })
      .getByRole('link', { name: new RegExp(`^${es('roster.takeAttendance')}`) })
      .first();
    await firstSession.click();
    await page.getByRole('button', { name: es('attendance.allPresent'), exact: true }).waitFor();
    const line = page.locator('li[data-enrolment]').filter({ hasText: fullName });
    await line.getByRole('radio', { name: es('attendance.absent'), exact: true }).check();
    await page.getByText(es('attendance.unsaved'), { exact: true }).waitFor();
    const saved = page.waitForResponse((r) => r.request().method() === 'PUT' && /\/sessions\/\d+\/attendance$/.test(r.url()));
    await page.getByRole('button', { name: es('attendance.save'), exact: true }).click();
    assert.equal((await saved).status(), 200);
    assert.equal(await line.getByRole('radio', { name: es('attendance.absent'), exact: true }).isChecked(), true);
    await page.getByText(new RegExp(`^${es('attendance.saved').split('{time}')[0]}`)).waitFor();
    assert.deepEqual(await unlabelledControls(page), [], 'the attendance sheet has controls without a label');
    await page.setViewportSize({ width: 768, height: 1000 });
    await assertNoHorizontalScroll(page);
    await screenshot(page, 'h6-attendance-tablet');
    instructor.assertClean();

    // --- The learner, now with a seat, reads the lesson and marks it complete.
    page = learner.page;
    await page.goto(`${coursePath}/lessons/${lesson.id}`);
    await expectHeading(page, lesson.title);
    await page.locator('article.lesson').waitFor();
    const completion = page.locator('section.completion');
    const completed = page.waitForResponse((r) => r.request().method() === 'POST' && r.url().endsWith(`/lessons/${lesson.id}/completion`));
    await completion.getByRole('button', { name: es('completion.mark'), exact: true }).click();
    assert.equal((await completed).status(), 200);
    await completion.getByText(es('completion.done'), { exact: true }).waitFor();
    const progress = Number(await completion.locator('progress').getAttribute('value'));
    assert.ok(progress > 0, `progress after completing a required lesson: ${progress}`);
    await screenshot(page, 'h7-lesson-completed');

    // "My learning" shows the progress and the attendance recorded.
    await page.getByRole('navigation', { name: es('nav.label') }).getByRole('link', { name: es('nav.learning'), exact: true }).click();
    await expectHeading(page, es('learning.title'));
    await mine.getByText(es('enrolmentState.enrolled'), { exact: true }).waitFor();
    assert.ok(Number(await mine.locator('progress').getAttribute('value')) > 0, 'My learning shows progress');
    await mine.getByText(/^0\s?%$/).waitFor();
    await page.setViewportSize({ width: 360, height: 760 });
    await assertNoHorizontalScroll(page);
    await screenshot(page, 'h8-my-learning-phone');

    // The enrolment's history tells the whole story.
    await page.setViewportSize({ width: 1280, height: 900 });
    await mine.getByRole('link', { name: new RegExp(`^${es('learning.details')}`) }).click();
    await expectHeading(page, course.title);
    const history = page.locator('section[aria-labelledby="detail-history"] li');
    assert.equal(await history.count(), 3, 'applied, endorsed, admitted');
    await history.nth(1).getByText('Personal de la Dirección de Prestaciones.').waitFor();
    await page.getByRole('button', { name: es('withdraw.button'), exact: true }).waitFor();
    // Nothing else is hers to do: no staff buttons, no documents to give.
    assert.deepEqual(await offered(page.locator('main')), []);
    assert.equal(await page.getByLabel(es('documents.replace', { kind: es('documentKind.cv') }), { exact: true }).count(), 0);
    await screenshot(page, 'h9-enrolment-detail');
    learner.assertClean();
  },
);
