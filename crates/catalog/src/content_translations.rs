//! Titles (and lesson bodies) of modules, lessons and sessions in other languages than
//! the course's primary one. The row itself holds the primary text; readers get their
//! language when it has been translated, else the primary one, and are told which.

use std::collections::HashMap;

use aula_core::{Locale, Validation};
use aula_db::{
    schema::{courses, lesson_translations, module_translations, session_translations},
    DbConnection,
};
use diesel::prelude::*;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::{error::Result, text::required_text};

/// The text of a module, lesson or session in one language.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct ContentTranslation {
    pub locale: Locale,
    pub title: String,
    /// Markdown of a text lesson in this language (lessons only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub body_md: Option<String>,
}

/// A translation as an editor sends it. In the course's primary language it replaces
/// the item's own text.
#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct ContentTranslationInput {
    pub title: String,
    /// Markdown, for text lessons; ignored elsewhere.
    pub body_md: Option<String>,
}

/// Checks a translation: a title of 1 to 200 characters and a body of at most 100 000 bytes.
pub(crate) fn check(input: &ContentTranslationInput) -> Result<(String, Option<String>)> {
    let mut v = Validation::new();
    let title = required_text(&mut v, "title", &input.title, 200);
    let body = input
        .body_md
        .as_deref()
        .filter(|b| !b.trim().is_empty())
        .map(str::to_owned);
    if body.as_ref().is_some_and(|b| b.len() > 100_000) {
        v.add("body_md", aula_core::FieldCode::TooLong);
    }
    v.finish().map_err(crate::CatalogError::Validation)?;
    Ok((title, body))
}

/// The translation to serve: the requested language when there is one, else none
/// (the primary text).
pub(crate) fn served(
    requested: Option<Locale>,
    primary: Locale,
    translations: Option<&Vec<ContentTranslation>>,
) -> (Locale, Option<&ContentTranslation>) {
    match requested
        .filter(|r| *r != primary)
        .and_then(|r| translations.into_iter().flatten().find(|t| t.locale == r))
    {
        Some(found) => (found.locale, Some(found)),
        None => (primary, None),
    }
}

fn group<K: std::hash::Hash + Eq>(
    rows: Vec<(K, String, String, Option<String>)>,
) -> HashMap<K, Vec<ContentTranslation>> {
    let mut out: HashMap<K, Vec<ContentTranslation>> = HashMap::new();
    for (id, locale, title, body_md) in rows {
        if let Ok(locale) = locale.parse() {
            out.entry(id).or_default().push(ContentTranslation {
                locale,
                title,
                body_md,
            });
        }
    }
    for list in out.values_mut() {
        list.sort_by_key(|t| Locale::ALL.iter().position(|l| *l == t.locale));
    }
    out
}

/// Translations of the given modules, in one query.
pub(crate) fn of_modules(
    conn: &mut DbConnection,
    ids: &[i64],
) -> Result<HashMap<i64, Vec<ContentTranslation>>> {
    let rows: Vec<(i64, String, String)> = module_translations::table
        .filter(module_translations::module_id.eq_any(ids))
        .select((
            module_translations::module_id,
            module_translations::locale,
            module_translations::title,
        ))
        .load(conn)?;
    Ok(group(
        rows.into_iter().map(|(a, b, c)| (a, b, c, None)).collect(),
    ))
}

/// Translations of the given lessons (titles and bodies), in one query.
pub(crate) fn of_lessons(
    conn: &mut DbConnection,
    ids: &[i64],
) -> Result<HashMap<i64, Vec<ContentTranslation>>> {
    let rows: Vec<(i64, String, String, Option<String>)> = lesson_translations::table
        .filter(lesson_translations::lesson_id.eq_any(ids))
        .select((
            lesson_translations::lesson_id,
            lesson_translations::locale,
            lesson_translations::title,
            lesson_translations::body_md,
        ))
        .load(conn)?;
    Ok(group(rows))
}

