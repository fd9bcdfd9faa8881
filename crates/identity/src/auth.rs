//! Sign-up, sign-in and the token life cycle.

use aula_core::{FieldCode, Locale, SharedClock, SharedTokenSource, Validation};
use aula_db::DbConnection;
use aula_mail::Mail;
use chrono::NaiveDateTime;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::{
    error::{IdentityError, Result},
    model::{Role, User, UserStatus},
    password::{check_new_password, Owner, PasswordHasher, DEMO_PASSWORD},
    throttle::{self, Limits},
    tokens::{self, JwtKeys, Purpose, ACCESS_TOKEN_TTL_SECONDS},
    users::{self, check_email, check_full_name, check_locale, normalize_email, NewAccount},
};

#[derive(Debug, Clone)]
pub struct AuthConfig {
    /// Base of the links sent by mail, e.g. `https://aula.ciess.org`.
    pub public_url: String,
    pub limits: Limits,
}

/// The identity service: its rules, with time, randomness and keys injected.
#[derive(Clone)]
pub struct Identity {
    clock: SharedClock,
    pub(crate) tokens: SharedTokenSource,
    pub(crate) hasher: PasswordHasher,
    jwt: JwtKeys,
    pub(crate) config: AuthConfig,
}

/// What a successful sign-in or refresh returns.
#[derive(Debug, Serialize, ToSchema)]
// Named apart from an offering's `Session`: one name would document both answers as one.
#[schema(as = SignIn)]
pub struct Session {
    pub access_token: String,
    pub refresh_token: String,
    /// Always `Bearer`.
    pub token_type: &'static str,
    /// Seconds the access token stays valid.
    pub expires_in: i64,
    pub user: User,
}

#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct Registration {
    pub email: String,
    pub password: String,
    pub full_name: String,
    /// `es`, `en`, `pt` or `fr`; defaults to the request's language.
    pub locale: Option<String>,
    pub institution_id: Option<i64>,
}

/// Someone staff enrol who has no account yet.
#[derive(Debug, Clone)]
pub struct Invitee {
    pub email: String,
    pub full_name: String,
    pub locale: Locale,
    pub institution_id: Option<i64>,
}

/// An account created by an administrator or the command line.
#[derive(Debug, Clone)]
pub struct NewUser {
    pub email: String,
    pub full_name: String,
    pub password: String,
    pub locale: Locale,
    pub institution_id: Option<i64>,
    pub roles: Vec<Role>,
}

impl Identity {
    pub fn new(
        clock: SharedClock,
        tokens: SharedTokenSource,
        jwt_secret: &[u8],
        config: AuthConfig,
    ) -> Self {
        Self {
            hasher: PasswordHasher::new(tokens.clone()),
            jwt: JwtKeys::new(jwt_secret),
            clock,
            tokens,
            config,
        }
    }

    pub fn now(&self) -> NaiveDateTime {
        self.clock.now()
    }

    /// Refuses a weak new password for `owner`.
    fn check_password_of(&self, owner: &User, password: &str) -> Result<()> {
        let mut v = Validation::new();
        check_new_password(
            &mut v,
            "password",
            password,
            Owner {
                email: &owner.email,
                full_name: &owner.full_name,
            },
        );
        v.finish().map_err(IdentityError::Validation)
    }

    /// Password verifications run so far (see [`PasswordHasher::verifications`]).
    pub fn password_verifications(&self) -> u64 {
        self.hasher.verifications()
    }

    fn link(&self, path: &str, token: &str) -> String {
        format!(
            "{}/{path}?token={token}",
            self.config.public_url.trim_end_matches('/')
        )
    }

