/**
 * Certification wording that depends on the interface language: kinds, verdicts and
 * their banners, eligibility rules with the values they were judged on
 * ("Asistencia 64 % < 70 %"), the report of an issue, and the problems of certificates.
 */
import { ApiError } from './api';
import {
  CERTIFICATION_PROBLEMS,
  MAX_SIGNATURE_BYTES,
  MAX_VERIFY_PDF_BYTES,
  type CertificateKind,
  type EligibilityRule,
  type IssueReport,
  type Verdict,
  type Verification,
} from './certification';
import { describeError, type AlertContent } from './errors';
import { formatBytes } from './format';
import { formatDate, i18n, t, tn } from './i18n/index.svelte';

/** A kind in a word or two, for tags and columns: `Participación`. */
export function kindText(kind: CertificateKind): string {
  return t(`certificateKind.${kind}`);
}

/** A kind as the certificate names itself: `Certificado de aprobación`. */
export function kindTitle(kind: CertificateKind): string {
  return t(`certificateTitle.${kind}`);
}

/** A verdict in a word, for tags: `Válido`, `Revocado`. */
export function verdictText(verdict: Verdict): string {
  return t(`certificateVerdict.${verdict}`);
}

/** The banner's headline for a verification: what the certificate is worth now. */
export function verdictHeadline(verification: Pick<Verification, 'status' | 'expires_at'>): string {
  if (verification.status === 'expired' && verification.expires_at) {
    return t('verify.headline.expiredOn', { date: formatDate(verification.expires_at) });
  }
  return t(`verify.headline.${verification.status}`);
}

/**
 * What the banner says under the headline: when and why a certificate was suspended or
 * revoked, or when it was replaced (the replacement's code is linked by the page).
 */
export function verdictDetail(
  verification: Pick<Verification, 'status' | 'status_reason' | 'status_changed_at' | 'superseded_by'>,
): string | null {
  const date = verification.status_changed_at ? formatDate(verification.status_changed_at) : null;
  const reason = verification.status_reason?.trim() || null;
  switch (verification.status) {
    case 'suspended':
    case 'revoked': {
      const key = verification.status === 'suspended' ? 'suspended' : 'revoked';
      if (date && reason) return t(`verify.detail.${key}`, { date, reason });
      if (date) return t(`verify.detail.${key}NoReason`, { date });
      if (reason) return t('verify.detail.reason', { reason });
      return null;
    }
    case 'superseded':
      return date ? t('verify.detail.supersededOn', { date }) : null;
    case 'valid':
      return t('verify.detail.valid');
    case 'expired':
      return t('verify.detail.expired');
  }
}

const percent = (value: number) =>
  new Intl.NumberFormat(i18n.locale, { style: 'percent', maximumFractionDigits: 1 }).format(value / 100);

/** A final grade on the 0–100 scale: always with a decimal, so `58,0` is not read as a count. */
export function gradeNumber(value: number): string {
  return new Intl.NumberFormat(i18n.locale, { minimumFractionDigits: 1, maximumFractionDigits: 2 }).format(value);
}

/** Attendance as a percentage: `92 %`. */
export function attendanceText(value: number): string {
  return percent(value);
}

/** The rule's name alone: `Asistencia`. */
export function ruleName(rule: EligibilityRule['rule']): string {
  return t(`certRule.${rule}`);
}

/**
 * One rule with the value it was judged on and what it asks for:
 * `Asistencia 64 % < 70 %`, `Lecciones obligatorias 3/5`, `Nota final 58,0 < 60`;
 * `no aplica` when the offering gives it nothing to count.
 */
