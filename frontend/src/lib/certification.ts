/**
 * Certification (docs/certification.md): who has earned which certificate of an
 * offering, issuing and the later life of a certificate (reissue, suspension,
 * revocation), its files (PDF, signed badge), the signatories printed on it, and the
 * public verification by code or by the PDF's fingerprint. The shapes the API answers
 * with, the calls, and the pure rules the pages share; `certification-text.ts` words
 * them in the interface language.
 */
import { download, query, request, seg, upload, type UploadProgress } from './api';
import type { MessageKey } from './i18n/catalogues';
import { everyOf, type Page, type Schemas } from './types';

// ---------------------------------------------------------------------------
// Vocabulary

/** `participation`: attendance and required lessons; `approval`: those and a passing final grade. */
export type CertificateKind = Schemas['Kind'];
export const CERTIFICATE_KINDS = everyOf<CertificateKind>()(['participation', 'approval']);

/** Where a certificate stands; only `valid` and `suspended` ones are in force. */
export type CertificateStatus = Schemas['Status'];
export const CERTIFICATE_STATUSES = everyOf<CertificateStatus>()(['valid', 'suspended', 'revoked', 'superseded']);

/** What a verifier is told: the status, or `expired` once a valid one's expiry has passed. */
export type Verdict = Schemas['Verdict'];
export const VERDICTS = everyOf<Verdict>()(['valid', 'expired', 'suspended', 'revoked', 'superseded']);

export type RuleName = Schemas['RuleName'];
export const RULE_NAMES = everyOf<RuleName>()(['attendance', 'required_lessons', 'final_grade']);

/** Changes staff make to an issued certificate, each with a reason. */
export type StandingChange = 'reissue' | 'suspend' | 'reinstate' | 'revoke';
export const STANDING_CHANGES: readonly StandingChange[] = ['reissue', 'suspend', 'reinstate', 'revoke'];

/** The longest reason the server takes (override, reissue, suspension, revocation). */
export const MAX_REASON_LENGTH = 500;
/** Validity in months, when a certificate expires at all. */
export const MIN_VALIDITY_MONTHS = 1;
export const MAX_VALIDITY_MONTHS = 240;
/** Signature images: PNG or JPEG, at most 512 KB. */
export const MAX_SIGNATURE_BYTES = 512 * 1024;
export const SIGNATURE_TYPES = ['image/png', 'image/jpeg'] as const;
export const SIGNATURE_ACCEPT = '.png,.jpg,.jpeg,image/png,image/jpeg';
/** Verification by document: the PDF itself, at most 10 MB. */
export const MAX_VERIFY_PDF_BYTES = 10 * 1024 * 1024;
export const MAX_SIGNATORY_NAME = 120;
export const MAX_SIGNATORY_TITLE = 160;
export const MAX_SIGNATORY_POSITION = 100;

// ---------------------------------------------------------------------------
// Shapes

/** A signatory as printed on a certificate, kept as it was at issue. */
export type PrintedSignatory = Schemas['PrintedSignatory'];
/**
 * A certificate with everything printed on it and where it stands. Dates are
 * `YYYY-MM-DD`, moments UTC without a zone; `ready` is `false` while the PDF and the
 * badge are prepared in the background.
 */
export type CertificateView = Schemas['CertificateView'];
/** A certificate in force, as lists name it. */
export type CertificateRef = Schemas['CertificateRef'];
/** One rule as judged for one person: the value it was judged on and what it asks for. */
export type EligibilityRule = Schemas['Rule'];
export type KindEligibility = Schemas['KindEligibility'];
export type EligibleLearner = Schemas['EligibleLearner'];
/** Automatic issue, and months of validity (`null`: no expiry). */
export type CertificationSettings = Schemas['Settings'];
export type EligibilityReport = Schemas['EligibilityReport'];
export type IssueInput = Schemas['IssueInput'];
export type IssueReport = Schemas['IssueReport'];
/** What the public verification shows: everything printed, and where it stands now. */
export type Verification = Schemas['Verification'];
export type Signatory = Schemas['SignatoryView'];
export type SignatoryInput = Schemas['SignatoryInput'];

// ---------------------------------------------------------------------------
// Problems

/** The interface's own words for the problem codes of certification. */
export const CERTIFICATION_PROBLEMS: Record<string, MessageKey> = {
  certificate_not_found: 'problem.certificate_not_found',
  certificate_pending: 'problem.certificate_pending',
  certificate_status_conflict: 'problem.certificate_status_conflict',
  document_not_recognised: 'problem.document_not_recognised',
  signatory_not_found: 'problem.signatory_not_found',
  offering_not_found: 'problem.offering_not_found',
  forbidden: 'problem.forbidden',
};

// ---------------------------------------------------------------------------
// Rules

/** In force: counts as the person's certificate of its kind (suspended ones may come back). */
export function inForce(status: CertificateStatus): boolean {
  return status === 'valid' || status === 'suspended';
}