    /// Someone signed up with `owner`'s address: tell the owner (at most as often as
    /// reset links, so sign-up cannot flood their mailbox), never the caller.
    fn tell_owner_of_sign_up(
        &self,
        conn: &mut DbConnection,
        owner: &User,
        now: NaiveDateTime,
    ) -> Result<()> {
        if owner.status == UserStatus::Disabled {
            return Ok(());
        }
        let bucket = format!("register:account:{}", owner.email);
        match throttle::hit(conn, &bucket, self.config.limits.reset_per_account, now) {
            Err(IdentityError::RateLimited { .. }) => return Ok(()),
            other => other?,
        }
        let mail = Mail::RegistrationAttempt {
            full_name: owner.full_name.clone(),
            link: format!(
                "{}/forgot-password",
                self.config.public_url.trim_end_matches('/')
            ),
        };
        aula_mail::enqueue(conn, now, &owner.email, owner.locale, &mail)?;
        Ok(())
    }

    fn send_verification(
        &self,
        conn: &mut DbConnection,
        user: &User,
        now: NaiveDateTime,
    ) -> Result<()> {
        let token = self.tokens.token();
        tokens::insert_one_time_token(conn, user.id, Purpose::VerifyEmail, &token, now)?;
        let mail = Mail::VerifyEmail {
            full_name: user.full_name.clone(),
            link: self.link("verify-email", &token),
        };
        aula_mail::enqueue(conn, now, &user.email, user.locale, &mail)?;
        Ok(())
    }

    pub(crate) fn issue_session(
        &self,
        conn: &mut DbConnection,
        user: User,
        family: &str,
        now: NaiveDateTime,
    ) -> Result<Session> {
        let refresh_token = self.tokens.token();
        tokens::insert_refresh_token(conn, user.id, family, &refresh_token, now)?;
        Ok(Session {
            access_token: self.jwt.issue(user.id, user.token_version, now)?,
            refresh_token,
            token_type: "Bearer",
            expires_in: ACCESS_TOKEN_TTL_SECONDS,
            user,
        })
    }

    fn create_verified(
        &self,
        conn: &mut DbConnection,
        input: &NewUser,
        demo_password: bool,
    ) -> Result<User> {
        let mut v = Validation::new();
        check_email(&mut v, "email", &input.email);
        let full_name = check_full_name(&mut v, "full_name", &input.full_name);
        if !demo_password {
            check_new_password(
                &mut v,
                "password",
                &input.password,
                Owner {
                    email: &input.email,
                    full_name: &full_name,
                },
            );
        }
        if input.roles.is_empty() {
            v.add("roles", FieldCode::Required);
        }
        v.finish().map_err(IdentityError::Validation)?;
        let hash = self.hasher.hash(&input.password)?;
        let now = self.now();
        aula_db::transaction(conn, |conn| {
            let id = users::insert(
                conn,
                &NewAccount {
                    email: &input.email,
                    full_name: &full_name,
                    password_hash: &hash,
                    locale: input.locale,
                    institution_id: input.institution_id,
                    roles: &input.roles,
                    verified_at: Some(now),
                },
                now,
            )?;
            users::get(conn, id)
        })
    }
}

/// Signs a person up, answering alike whether or not the address is taken: a new
/// address gets an unverified student account and its verification mail; a taken
/// one gets a notice to its owner, so sign-up cannot tell who has an account.
pub fn register(
    conn: &mut DbConnection,
    identity: &Identity,
    input: &Registration,
    fallback: Locale,
    ip: &str,
) -> Result<()> {
    let limits = identity.config.limits;
    throttle::hit(
        conn,
        &format!("register:ip:{ip}"),
        limits.register_per_ip,
        identity.now(),
    )?;
    let mut v = Validation::new();
    check_email(&mut v, "email", &input.email);
    let full_name = check_full_name(&mut v, "full_name", &input.full_name);
    check_new_password(
        &mut v,
        "password",
        &input.password,
        Owner {
            email: &input.email,
            full_name: &input.full_name,
        },
    );
    let locale = match &input.locale {
        Some(l) => check_locale(&mut v, "locale", l),
        None => fallback,
    };
    v.finish().map_err(IdentityError::Validation)?;
    if let Some(institution) = input.institution_id {
        // Checked before the address, so both answers depend on the input alone.
        crate::institutions::get(conn, institution)
            .map_err(|_| IdentityError::field("institution_id", FieldCode::NotFound))?;
    }
    // Hashed on both paths, so the answer takes as long either way.
    let hash = identity.hasher.hash(&input.password)?;
    let now = identity.now();
    let email = normalize_email(&input.email);
    aula_db::transaction(conn, |conn| {
        if let Some(owner) = users::find_by_email(conn, &email)? {
            return identity.tell_owner_of_sign_up(conn, &owner, now);
        }
        let id = users::insert(
            conn,
            &NewAccount {
                email: &email,
                full_name: &full_name,
                password_hash: &hash,
                locale,
                institution_id: input.institution_id,
                roles: &[Role::Student],
                verified_at: None,
            },
            now,
        )?;
        let user = users::get(conn, id)?;
        identity.send_verification(conn, &user, now)
    })
}

