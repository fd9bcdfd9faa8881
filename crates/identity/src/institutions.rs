//! Member institutions of the CISS (and non-members) whose staff take courses.

use aula_core::{FieldCode, Page, PageRequest, Validation};
use aula_db::{is_unique_violation, schema::institutions, DbConnection};
use diesel::prelude::*;
use serde::Deserialize;
use utoipa::ToSchema;

use crate::Identity;
use crate::{
    countries,
    error::{IdentityError, Result},
    model::{Institution, MembershipCategory, User},
    users::{like_pattern, lower, require_admin},
};

/// Fields of an institution as an administrator sends them; all optional for an edit.
#[derive(Debug, Default, Clone, Deserialize, ToSchema)]
pub struct InstitutionInput {
    pub name: Option<String>,
    pub acronym: Option<String>,
    pub country: Option<String>,
    pub membership_category: Option<String>,
}

/// Public list, by name, optionally filtered by name or acronym.
pub fn list(
    conn: &mut DbConnection,
    q: Option<&str>,
    page: PageRequest,
) -> Result<Page<Institution>> {
    let filtered = || {
        let mut query = institutions::table.into_boxed();
        if let Some(q) = q.map(str::trim).filter(|q| !q.is_empty()) {
            let pattern = like_pattern(q);
            query = query.filter(
                lower(institutions::name)
                    .like(pattern.clone())
                    .escape('\\')
                    .or(lower(institutions::acronym).like(pattern).escape('\\')),
            );
        }
        query
    };
    let total = filtered().count().get_result::<i64>(conn)?;
    let rows = filtered()
        .select(Institution::as_select())
        .order((institutions::name.asc(), institutions::id.asc()))
        .limit(page.limit())
        .offset(page.offset())
        .load(conn)?;
    Ok(Page::new(rows, total, page))
}

pub fn get(conn: &mut DbConnection, id: i64) -> Result<Institution> {
    institutions::table
        .find(id)
        .select(Institution::as_select())
        .first(conn)
        .optional()?
        .ok_or(IdentityError::InstitutionNotFound)
}

/// Institutions by id, for building many users at once.
pub(crate) fn by_ids(conn: &mut DbConnection, ids: &[i64]) -> Result<Vec<Institution>> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    Ok(institutions::table
        .filter(institutions::id.eq_any(ids))
        .select(Institution::as_select())
        .load(conn)?)
}

pub fn find_by_acronym(conn: &mut DbConnection, acronym: &str) -> Result<Option<Institution>> {
    Ok(institutions::table
        .filter(lower(institutions::acronym).eq(acronym.trim().to_lowercase()))
        .select(Institution::as_select())
        .first(conn)
        .optional()?)
}

struct Valid {
    name: Option<String>,
    acronym: Option<String>,
    country: Option<String>,
    category: Option<MembershipCategory>,
}

fn validate(input: &InstitutionInput, creating: bool) -> Result<Valid> {
    let mut v = Validation::new();
    let name = input.name.as_deref().map(str::trim).map(str::to_owned);
    match &name {
        None if creating => v.add("name", FieldCode::Required),
        Some(n) if n.chars().count() < 2 => v.add("name", FieldCode::TooShort),
        Some(n) if n.chars().count() > 200 => v.add("name", FieldCode::TooLong),
        _ => {}
    }
    let acronym = input.acronym.as_deref().map(str::trim).map(str::to_owned);
    match &acronym {
        None if creating => v.add("acronym", FieldCode::Required),
        Some(a) if a.is_empty() => v.add("acronym", FieldCode::Required),
        Some(a) if a.chars().count() > 20 || a.chars().any(char::is_whitespace) => {
            v.add("acronym", FieldCode::Invalid)
        }
        _ => {}
    }
    let country = match input.country.as_deref() {
        None if creating => {
            v.add("country", FieldCode::Required);
            None
        }
        None => None,
        Some(c) => {
            let code = countries::normalize(c);
            if code.is_none() {
                v.add("country", FieldCode::InvalidCountry);
            }
            code
        }
    };
    let category = match input.membership_category.as_deref() {
        None if creating => {
            v.add("membership_category", FieldCode::Required);
            None
        }
        None => None,
        Some(c) => {
            let parsed = c.parse::<MembershipCategory>().ok();
            if parsed.is_none() {
                v.add("membership_category", FieldCode::InvalidChoice);
            }
            parsed
        }
    };
    v.finish().map_err(IdentityError::Validation)?;
    Ok(Valid {
        name,
        acronym,
        country,
        category,
    })
}

fn taken(e: diesel::result::Error) -> IdentityError {
    if is_unique_violation(&e) {
        IdentityError::field("acronym", FieldCode::Taken)
    } else {
        e.into()
    }
}

pub fn create(
    conn: &mut DbConnection,
    identity: &Identity,
    actor: &User,
    input: &InstitutionInput,
) -> Result<Institution> {
    let now = identity.now();
    require_admin(actor)?;
    let valid = validate(input, true)?;
    let (Some(name), Some(acronym), Some(country), Some(category)) =
        (valid.name, valid.acronym, valid.country, valid.category)
    else {
        return Err(IdentityError::field("name", FieldCode::Required));
    };
    let id = diesel::insert_into(institutions::table)
        .values((
            institutions::name.eq(name),
            institutions::acronym.eq(acronym),
            institutions::country.eq(country),
            institutions::membership_category.eq(category.as_str()),
            institutions::created_at.eq(now),
            institutions::updated_at.eq(now),
        ))
        .returning(institutions::id)
        .get_result::<i64>(conn)
        .map_err(taken)?;
    get(conn, id)
}

pub fn update(
    conn: &mut DbConnection,
    identity: &Identity,
    actor: &User,
    id: i64,
    input: &InstitutionInput,
) -> Result<Institution> {
    let now = identity.now();
    require_admin(actor)?;
    let valid = validate(input, false)?;
    let current = get(conn, id)?;
    diesel::update(institutions::table.find(id))
        .set((
            institutions::name.eq(valid.name.unwrap_or(current.name)),
            institutions::acronym.eq(valid.acronym.unwrap_or(current.acronym)),
            institutions::country.eq(valid.country.unwrap_or(current.country)),
            institutions::membership_category.eq(valid
                .category
                .unwrap_or(current.membership_category)
                .as_str()),
            institutions::updated_at.eq(now),
        ))
        .execute(conn)
        .map_err(taken)?;
    get(conn, id)
}
