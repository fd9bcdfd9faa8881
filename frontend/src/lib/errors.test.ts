import { afterEach, describe, expect, it } from 'vitest';
import { ApiError, NETWORK_ERROR, parseProblem } from './api';
import { describeError, fieldErrors } from './errors';
import { i18n } from './i18n/index.svelte';

describe('describeError', () => {
  afterEach(() => {
    i18n.locale = 'es';
  });

  it('says when to try again after too many attempts, in the current language', () => {
    const error = parseProblem(429, { code: 'rate_limited', title: 'Demasiadas solicitudes' }, '540');
    i18n.locale = 'en';
    expect(describeError(error).title).toBe('Too many attempts. Try again in 9 minutes.');
    i18n.locale = 'fr';
    expect(describeError(parseProblem(429, { code: 'rate_limited' }, '30')).title).toBe(
      'Trop de tentatives. Réessayez dans 1 minute.',
    );
  });

  it('uses its own words for wrong credentials and lost connections', () => {
    i18n.locale = 'pt';
    expect(describeError(parseProblem(401, { code: 'invalid_credentials', title: 'x' })).title).toBe(
      'O e-mail ou a senha estão incorretos.',
    );
    expect(describeError(new ApiError({ status: 0, code: NETWORK_ERROR })).title).toMatch(/servidor/);
  });

  it("shows the server's localized title and the messages of fields the form does not show", () => {
    const error = parseProblem(422, {
      code: 'validation_failed',
      title: 'Données invalides',
      errors: [
        { field: 'email', code: 'invalid', message: 'Adresse invalide' },
        { field: 'token', code: 'expired', message: 'Le lien a expiré' },
      ],
    });
    expect(describeError(error, ['email'])).toEqual({ title: 'Données invalides', items: ['Le lien a expiré'] });
    expect(fieldErrors(error, ['email', 'password'])).toEqual({ email: 'Adresse invalide' });
  });

  it('asks to correct the fields when every problem is shown beside one', () => {
    const error = parseProblem(422, {
      code: 'validation_failed',
      title: 'Datos no válidos',
      errors: [{ field: 'password', code: 'too_short', message: 'Demasiado corta' }],
    });
    expect(describeError(error, ['password']).title).toBe('Corrija los campos señalados.');
  });
});
