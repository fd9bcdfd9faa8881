//! Who may do what in the catalog: small named rules, each taking the actor.

use aula_db::{
    schema::{course_instructors, courses},
    DbConnection,
};
use aula_identity::{Role, User};
use diesel::prelude::*;

use crate::{
    error::{CatalogError, Result},
    model::CourseStatus,
};

/// Whether a person is enrolled in some offering of a course. Enrolment lives in its
/// own crate; the catalog asks through this trait so lesson content stays private.
pub trait EnrolmentCheck: Send + Sync {
    fn is_enrolled(&self, conn: &mut DbConnection, user_id: i64, course_id: i64) -> Result<bool>;

    /// Whether the person holds a seat in this very offering: its links and places
    /// are theirs to see.
    fn holds_seat_in(
        &self,
        conn: &mut DbConnection,
        user_id: i64,
        offering_id: i64,
    ) -> Result<bool>;
}

/// Nobody is enrolled: the rule until enrolment exists.
#[derive(Debug, Default, Clone, Copy)]
pub struct NoEnrolments;

impl EnrolmentCheck for NoEnrolments {
    fn is_enrolled(&self, _: &mut DbConnection, _: i64, _: i64) -> Result<bool> {
        Ok(false)
    }

    fn holds_seat_in(&self, _: &mut DbConnection, _: i64, _: i64) -> Result<bool> {
        Ok(false)
    }
}

/// The columns of a course that access rules look at.
#[derive(Debug, Clone, Queryable)]
pub struct CourseKey {
    pub id: i64,
    pub code: String,
    pub status: CourseStatus,
}

impl CourseKey {
    pub fn is_published(&self) -> bool {
        self.status == CourseStatus::Published
    }
}

pub fn course_key(conn: &mut DbConnection, code: &str) -> Result<CourseKey> {
    courses::table
        .filter(courses::code.eq(code.trim().to_uppercase()))
        .select((courses::id, courses::code, courses::status))
        .first(conn)
        .optional()?
        .ok_or(CatalogError::CourseNotFound)
}

pub fn course_key_by_id(conn: &mut DbConnection, id: i64) -> Result<CourseKey> {
    courses::table
        .find(id)
        .select((courses::id, courses::code, courses::status))
        .first(conn)
        .optional()?
        .ok_or(CatalogError::CourseNotFound)
}

/// Whether a listing as a course's instructor gives `actor` anything. A listing only
/// counts while its person holds the instructor role: removing the role leaves the
/// listing in place (restoring the role restores it) but inert everywhere.
pub fn teaches(actor: &User) -> bool {
    actor.has_role(Role::Instructor)
}

/// Whether `actor` is a listed instructor of the course and holds the instructor role.
pub fn is_instructor_of(conn: &mut DbConnection, actor: &User, course_id: i64) -> Result<bool> {
    if !teaches(actor) {
        return Ok(false);
    }
    Ok(diesel::select(diesel::dsl::exists(
        course_instructors::table
            .filter(course_instructors::course_id.eq(course_id))
            .filter(course_instructors::user_id.eq(actor.id)),
    ))
    .get_result(conn)?)
}

/// Administrators and the course's own instructors edit it.
pub fn can_edit(conn: &mut DbConnection, actor: &User, course: &CourseKey) -> Result<bool> {
    Ok(actor.is_admin() || is_instructor_of(conn, actor, course.id)?)
}

/// Published courses are public; drafts and archived ones only for their editors.
pub fn can_see(conn: &mut DbConnection, actor: Option<&User>, course: &CourseKey) -> Result<bool> {
    if course.is_published() {
        return Ok(true);
    }
    match actor {
        Some(actor) => can_edit(conn, actor, course),
        None => Ok(false),
    }
}

/// A course the actor cannot see does not exist for them.
pub fn require_visible(
    conn: &mut DbConnection,
    actor: Option<&User>,
    course: &CourseKey,
) -> Result<()> {
    if can_see(conn, actor, course)? {
        Ok(())
    } else {
        Err(CatalogError::CourseNotFound)
    }
}

/// Editing needs [`can_edit`]; a visible course says "forbidden", a hidden one "not found".
pub fn require_editor(conn: &mut DbConnection, actor: &User, course: &CourseKey) -> Result<()> {
    if can_edit(conn, actor, course)? {
        Ok(())
    } else if course.is_published() {
        Err(CatalogError::Forbidden)
    } else {
        Err(CatalogError::CourseNotFound)
    }
}

pub fn require_admin(actor: &User) -> Result<()> {
    if actor.is_admin() {
        Ok(())
    } else {
        Err(CatalogError::Forbidden)
    }
}

/// Instructors and administrators create courses.
pub fn require_course_author(actor: &User) -> Result<()> {
    if actor.is_admin() || teaches(actor) {
        Ok(())
    } else {
        Err(CatalogError::Forbidden)
    }
}

/// Lesson bodies and files: people enrolled in an offering, instructors, administrators.
pub fn require_content_reader(
    conn: &mut DbConnection,
    actor: Option<&User>,
    course: &CourseKey,
    enrolments: &dyn EnrolmentCheck,
) -> Result<()> {
    require_visible(conn, actor, course)?;
    let Some(actor) = actor else {
        return Err(CatalogError::SignInRequired);
    };
    if can_edit(conn, actor, course)? || enrolments.is_enrolled(conn, actor.id, course.id)? {
        Ok(())
    } else {
        Err(CatalogError::NotEnrolled)
    }
}
