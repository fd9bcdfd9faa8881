//! A course's way into and out of the catalog: instructors ask for review, an
//! administrator publishes a course that is ready or sends it back with a note, and
//! archives it when it is over.

use aula_core::{FieldCode, FieldError, Locale, Validation};
use aula_db::{
    schema::{course_instructors, course_translations, courses, offerings, users},
    DbConnection,
};
use aula_identity::User;
use chrono::NaiveDateTime;
use diesel::prelude::*;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::{
    access::{course_key, require_admin, require_editor, CourseKey},
    error::{CatalogError, Result},
    model::CourseStatus,
    view::{pick, translations_of, InstructorRef},
    Catalog,
};

/// Longest note an administrator may send back with a course.
pub const MAX_NOTE_CHARS: usize = 2000;

/// What a course still lacks before it may be published, as field errors: an edition
/// (`publication.offerings`), and its summary and description in the primary language
/// (`publication.summary`, `publication.description`). Empty when it is ready.
pub fn missing(conn: &mut DbConnection, course_id: i64) -> Result<Vec<FieldError>> {
    let mut v = Validation::new();
    let editions: i64 = offerings::table
        .filter(offerings::course_id.eq(course_id))
        .count()
        .get_result(conn)?;
    if editions == 0 {
        v.add("publication.offerings", FieldCode::Required);
    }
    let primary: String = courses::table
        .find(course_id)
        .select(courses::primary_language)
        .first(conn)?;
    let text: Option<(String, String)> = course_translations::table
        .filter(course_translations::course_id.eq(course_id))
        .filter(course_translations::locale.eq(&primary))
        .select((
            course_translations::summary,
            course_translations::description_md,
        ))
        .first(conn)
        .optional()?;
    let (summary, description) = text.unwrap_or_default();
    if summary.trim().is_empty() {
        v.add("publication.summary", FieldCode::Required);
    }
    if description.trim().is_empty() {
        v.add("publication.description", FieldCode::Required);
    }
    Ok(v.finish().err().unwrap_or_default())
}

fn require_ready(conn: &mut DbConnection, course: &CourseKey) -> Result<()> {
    let missing = missing(conn, course.id)?;
    if missing.is_empty() {
        Ok(())
    } else {
        Err(CatalogError::NotReady(missing))
    }
}

/// `draft`/`archived` → `published` (administrators), once the course is ready; any
/// pending review request and note are settled by it.
pub fn publish(conn: &mut DbConnection, catalog: &Catalog, actor: &User, code: &str) -> Result<()> {
    crate::read_model::note_change();
    require_admin(actor)?;
    let now = catalog.now();
    aula_db::transaction(conn, |conn| {
        let course = course_key(conn, code)?;
        if course.status == CourseStatus::Published {
            return Err(CatalogError::InvalidTransition {
                status: "published",
                action: "published",
            });
        }
        require_ready(conn, &course)?;
        diesel::update(courses::table.find(course.id))
            .set((
                courses::status.eq(CourseStatus::Published.as_str()),
                courses::review_requested_at.eq(None::<NaiveDateTime>),
                courses::review_note.eq(None::<String>),
                courses::updated_at.eq(now),
            ))
            .execute(conn)?;
        Ok(())
    })
}

/// `published` → `archived` (administrators).
pub fn archive(conn: &mut DbConnection, catalog: &Catalog, actor: &User, code: &str) -> Result<()> {
    crate::read_model::note_change();
    require_admin(actor)?;
    let now = catalog.now();
    let course = course_key(conn, code)?;
    if course.status != CourseStatus::Published {
        return Err(CatalogError::InvalidTransition {
            status: course.status.as_str(),
            action: "archived",
        });
    }
    diesel::update(courses::table.find(course.id))
        .set((
            courses::status.eq(CourseStatus::Archived.as_str()),
            courses::updated_at.eq(now),
        ))
        .execute(conn)?;
    Ok(())
}

