//! Accounts administrators create for others.

use aula_core::{FieldCode, Locale, Validation};
use aula_db::DbConnection;
use serde::Deserialize;
use utoipa::ToSchema;

use crate::{
    auth::{Identity, NewUser},
    error::{IdentityError, Result},
    model::{Role, User},
    users::{check_locale, require_admin},
};

/// A new account as an administrator sends it.
#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct AccountInput {
    pub email: String,
    pub full_name: String,
    /// The first password, to be given to the person, who can change it in their profile.
    pub password: String,
    /// `es`, `en`, `pt` or `fr`; Spanish when absent.
    pub locale: Option<String>,
    pub institution_id: Option<i64>,
    /// At least one of `admin`, `instructor`, `coordinator`, `student`.
    pub roles: Vec<String>,
}

/// Creates a verified account with the given roles (administrators). The password
/// rules are those of sign-up.
pub fn create_account(
    conn: &mut DbConnection,
    identity: &Identity,
    actor: &User,
    input: &AccountInput,
) -> Result<User> {
    require_admin(actor)?;
    let mut v = Validation::new();
    let locale = match &input.locale {
        Some(l) => check_locale(&mut v, "locale", l),
        None => Locale::default(),
    };
    let mut roles = Vec::new();
    for role in &input.roles {
        match role.parse::<Role>() {
            Ok(role) if !roles.contains(&role) => roles.push(role),
            Ok(_) => {}
            Err(_) => v.add("roles", FieldCode::InvalidChoice),
        }
    }
    v.finish().map_err(IdentityError::Validation)?;
    crate::auth::create_user(
        conn,
        identity,
        &NewUser {
            email: input.email.clone(),
            full_name: input.full_name.clone(),
            password: input.password.clone(),
            locale,
            institution_id: input.institution_id,
            roles,
        },
    )
}
