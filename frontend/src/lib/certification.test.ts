import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { configureApi, parseProblem } from './api';
import {
  certificationApi,
  cleanCode,
  issuableCount,
  isRetired,
  linkedInUrl,
  signatureFileProblem,
  standingChanges,
  verdictTone,
  verifyFileKind,
  verifyFileProblem,
  verifyPath,
  yearMonth,
  type EligibilityRule,
  type EligibleLearner,
} from './certification';
import {
  certificationProblem,
  issueReportText,
  kindTitle,
  ruleMark,
  ruleText,
  signatureProblem,
  verdictDetail,
  verdictHeadline,
  verdictText,
  verifyProblem,
} from './certification-text';
import { i18n } from './i18n/index.svelte';

/** ICU puts narrow and no-break spaces in places; tests compare plain text. */
const plain = (text: string) => text.replace(/[\u00a0\u2009\u202f]/g, ' ');

const rule = (change: Partial<EligibilityRule> & Pick<EligibilityRule, 'rule'>): EligibilityRule => ({
  met: false,
  value: null,
  required: 0,
  applicable: true,
  ...change,
});

describe('certificate codes as people type them', () => {
  it('writes a code in the printed form whatever the case, spaces and dashes', () => {
    expect(cleanCode('CIESS-7K3Q-9XMP-T2RD')).toBe('CIESS-7K3Q-9XMP-T2RD');
    expect(cleanCode(' ciess 7k3q 9xmp t2rd ')).toBe('CIESS-7K3Q-9XMP-T2RD');
    expect(cleanCode('ciess-7k3q9xmpt2rd')).toBe('CIESS-7K3Q-9XMP-T2RD');
  });

  it('takes a code without its prefix', () => {
    expect(cleanCode('7K3Q 9XMP T2RD')).toBe('CIESS-7K3Q-9XMP-T2RD');
  });

  it('reads O as zero and I or L as one, in the prefix too', () => {
    expect(cleanCode('C1ESS-7K3Q-9XMP-T2RO')).toBe('CIESS-7K3Q-9XMP-T2R0');
    expect(cleanCode('cless-lk3q-9xmp-t2ri')).toBe('CIESS-1K3Q-9XMP-T2R1');
  });

  it('leaves what cannot be a code for the server to judge, trimmed', () => {
    expect(cleanCode('  hola  ')).toBe('hola');
    expect(cleanCode('CIESS-7K3Q-9XMP-T2R')).toBe('CIESS-7K3Q-9XMP-T2R');
    // U is not in the alphabet: no guessing.
    expect(cleanCode('CIESS-7K3Q-9XMP-T2RU')).toBe('CIESS-7K3Q-9XMP-T2RU');
    expect(cleanCode('XIESS-7K3Q-9XMP-T2RD')).toBe('XIESS-7K3Q-9XMP-T2RD');
    expect(cleanCode('   ')).toBe('');
  });

  it('links a code to its public page, escaped', () => {
    expect(verifyPath('CIESS-7K3Q-9XMP-T2RD')).toBe('/verify/CIESS-7K3Q-9XMP-T2RD');
    expect(verifyPath('a/b c')).toBe('/verify/a%2Fb%20c');
  });
});

