//! Creating and editing courses: their facts, translations and status.

use aula_core::{FieldCode, Locale, Validation};
use aula_db::{
    is_unique_violation,
    schema::{course_translations, courses},
    DbConnection,
};
use aula_identity::{Role, User};
use diesel::prelude::*;
use serde::Deserialize;
use utoipa::ToSchema;

pub use crate::publication::{archive, publish};
use crate::Catalog;
use crate::{
    access::{course_key, require_course_author, require_editor},
    course_links::{replace_links, resolve_links, set_instructors},
    error::{CatalogError, Result},
    model::{CourseStatus, Level, Modality, ProgrammeType},
    text::{normalize, required_text, searchable},
};

/// A course as an author sends it. Every field is needed to create a course; an edit
/// (`PATCH`) sends only what changes, and the code never changes.
#[derive(Debug, Default, Clone, Deserialize, ToSchema)]
pub struct CourseInput {
    /// E.g. `PEN-201`: 2 to 5 letters, a dash, 2 to 4 digits.
    pub code: Option<String>,
    /// Slug of a topic area, e.g. `pensions`.
    pub topic: Option<String>,
    pub programme_type: Option<ProgrammeType>,
    pub modality: Option<Modality>,
    pub level: Option<Level>,
    pub hours: Option<i32>,
    pub primary_language: Option<Locale>,
    /// Languages of instruction.
    pub languages: Option<Vec<Locale>>,
    /// Codes of courses to take first.
    pub prerequisites: Option<Vec<String>>,
    /// Ids of users with the instructor role.
    pub instructor_ids: Option<Vec<i64>>,
    /// The text in the primary language (required when creating).
    pub translation: Option<TranslationInput>,
}

/// A course's text in one language.
#[derive(Debug, Default, Clone, Deserialize, ToSchema)]
pub struct TranslationInput {
    pub title: String,
    #[serde(default)]
    pub summary: String,
    /// Markdown.
    #[serde(default)]
    pub description_md: String,
    #[serde(default)]
    pub learning_outcomes: Vec<String>,
}

/// `^[A-Z]{2,5}-\d{2,4}$` after upper-casing; `None` when it does not match.
pub fn parse_code(code: &str) -> Option<String> {
    let code = code.trim().to_uppercase();
    let (letters, digits) = code.split_once('-')?;
    let ok = (2..=5).contains(&letters.len())
        && letters.chars().all(|c| c.is_ascii_uppercase())
        && (2..=4).contains(&digits.len())
        && digits.chars().all(|c| c.is_ascii_digit());
    ok.then_some(code)
}

fn check_translation(v: &mut Validation, prefix: &str, t: &TranslationInput) -> TranslationInput {
    let outcomes: Vec<String> = t
        .learning_outcomes
        .iter()
        .map(|o| o.replace(['\r', '\n'], " ").trim().to_owned())
        .filter(|o| !o.is_empty())
        .collect();
    if outcomes.len() > 50 {
        v.add(&format!("{prefix}learning_outcomes"), FieldCode::TooLong);
    }
    let summary = t.summary.trim().to_owned();
    if summary.chars().count() > 1000 {
        v.add(&format!("{prefix}summary"), FieldCode::TooLong);
    }
    if t.description_md.len() > 100_000 {
        v.add(&format!("{prefix}description_md"), FieldCode::TooLong);
    }
    TranslationInput {
        title: required_text(v, &format!("{prefix}title"), &t.title, 200),
        summary,
        description_md: t.description_md.clone(),
        learning_outcomes: outcomes,
    }
}