pub fn verify_email(conn: &mut DbConnection, identity: &Identity, token: &str) -> Result<User> {
    let now = identity.now();
    aula_db::transaction(conn, |conn| {
        let user_id =
            tokens::consume_one_time_token(conn, Purpose::VerifyEmail, token.trim(), now)?;
        users::mark_email_verified(conn, user_id, now)?;
        users::get(conn, user_id)
    })
}

/// Sends a new verification link when the address belongs to an unverified account;
/// answers the same either way.
pub fn resend_verification(
    conn: &mut DbConnection,
    identity: &Identity,
    email: &str,
    ip: &str,
) -> Result<()> {
    let email = normalize_email(email);
    let now = identity.now();
    let limits = identity.config.limits;
    aula_db::transaction(conn, |conn| {
        throttle::hit(conn, &format!("mail:ip:{ip}"), limits.reset_per_ip, now)?;
        throttle::hit(
            conn,
            &format!("mail:account:{email}"),
            limits.reset_per_account,
            now,
        )?;
        Ok::<_, IdentityError>(())
    })?;
    aula_db::transaction(conn, |conn| match users::find_by_email(conn, &email)? {
        Some(user) if !user.email_verified && user.status == UserStatus::Active => {
            identity.send_verification(conn, &user, now)
        }
        _ => Ok(()),
    })
}

/// A sign-in under way: the throttles are counted and the account and its password
/// hash read, but the password is not checked yet. Checking it ([`check_password`])
/// needs no database connection, so a server can give its connection back while the
/// deliberately slow hash runs.
#[derive(Debug)]
pub struct LoginAttempt {
    account_bucket: String,
    account: Option<(User, String)>,
    now: chrono::NaiveDateTime,
}

/// Counts the attempt against the throttles and reads the account.
pub fn begin_login(
    conn: &mut DbConnection,
    identity: &Identity,
    email: &str,
    ip: &str,
) -> Result<LoginAttempt> {
    let email = normalize_email(email);
    let now = identity.now();
    let limits = identity.config.limits;
    // Per address, and per account from that address. No account-wide lock: one
    // address guessing cannot keep the owner, signing in from another, out.
    let account_bucket = format!("login:account:{email}:ip:{ip}");
    aula_db::transaction(conn, |conn| {
        throttle::hit(conn, &format!("login:ip:{ip}"), limits.login_per_ip, now)?;
        throttle::hit(conn, &account_bucket, limits.login_per_account, now)
    })?;
    let account = match users::find_by_email(conn, &email)? {
        Some(user) => {
            let hash = users::password_hash(conn, user.id)?;
            Some((user, hash))
        }
        None => None,
    };
    Ok(LoginAttempt {
        account_bucket,
        account,
        now,
    })
}

/// Checks the password (CPU only). An unknown account costs as much as a known one,
/// so the time taken does not tell which addresses have accounts.
pub fn check_password(identity: &Identity, attempt: &LoginAttempt, password: &str) -> Result<()> {
    match &attempt.account {
        Some((_, hash)) if identity.hasher.verify(password, hash) => Ok(()),
        Some(_) => Err(IdentityError::InvalidCredentials),
        None => {
            identity.hasher.verify_dummy(password);
            Err(IdentityError::InvalidCredentials)
        }
    }
}

