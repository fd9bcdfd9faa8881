//! Administrators' view of people: the searchable list and account changes.

use aula_core::{FieldCode, Page, PageRequest, Validation};
use aula_db::{
    schema::{user_roles, users},
    DbConnection,
};
use diesel::prelude::*;
use serde::Deserialize;
use utoipa::{IntoParams, ToSchema};

use super::{
    check_full_name, get, hydrate, name_or_email_contains, require_admin, revoke_sessions,
    set_roles, UserRow,
};
use crate::Identity;
use crate::{
    error::{IdentityError, Result},
    institutions,
    model::{Role, User, UserStatus},
};

/// Filters of the administrators' user list.
#[derive(Debug, Default, Clone, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct UserFilter {
    /// Part of the email or the name.
    pub q: Option<String>,
    #[param(pattern = "^(admin|instructor|coordinator|student)$")]
    pub role: Option<String>,
    #[param(pattern = "^(active|disabled)$")]
    pub status: Option<String>,
    pub institution_id: Option<i64>,
}

pub fn list(
    conn: &mut DbConnection,
    actor: &User,
    filter: &UserFilter,
    page: PageRequest,
) -> Result<Page<User>> {
    require_admin(actor)?;
    let mut v = Validation::new();
    let role = filter.role.as_deref().and_then(|r| {
        r.parse::<Role>()
            .map_err(|_| v.add("role", FieldCode::InvalidChoice))
            .ok()
    });
    let status = filter.status.as_deref().and_then(|s| {
        s.parse::<UserStatus>()
            .map_err(|_| v.add("status", FieldCode::InvalidChoice))
            .ok()
    });
    v.finish().map_err(IdentityError::Validation)?;
    let filtered = || {
        let mut query = users::table.into_boxed();
        if let Some(q) = filter.q.as_deref().map(str::trim).filter(|q| !q.is_empty()) {
            query = query.filter(name_or_email_contains(q));
        }
        if let Some(role) = role {
            query = query.filter(
                users::id.eq_any(
                    user_roles::table
                        .filter(user_roles::role.eq(role.as_str()))
                        .select(user_roles::user_id),
                ),
            );
        }
        if let Some(status) = status {
            query = query.filter(users::status.eq(status.as_str()));
        }
        if let Some(institution) = filter.institution_id {
            query = query.filter(users::institution_id.eq(institution));
        }
        query
    };
    let total = filtered().count().get_result::<i64>(conn)?;
    let rows = filtered()
        .select(UserRow::as_select())
        .order(users::id.asc())
        .limit(page.limit())
        .offset(page.offset())
        .load::<UserRow>(conn)?;
    Ok(Page::new(hydrate(conn, rows)?, total, page))
}

/// What an administrator may change about someone.
#[derive(Debug, Default, Clone, Deserialize, ToSchema)]
pub struct AdminUserUpdate {
    pub full_name: Option<String>,
    pub roles: Option<Vec<String>>,
    pub status: Option<String>,
    /// `null` is not distinguished from absent: use `remove_institution`.
    pub institution_id: Option<i64>,
    #[serde(default)]
    pub remove_institution: bool,
}

pub fn update_by_admin(
    conn: &mut DbConnection,
    identity: &Identity,
    actor: &User,
    id: i64,
    input: &AdminUserUpdate,
) -> Result<User> {
    let now = identity.now();
    require_admin(actor)?;
    let mut v = Validation::new();
    let name = input
        .full_name
        .as_deref()
        .map(|n| check_full_name(&mut v, "full_name", n));
    let roles = input.roles.as_ref().map(|roles| {
        let mut parsed: Vec<Role> = roles
            .iter()
            .filter_map(|r| {
                r.parse()
                    .map_err(|_| v.add("roles", FieldCode::InvalidChoice))
                    .ok()
            })
            .collect();
        parsed.sort_by_key(|r| Role::ALL.iter().position(|x| x == r));
        parsed.dedup();
        parsed
    });
    if roles.as_ref().is_some_and(Vec::is_empty) {
        v.add("roles", FieldCode::Required);
    }
    let status = input.status.as_deref().and_then(|s| {
        s.parse::<UserStatus>()
            .map_err(|_| v.add("status", FieldCode::InvalidChoice))
            .ok()
    });
    v.finish().map_err(IdentityError::Validation)?;
    if actor.id == id
        && (status == Some(UserStatus::Disabled)
            || roles.as_ref().is_some_and(|r| !r.contains(&Role::Admin)))
    {
        return Err(IdentityError::SelfLockout);
    }
    aula_db::transaction(conn, |conn| {
        let current = get(conn, id)?;
        if let Some(name) = name {
            diesel::update(users::table.find(id))
                .set(users::full_name.eq(name))
                .execute(conn)?;
        }
        if let Some(institution) = input.institution_id {
            institutions::get(conn, institution)
                .map_err(|_| IdentityError::field("institution_id", FieldCode::NotFound))?;
            diesel::update(users::table.find(id))
                .set(users::institution_id.eq(institution))
                .execute(conn)?;
        } else if input.remove_institution {
            diesel::update(users::table.find(id))
                .set(users::institution_id.eq(None::<i64>))
                .execute(conn)?;
        }
        if let Some(roles) = &roles {
            set_roles(conn, id, roles)?;
        }
        if let Some(status) = status {
            diesel::update(users::table.find(id))
                .set(users::status.eq(status.as_str()))
                .execute(conn)?;
            if status == UserStatus::Disabled && current.status != UserStatus::Disabled {
                revoke_sessions(conn, id, now)?;
            }
        }
        diesel::update(users::table.find(id))
            .set(users::updated_at.eq(now))
            .execute(conn)?;
        get(conn, id)
    })
}
