use aula_core::hash_token;
use aula_db::{
    schema::{one_time_tokens, refresh_tokens},
    DbConnection,
};
use chrono::{NaiveDateTime, TimeDelta};
use diesel::prelude::*;
use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation};
use serde::{Deserialize, Serialize};

use crate::error::{IdentityError, Result};

pub const ACCESS_TOKEN_TTL_SECONDS: i64 = 15 * 60;
pub const REFRESH_TOKEN_TTL: TimeDelta = TimeDelta::days(30);
const ISSUER: &str = "aula";
const AUDIENCE: &str = "aula-api";

/// Claims of an access token. `ver` is the user's token version: raising it (password
/// reset, disabling) kills every access token issued before.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct AccessClaims {
    pub sub: String,
    pub iss: String,
    pub aud: String,
    pub iat: i64,
    pub exp: i64,
    pub ver: i32,
}

impl AccessClaims {
    pub fn user_id(&self) -> Option<i64> {
        self.sub.parse().ok()
    }
}

/// HS256 keys with the algorithm, issuer and audience pinned.
#[derive(Clone)]
pub struct JwtKeys {
    encoding: EncodingKey,
    decoding: DecodingKey,
}

impl JwtKeys {
    pub fn new(secret: &[u8]) -> Self {
        Self {
            encoding: EncodingKey::from_secret(secret),
            decoding: DecodingKey::from_secret(secret),
        }
    }

    pub fn issue(&self, user_id: i64, token_version: i32, now: NaiveDateTime) -> Result<String> {
        let iat = now.and_utc().timestamp();
        let claims = AccessClaims {
            sub: user_id.to_string(),
            iss: ISSUER.into(),
            aud: AUDIENCE.into(),
            iat,
            exp: iat + ACCESS_TOKEN_TTL_SECONDS,
            ver: token_version,
        };
        jsonwebtoken::encode(&Header::new(Algorithm::HS256), &claims, &self.encoding)
            .map_err(|_| IdentityError::InvalidAccessToken)
    }

    /// Accepts only HS256 tokens for this issuer and audience that have not expired at `now`.
    pub fn verify(&self, token: &str, now: NaiveDateTime) -> Result<AccessClaims> {
        let mut validation = Validation::new(Algorithm::HS256);
        validation.set_issuer(&[ISSUER]);
        validation.set_audience(&[AUDIENCE]);
        validation.set_required_spec_claims(&["exp", "iat", "sub", "iss", "aud"]);
        // Expiry is checked against the injected clock below, not the system's.
        validation.validate_exp = false;
        let claims = jsonwebtoken::decode::<AccessClaims>(token, &self.decoding, &validation)
            .map_err(|_| IdentityError::InvalidAccessToken)?
            .claims;
        if claims.exp <= now.and_utc().timestamp() {
            return Err(IdentityError::InvalidAccessToken);
        }
        Ok(claims)
    }
}

/// Stores a new refresh token of `family` and returns the token itself (only its hash is kept).
pub(crate) fn insert_refresh_token(
    conn: &mut DbConnection,
    user_id: i64,
    family: &str,
    token: &str,
    now: NaiveDateTime,
) -> Result<()> {
    diesel::insert_into(refresh_tokens::table)
        .values((
            refresh_tokens::user_id.eq(user_id),
            refresh_tokens::family.eq(family),
            refresh_tokens::token_hash.eq(hash_token(token)),
            refresh_tokens::expires_at.eq(now + REFRESH_TOKEN_TTL),
            refresh_tokens::created_at.eq(now),
        ))
        .execute(conn)?;
    Ok(())
}

#[derive(Queryable)]
pub(crate) struct StoredRefreshToken {
    pub id: i64,
    pub user_id: i64,
    pub family: String,
    pub expires_at: NaiveDateTime,
    pub used_at: Option<NaiveDateTime>,
    pub revoked_at: Option<NaiveDateTime>,
}

pub(crate) fn find_refresh_token(
    conn: &mut DbConnection,
    token: &str,
) -> Result<Option<StoredRefreshToken>> {
    Ok(refresh_tokens::table
        .filter(refresh_tokens::token_hash.eq(hash_token(token)))
        .select((
            refresh_tokens::id,
            refresh_tokens::user_id,
            refresh_tokens::family,
            refresh_tokens::expires_at,
            refresh_tokens::used_at,
            refresh_tokens::revoked_at,
        ))
        .first(conn)
        .optional()?)
}

