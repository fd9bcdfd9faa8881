import { countryName } from './i18n/index.svelte';
import type { Institution } from './types';

/** "Name (ACRONYM, country)", leaving out whichever part is missing. */
export function institutionLabel(institution: Institution): string {
  const details = [institution.acronym, institution.country ? countryName(institution.country) : '']
    .map((part) => part?.trim())
    .filter(Boolean);
  return details.length > 0 ? `${institution.name} (${details.join(', ')})` : institution.name;
}
