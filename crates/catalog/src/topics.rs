//! Topic areas: a managed list with a name in each language.

use aula_core::{FieldCode, Locale, Validation};
use aula_db::{is_unique_violation, schema::topics, DbConnection};
use diesel::prelude::*;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::Catalog;
use crate::{
    access::require_admin,
    error::{CatalogError, Result},
    text::required_text,
};
use aula_identity::User;

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Topic {
    pub id: i64,
    pub slug: String,
    /// In the reader's language.
    pub name: String,
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = topics, check_for_backend(diesel::pg::Pg, diesel::sqlite::Sqlite))]
pub(crate) struct TopicRow {
    pub id: i64,
    pub slug: String,
    pub name_es: String,
    pub name_en: String,
    pub name_pt: String,
    pub name_fr: String,
}

impl TopicRow {
    pub fn localized(&self, locale: Locale) -> Topic {
        let name = match locale {
            Locale::Es => &self.name_es,
            Locale::En => &self.name_en,
            Locale::Pt => &self.name_pt,
            Locale::Fr => &self.name_fr,
        };
        Topic {
            id: self.id,
            slug: self.slug.clone(),
            name: name.clone(),
        }
    }
}

pub(crate) fn all_rows(conn: &mut DbConnection) -> Result<Vec<TopicRow>> {
    Ok(topics::table
        .select(TopicRow::as_select())
        .order(topics::slug)
        .load(conn)?)
}

pub(crate) fn row(conn: &mut DbConnection, id: i64) -> Result<TopicRow> {
    topics::table
        .find(id)
        .select(TopicRow::as_select())
        .first(conn)
        .optional()?
        .ok_or(CatalogError::TopicNotFound)
}

pub(crate) fn id_by_slug(conn: &mut DbConnection, slug: &str) -> Result<Option<i64>> {
    Ok(topics::table
        .filter(topics::slug.eq(slug))
        .select(topics::id)
        .first(conn)
        .optional()?)
}

/// Every topic, named in `locale`, by slug.
pub fn list(conn: &mut DbConnection, locale: Locale) -> Result<Vec<Topic>> {
    Ok(all_rows(conn)?
        .iter()
        .map(|t| t.localized(locale))
        .collect())
}

/// A new topic area with its name in all four languages.
#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct TopicInput {
    /// Lower-case letters, digits and `_`, e.g. `long_term_care`.
    pub slug: String,
    pub name_es: String,
    pub name_en: String,
    pub name_pt: String,
    pub name_fr: String,
}

pub fn create(
    conn: &mut DbConnection,
    catalog: &Catalog,
    actor: &User,
    input: &TopicInput,
    locale: Locale,
) -> Result<Topic> {
    crate::read_model::note_change();
    let now = catalog.now();
    require_admin(actor)?;
    let mut v = Validation::new();
    let slug = input.slug.trim();
    if slug.is_empty() {
        v.add("slug", FieldCode::Required);
    } else if slug.len() > 60
        || !slug
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
    {
        v.add("slug", FieldCode::Invalid);
    }
    let names = [
        required_text(&mut v, "name_es", &input.name_es, 120),
        required_text(&mut v, "name_en", &input.name_en, 120),
        required_text(&mut v, "name_pt", &input.name_pt, 120),
        required_text(&mut v, "name_fr", &input.name_fr, 120),
    ];
    v.finish().map_err(CatalogError::Validation)?;
    let [es, en, pt, fr] = names;
    let id = diesel::insert_into(topics::table)
        .values((
            topics::slug.eq(slug),
            topics::name_es.eq(es),
            topics::name_en.eq(en),
            topics::name_pt.eq(pt),
            topics::name_fr.eq(fr),
            topics::created_at.eq(now),
        ))
        .returning(topics::id)
        .get_result::<i64>(conn)
        .map_err(|e| {
            if is_unique_violation(&e) {
                CatalogError::field("slug", FieldCode::Taken)
            } else {
                e.into()
            }
        })?;
    Ok(row(conn, id)?.localized(locale))
}