describe('adding a certificate to LinkedIn', () => {
  const certificate = {
    course_title: 'Pensiones y seguridad social: reformas',
    issued_at: '2026-12-04T10:00:00',
    expires_at: null,
    verify_url: 'https://aula.ciess.org/verify/CIESS-7K3Q-9XMP-T2RD',
    code: 'CIESS-7K3Q-9XMP-T2RD',
  };

  it('fills the certification form with name, centre, issue month, link and code', () => {
    const url = new URL(linkedInUrl(certificate));
    expect(url.origin + url.pathname).toBe('https://www.linkedin.com/profile/add');
    expect(Object.fromEntries(url.searchParams)).toEqual({
      startTask: 'CERTIFICATION_NAME',
      name: 'Pensiones y seguridad social: reformas',
      organizationName: 'CIESS',
      issueYear: '2026',
      issueMonth: '12',
      certUrl: 'https://aula.ciess.org/verify/CIESS-7K3Q-9XMP-T2RD',
      certId: 'CIESS-7K3Q-9XMP-T2RD',
    });
    // Spaces and reserved characters are percent-encoded, not written as `+`.
    expect(linkedInUrl(certificate)).toContain('name=Pensiones%20y%20seguridad%20social%3A%20reformas');
    expect(linkedInUrl(certificate)).toContain('certUrl=https%3A%2F%2Faula.ciess.org%2Fverify%2FCIESS-7K3Q-9XMP-T2RD');
  });

  it('adds the expiry month only when the certificate expires', () => {
    const url = new URL(linkedInUrl({ ...certificate, issued_at: '2027-01-15T08:30:00', expires_at: '2029-01-15T08:30:00' }));
    expect(url.searchParams.get('issueMonth')).toBe('1');
    expect(url.searchParams.get('expirationYear')).toBe('2029');
    expect(url.searchParams.get('expirationMonth')).toBe('1');
    expect(new URL(linkedInUrl(certificate)).searchParams.has('expirationYear')).toBe(false);
  });

  it('reads year and month from the API’s timestamps without shifting zones', () => {
    expect(yearMonth('2026-12-31T23:59:59')).toEqual({ year: 2026, month: 12 });
    expect(yearMonth('2027-01-01')).toEqual({ year: 2027, month: 1 });
    expect(yearMonth('mañana')).toBeNull();
  });
});

describe('where a certificate stands', () => {
  it('offers the changes that apply to each status', () => {
    expect(standingChanges('valid')).toEqual(['reissue', 'suspend', 'revoke']);
    expect(standingChanges('suspended')).toEqual(['reinstate', 'reissue', 'revoke']);
    expect(standingChanges('revoked')).toEqual([]);
    expect(standingChanges('superseded')).toEqual([]);
  });

  it('gives each verdict a tone, and mutes the ones withdrawn or replaced', () => {
    expect(verdictTone('valid')).toBe('ok');
    expect(verdictTone('expired')).toBe('warn');
    expect(verdictTone('suspended')).toBe('warn');
    expect(verdictTone('revoked')).toBe('bad');
    expect(verdictTone('superseded')).toBe('off');
    expect(isRetired('revoked')).toBe(true);
    expect(isRetired('superseded')).toBe(true);
    expect(isRetired('expired')).toBe(false);
  });

  it('counts who bulk issue would reach: eligible and without one in force', () => {
    const learner = (id: number, eligible: boolean, issued: boolean): EligibleLearner => ({
      enrolment_id: id,
      user_id: id,
      full_name: `P${id}`,
      email: `p${id}@example.test`,
      institution: null,
      kinds: [
        { kind: 'participation', eligible, rules: [], certificate: issued ? { id, code: `C${id}`, status: 'valid' } : null },
        { kind: 'approval', eligible: false, rules: [], certificate: null },
      ],
    });
    const report = { learners: [learner(1, true, false), learner(2, true, true), learner(3, false, false), learner(4, true, false)] };
    expect(issuableCount(report, 'participation')).toBe(2);
    expect(issuableCount(report, 'approval')).toBe(0);
  });

  it('words statuses and kinds in the interface language', () => {
    i18n.locale = 'es';
    expect(verdictText('revoked')).toBe('Revocado');
    expect(kindTitle('approval')).toBe('Certificado de aprobación');
    i18n.locale = 'en';
    expect(verdictText('superseded')).toBe('Replaced');
    expect(verdictHeadline({ status: 'valid', expires_at: null })).toBe('This certificate is valid');
    expect(verdictHeadline({ status: 'expired', expires_at: '2026-06-30T00:00:00' })).toBe('This certificate expired on June 30, 2026');
    i18n.locale = 'fr';
    expect(verdictText('suspended')).toBe('Suspendu');
    i18n.locale = 'pt';
    expect(verdictHeadline({ status: 'revoked', expires_at: null })).toBe('Este certificado foi revogado');
  });

  it('says when and why a certificate was suspended or revoked, or when it was replaced', () => {
    i18n.locale = 'en';
    const base = { status_reason: null, status_changed_at: null, superseded_by: null };
    expect(
      verdictDetail({ ...base, status: 'revoked', status_reason: 'Attendance records were wrong', status_changed_at: '2027-02-03T09:00:00' }),
    ).toBe('Revoked on February 3, 2027. Reason: Attendance records were wrong');
    expect(verdictDetail({ ...base, status: 'suspended', status_changed_at: '2027-02-03T09:00:00' })).toBe('Suspended on February 3, 2027.');
    expect(verdictDetail({ ...base, status: 'suspended', status_reason: 'Under review' })).toBe('Reason: Under review');
    expect(verdictDetail({ ...base, status: 'superseded', status_changed_at: '2027-02-03T09:00:00', superseded_by: 'CIESS-AAAA-BBBB-CCCC' })).toBe(
      'Replaced on February 3, 2027 by a new version.',
    );
    i18n.locale = 'es';
    expect(verdictDetail({ ...base, status: 'revoked', status_reason: 'Error', status_changed_at: '2027-02-03T09:00:00' })).toBe(
      'Revocado el 3 de febrero de 2027. Motivo: Error',
    );
  });
});