/// Translations of the given sessions, in one query.
pub(crate) fn of_sessions(
    conn: &mut DbConnection,
    ids: &[i64],
) -> Result<HashMap<i64, Vec<ContentTranslation>>> {
    let rows: Vec<(i64, String, String)> = session_translations::table
        .filter(session_translations::session_id.eq_any(ids))
        .select((
            session_translations::session_id,
            session_translations::locale,
            session_translations::title,
        ))
        .load(conn)?;
    Ok(group(
        rows.into_iter().map(|(a, b, c)| (a, b, c, None)).collect(),
    ))
}

/// The primary language of a course.
pub(crate) fn primary_of(conn: &mut DbConnection, course_id: i64) -> Result<Locale> {
    Ok(courses::table
        .find(course_id)
        .select(courses::primary_language)
        .first(conn)?)
}

pub(crate) fn write_module(
    conn: &mut DbConnection,
    id: i64,
    locale: Locale,
    title: &str,
) -> Result<()> {
    let key = module_translations::table
        .filter(module_translations::module_id.eq(id))
        .filter(module_translations::locale.eq(locale.as_str()));
    diesel::delete(key).execute(conn)?;
    diesel::insert_into(module_translations::table)
        .values((
            module_translations::module_id.eq(id),
            module_translations::locale.eq(locale.as_str()),
            module_translations::title.eq(title),
        ))
        .execute(conn)?;
    Ok(())
}

pub(crate) fn write_lesson(
    conn: &mut DbConnection,
    id: i64,
    locale: Locale,
    title: &str,
    body_md: Option<&str>,
) -> Result<()> {
    let key = lesson_translations::table
        .filter(lesson_translations::lesson_id.eq(id))
        .filter(lesson_translations::locale.eq(locale.as_str()));
    diesel::delete(key).execute(conn)?;
    diesel::insert_into(lesson_translations::table)
        .values((
            lesson_translations::lesson_id.eq(id),
            lesson_translations::locale.eq(locale.as_str()),
            lesson_translations::title.eq(title),
            lesson_translations::body_md.eq(body_md),
        ))
        .execute(conn)?;
    Ok(())
}

pub(crate) fn write_session(
    conn: &mut DbConnection,
    id: i64,
    locale: Locale,
    title: &str,
) -> Result<()> {
    let key = session_translations::table
        .filter(session_translations::session_id.eq(id))
        .filter(session_translations::locale.eq(locale.as_str()));
    diesel::delete(key).execute(conn)?;
    diesel::insert_into(session_translations::table)
        .values((
            session_translations::session_id.eq(id),
            session_translations::locale.eq(locale.as_str()),
            session_translations::title.eq(title),
        ))
        .execute(conn)?;
    Ok(())
}

/// Gives a lesson's title and body in one language (its course's editors); in the
/// course's primary language they are the lesson's own.
pub fn put_lesson_translation(
    conn: &mut DbConnection,
    catalog: &crate::Catalog,
    actor: &aula_identity::User,
    id: i64,
    locale: Locale,
    input: &ContentTranslationInput,
) -> Result<crate::lessons::Lesson> {
    let now = catalog.now();
    use aula_db::schema::lessons;
    let current = crate::lessons::editable(conn, actor, id)?;
    let (_, course_id) = crate::lessons::row(conn, id)?;
    let (title, body) = check(input)?;
    let text = current.kind == crate::model::LessonKind::Text;
    if locale == primary_of(conn, course_id)? {
        let body = body.filter(|_| text).or(current.body_md);
        diesel::update(lessons::table.find(id))
            .set((
                lessons::title.eq(title),
                lessons::body_md.eq(body),
                lessons::updated_at.eq(now),
            ))
            .execute(conn)?;
    } else {
        write_lesson(conn, id, locale, &title, body.as_deref().filter(|_| text))?;
    }
    let (row, _) = crate::lessons::row(conn, id)?;
    crate::lessons::localized(conn, row, course_id, None, true)
}