/// Marks a token used, only if nobody used it first; false when it lost that race.
pub(crate) fn mark_refresh_token_used(
    conn: &mut DbConnection,
    id: i64,
    now: NaiveDateTime,
) -> Result<bool> {
    let updated = diesel::update(
        refresh_tokens::table
            .filter(refresh_tokens::id.eq(id))
            .filter(refresh_tokens::used_at.is_null()),
    )
    .set(refresh_tokens::used_at.eq(now))
    .execute(conn)?;
    Ok(updated == 1)
}

pub(crate) fn revoke_family(
    conn: &mut DbConnection,
    family: &str,
    now: NaiveDateTime,
) -> Result<()> {
    diesel::update(
        refresh_tokens::table
            .filter(refresh_tokens::family.eq(family))
            .filter(refresh_tokens::revoked_at.is_null()),
    )
    .set(refresh_tokens::revoked_at.eq(now))
    .execute(conn)?;
    Ok(())
}

pub(crate) fn revoke_all_for_user(
    conn: &mut DbConnection,
    user_id: i64,
    now: NaiveDateTime,
) -> Result<()> {
    diesel::update(
        refresh_tokens::table
            .filter(refresh_tokens::user_id.eq(user_id))
            .filter(refresh_tokens::revoked_at.is_null()),
    )
    .set(refresh_tokens::revoked_at.eq(now))
    .execute(conn)?;
    Ok(())
}

/// Single-use tokens sent by mail.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Purpose {
    VerifyEmail,
    PasswordReset,
}

impl Purpose {
    fn as_str(self) -> &'static str {
        match self {
            Purpose::VerifyEmail => "verify_email",
            Purpose::PasswordReset => "password_reset",
        }
    }

    fn ttl(self) -> TimeDelta {
        match self {
            Purpose::VerifyEmail => TimeDelta::hours(48),
            Purpose::PasswordReset => TimeDelta::hours(1),
        }
    }
}

pub(crate) fn insert_one_time_token(
    conn: &mut DbConnection,
    user_id: i64,
    purpose: Purpose,
    token: &str,
    now: NaiveDateTime,
) -> Result<()> {
    insert_one_time_token_until(conn, user_id, purpose, token, now, now + purpose.ttl())
}

/// A one-time token with its own expiry (invitations live longer than resets).
pub(crate) fn insert_one_time_token_until(
    conn: &mut DbConnection,
    user_id: i64,
    purpose: Purpose,
    token: &str,
    now: NaiveDateTime,
    expires_at: NaiveDateTime,
) -> Result<()> {
    diesel::insert_into(one_time_tokens::table)
        .values((
            one_time_tokens::user_id.eq(user_id),
            one_time_tokens::purpose.eq(purpose.as_str()),
            one_time_tokens::token_hash.eq(hash_token(token)),
            one_time_tokens::expires_at.eq(expires_at),
            one_time_tokens::created_at.eq(now),
        ))
        .execute(conn)?;
    Ok(())
}

/// Spends a one-time token and returns its user; fails when unknown, expired or used.
pub(crate) fn consume_one_time_token(
    conn: &mut DbConnection,
    purpose: Purpose,
    token: &str,
    now: NaiveDateTime,
) -> Result<i64> {
    let found: Option<(i64, i64)> = one_time_tokens::table
        .filter(one_time_tokens::token_hash.eq(hash_token(token)))
        .filter(one_time_tokens::purpose.eq(purpose.as_str()))
        .filter(one_time_tokens::used_at.is_null())
        .filter(one_time_tokens::expires_at.gt(now))
        .select((one_time_tokens::id, one_time_tokens::user_id))
        .first(conn)
        .optional()?;
    let (id, user_id) = found.ok_or(IdentityError::InvalidLinkToken)?;
    let spent = diesel::update(
        one_time_tokens::table
            .filter(one_time_tokens::id.eq(id))
            .filter(one_time_tokens::used_at.is_null()),
    )
    .set(one_time_tokens::used_at.eq(now))
    .execute(conn)?;
    if spent != 1 {
        return Err(IdentityError::InvalidLinkToken);
    }
    // Other outstanding links of the same purpose die with this one.
    diesel::update(
        one_time_tokens::table
            .filter(one_time_tokens::user_id.eq(user_id))
            .filter(one_time_tokens::purpose.eq(purpose.as_str()))
            .filter(one_time_tokens::used_at.is_null()),
    )
    .set(one_time_tokens::used_at.eq(now))
    .execute(conn)?;
    Ok(user_id)
}