describe('eligibility rules in words', () => {
  it('show attendance with its value and threshold, met or not', () => {
    i18n.locale = 'en';
    expect(plain(ruleText(rule({ rule: 'attendance', value: 64, required: 70 })))).toBe('Attendance 64% < 70%');
    expect(plain(ruleText(rule({ rule: 'attendance', value: 92.5, required: 70, met: true })))).toBe('Attendance 92.5% ≥ 70%');
    expect(plain(ruleText(rule({ rule: 'attendance', value: null, required: 70 })))).toBe('Attendance: nothing recorded yet (70% required)');
    i18n.locale = 'es';
    expect(plain(ruleText(rule({ rule: 'attendance', value: 64, required: 70 })))).toBe('Asistencia 64 % < 70 %');
  });

  it('count required lessons done out of those required', () => {
    i18n.locale = 'en';
    expect(ruleText(rule({ rule: 'required_lessons', value: 3, required: 5 }))).toBe('Required lessons 3/5');
    expect(ruleText(rule({ rule: 'required_lessons', value: null, required: 5 }))).toBe('Required lessons 0/5');
    i18n.locale = 'pt';
    expect(ruleText(rule({ rule: 'required_lessons', value: 5, required: 5, met: true }))).toBe('Lições obrigatórias 5/5');
  });

  it('show the final grade with a decimal against the pass mark', () => {
    i18n.locale = 'en';
    expect(ruleText(rule({ rule: 'final_grade', value: 58, required: 60 }))).toBe('Final grade 58.0 < 60');
    expect(ruleText(rule({ rule: 'final_grade', value: 59.96, required: 60 }))).toBe('Final grade 59.96 < 60');
    expect(ruleText(rule({ rule: 'final_grade', value: 75.5, required: 60, met: true }))).toBe('Final grade 75.5 ≥ 60');
    expect(ruleText(rule({ rule: 'final_grade', value: null, required: 60 }))).toBe('Final grade: none yet (60 required)');
    i18n.locale = 'fr';
    expect(plain(ruleText(rule({ rule: 'final_grade', value: 58, required: 60 })))).toBe('Note finale 58,0 < 60');
  });

  it('say "not applicable" for rules the offering gives nothing to count, and mark them apart', () => {
    i18n.locale = 'en';
    const none = rule({ rule: 'attendance', applicable: false, met: true, required: 70 });
    expect(ruleText(none)).toBe('Attendance: not applicable');
    expect(ruleMark(none)).toBe('na');
    expect(ruleMark(rule({ rule: 'final_grade', met: true, value: 80, required: 60 }))).toBe('met');
    expect(ruleMark(rule({ rule: 'final_grade', met: false, value: 50, required: 60 }))).toBe('unmet');
    i18n.locale = 'es';
    expect(ruleText(none)).toBe('Asistencia: no aplica');
  });

  it('sum up an issue: issued, already held, not eligible', () => {
    i18n.locale = 'en';
    const issued = [1, 2, 3].map((id) => ({ id, code: `C${id}`, status: 'valid' as const }));
    expect(issueReportText({ issued, already_issued: 2, not_eligible: 4 })).toBe('3 issued, 2 already had one, 4 not eligible');
    i18n.locale = 'es';
    expect(issueReportText({ issued: issued.slice(0, 1), already_issued: 1, not_eligible: 0 })).toBe(
      '1 emitido, 1 ya tenía uno, 0 no cumplen los requisitos',
    );
  });
});

