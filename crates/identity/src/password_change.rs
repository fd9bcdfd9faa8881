//! Changing one's password while signed in.

use aula_core::{FieldCode, Validation};
use aula_db::DbConnection;
use aula_mail::Mail;

use crate::{
    auth::{Identity, Session},
    error::{IdentityError, Result},
    password::{check_new_password, Owner},
    throttle,
    tokens::{self},
    users, User,
};

/// Sets a new password for the signed-in `user`, who must give the current one.
/// Every other session ends (their refresh tokens are revoked and access tokens stop
/// verifying); the session of `refresh_token`, when it is the user's, goes on with
/// the new tokens returned. A security notice is mailed.
pub fn change_password(
    conn: &mut DbConnection,
    identity: &Identity,
    user: &User,
    current: &str,
    new: &str,
    refresh_token: Option<&str>,
) -> Result<Session> {
    let now = identity.now();
    // Guessing the current password here is as throttled as guessing it at sign-in.
    let bucket = format!("login:account:{}", user.email);
    throttle::hit(conn, &bucket, identity.config.limits.login_per_account, now)?;
    let mut v = Validation::new();
    if current.is_empty() {
        v.add("current_password", FieldCode::Required);
    } else if !identity
        .hasher
        .verify(current, &users::password_hash(conn, user.id)?)
    {
        v.add("current_password", FieldCode::WrongPassword);
    }
    check_new_password(
        &mut v,
        "new_password",
        new,
        Owner {
            email: &user.email,
            full_name: &user.full_name,
        },
    );
    v.finish().map_err(IdentityError::Validation)?;
    throttle::clear(conn, &bucket)?;
    let hash = identity.hasher.hash(new)?;
    aula_db::transaction(conn, |conn| {
        let kept = match refresh_token {
            Some(token) => tokens::find_refresh_token(conn, token)?
                .filter(|t| t.user_id == user.id && t.revoked_at.is_none()),
            None => None,
        };
        users::set_password_hash(conn, user.id, &hash, now)?;
        users::revoke_sessions(conn, user.id, now)?;
        // The caller's session continues in its family under a new token version.
        let family = kept.map_or_else(|| identity.tokens.token(), |t| t.family);
        let user = users::get(conn, user.id)?;
        let mail = Mail::PasswordChanged {
            full_name: user.full_name.clone(),
        };
        users::send_mail(conn, now, &user, &mail)?;
        identity.issue_session(conn, user, &family, now)
    })
}
