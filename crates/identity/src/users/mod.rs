//! People: their profile, roles and status, as read and edited by themselves and by
//! administrators.

use std::collections::HashMap;

use aula_core::{FieldCode, Locale, Validation};
use aula_db::{
    is_unique_violation,
    schema::{user_roles, users},
    DbConnection,
};
use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::{
    error::{IdentityError, Result},
    institutions,
    model::{MailPreferences, Role, User, UserStatus},
};

mod admin;
mod profile;

pub use admin::{list, update_by_admin, AdminUserUpdate, UserFilter};
pub use profile::{send_mail, update_profile, ProfileUpdate};

diesel::define_sql_function!(
    /// SQL `lower()`, on both backends.
    fn lower(x: diesel::sql_types::Text) -> diesel::sql_types::Text
);

#[derive(Queryable, Selectable)]
#[diesel(table_name = users, check_for_backend(diesel::pg::Pg, diesel::sqlite::Sqlite))]
pub(crate) struct UserRow {
    pub id: i64,
    pub email: String,
    pub full_name: String,
    pub locale: Locale,
    pub institution_id: Option<i64>,
    pub status: UserStatus,
    pub email_verified_at: Option<NaiveDateTime>,
    pub token_version: i32,
    pub created_at: NaiveDateTime,
    pub time_zone: Option<String>,
    pub mail_enrolment_updates: bool,
    pub mail_endorsement_requests: bool,
}

/// Builds users from rows with two more queries in all (roles, institutions).
pub(crate) fn hydrate(conn: &mut DbConnection, rows: Vec<UserRow>) -> Result<Vec<User>> {
    let ids: Vec<i64> = rows.iter().map(|r| r.id).collect();
    let mut roles: HashMap<i64, Vec<Role>> = HashMap::new();
    if !ids.is_empty() {
        let pairs = user_roles::table
            .filter(user_roles::user_id.eq_any(&ids))
            .select((user_roles::user_id, user_roles::role))
            .load::<(i64, Role)>(conn)?;
        for (user_id, role) in pairs {
            roles.entry(user_id).or_default().push(role);
        }
    }
    let mut institution_ids: Vec<i64> = rows.iter().filter_map(|r| r.institution_id).collect();
    institution_ids.sort_unstable();
    institution_ids.dedup();
    let institutions: HashMap<i64, _> = institutions::by_ids(conn, &institution_ids)?
        .into_iter()
        .map(|i| (i.id, i))
        .collect();
    Ok(rows
        .into_iter()
        .map(|row| {
            let mut user_roles = roles.remove(&row.id).unwrap_or_default();
            user_roles.sort_by_key(|r| Role::ALL.iter().position(|x| x == r));
            User {
                id: row.id,
                institution: row
                    .institution_id
                    .and_then(|id| institutions.get(&id).cloned()),
                email: row.email,
                full_name: row.full_name,
                locale: row.locale,
                roles: user_roles,
                status: row.status,
                email_verified: row.email_verified_at.is_some(),
                created_at: row.created_at.and_utc(),
                time_zone: row.time_zone,
                mail_preferences: MailPreferences {
                    enrolment_updates: row.mail_enrolment_updates,
                    endorsement_requests: row.mail_endorsement_requests,
                },
                token_version: row.token_version,
            }
        })
        .collect())
}

pub fn get(conn: &mut DbConnection, id: i64) -> Result<User> {
    let row = users::table
        .find(id)
        .select(UserRow::as_select())
        .first::<UserRow>(conn)
        .optional()?
        .ok_or(IdentityError::UserNotFound)?;
    hydrate(conn, vec![row])?
        .pop()
        .ok_or(IdentityError::UserNotFound)
}

/// A user as `actor` may see them: administrators see anyone, others only themselves;
/// anyone else's record is "not found", so ids cannot be probed.
pub fn get_visible_to(conn: &mut DbConnection, actor: &User, id: i64) -> Result<User> {
    if !actor.is_admin() && actor.id != id {
        return Err(IdentityError::UserNotFound);
    }
    get(conn, id)
}

pub fn find_by_email(conn: &mut DbConnection, email: &str) -> Result<Option<User>> {
    let row = users::table
        .filter(users::email.eq(normalize_email(email)))
        .select(UserRow::as_select())
        .first::<UserRow>(conn)
        .optional()?;
    match row {
        Some(row) => Ok(hydrate(conn, vec![row])?.pop()),
        None => Ok(None),
    }
}