describe('certification problems', () => {
  it('keep the server’s explanation of who is not eligible', () => {
    i18n.locale = 'en';
    const error = parseProblem(409, { code: 'not_eligible', title: 'Not eligible', detail: 'Ana Pérez: attendance 64 % < 70 %' });
    expect(certificationProblem(error)).toEqual({
      title: 'Nothing was issued: someone does not meet the rules.',
      detail: 'Ana Pérez: attendance 64 % < 70 %',
    });
    const roster = parseProblem(422, { code: 'validation_failed', errors: [{ field: 'enrolment_ids', code: 'not_on_roster' }] });
    expect(certificationProblem(roster).title).toBe('Someone named does not hold a seat in this offering.');
    const conflict = parseProblem(409, { code: 'certificate_status_conflict', title: 'Conflict', detail: 'The certificate is revoked' });
    expect(certificationProblem(conflict).detail).toBe('The certificate is revoked');
  });

  it('say that no certificate has a code, without suggesting any other', () => {
    i18n.locale = 'en';
    expect(verifyProblem(parseProblem(404, { code: 'certificate_not_found', title: 'Not found' }))).toEqual({
      title: 'No certificate has this code.',
    });
    expect(verifyProblem(parseProblem(422, { code: 'validation_failed', errors: [{ field: 'code', code: 'invalid_code' }] })).title).toBe(
      'This cannot be a certificate code. Codes look like CIESS-7K3Q-9XMP-T2RD.',
    );
    expect(verifyProblem(parseProblem(404, { code: 'document_not_recognised' })).title).toBe(
      'This file does not match any certificate issued by the CIESS.',
    );
    expect(verifyProblem(parseProblem(429, { code: 'rate_limited' }, '120')).title).toBe('Too many attempts. Try again in 2 minutes.');
  });

  it('word refused signature images by their field code', () => {
    i18n.locale = 'en';
    expect(signatureProblem(parseProblem(422, { code: 'validation_failed', errors: [{ field: 'signature', code: 'wrong_type' }] })).title).toBe(
      'The signature must be a PNG or JPEG image.',
    );
    expect(plain(signatureProblem(parseProblem(422, { code: 'validation_failed', errors: [{ field: 'signature', code: 'too_long' }] })).title)).toBe(
      'The image is larger than 512 kB. Choose a smaller one.',
    );
  });

  it('check files before sending them', () => {
    expect(signatureFileProblem({ type: 'image/png', size: 2048 })).toBeNull();
    expect(signatureFileProblem({ type: 'image/webp', size: 2048 })).toBe('wrong_type');
    expect(signatureFileProblem({ type: 'image/jpeg', size: 600 * 1024 })).toBe('too_long');
    expect(verifyFileProblem({ type: 'application/pdf', size: 1000, name: 'c.pdf' })).toBeNull();
    expect(verifyFileProblem({ type: '', size: 1000, name: 'C.PDF' })).toBeNull();
    expect(verifyFileProblem({ type: 'image/png', size: 1000, name: 'c.png' })).toBe('wrong_type');
    expect(verifyFileProblem({ type: 'application/pdf', size: 11 * 1024 * 1024, name: 'c.pdf' })).toBe('too_long');
    expect(verifyFileProblem({ type: 'application/pdf', size: 0, name: 'c.pdf' })).toBe('empty');
  });

  it('tell a certificate’s PDF from its signed badge', () => {
    expect(verifyFileKind({ type: 'application/pdf', name: 'c.pdf' })).toBe('pdf');
    expect(verifyFileKind({ type: '', name: 'CIESS-7K3Q-9XMP-T2RD.jwt' })).toBe('badge');
    expect(verifyFileKind({ type: 'application/vc+jwt', name: 'badge' })).toBe('badge');
    expect(verifyFileKind({ type: 'text/plain', name: 'notes.txt' })).toBeNull();
    expect(verifyFileProblem({ type: '', size: 900, name: 'CIESS-7K3Q-9XMP-T2RD.jwt' })).toBeNull();
  });
});