/** What staff may do to a certificate in `status`, in the order the buttons show. */
export function standingChanges(status: CertificateStatus): StandingChange[] {
  switch (status) {
    case 'valid':
      return ['reissue', 'suspend', 'revoke'];
    case 'suspended':
      return ['reinstate', 'reissue', 'revoke'];
    default:
      return [];
  }
}

/** Changes that take a certificate out of use, shown with a warning colour. */
export function isDestructiveChange(change: StandingChange): boolean {
  return change === 'suspend' || change === 'revoke';
}

/** A tone for a verdict's tag: in force, paused, over, or replaced. */
export function verdictTone(verdict: Verdict): 'ok' | 'warn' | 'bad' | 'off' {
  switch (verdict) {
    case 'valid':
      return 'ok';
    case 'expired':
    case 'suspended':
      return 'warn';
    case 'revoked':
      return 'bad';
    case 'superseded':
      return 'off';
  }
}

/** Replaced or withdrawn for good: shown muted in the holder's list. */
export function isRetired(verdict: Verdict): boolean {
  return verdict === 'revoked' || verdict === 'superseded';
}

/** The kind's rules the report has for a learner, if any. */
export function kindOf(learner: Pick<EligibleLearner, 'kinds'>, kind: CertificateKind): KindEligibility | null {
  return learner.kinds.find((k) => k.kind === kind) ?? null;
}

/** How many learners bulk issue would reach now: eligible, without a certificate of the kind in force. */
export function issuableCount(report: Pick<EligibilityReport, 'learners'>, kind: CertificateKind): number {
  return report.learners.filter((learner) => {
    const k = kindOf(learner, kind);
    return k !== null && k.eligible && !k.certificate;
  }).length;
}

const CODE_PREFIX = 'CIESS';
const CODE_SYMBOLS = 12;
const CODE_ALPHABET = /^[0-9A-HJKMNP-TV-Z]+$/;

/**
 * A certificate code as someone typed it, in the form printed on certificates
 * (`CIESS-7K3Q-9XMP-T2RD`) when it can be one: any case, spaces or dashes, the prefix
 * optional, O read as 0 and I or L as 1 (the server reads codes the same way).
 * Anything else is returned trimmed, for the server to judge.
 */
export function cleanCode(input: string): string {
  const trimmed = input.trim();
  const compact = trimmed.replace(/[\s-]+/g, '').toUpperCase();
  let body: string;
  if (compact.length === CODE_PREFIX.length + CODE_SYMBOLS) {
    const prefix = compact.slice(0, CODE_PREFIX.length).replace(/[1L]/g, 'I');
    if (prefix !== CODE_PREFIX) return trimmed;
    body = compact.slice(CODE_PREFIX.length);
  } else if (compact.length === CODE_SYMBOLS) {
    body = compact;
  } else {
    return trimmed;
  }
  body = body.replace(/O/g, '0').replace(/[IL]/g, '1');
  if (!CODE_ALPHABET.test(body)) return trimmed;
  return `${CODE_PREFIX}-${body.slice(0, 4)}-${body.slice(4, 8)}-${body.slice(8, 12)}`;
}

/** The public verification page of a code, inside the app. */
export function verifyPath(code: string): string {
  return `/verify/${encodeURIComponent(code)}`;
}

/** Year and month (1–12) of a UTC timestamp or date as the API writes it. */
export function yearMonth(timestamp: string): { year: number; month: number } | null {
  const match = /^(\d{4})-(\d{2})/.exec(timestamp);
  if (!match) return null;
  return { year: Number(match[1]), month: Number(match[2]) };
}

/**
 * LinkedIn's "Add licence or certification" form, filled in with the certificate:
 * name, the centre, the issue (and expiry) month, the public verification link and the code.
 */
export function linkedInUrl(
  certificate: Pick<CertificateView, 'course_title' | 'issued_at' | 'expires_at' | 'verify_url' | 'code'>,
  organisation = 'CIESS',
): string {
  const params: [string, string][] = [
    ['startTask', 'CERTIFICATION_NAME'],
    ['name', certificate.course_title],
    ['organizationName', organisation],
  ];
  const issued = yearMonth(certificate.issued_at);
  if (issued) params.push(['issueYear', String(issued.year)], ['issueMonth', String(issued.month)]);
  const expires = certificate.expires_at ? yearMonth(certificate.expires_at) : null;
  if (expires) params.push(['expirationYear', String(expires.year)], ['expirationMonth', String(expires.month)]);
  params.push(['certUrl', certificate.verify_url], ['certId', certificate.code]);
  const text = params.map(([key, value]) => `${key}=${encodeURIComponent(value)}`).join('&');
  return `https://www.linkedin.com/profile/add?${text}`;
}

/** File names of downloads. */
export const fileNames = {
  pdf: (code: string) => `${code}.pdf`,
  badge: (code: string) => `${code}.jwt`,
  register: (courseCode: string) => `certificates-${courseCode}.csv`,
  archive: (courseCode: string) => `certificates-${courseCode}.zip`,
  institution: 'certificates.csv',
};