/// Emails compare case-insensitively; they are stored trimmed and lower-cased.
pub fn normalize_email(email: &str) -> String {
    email.trim().to_lowercase()
}

/// A LIKE pattern matching `q` anywhere, lower-cased, with wildcards escaped.
pub(crate) fn like_pattern(q: &str) -> String {
    aula_core::like_contains(&q.to_lowercase())
}

type Backend = <DbConnection as diesel::Connection>::Backend;

/// People whose name or email contains `q`, ignoring case: every people search.
pub(crate) fn name_or_email_contains(
    q: &str,
) -> Box<dyn BoxableExpression<users::table, Backend, SqlType = diesel::sql_types::Bool>> {
    let pattern = like_pattern(q);
    Box::new(
        lower(users::full_name)
            .like(pattern.clone())
            .escape('\\')
            .or(users::email.like(pattern).escape('\\')),
    )
}

pub(crate) fn check_email(v: &mut Validation, field: &str, email: &str) {
    let email = email.trim();
    let valid = email.len() <= 254
        && !email.chars().any(|c| c.is_whitespace() || c.is_control())
        && match email.rsplit_once('@') {
            Some((local, domain)) => {
                !local.is_empty()
                    && !domain.starts_with('.')
                    && !domain.ends_with('.')
                    && domain.contains('.')
                    && !domain.contains('@')
            }
            None => false,
        };
    if email.is_empty() {
        v.add(field, FieldCode::Required);
    } else if !valid {
        v.add(field, FieldCode::InvalidEmail);
    }
}

pub(crate) fn check_full_name(v: &mut Validation, field: &str, name: &str) -> String {
    let name = name.trim();
    let chars = name.chars().count();
    if chars == 0 {
        v.add(field, FieldCode::Required);
    } else if chars > 200 {
        v.add(field, FieldCode::TooLong);
    } else if name.chars().any(char::is_control) {
        v.add(field, FieldCode::Invalid);
    }
    name.to_owned()
}

pub(crate) fn check_locale(v: &mut Validation, field: &str, locale: &str) -> Locale {
    match locale.parse() {
        Ok(locale) => locale,
        Err(()) => {
            v.add(field, FieldCode::InvalidChoice);
            Locale::default()
        }
    }
}

pub(crate) fn require_admin(actor: &User) -> Result<()> {
    if actor.is_admin() {
        Ok(())
    } else {
        Err(IdentityError::Forbidden)
    }
}

pub(crate) fn set_roles(conn: &mut DbConnection, user_id: i64, roles: &[Role]) -> Result<()> {
    diesel::delete(user_roles::table.filter(user_roles::user_id.eq(user_id))).execute(conn)?;
    for role in roles {
        diesel::insert_into(user_roles::table)
            .values((
                user_roles::user_id.eq(user_id),
                user_roles::role.eq(role.as_str()),
            ))
            .execute(conn)?;
    }
    Ok(())
}

/// Ends every session: refresh tokens are revoked and access tokens stop verifying.
pub(crate) fn revoke_sessions(
    conn: &mut DbConnection,
    user_id: i64,
    now: NaiveDateTime,
) -> Result<()> {
    diesel::update(users::table.find(user_id))
        .set(users::token_version.eq(users::token_version + 1))
        .execute(conn)?;
    crate::tokens::revoke_all_for_user(conn, user_id, now)
}

/// A new account as stored; passwords arrive already hashed.
pub(crate) struct NewAccount<'a> {
    pub email: &'a str,
    pub full_name: &'a str,
    pub password_hash: &'a str,
    pub locale: Locale,
    pub institution_id: Option<i64>,
    pub roles: &'a [Role],
    pub verified_at: Option<NaiveDateTime>,
}