function json(status: number, body: unknown): Response {
  return new Response(body === null ? null : JSON.stringify(body), {
    status,
    headers: { 'Content-Type': status >= 400 ? 'application/problem+json' : 'application/json' },
  });
}

describe('certification calls', () => {
  const fetchMock = vi.fn<typeof fetch>();

  beforeEach(() => {
    configureApi({ locale: () => 'es', accessToken: () => 'access', refresh: async () => false });
    vi.stubGlobal('fetch', fetchMock);
  });
  afterEach(() => {
    fetchMock.mockReset();
    vi.unstubAllGlobals();
  });

  function sent(n = 0) {
    const [url, init] = fetchMock.mock.calls[n];
    const headers = init?.headers as Record<string, string>;
    return { url, method: init?.method, body: init?.body ? JSON.parse(String(init.body)) : undefined, headers };
  }

  it('verify a code without sending anyone’s token', async () => {
    fetchMock.mockResolvedValue(json(200, { code: 'CIESS-7K3Q-9XMP-T2RD' }));
    await certificationApi.verify('CIESS-7K3Q-9XMP-T2RD');
    expect(sent().url).toBe('/api/v1/verify/CIESS-7K3Q-9XMP-T2RD');
    expect(sent().headers.Authorization).toBeUndefined();
  });

  it('issue to everyone eligible, or to the people named with an override', async () => {
    fetchMock.mockResolvedValue(json(200, { issued: [], already_issued: 0, not_eligible: 0 }));
    await certificationApi.issue(9, { kind: 'participation' });
    expect(sent(0)).toMatchObject({ url: '/api/v1/offerings/9/certificates', method: 'POST', body: { kind: 'participation' } });
    await certificationApi.issue(9, { kind: 'approval', enrolment_ids: [4], override_reason: 'Justificado' });
    expect(sent(1).body).toEqual({ kind: 'approval', enrolment_ids: [4], override_reason: 'Justificado' });
    expect(sent(1).headers.Authorization).toBe('Bearer access');
  });

  it('change a certificate with its reason, trimmed', async () => {
    fetchMock.mockResolvedValue(json(200, { id: 3, code: 'C', status: 'revoked' }));
    await certificationApi.change(3, 'revoke', '  Error en la asistencia ');
    expect(sent(0)).toMatchObject({ url: '/api/v1/certificates/3/revoke', method: 'POST', body: { reason: 'Error en la asistencia' } });
    await certificationApi.change(3, 'reissue', 'Nombre corregido');
    expect(sent(1).url).toBe('/api/v1/certificates/3/reissue');
  });

  it('page the lists and ask for the settings with the validity', async () => {
    fetchMock.mockResolvedValue(json(200, { items: [], total: 0, page: 2, per_page: 20 }));
    await certificationApi.ofOffering(9, 2, 20);
    expect(sent(0).url).toBe('/api/v1/offerings/9/certificates?page=2&per_page=20');
    await certificationApi.ofInstitution(1, 20);
    expect(sent(1).url).toBe('/api/v1/coordinator/certificates?page=1&per_page=20');
    fetchMock.mockResolvedValue(json(200, { auto_issue: true, validity_months: null }));
    await certificationApi.putSettings(9, { auto_issue: true, validity_months: null });
    expect(sent(2)).toMatchObject({ url: '/api/v1/offerings/9/certification/settings', method: 'PUT', body: { auto_issue: true, validity_months: null } });
  });

  it('download the badge with the token', async () => {
    fetchMock.mockResolvedValueOnce(new Response('eyJ.x.y', { status: 200, headers: { 'Content-Type': 'application/vc+jwt' } }));
    const blob = await certificationApi.badge(5);
    expect(await blob.text()).toBe('eyJ.x.y');
    expect(sent().url).toBe('/api/v1/certificates/5/badge');
    expect(sent().headers.Authorization).toBe('Bearer access');
  });
});

