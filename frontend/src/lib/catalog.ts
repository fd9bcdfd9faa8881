/**
 * Shapes of the course catalog API (`/api/v1/courses`, `/offerings`, `/topics`)
 * and the catalog search as it appears in the page's URL.
 */
import { everyOf, type Locale, type Schemas } from './types';
import { LOCALES } from './i18n/negotiate';

export type ProgrammeType = Schemas['ProgrammeType'];
export const PROGRAMME_TYPES = everyOf<ProgrammeType>()(['course', 'workshop', 'diploma', 'seminar']);

export type Modality = Schemas['Modality'];
export const MODALITIES = everyOf<Modality>()(['online', 'in_person', 'blended']);

export type Level = Schemas['Level'];
export const LEVELS = everyOf<Level>()(['introductory', 'intermediate', 'advanced']);

export type CourseStatus = Schemas['CourseStatus'];
export const COURSE_STATUSES = everyOf<CourseStatus>()(['draft', 'published', 'archived']);

export type AdmissionPolicy = Schemas['AdmissionPolicy'];
export const ADMISSION_POLICIES = everyOf<AdmissionPolicy>()(['open', 'approval', 'institution_endorsed']);

export type LessonKind = Schemas['LessonKind'];
export const LESSON_KINDS = everyOf<LessonKind>()(['text', 'video', 'file', 'link']);

export type Topic = Schemas['Topic'];
/** The soonest offering of a course that has not ended, as the catalog lists it. */
export type NextOffering = Schemas['NextOffering'];
/** One card of the catalog. */
export type CourseSummary = Schemas['CourseCard'];
/** A course page: the card's facts and the full text, in the served `locale`. */
export type Course = Schemas['CourseDetail'];
export type PersonRef = Schemas['InstructorRef'];
export type ReviewRequest = Schemas['ReviewRequest'];
export type LessonOutline = Schemas['LessonOutline'];
export type CourseModule = Schemas['Module'];
export type Lesson = Schemas['Lesson'];
export type LessonFile = Schemas['LessonFile'];
export type Offering = Schemas['Offering'];
export type OfferingSession = Schemas['Session'];

/** A course's text in one language, as its editors write it. */
export type Translation = Schemas['TranslationInput'];
/** A saved translation as the editor shows it: every text, and the server's rendering of the description. */
export type SavedTranslation = Required<Translation> & { description_html: string };

export type CourseInput = Schemas['CourseInput'];
/** An offering as an editor sends it; an edit sends only what changes. */
export type OfferingInput = Schemas['OfferingInput'];
export type SessionInput = Schemas['SessionInput'];
export type ModuleInput = Schemas['ModuleInput'];
export type LessonInput = Schemas['LessonInput'];

/** Currencies the server accepts for fees (ISO 4217). */
export const CURRENCIES = [
  'USD', 'EUR', 'CAD', 'MXN', 'GTQ', 'HNL', 'NIO', 'CRC', 'PAB', 'BZD', 'DOP', 'HTG', 'CUP', 'JMD', 'TTD', 'BBD',
  'BSD', 'XCD', 'COP', 'VES', 'PEN', 'BOB', 'CLP', 'ARS', 'UYU', 'PYG', 'BRL', 'GYD', 'SRD', 'CHF', 'GBP',
] as const;

// ---------------------------------------------------------------------------
// The catalog search, as it appears in `/courses?…`

export const CATALOG_PER_PAGE = 12;

/** Orders the catalog offers; the server's default is by title. */
export const SORTS = ['title', 'start', 'newest', 'code'] as const;
export type Sort = (typeof SORTS)[number];

export interface CatalogFilters {
  q: string;
  topic: string;
  modality: Modality | '';
  language: Locale | '';
  type: ProgrammeType | '';
  open_now: boolean;
  sort: Sort;
  page: number;
}

export const EMPTY_FILTERS: CatalogFilters = {
  q: '',
  topic: '',
  modality: '',
  language: '',
  type: '',
  open_now: false,
  sort: 'title',
  page: 1,
};

function oneOf<T extends string>(choices: readonly T[], value: string | null): T | '' {
  return value !== null && (choices as readonly string[]).includes(value) ? (value as T) : '';
}

/** The search in a catalog URL's query; unknown values are ignored. */
export function filtersFromQuery(query: URLSearchParams): CatalogFilters {
  const page = Number(query.get('page'));
  return {
    q: (query.get('q') ?? '').trim(),
    topic: (query.get('topic') ?? '').trim(),
    modality: oneOf(MODALITIES, query.get('modality')),
    language: oneOf(LOCALES, query.get('language')),
    type: oneOf(PROGRAMME_TYPES, query.get('type')),
    open_now: query.get('open_now') === 'true',
    sort: oneOf(SORTS, query.get('sort')) || 'title',
    page: Number.isInteger(page) && page > 1 ? page : 1,
  };
}

/** The query string (with `?`, or empty) that shares `filters`; defaults are left out. */
export function queryFromFilters(filters: CatalogFilters): string {
  const search = new URLSearchParams();
  if (filters.q.trim()) search.set('q', filters.q.trim());
  if (filters.topic) search.set('topic', filters.topic);
  if (filters.modality) search.set('modality', filters.modality);
  if (filters.language) search.set('language', filters.language);
  if (filters.type) search.set('type', filters.type);
  if (filters.open_now) search.set('open_now', 'true');
  if (filters.sort !== 'title') search.set('sort', filters.sort);
  if (filters.page > 1) search.set('page', String(filters.page));
  const text = search.toString();
  return text ? `?${text}` : '';
}

/** Whether anything narrows the search (the order does not). */
export function hasFilters(filters: CatalogFilters): boolean {
  return queryFromFilters({ ...filters, sort: 'title', page: 1 }) !== '';
}