/// After a good password: refuses disabled and unverified accounts, clears the
/// account's throttle and opens a session.
pub fn finish_login(
    conn: &mut DbConnection,
    identity: &Identity,
    attempt: LoginAttempt,
) -> Result<Session> {
    let Some((user, _)) = attempt.account else {
        return Err(IdentityError::InvalidCredentials);
    };
    if user.status == UserStatus::Disabled {
        return Err(IdentityError::AccountDisabled);
    }
    if !user.email_verified {
        return Err(IdentityError::EmailNotVerified);
    }
    throttle::clear(conn, &attempt.account_bucket)?;
    let family = identity.tokens.token();
    identity.issue_session(conn, user, &family, attempt.now)
}

/// Signs in on one connection: [`begin_login`], [`check_password`], [`finish_login`].
pub fn login(
    conn: &mut DbConnection,
    identity: &Identity,
    email: &str,
    password: &str,
    ip: &str,
) -> Result<Session> {
    let attempt = begin_login(conn, identity, email, ip)?;
    check_password(identity, &attempt, password)?;
    finish_login(conn, identity, attempt)
}

/// Exchanges a refresh token for a new session in the same family. A token presented
/// twice means it was stolen: the whole family is revoked.
pub fn refresh(
    conn: &mut DbConnection,
    identity: &Identity,
    refresh_token: &str,
) -> Result<Session> {
    let now = identity.now();
    let outcome = aula_db::transaction(conn, |conn| {
        let stored = tokens::find_refresh_token(conn, refresh_token)?
            .ok_or(IdentityError::InvalidRefreshToken)?;
        if stored.revoked_at.is_some() {
            return Ok(Err(IdentityError::InvalidRefreshToken));
        }
        if stored.used_at.is_some() || !tokens::mark_refresh_token_used(conn, stored.id, now)? {
            tokens::revoke_family(conn, &stored.family, now)?;
            return Ok(Err(IdentityError::RefreshTokenReused));
        }
        if stored.expires_at <= now {
            return Ok(Err(IdentityError::InvalidRefreshToken));
        }
        let user = users::get(conn, stored.user_id)?;
        if user.status == UserStatus::Disabled {
            tokens::revoke_family(conn, &stored.family, now)?;
            return Ok(Err(IdentityError::AccountDisabled));
        }
        identity
            .issue_session(conn, user, &stored.family, now)
            .map(Ok)
    });
    // The revocation above must commit even though the request fails.
    outcome?
}

/// Ends the session the refresh token belongs to.
pub fn logout(conn: &mut DbConnection, identity: &Identity, refresh_token: &str) -> Result<()> {
    let now = identity.now();
    if let Some(stored) = tokens::find_refresh_token(conn, refresh_token)? {
        tokens::revoke_family(conn, &stored.family, now)?;
    }
    Ok(())
}

/// Mails a reset link when the account exists; answers the same either way.
pub fn request_password_reset(
    conn: &mut DbConnection,
    identity: &Identity,
    email: &str,
    ip: &str,
) -> Result<()> {
    let email = normalize_email(email);
    let now = identity.now();
    let limits = identity.config.limits;
    aula_db::transaction(conn, |conn| {
        throttle::hit(conn, &format!("reset:ip:{ip}"), limits.reset_per_ip, now)?;
        throttle::hit(
            conn,
            &format!("reset:account:{email}"),
            limits.reset_per_account,
            now,
        )
    })?;
    aula_db::transaction(conn, |conn| {
        let Some(user) = users::find_by_email(conn, &email)? else {
            return Ok(());
        };
        if user.status == UserStatus::Disabled {
            return Ok(());
        }
        let token = identity.tokens.token();
        tokens::insert_one_time_token(conn, user.id, Purpose::PasswordReset, &token, now)?;
        let mail = Mail::PasswordReset {
            full_name: user.full_name.clone(),
            link: identity.link("reset-password", &token),
        };
        aula_mail::enqueue(conn, now, &user.email, user.locale, &mail)?;
        Ok(())
    })
}