export function ruleText(rule: EligibilityRule): string {
  const name = ruleName(rule.rule);
  if (!rule.applicable) return t('certRule.notApplicable', { rule: name });
  const op = rule.met ? '≥' : '<';
  switch (rule.rule) {
    case 'attendance':
      if (rule.value == null) return t('certRule.attendanceNone', { required: percent(rule.required) });
      return `${name} ${percent(rule.value)} ${op} ${percent(rule.required)}`;
    case 'required_lessons':
      return t('certRule.lessons', {
        done: new Intl.NumberFormat(i18n.locale).format(rule.value ?? 0),
        required: new Intl.NumberFormat(i18n.locale).format(rule.required),
      });
    case 'final_grade':
      if (rule.value == null) return t('certRule.gradeNone', { required: new Intl.NumberFormat(i18n.locale).format(rule.required) });
      return `${name} ${gradeNumber(rule.value)} ${op} ${new Intl.NumberFormat(i18n.locale).format(rule.required)}`;
  }
}

/** Whether a rule counts as met, for its mark: not-applicable rules are met. */
export function ruleMark(rule: EligibilityRule): 'met' | 'unmet' | 'na' {
  if (!rule.applicable) return 'na';
  return rule.met ? 'met' : 'unmet';
}

/** An issue's outcome in a sentence: `3 emitidos, 2 ya tenían uno, 4 no cumplen los requisitos`. */
export function issueReportText(report: IssueReport): string {
  return [
    tn('issueReport.issued', report.issued.length),
    tn('issueReport.already', report.already_issued),
    tn('issueReport.notEligible', report.not_eligible),
  ].join(', ');
}

/**
 * What to tell staff or holders when a certificate call failed. People who are not
 * eligible, and changes that do not apply, keep the server's explanation (who and why);
 * problems of `shownFields` are left to the messages beside those fields.
 */
export function certificationProblem(error: unknown, shownFields: readonly string[] = []): AlertContent {
  if (error instanceof ApiError) {
    if (error.code === 'not_eligible') {
      return { title: t('problem.not_eligible'), detail: error.detail || undefined };
    }
    if (error.code === 'certificate_status_conflict') {
      return { title: t('problem.certificate_status_conflict'), detail: error.detail || undefined };
    }
    if (error.code === 'validation_failed' && error.errors.some((e) => e.field === 'enrolment_ids')) {
      return { title: t('problem.not_on_roster') };
    }
  }
  return describeError(error, shownFields, CERTIFICATION_PROBLEMS);
}

/** What the public verification says when a code or a PDF found nothing, or could not be asked. */
export function verifyProblem(error: unknown): AlertContent {
  if (error instanceof ApiError) {
    switch (error.code) {
      case 'certificate_not_found':
        return { title: t('verify.notFound') };
      case 'document_not_recognised':
        return { title: t('verify.notRecognised'), detail: t('verify.notRecognisedHelp') };
      case 'badge_invalid':
        return { title: t('verify.badgeInvalid') };
      case 'payload_too_large':
      case 'file_too_large':
        return { title: t('verify.fileTooLarge', { size: formatBytes(MAX_VERIFY_PDF_BYTES, i18n.locale) }) };
    }
    if (error.status === 422 && error.errors.some((e) => e.field === 'code')) return { title: t('verify.invalidCode') };
    if (error.status === 415 || (error.status === 422 && error.errors.some((e) => e.field === 'document'))) {
      return { title: t('verify.notPdf') };
    }
  }
  return describeError(error, [], CERTIFICATION_PROBLEMS);
}

/** A refused signature image, by the code of the server or of the check before sending. */
export function signatureProblemText(code: string): string {
  switch (code) {
    case 'wrong_type':
      return t('signatories.wrongType');
    case 'too_long':
    case 'too_large':
      return t('signatories.tooLarge', { size: formatBytes(MAX_SIGNATURE_BYTES, i18n.locale) });
    case 'empty':
      return t('signatories.emptyFile');
    default:
      return t('signatories.invalidImage');
  }
}

/** A failed signature upload, in the interface's words. */
export function signatureProblem(error: unknown): AlertContent {
  if (error instanceof ApiError) {
    const field = error.errors.find((e) => e.field === 'signature');
    if (field) return { title: signatureProblemText(field.code) };
    if (error.code === 'payload_too_large' || error.code === 'file_too_large') return { title: signatureProblemText('too_long') };
    if (error.status === 415) return { title: signatureProblemText('wrong_type') };
  }
  return describeError(error, [], CERTIFICATION_PROBLEMS);
}
