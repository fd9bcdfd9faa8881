// Unit tests switch languages by assigning `i18n.locale`: have every catalogue ready.
import { CATALOGUE_PARTS, loadCatalogue } from './lib/i18n/catalogues';
import { LOCALES } from './lib/i18n/negotiate';

await Promise.all(LOCALES.map((locale) => loadCatalogue(locale, CATALOGUE_PARTS)));
