/**
 * What administrators keep: member institutions and the topic areas of the catalog.
 * (User accounts are in `api.ts`, which sign-in also uses.)
 */
import { query, request, seg } from './api';
import type { Topic } from './catalog';
import type { Institution, Page } from './types';

/** The CISS membership categories, and institutions outside the CISS. */
export const MEMBERSHIP_CATEGORIES = ['titular', 'asociado', 'adherente', 'vinculado', 'non_member'] as const;
export type MembershipCategory = (typeof MEMBERSHIP_CATEGORIES)[number];

export interface InstitutionInput {
  name?: string;
  acronym?: string;
  country?: string;
  membership_category?: MembershipCategory;
}

export interface TopicInput {
  slug: string;
  name_es: string;
  name_en: string;
  name_pt: string;
  name_fr: string;
}

/** A topic's slug: lower-case letters, digits and `_` (as the server checks). */
export const TOPIC_SLUG = /^[a-z0-9_]{1,60}$/;

export const adminApi = {
  institutions: (params: { q?: string; page?: number; per_page?: number }) =>
    request<Page<Institution>>('GET', `/institutions${query(params)}`),
  createInstitution: (body: InstitutionInput) =>
    request<Institution>('POST', '/institutions', { body, auth: true }),
  updateInstitution: (id: number, body: InstitutionInput) =>
    request<Institution>('PATCH', `/institutions/${seg(id)}`, { body, auth: true }),
  createTopic: (body: TopicInput) => request<Topic>('POST', '/topics', { body, auth: true }),
};
