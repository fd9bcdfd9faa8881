//! A course as a reader sees it, in their language when it has been translated.

use std::collections::HashMap;

use aula_core::Locale;
use aula_db::{
    schema::{
        course_instructors, course_languages, course_prerequisites, course_translations, courses,
        user_roles, users,
    },
    DbConnection,
};
use aula_identity::{Role, User};
use chrono::NaiveDateTime;
use diesel::prelude::*;
use serde::Serialize;
use utoipa::ToSchema;

use crate::{
    access::{can_edit, require_visible, CourseKey},
    error::{CatalogError, Result},
    model::{CourseStatus, Level, Modality, ProgrammeType},
    public,
    text::markdown_to_html,
    topics::{self, Topic, TopicRow},
    Catalog,
};

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = courses, check_for_backend(diesel::pg::Pg, diesel::sqlite::Sqlite))]
pub(crate) struct CourseRow {
    pub id: i64,
    pub code: String,
    pub topic_id: i64,
    pub programme_type: ProgrammeType,
    pub modality: Modality,
    pub level: Level,
    pub hours: i32,
    pub primary_language: Locale,
    pub status: CourseStatus,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    pub review_requested_at: Option<NaiveDateTime>,
    pub review_note: Option<String>,
}

impl CourseRow {
    pub fn key(&self) -> CourseKey {
        CourseKey {
            id: self.id,
            code: self.code.clone(),
            status: self.status,
        }
    }

    pub fn primary(&self) -> Locale {
        self.primary_language
    }
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = course_translations, check_for_backend(diesel::pg::Pg, diesel::sqlite::Sqlite))]
pub(crate) struct TranslationRow {
    pub course_id: i64,
    pub locale: Locale,
    pub title: String,
    pub summary: String,
    pub description_md: String,
    pub learning_outcomes: String,
}

/// The reader's language when the course has it, else the course's primary language.
pub fn served_locale(requested: Option<Locale>, available: &[Locale], primary: Locale) -> Locale {
    requested
        .filter(|l| available.contains(l))
        .unwrap_or(primary)
}

/// Picks the translation to serve from a course's translations.
pub(crate) fn pick(
    translations: &[TranslationRow],
    requested: Option<Locale>,
    primary: Locale,
) -> (Locale, Option<&TranslationRow>) {
    let available: Vec<Locale> = translations.iter().map(|t| t.locale).collect();
    let locale = served_locale(requested, &available, primary);
    let found = translations
        .iter()
        .find(|t| t.locale == locale)
        .or_else(|| translations.first());
    (found.map(|t| t.locale).unwrap_or(locale), found)
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct InstructorRef {
    pub id: i64,
    pub full_name: String,
}

/// Everything a course page shows.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct CourseDetail {
    pub id: i64,
    pub code: String,
    pub status: CourseStatus,
    pub topic: Topic,
    pub programme_type: ProgrammeType,
    pub modality: Modality,
    pub level: Level,
    pub hours: i32,
    pub primary_language: Locale,
    /// Languages of instruction.
    pub languages: Vec<Locale>,
    /// The language of `title`, `summary`, `description_html` and `learning_outcomes`.
    pub locale: Locale,
    /// Languages the course text exists in.
    pub available_locales: Vec<Locale>,
    pub title: String,
    pub summary: String,
    /// The description rendered from Markdown and sanitised.
    pub description_html: String,
    /// The Markdown source, for the course's editors only.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description_md: Option<String>,
    pub learning_outcomes: Vec<String>,
    /// Codes of the courses to take first.
    pub prerequisites: Vec<String>,
    pub instructors: Vec<InstructorRef>,
    #[serde(serialize_with = "aula_core::utc::serialize")]
    pub created_at: NaiveDateTime,
    #[serde(serialize_with = "aula_core::utc::serialize")]
    pub updated_at: NaiveDateTime,
    /// Where the course stands in review, for its editors only.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub review: Option<CourseReview>,
}

/// A draft's review: asked for (and when), or sent back with an administrator's note.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct CourseReview {
    #[serde(serialize_with = "aula_core::utc::serialize_option")]
    pub requested_at: Option<NaiveDateTime>,
    /// Why the course was sent back, until review is asked for again.
    pub note: Option<String>,
}

pub(crate) fn course_row(conn: &mut DbConnection, code: &str) -> Result<CourseRow> {
    courses::table
        .filter(courses::code.eq(code.trim().to_uppercase()))
        .select(CourseRow::as_select())
        .first(conn)
        .optional()?
        .ok_or(CatalogError::CourseNotFound)
}

pub(crate) fn translations_of(
    conn: &mut DbConnection,
    ids: &[i64],
) -> Result<HashMap<i64, Vec<TranslationRow>>> {
    let rows: Vec<TranslationRow> = course_translations::table
        .filter(course_translations::course_id.eq_any(ids))
        .select(TranslationRow::as_select())
        .load(conn)?;
    let mut by_course: HashMap<i64, Vec<TranslationRow>> = HashMap::new();
    for row in rows {
        by_course.entry(row.course_id).or_default().push(row);
    }
    for list in by_course.values_mut() {
        list.sort_by_key(|t| Locale::ALL.iter().position(|l| *l == t.locale));
    }
    Ok(by_course)
}