/// Creates a draft; an instructor who creates a course teaches it. Returns its code.
pub fn create(
    conn: &mut DbConnection,
    catalog: &Catalog,
    actor: &User,
    input: &CourseInput,
) -> Result<String> {
    crate::read_model::note_change();
    let now = catalog.now();
    require_course_author(actor)?;
    let mut v = Validation::new();
    let code = match input.code.as_deref() {
        None => {
            v.add("code", FieldCode::Required);
            None
        }
        Some(c) => parse_code(c).or_else(|| {
            v.add("code", FieldCode::InvalidCode);
            None
        }),
    };
    let required: [(&str, bool); 6] = [
        ("topic", input.topic.is_none()),
        ("programme_type", input.programme_type.is_none()),
        ("modality", input.modality.is_none()),
        ("level", input.level.is_none()),
        ("hours", input.hours.is_none()),
        ("primary_language", input.primary_language.is_none()),
    ];
    for (field, missing) in required {
        if missing {
            v.add(field, FieldCode::Required);
        }
    }
    check_hours(&mut v, input.hours);
    if input.languages.as_ref().is_some_and(Vec::is_empty) {
        v.add("languages", FieldCode::Required);
    }
    let translation = match &input.translation {
        Some(t) => Some(check_translation(&mut v, "translation.", t)),
        None => {
            v.add("translation.title", FieldCode::Required);
            None
        }
    };
    aula_db::transaction(conn, |conn| {
        let links = resolve_links(conn, &mut v, input, None)?;
        v.finish().map_err(CatalogError::Validation)?;
        let (Some(code), Some(topic_id), Some(translation), Some(primary)) =
            (code, links.topic_id, translation, input.primary_language)
        else {
            return Err(CatalogError::field("code", FieldCode::Required));
        };
        let id = diesel::insert_into(courses::table)
            .values((
                courses::code.eq(&code),
                courses::topic_id.eq(topic_id),
                courses::programme_type
                    .eq(input.programme_type.map(|t| t.as_str()).unwrap_or_default()),
                courses::modality.eq(input.modality.map(|m| m.as_str()).unwrap_or_default()),
                courses::level.eq(input.level.map(|l| l.as_str()).unwrap_or_default()),
                courses::hours.eq(input.hours.unwrap_or(1)),
                courses::primary_language.eq(primary.as_str()),
                courses::status.eq(CourseStatus::Draft.as_str()),
                courses::search_text.eq(""),
                courses::created_by.eq(actor.id),
                courses::created_at.eq(now),
                courses::updated_at.eq(now),
            ))
            .returning(courses::id)
            .get_result::<i64>(conn)
            .map_err(|e| {
                if is_unique_violation(&e) {
                    CatalogError::field("code", FieldCode::CodeTaken)
                } else {
                    e.into()
                }
            })?;
        let mut input = input.clone();
        input.languages.get_or_insert_with(|| vec![primary]);
        replace_links(conn, id, &input, &links)?;
        if links.instructors.is_none() && actor.has_role(Role::Instructor) {
            set_instructors(conn, id, &[actor.id])?;
        }
        write_translation(conn, id, primary, &translation)?;
        refresh_search_text(conn, id)?;
        Ok(code)
    })
}

fn check_hours(v: &mut Validation, hours: Option<i32>) {
    if hours.is_some_and(|h| !(1..=10_000).contains(&h)) {
        v.add("hours", FieldCode::MustBePositive);
    }
}

