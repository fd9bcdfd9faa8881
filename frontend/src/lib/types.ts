/**
 * Shapes of the Aula API (`/api/v1`), generated from its OpenAPI document.
 *
 * `src/lib/api/openapi.json` is the server's document (`aula openapi`); `npm run check`
 * turns it into `src/lib/api/schema.d.ts`, so a field the server drops or renames is a
 * type error wherever the interface still reads it. The modules of `src/lib` name the
 * schemas they use from here.
 */
import type { components, operations } from './api/schema';

export type Schemas = components['schemas'];

/**
 * The query parameters of one operation of the API, named by its `operationId`, e.g.
 * `QueryOf<'list_my_enrolments'>`; every operation has an id of its own.
 */
export type QueryOf<Op extends keyof operations> = operations[Op] extends { parameters: { query?: infer Q } }
  ? NonNullable<Q>
  : never;

/**
 * A closed vocabulary of the API as a list the interface can walk, checked against its
 * generated union: a value the server does not know, or one it added and the list
 * lacks, is a type error (`missing` names it).
 */
export function everyOf<T extends string>() {
  return <const L extends readonly T[]>(
    list: L & ([T] extends [L[number]] ? unknown : { missing: Exclude<T, L[number]> }),
  ): L => list;
}

export type Locale = Schemas['Locale'];

export type Role = Schemas['Role'];
export const ROLES = everyOf<Role>()(['admin', 'coordinator', 'instructor', 'student']);

export type UserStatus = Schemas['UserStatus'];
export type Institution = Schemas['Institution'];
export type User = Schemas['User'];

/** One page of a list; every paged answer (`Page_User`, `Page_Enrolment`, …) has this shape. */
export type Page<T> = Omit<Schemas['Page_User'], 'items'> & { items: T[] };

export type TokenResponse = Schemas['SignIn'];
export type RegisterRequest = Schemas['Registration'];
export type ProfileUpdate = Schemas['ProfileUpdate'];
export type UserUpdate = Schemas['AdminUserUpdate'];
export type PasswordChange = Schemas['PasswordChange'];
export type AccountInput = Schemas['AccountInput'];
export type MailPreferences = Schemas['MailPreferences'];
