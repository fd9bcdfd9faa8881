import type { Locale } from '../types';
import en from './en.json';
import es from './es.json';
import fr from './fr.json';
import pt from './pt.json';

export type MessageKey = keyof typeof es;
export type Catalogue = Record<MessageKey, string>;

/** The message catalogues; Spanish is the reference every other must match. */
export const catalogues: Record<Locale, Catalogue> = { es, en, pt, fr };
