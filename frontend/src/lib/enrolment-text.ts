/**
 * Enrolment wording that depends on the interface language: what a state means for
 * the learner, and field problems of CSV rows and nominations.
 */
import type { Enrolment, RowError } from './enrolment';
import { ENROLMENT_PROBLEMS } from './enrolment';
import { hasMessage, t } from './i18n/index.svelte';

/** One sentence telling the learner where their enrolment stands. */
export function stateHelp(enrolment: Pick<Enrolment, 'state' | 'waitlist_position' | 'learner'>): string {
  const institution = enrolment.learner.institution?.acronym ?? '';
  switch (enrolment.state) {
    case 'pending_endorsement':
      return institution
        ? t('stateHelp.pending_endorsement', { institution })
        : t('stateHelp.pending_endorsement_plain');
    case 'waitlisted':
      return enrolment.waitlist_position
        ? t('stateHelp.waitlisted', { position: enrolment.waitlist_position })
        : t('stateHelp.waitlisted_plain');
    default:
      return t(`stateHelp.${enrolment.state}`);
  }
}

/** A code from a CSV row or a skipped nomination, in words; the code itself when unknown. */
export function codeMessage(code: string): string {
  const problem = ENROLMENT_PROBLEMS[code];
  if (problem) return t(problem);
  const field = `fieldCode.${code}`;
  return hasMessage(field) ? t(field) : code;
}

/** A CSV row's problem in the interface's words, after the column it is about. */
export function rowErrorMessage(error: RowError): string {
  const text = codeMessage(error.code);
  const field = `csvField.${error.field}`;
  return hasMessage(field) ? `${t(field)}: ${text}` : `${error.field}: ${text}`;
}