/** Just enough of XMLHttpRequest to answer uploads. */
class FakeXhr {
  static answers: { status: number; body: unknown }[] = [];
  static sent: { method: string; url: string; headers: Record<string, string>; body: unknown }[] = [];
  upload = { onprogress: null as ((event: { lengthComputable: boolean; loaded: number; total: number }) => void) | null };
  onload: (() => void) | null = null;
  onerror: (() => void) | null = null;
  onabort: (() => void) | null = null;
  status = 0;
  responseText = '';
  #method = '';
  #url = '';
  #headers: Record<string, string> = {};

  open(method: string, url: string) {
    this.#method = method;
    this.#url = url;
  }

  setRequestHeader(name: string, value: string) {
    this.#headers[name] = value;
  }

  getResponseHeader() {
    return null;
  }

  send(body: unknown) {
    FakeXhr.sent.push({ method: this.#method, url: this.#url, headers: this.#headers, body });
    const answer = FakeXhr.answers.shift() ?? { status: 500, body: null };
    setTimeout(() => {
      this.status = answer.status;
      this.responseText = JSON.stringify(answer.body);
      this.onload?.();
    }, 0);
  }
}

describe('files sent raw', () => {
  beforeEach(() => {
    FakeXhr.answers = [];
    FakeXhr.sent = [];
    vi.stubGlobal('XMLHttpRequest', FakeXhr);
  });
  afterEach(() => vi.unstubAllGlobals());

  it('check a PDF by its fingerprint anonymously, even when signed in', async () => {
    configureApi({ locale: () => 'en', accessToken: () => 'access', refresh: async () => true });
    FakeXhr.answers.push({ status: 200, body: { code: 'CIESS-7K3Q-9XMP-T2RD', status: 'valid' } });
    const file = new File(['%PDF-1.7'], 'certificado.pdf', { type: 'application/pdf' });
    const found = await certificationApi.verifyDocument(file);
    expect(found.code).toBe('CIESS-7K3Q-9XMP-T2RD');
    const [request] = FakeXhr.sent;
    expect(request).toMatchObject({ method: 'POST', url: '/api/v1/verification/document' });
    expect(request.headers['Content-Type']).toBe('application/pdf');
    expect(request.headers.Authorization).toBeUndefined();
    expect(request.body).toBe(file);
  });

  it('put a signature image with its own type', async () => {
    configureApi({ locale: () => 'es', accessToken: () => 'access', refresh: async () => false });
    FakeXhr.answers.push({ status: 200, body: { id: 2, has_signature: true } });
    const file = new File([new Uint8Array([0x89, 0x50])], 'firma.png', { type: 'image/png' });
    await certificationApi.putSignature(2, file);
    const [request] = FakeXhr.sent;
    expect(request).toMatchObject({ method: 'PUT', url: '/api/v1/signatories/2/signature' });
    expect(request.headers['Content-Type']).toBe('image/png');
    expect(request.headers.Authorization).toBe('Bearer access');
  });
});