/// Edits a course's facts (its editors). The code stays.
pub fn update(
    conn: &mut DbConnection,
    catalog: &Catalog,
    actor: &User,
    code: &str,
    input: &CourseInput,
) -> Result<()> {
    crate::read_model::note_change();
    let now = catalog.now();
    let course = course_key(conn, code)?;
    require_editor(conn, actor, &course)?;
    let mut v = Validation::new();
    if input
        .code
        .as_deref()
        .is_some_and(|c| c.trim().to_uppercase() != course.code)
    {
        v.add("code", FieldCode::Immutable);
    }
    check_hours(&mut v, input.hours);
    if input.languages.as_ref().is_some_and(Vec::is_empty) {
        v.add("languages", FieldCode::Required);
    }
    if input.instructor_ids.is_some()
        && !actor.is_admin()
        && !input
            .instructor_ids
            .as_ref()
            .is_some_and(|ids| ids.contains(&actor.id))
    {
        v.add("instructor_ids", FieldCode::CannotRemoveSelf);
    }
    aula_db::transaction(conn, |conn| {
        let links = resolve_links(conn, &mut v, input, Some(course.id))?;
        let translation = input
            .translation
            .as_ref()
            .map(|t| check_translation(&mut v, "translation.", t));
        v.finish().map_err(CatalogError::Validation)?;
        let target = courses::table.find(course.id);
        if let Some(topic_id) = links.topic_id {
            diesel::update(target)
                .set(courses::topic_id.eq(topic_id))
                .execute(conn)?;
        }
        if let Some(t) = input.programme_type {
            diesel::update(target)
                .set(courses::programme_type.eq(t.as_str()))
                .execute(conn)?;
        }
        if let Some(m) = input.modality {
            diesel::update(target)
                .set(courses::modality.eq(m.as_str()))
                .execute(conn)?;
        }
        if let Some(l) = input.level {
            diesel::update(target)
                .set(courses::level.eq(l.as_str()))
                .execute(conn)?;
        }
        if let Some(h) = input.hours {
            diesel::update(target)
                .set(courses::hours.eq(h))
                .execute(conn)?;
        }
        if let Some(p) = input.primary_language {
            let translated: i64 = course_translations::table
                .filter(course_translations::course_id.eq(course.id))
                .filter(course_translations::locale.eq(p.as_str()))
                .count()
                .get_result(conn)?;
            if translated == 0 && translation.is_none() {
                return Err(CatalogError::field(
                    "primary_language",
                    FieldCode::NotTranslated,
                ));
            }
            diesel::update(target)
                .set(courses::primary_language.eq(p.as_str()))
                .execute(conn)?;
        }
        replace_links(conn, course.id, input, &links)?;
        if let Some(t) = translation {
            let primary: Locale = target.select(courses::primary_language).first(conn)?;
            write_translation(conn, course.id, primary, &t)?;
        }
        diesel::update(target)
            .set(courses::updated_at.eq(now))
            .execute(conn)?;
        refresh_search_text(conn, course.id)
    })
}

/// Adds or replaces the course's text in one language (its editors).
pub fn put_translation(
    conn: &mut DbConnection,
    catalog: &Catalog,
    actor: &User,
    code: &str,
    locale: Locale,
    input: &TranslationInput,
) -> Result<()> {
    crate::read_model::note_change();
    let now = catalog.now();
    let course = course_key(conn, code)?;
    require_editor(conn, actor, &course)?;
    let mut v = Validation::new();
    let t = check_translation(&mut v, "", input);
    v.finish().map_err(CatalogError::Validation)?;
    aula_db::transaction(conn, |conn| {
        write_translation(conn, course.id, locale, &t)?;
        diesel::update(courses::table.find(course.id))
            .set(courses::updated_at.eq(now))
            .execute(conn)?;
        refresh_search_text(conn, course.id)
    })
}

fn write_translation(
    conn: &mut DbConnection,
    course_id: i64,
    locale: Locale,
    t: &TranslationInput,
) -> Result<()> {
    diesel::delete(
        course_translations::table
            .filter(course_translations::course_id.eq(course_id))
            .filter(course_translations::locale.eq(locale.as_str())),
    )
    .execute(conn)?;
    diesel::insert_into(course_translations::table)
        .values((
            course_translations::course_id.eq(course_id),
            course_translations::locale.eq(locale.as_str()),
            course_translations::title.eq(&t.title),
            course_translations::summary.eq(&t.summary),
            course_translations::description_md.eq(&t.description_md),
            course_translations::learning_outcomes.eq(t.learning_outcomes.join("\n")),
        ))
        .execute(conn)?;
    Ok(())
}

/// Rebuilds the normalised text that `?q=` searches: code, titles and summaries.
pub(crate) fn refresh_search_text(conn: &mut DbConnection, course_id: i64) -> Result<()> {
    let code: String = courses::table
        .find(course_id)
        .select(courses::code)
        .first(conn)?;
    let texts: Vec<(String, String)> = course_translations::table
        .filter(course_translations::course_id.eq(course_id))
        .select((course_translations::title, course_translations::summary))
        .load(conn)?;
    let mut search = normalize(&code);
    for (title, summary) in texts {
        search.push('\n');
        search.push_str(&searchable(&title));
        search.push('\n');
        search.push_str(&searchable(&summary));
    }
    diesel::update(courses::table.find(course_id))
        .set(courses::search_text.eq(search))
        .execute(conn)?;
    Ok(())
}
