//! Lesson completion and the progress it adds up to.

use aula_catalog::admission::{course_of_lesson, offerings_of_course, LessonFact};
use aula_core::Locale;
use aula_db::{
    schema::{enrolments, lesson_completions},
    DbConnection,
};
use aula_identity::User;
use diesel::prelude::*;

use crate::{
    error::{EnrolmentError, Result},
    model::State,
    record::Row,
    service::Admissions,
    view::{self, Enrolment},
};

/// `part` of `whole` in whole percent, rounded half up; `None` when `whole` is 0.
pub fn percent(part: i64, whole: i64) -> Option<i32> {
    (whole > 0).then(|| ((part * 200 + whole) / (2 * whole)) as i32)
}

/// Share of the required lessons completed (of all lessons when none is required).
pub(crate) fn progress_of(lessons: &[&LessonFact], completed: &[i64]) -> i32 {
    let required: Vec<&&LessonFact> = lessons.iter().filter(|l| l.required).collect();
    let counted: Vec<i64> = if required.is_empty() {
        lessons.iter().map(|l| l.id).collect()
    } else {
        required.iter().map(|l| l.id).collect()
    };
    let done = counted.iter().filter(|id| completed.contains(id)).count() as i64;
    percent(done, counted.len() as i64).unwrap_or(0)
}

/// The actor's enrolment that holds a seat in an offering of `course_id`, if any.
pub(crate) fn seat_in_course(
    conn: &mut DbConnection,
    user_id: i64,
    course_id: i64,
    states: &[State],
) -> Result<Option<Row>> {
    // Lesson reads ask this each time: two plain queries, no course texts.
    let offerings = offerings_of_course(conn, course_id)?;
    Ok(enrolments::table
        .filter(enrolments::user_id.eq(user_id))
        .filter(enrolments::offering_id.eq_any(offerings))
        .filter(enrolments::state.eq_any(State::texts(states)))
        .select(Row::as_select())
        .order(enrolments::created_at.desc())
        .first(conn)
        .optional()?)
}

/// Marks a lesson complete for the actor's current enrolment in its course. Doing it
/// twice changes nothing but the last activity.
pub fn complete_lesson(
    conn: &mut DbConnection,
    svc: &Admissions,
    actor: &User,
    lesson_id: i64,
    locale: Option<Locale>,
) -> Result<Enrolment> {
    let now = svc.now();
    aula_db::transaction(conn, |conn| {
        let course_id = course_of_lesson(conn, lesson_id)?;
        let row = seat_in_course(conn, actor.id, course_id, &[State::Enrolled])?
            .ok_or(EnrolmentError::NotEnrolled)?;
        let exists: bool = diesel::select(diesel::dsl::exists(
            lesson_completions::table
                .filter(lesson_completions::enrolment_id.eq(row.id))
                .filter(lesson_completions::lesson_id.eq(lesson_id)),
        ))
        .get_result(conn)?;
        if !exists {
            let inserted = aula_db::transaction(conn, |conn| {
                diesel::insert_into(lesson_completions::table)
                    .values((
                        lesson_completions::enrolment_id.eq(row.id),
                        lesson_completions::lesson_id.eq(lesson_id),
                        lesson_completions::completed_at.eq(now),
                    ))
                    .execute(conn)
            });
            match inserted {
                // A simultaneous request recorded it first: the same outcome.
                Err(e) if aula_db::is_unique_violation(&e) => {}
                other => {
                    other?;
                }
            }
        }
        diesel::update(enrolments::table.find(row.id))
            .set(enrolments::last_activity_at.eq(Some(now)))
            .execute(conn)?;
        let row = crate::record::load(conn, row.id)?;
        view::one(conn, actor, row, locale, now)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percentages_round_half_up_and_need_a_denominator() {
        assert_eq!(percent(0, 0), None);
        assert_eq!(percent(1, 3), Some(33));
        assert_eq!(percent(2, 3), Some(67));
        assert_eq!(percent(1, 8), Some(13));
        assert_eq!(percent(3, 3), Some(100));
    }

    #[test]
    fn progress_counts_required_lessons_only_when_there_are_some() {
        let lesson = |id, required| LessonFact {
            id,
            course_id: 1,
            required,
        };
        let (a, b, c) = (lesson(1, true), lesson(2, true), lesson(3, false));
        assert_eq!(progress_of(&[&a, &b, &c], &[3]), 0);
        assert_eq!(progress_of(&[&a, &b, &c], &[1, 3]), 50);
        let (x, y) = (lesson(4, false), lesson(5, false));
        assert_eq!(progress_of(&[&x, &y], &[5]), 50);
        assert_eq!(progress_of(&[], &[]), 0);
    }
}