/// Sets a new password from a reset link and ends every session of the account.
pub fn confirm_password_reset(
    conn: &mut DbConnection,
    identity: &Identity,
    token: &str,
    password: &str,
) -> Result<()> {
    let now = identity.now();
    aula_db::transaction(conn, |conn| {
        let user_id =
            tokens::consume_one_time_token(conn, Purpose::PasswordReset, token.trim(), now)?;
        // Checked once the link names its owner; a refusal rolls back, so the
        // link stays usable for a better password.
        let owner = users::get(conn, user_id)?;
        identity.check_password_of(&owner, password)?;
        let hash = identity.hasher.hash(password)?;
        users::set_password_hash(conn, user_id, &hash, now)?;
        // Following the link proved the address belongs to them.
        users::mark_email_verified(conn, user_id, now)?;
        users::revoke_sessions(conn, user_id, now)?;
        let user = users::get(conn, user_id)?;
        let mail = Mail::PasswordChanged {
            full_name: user.full_name.clone(),
        };
        aula_mail::enqueue(conn, now, &user.email, user.locale, &mail)?;
        Ok(())
    })
}

/// The active user an access token speaks for.
pub fn authenticate(
    conn: &mut DbConnection,
    identity: &Identity,
    access_token: &str,
) -> Result<User> {
    let claims = identity.jwt.verify(access_token, identity.now())?;
    let user_id = claims.user_id().ok_or(IdentityError::InvalidAccessToken)?;
    let user = users::get(conn, user_id).map_err(|e| match e {
        IdentityError::UserNotFound => IdentityError::InvalidAccessToken,
        other => other,
    })?;
    if user.status == UserStatus::Disabled || user.token_version != claims.ver {
        return Err(IdentityError::InvalidAccessToken);
    }
    Ok(user)
}

/// Creates a verified account with the given roles (administration).
pub fn create_user(conn: &mut DbConnection, identity: &Identity, input: &NewUser) -> Result<User> {
    identity.create_verified(conn, input, false)
}

/// [`Self::create_user`] for the demo data, whose accounts may have the published
/// [`DEMO_PASSWORD`] that every other account is refused.
pub fn create_demo_user(
    conn: &mut DbConnection,
    identity: &Identity,
    input: &NewUser,
) -> Result<User> {
    identity.create_verified(conn, input, input.password == DEMO_PASSWORD)
}

/// Creates an account for someone staff enrol by name and email. It has no usable
/// password: the returned link (valid 7 days) lets its owner choose one, which also
/// verifies the address. The caller mails the link inside its own transaction.
pub fn invite(
    conn: &mut DbConnection,
    identity: &Identity,
    input: &Invitee,
) -> Result<(User, String)> {
    let mut v = Validation::new();
    check_email(&mut v, "email", &input.email);
    let full_name = check_full_name(&mut v, "full_name", &input.full_name);
    v.finish().map_err(IdentityError::Validation)?;
    let now = identity.now();
    aula_db::transaction(conn, |conn| {
        let id = users::insert(
            conn,
            &NewAccount {
                email: &input.email,
                full_name: &full_name,
                // Not a PHC string: no password can ever match it.
                password_hash: "!invited",
                locale: input.locale,
                institution_id: input.institution_id,
                roles: &[Role::Student],
                verified_at: None,
            },
            now,
        )?;
        let token = identity.tokens.token();
        tokens::insert_one_time_token_until(
            conn,
            id,
            Purpose::PasswordReset,
            &token,
            now,
            now + chrono::TimeDelta::days(7),
        )?;
        Ok((
            users::get(conn, id)?,
            identity.link("reset-password", &token),
        ))
    })
}

/// Sets a password without a reset link (command line), ending every session.
pub fn set_password(
    conn: &mut DbConnection,
    identity: &Identity,
    user_id: i64,
    password: &str,
) -> Result<()> {
    let owner = users::get(conn, user_id)?;
    identity.check_password_of(&owner, password)?;
    let hash = identity.hasher.hash(password)?;
    let now = identity.now();
    aula_db::transaction(conn, |conn| {
        users::set_password_hash(conn, user_id, &hash, now)?;
        users::revoke_sessions(conn, user_id, now)
    })
}