pub(crate) fn languages_of(
    conn: &mut DbConnection,
    ids: &[i64],
) -> Result<HashMap<i64, Vec<Locale>>> {
    let rows: Vec<(i64, Locale)> = course_languages::table
        .filter(course_languages::course_id.eq_any(ids))
        .select((course_languages::course_id, course_languages::locale))
        .load(conn)?;
    let mut by_course: HashMap<i64, Vec<Locale>> = HashMap::new();
    for (id, locale) in rows {
        by_course.entry(id).or_default().push(locale);
    }
    for list in by_course.values_mut() {
        list.sort_by_key(|l| Locale::ALL.iter().position(|x| x == l));
    }
    Ok(by_course)
}

/// One course for `actor` (`None` for the public), in `requested` when translated.
pub fn detail(
    conn: &mut DbConnection,
    actor: Option<&User>,
    code: &str,
    requested: Option<Locale>,
) -> Result<CourseDetail> {
    let row = course_row(conn, code)?;
    let key = row.key();
    require_visible(conn, actor, &key)?;
    let editor = match actor {
        Some(actor) => can_edit(conn, actor, &key)?,
        None => false,
    };
    let translations = translations_of(conn, &[row.id])?
        .remove(&row.id)
        .unwrap_or_default();
    let languages = languages_of(conn, &[row.id])?
        .remove(&row.id)
        .unwrap_or_default();
    let prerequisites: Vec<String> = course_prerequisites::table
        .inner_join(courses::table.on(courses::id.eq(course_prerequisites::prerequisite_id)))
        .filter(course_prerequisites::course_id.eq(row.id))
        .select(courses::code)
        .order(courses::code)
        .load(conn)?;
    let instructors = course_instructors::table
        .inner_join(users::table)
        .filter(course_instructors::course_id.eq(row.id))
        // A listing without the role is inert (see `access::teaches`): not shown either.
        .filter(
            course_instructors::user_id.eq_any(
                user_roles::table
                    .filter(user_roles::role.eq(Role::Instructor.as_str()))
                    .select(user_roles::user_id),
            ),
        )
        .select((users::id, users::full_name))
        .order(users::full_name)
        .load::<(i64, String)>(conn)?
        .into_iter()
        .map(|(id, full_name)| InstructorRef { id, full_name })
        .collect();
    let topic = topics::row(conn, row.topic_id)?;
    Ok(assemble(
        &row,
        &translations,
        languages,
        prerequisites,
        instructors,
        &topic,
        requested,
        editor,
        |index| {
            translations
                .get(index)
                .map(|t| markdown_to_html(&t.description_md))
                .unwrap_or_default()
        },
    ))
}

/// A course page from its parts; `description_html(i)` renders `translations[i]`.
#[allow(clippy::too_many_arguments)]
pub(crate) fn assemble(
    row: &CourseRow,
    translations: &[TranslationRow],
    languages: Vec<Locale>,
    prerequisites: Vec<String>,
    instructors: Vec<InstructorRef>,
    topic: &TopicRow,
    requested: Option<Locale>,
    editor: bool,
    description_html: impl Fn(usize) -> String,
) -> CourseDetail {
    let (locale, text) = pick(translations, requested, row.primary());
    let index = text.and_then(|t| translations.iter().position(|x| x.locale == t.locale));
    CourseDetail {
        id: row.id,
        status: row.status,
        topic: topic.localized(requested.unwrap_or(locale)),
        programme_type: row.programme_type,
        modality: row.modality,
        level: row.level,
        hours: row.hours,
        primary_language: row.primary(),
        languages,
        locale,
        available_locales: translations.iter().map(|t| t.locale).collect(),
        title: text.map(|t| t.title.clone()).unwrap_or_default(),
        summary: text.map(|t| t.summary.clone()).unwrap_or_default(),
        description_html: index.map(description_html).unwrap_or_default(),
        description_md: text.filter(|_| editor).map(|t| t.description_md.clone()),
        learning_outcomes: text
            .map(|t| t.learning_outcomes.lines().map(str::to_owned).collect())
            .unwrap_or_default(),
        prerequisites,
        instructors,
        review: editor.then(|| CourseReview {
            requested_at: row.review_requested_at,
            note: row.review_note.clone(),
        }),
        code: row.code.clone(),
        created_at: row.created_at,
        updated_at: row.updated_at,
    }
}

/// The course page from memory when the snapshot was confirmed recently and the page
/// is the public one; `None` means [`page`] must be asked.
pub fn page_from_memory(
    catalog: &Catalog,
    actor: Option<&User>,
    code: &str,
    requested: Option<Locale>,
) -> Option<CourseDetail> {
    let snapshot = catalog.read_model().fresh(catalog.now().date())?;
    public::detail(&snapshot, actor, code, requested)
}

/// The course page for `actor`: from the confirmed snapshot for a published course and
/// a reader who does not edit it, else from the database ([`detail`]).
pub fn page(
    conn: &mut DbConnection,
    catalog: &Catalog,
    actor: Option<&User>,
    code: &str,
    requested: Option<Locale>,
) -> Result<CourseDetail> {
    let snapshot = catalog.read_model().current(conn, catalog.now())?;
    match public::detail(&snapshot, actor, code, requested) {
        Some(page) => Ok(page),
        None => detail(conn, actor, code, requested),
    }
}