pub(crate) fn insert(
    conn: &mut DbConnection,
    account: &NewAccount<'_>,
    now: NaiveDateTime,
) -> Result<i64> {
    if let Some(institution) = account.institution_id {
        institutions::get(conn, institution)
            .map_err(|_| IdentityError::field("institution_id", FieldCode::NotFound))?;
    }
    let id = diesel::insert_into(users::table)
        .values((
            users::email.eq(normalize_email(account.email)),
            users::full_name.eq(account.full_name),
            users::password_hash.eq(account.password_hash),
            users::locale.eq(account.locale.as_str()),
            users::institution_id.eq(account.institution_id),
            users::status.eq(UserStatus::Active.as_str()),
            users::email_verified_at.eq(account.verified_at),
            users::created_at.eq(now),
            users::updated_at.eq(now),
        ))
        .returning(users::id)
        .get_result::<i64>(conn)
        .map_err(|e| {
            if is_unique_violation(&e) {
                IdentityError::field("email", FieldCode::Taken)
            } else {
                e.into()
            }
        })?;
    set_roles(conn, id, account.roles)?;
    Ok(id)
}

pub(crate) fn password_hash(conn: &mut DbConnection, user_id: i64) -> Result<String> {
    Ok(users::table
        .find(user_id)
        .select(users::password_hash)
        .first(conn)?)
}

pub(crate) fn set_password_hash(
    conn: &mut DbConnection,
    user_id: i64,
    hash: &str,
    now: NaiveDateTime,
) -> Result<()> {
    diesel::update(users::table.find(user_id))
        .set((users::password_hash.eq(hash), users::updated_at.eq(now)))
        .execute(conn)?;
    Ok(())
}

pub(crate) fn mark_email_verified(
    conn: &mut DbConnection,
    user_id: i64,
    now: NaiveDateTime,
) -> Result<()> {
    diesel::update(
        users::table
            .find(user_id)
            .filter(users::email_verified_at.is_null()),
    )
    .set(users::email_verified_at.eq(now))
    .execute(conn)?;
    Ok(())
}

/// The named users, in three queries whatever their number (lists show many people).
pub fn by_ids(conn: &mut DbConnection, ids: &[i64]) -> Result<HashMap<i64, User>> {
    if ids.is_empty() {
        return Ok(HashMap::new());
    }
    let rows = users::table
        .filter(users::id.eq_any(ids))
        .select(UserRow::as_select())
        .load::<UserRow>(conn)?;
    Ok(hydrate(conn, rows)?
        .into_iter()
        .map(|u| (u.id, u))
        .collect())
}

/// Most ids [`ids_matching`] returns; a search wider than this should be narrowed.
pub const MATCH_LIMIT: i64 = 10_000;

/// Ids of the people whose name or email contains `q`, for filtering other lists.
pub fn ids_matching(conn: &mut DbConnection, q: &str) -> Result<Vec<i64>> {
    Ok(users::table
        .filter(name_or_email_contains(q.trim()))
        .select(users::id)
        .limit(MATCH_LIMIT)
        .load(conn)?)
}

/// Active people of an institution, by name, optionally matching `q` (for coordinators).
pub fn members_of(
    conn: &mut DbConnection,
    institution_id: i64,
    q: Option<&str>,
    page: aula_core::PageRequest,
) -> Result<aula_core::Page<User>> {
    let filtered = || {
        let mut query = users::table
            .filter(users::institution_id.eq(institution_id))
            .filter(users::status.eq(UserStatus::Active.as_str()))
            .into_boxed();
        if let Some(q) = q.map(str::trim).filter(|q| !q.is_empty()) {
            query = query.filter(name_or_email_contains(q));
        }
        query
    };
    let total: i64 = filtered().count().get_result(conn)?;
    let rows = filtered()
        .select(UserRow::as_select())
        .order((users::full_name.asc(), users::id.asc()))
        .limit(page.limit())
        .offset(page.offset())
        .load::<UserRow>(conn)?;
    Ok(aula_core::Page::new(hydrate(conn, rows)?, total, page))
}

/// The active coordinators of an institution, by id (told of applications that wait
/// for their endorsement). One query for the people, then their roles and institutions.
pub fn coordinators_of(conn: &mut DbConnection, institution_id: i64) -> Result<Vec<User>> {
    let coordinators = user_roles::table
        .filter(user_roles::role.eq(Role::Coordinator.as_str()))
        .select(user_roles::user_id);
    let rows = users::table
        .filter(users::institution_id.eq(institution_id))
        .filter(users::status.eq(UserStatus::Active.as_str()))
        .filter(users::id.eq_any(coordinators))
        .select(UserRow::as_select())
        .order(users::id.asc())
        .load::<UserRow>(conn)?;
    hydrate(conn, rows)
}