/** Why a signature image cannot be sent, before sending it. */
export function signatureFileProblem(file: Pick<File, 'type' | 'size'>): 'wrong_type' | 'too_long' | 'empty' | null {
  if (!(SIGNATURE_TYPES as readonly string[]).includes(file.type)) return 'wrong_type';
  if (file.size === 0) return 'empty';
  if (file.size > MAX_SIGNATURE_BYTES) return 'too_long';
  return null;
}

/** What a file handed in for checking is: a certificate's PDF, its signed badge, or neither. */
export function verifyFileKind(file: Pick<File, 'type' | 'name'>): 'pdf' | 'badge' | null {
  if (file.type === 'application/pdf' || (file.type === '' && /\.pdf$/i.test(file.name))) return 'pdf';
  if (/\.jwt$/i.test(file.name) || file.type === 'application/vc+jwt' || file.type === 'application/jwt') return 'badge';
  return null;
}

/** Why a file cannot be checked as a certificate's PDF or badge, before sending it. */
export function verifyFileProblem(file: Pick<File, 'type' | 'size' | 'name'>): 'wrong_type' | 'too_long' | 'empty' | null {
  if (!verifyFileKind(file)) return 'wrong_type';
  if (file.size === 0) return 'empty';
  if (file.size > MAX_VERIFY_PDF_BYTES) return 'too_long';
  return null;
}

// ---------------------------------------------------------------------------
// Calls

const offering = (id: number) => `/offerings/${seg(id)}`;
const certificate = (id: number) => `/certificates/${seg(id)}`;

export const certificationApi = {
  // Staff of an offering
  report: (offeringId: number) =>
    request<EligibilityReport>('GET', `${offering(offeringId)}/certification`, { auth: true }),
  putSettings: (offeringId: number, body: CertificationSettings) =>
    request<CertificationSettings>('PUT', `${offering(offeringId)}/certification/settings`, { body, auth: true }),
  issue: (offeringId: number, body: IssueInput) =>
    request<IssueReport>('POST', `${offering(offeringId)}/certificates`, { body, auth: true }),
  ofOffering: (offeringId: number, page: number, perPage: number) =>
    request<Page<CertificateView>>('GET', `${offering(offeringId)}/certificates${query({ page, per_page: perPage })}`, {
      auth: true,
    }),
  registerCsv: (offeringId: number) => download(`${offering(offeringId)}/certificates.csv`),
  archive: (offeringId: number) => download(`${offering(offeringId)}/certificates.zip`),
  change: (id: number, change: StandingChange, reason: string) =>
    change === 'reissue'
      ? request<CertificateRef>('POST', `${certificate(id)}/reissue`, { body: { reason: reason.trim() }, auth: true })
      : request<CertificateView>('POST', `${certificate(id)}/${change}`, { body: { reason: reason.trim() }, auth: true }),

  // Anyone who may read a certificate
  get: (id: number) => request<CertificateView>('GET', certificate(id), { auth: true }),
  pdf: (id: number) => download(`${certificate(id)}/pdf`),
  badge: (id: number) => download(`${certificate(id)}/badge`),

  // Learners and coordinators
  mine: () => request<CertificateView[]>('GET', '/me/certificates', { auth: true }),
  ofInstitution: (page: number, perPage: number) =>
    request<Page<CertificateView>>('GET', `/coordinator/certificates${query({ page, per_page: perPage })}`, { auth: true }),
  institutionCsv: () => download('/coordinator/certificates.csv'),

  // Administrators
  signatories: () => request<Signatory[]>('GET', '/signatories', { auth: true }),
  createSignatory: (body: SignatoryInput) => request<Signatory>('POST', '/signatories', { body, auth: true }),
  updateSignatory: (id: number, body: SignatoryInput) =>
    request<Signatory>('PUT', `/signatories/${seg(id)}`, { body, auth: true }),
  deleteSignatory: (id: number) => request<null>('DELETE', `/signatories/${seg(id)}`, { auth: true }),
  putSignature: (id: number, file: File, onProgress?: UploadProgress) =>
    upload<Signatory>(`/signatories/${seg(id)}/signature`, file, {
      method: 'PUT',
      headers: { 'Content-Type': file.type },
      onProgress,
    }),
  signature: (id: number) => download(`/signatories/${seg(id)}/signature`),

  // Everyone, signed in or not
  verify: (code: string) => request<Verification>('GET', `/verify/${seg(code)}`),
  verifyDocument: (file: File, onProgress?: UploadProgress) =>
    upload<Verification>('/verification/document', file, {
      headers: { 'Content-Type': 'application/pdf' },
      auth: false,
      onProgress,
    }),
  verifyBadge: (file: File, onProgress?: UploadProgress) =>
    upload<Verification>('/verification/badge', file, {
      headers: { 'Content-Type': 'application/vc+jwt' },
      auth: false,
      onProgress,
    }),
};