/// A draft's editors ask administrators to publish it. The course must already be
/// ready, so what is missing is said now rather than after a round trip.
pub fn request_review(
    conn: &mut DbConnection,
    catalog: &Catalog,
    actor: &User,
    code: &str,
) -> Result<()> {
    let now = catalog.now();
    aula_db::transaction(conn, |conn| {
        let course = course_key(conn, code)?;
        require_editor(conn, actor, &course)?;
        if course.status != CourseStatus::Draft {
            return Err(CatalogError::InvalidTransition {
                status: course.status.as_str(),
                action: "sent for review",
            });
        }
        require_ready(conn, &course)?;
        diesel::update(courses::table.find(course.id))
            .set((
                courses::review_requested_at.eq(Some(now)),
                courses::review_note.eq(None::<String>),
            ))
            .execute(conn)?;
        Ok(())
    })
}

/// Why an administrator sends a course back to its authors.
#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct SendBack {
    /// What the authors should change (at most 2000 characters).
    pub note: String,
}

/// An administrator returns a draft awaiting review to its authors with a note.
pub fn send_back(
    conn: &mut DbConnection,
    catalog: &Catalog,
    actor: &User,
    code: &str,
    input: &SendBack,
) -> Result<()> {
    require_admin(actor)?;
    let now = catalog.now();
    let note = input.note.trim();
    let mut v = Validation::new();
    if note.is_empty() {
        v.add("note", FieldCode::Required);
    } else if note.chars().count() > MAX_NOTE_CHARS {
        v.add("note", FieldCode::TooLong);
    }
    v.finish().map_err(CatalogError::Validation)?;
    aula_db::transaction(conn, |conn| {
        let course = course_key(conn, code)?;
        let awaiting = diesel::update(
            courses::table
                .find(course.id)
                .filter(courses::status.eq(CourseStatus::Draft.as_str()))
                .filter(courses::review_requested_at.is_not_null()),
        )
        .set((
            courses::review_requested_at.eq(None::<NaiveDateTime>),
            courses::review_note.eq(Some(note)),
            courses::updated_at.eq(now),
        ))
        .execute(conn)?;
        if awaiting == 0 {
            return Err(CatalogError::InvalidTransition {
                status: course.status.as_str(),
                action: "sent back",
            });
        }
        Ok(())
    })
}

/// A draft waiting for an administrator's review.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ReviewRequest {
    pub code: String,
    /// In the reader's language when translated, else the primary language.
    pub title: String,
    pub locale: Locale,
    #[serde(serialize_with = "aula_core::utc::serialize")]
    pub requested_at: NaiveDateTime,
    pub instructors: Vec<InstructorRef>,
}

/// Drafts awaiting review, oldest request first (administrators). Three queries.
pub fn queue(
    conn: &mut DbConnection,
    actor: &User,
    requested: Option<Locale>,
) -> Result<Vec<ReviewRequest>> {
    require_admin(actor)?;
    let rows: Vec<(i64, String, Locale, Option<NaiveDateTime>)> = courses::table
        .filter(courses::status.eq(CourseStatus::Draft.as_str()))
        .filter(courses::review_requested_at.is_not_null())
        .select((
            courses::id,
            courses::code,
            courses::primary_language,
            courses::review_requested_at,
        ))
        .order((courses::review_requested_at.asc(), courses::id.asc()))
        .load(conn)?;
    let ids: Vec<i64> = rows.iter().map(|r| r.0).collect();
    let mut texts = translations_of(conn, &ids)?;
    let teachers: Vec<(i64, i64, String)> = course_instructors::table
        .inner_join(users::table)
        .filter(course_instructors::course_id.eq_any(&ids))
        .select((course_instructors::course_id, users::id, users::full_name))
        .order(users::full_name)
        .load(conn)?;
    Ok(rows
        .into_iter()
        .map(|(id, code, primary, requested_at)| {
            let translations = texts.remove(&id).unwrap_or_default();
            let (locale, text) = pick(&translations, requested, primary);
            ReviewRequest {
                code,
                title: text.map(|t| t.title.clone()).unwrap_or_default(),
                locale,
                requested_at: requested_at.unwrap_or_default(),
                instructors: teachers
                    .iter()
                    .filter(|t| t.0 == id)
                    .map(|t| InstructorRef {
                        id: t.1,
                        full_name: t.2.clone(),
                    })
                    .collect(),
            }
        })
        .collect())
}
