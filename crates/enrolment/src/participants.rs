//! The people holding a seat in an offering, as other crates (assessment,
//! certification) read them: never through the `enrolments` table itself.

use std::collections::HashMap;

use aula_db::{
    schema::{enrolments, lesson_completions},
    DbConnection,
};
use aula_identity::{users, User};
use diesel::prelude::*;

use crate::{error::Result, model::State};

/// One seat in an offering and the person holding it.
#[derive(Debug, Clone)]
pub struct Participant {
    pub enrolment_id: i64,
    pub offering_id: i64,
    pub state: State,
    /// The institution the person applied from.
    pub institution_id: Option<i64>,
    pub user: User,
}

type SeatRow = (i64, i64, i64, Option<i64>, State);

fn seat_rows() -> enrolments::BoxedQuery<'static, <DbConnection as Connection>::Backend> {
    enrolments::table
        .filter(enrolments::state.eq_any(State::texts(State::SEAT_HOLDING)))
        .into_boxed()
}

const SEAT_COLUMNS: (
    enrolments::id,
    enrolments::offering_id,
    enrolments::user_id,
    enrolments::institution_id,
    enrolments::state,
) = (
    enrolments::id,
    enrolments::offering_id,
    enrolments::user_id,
    enrolments::institution_id,
    enrolments::state,
);

fn with_people(conn: &mut DbConnection, rows: Vec<SeatRow>) -> Result<Vec<Participant>> {
    let ids: Vec<i64> = rows.iter().map(|r| r.2).collect();
    let mut people: HashMap<i64, User> = users::by_ids(conn, &ids)?;
    Ok(rows
        .into_iter()
        .filter_map(
            |(enrolment_id, offering_id, user_id, institution_id, state)| {
                people.remove(&user_id).map(|user| Participant {
                    enrolment_id,
                    offering_id,
                    state,
                    institution_id,
                    user,
                })
            },
        )
        .collect())
}

/// Everyone holding a seat in the offering, by name; a fixed number of queries
/// whatever the cohort's size.
pub fn of_offering(conn: &mut DbConnection, offering_id: i64) -> Result<Vec<Participant>> {
    let rows: Vec<SeatRow> = seat_rows()
        .filter(enrolments::offering_id.eq(offering_id))
        .select(SEAT_COLUMNS)
        .load(conn)?;
    let mut people = with_people(conn, rows)?;
    people.sort_by(|a, b| {
        a.user
            .full_name
            .to_lowercase()
            .cmp(&b.user.full_name.to_lowercase())
            .then(a.enrolment_id.cmp(&b.enrolment_id))
    });
    Ok(people)
}

/// The seat `user_id` holds in the offering, if any.
pub fn seat_of(
    conn: &mut DbConnection,
    offering_id: i64,
    user_id: i64,
) -> Result<Option<Participant>> {
    let rows: Vec<SeatRow> = seat_rows()
        .filter(enrolments::offering_id.eq(offering_id))
        .filter(enrolments::user_id.eq(user_id))
        .select(SEAT_COLUMNS)
        .load(conn)?;
    Ok(with_people(conn, rows)?.pop())
}

/// One seat by its enrolment id (`None` if there is no such enrolment or it holds no
/// seat).
pub fn seat(conn: &mut DbConnection, enrolment_id: i64) -> Result<Option<Participant>> {
    let rows: Vec<SeatRow> = seat_rows()
        .filter(enrolments::id.eq(enrolment_id))
        .select(SEAT_COLUMNS)
        .load(conn)?;
    Ok(with_people(conn, rows)?.pop())
}

/// Every seat `user_id` holds, newest first.
pub fn seats_of_user(conn: &mut DbConnection, user_id: i64) -> Result<Vec<Participant>> {
    let rows: Vec<SeatRow> = seat_rows()
        .filter(enrolments::user_id.eq(user_id))
        .order(enrolments::created_at.desc())
        .select(SEAT_COLUMNS)
        .load(conn)?;
    with_people(conn, rows)
}

/// What a seat has done so far, as certification counts it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Standing {
    /// Share of recorded sessions attended (excused ones left out); `None` when none
    /// was recorded for the person.
    pub attendance_rate: Option<i32>,
    /// The lessons marked complete.
    pub completed_lessons: Vec<i64>,
}

/// The standing of each of the given enrolments, in two queries whatever their number.
pub fn standings(conn: &mut DbConnection, enrolment_ids: &[i64]) -> Result<HashMap<i64, Standing>> {
    let tallies = crate::view::tallies(conn, enrolment_ids)?;
    let done: Vec<(i64, i64)> = lesson_completions::table
        .filter(lesson_completions::enrolment_id.eq_any(enrolment_ids))
        .select((
            lesson_completions::enrolment_id,
            lesson_completions::lesson_id,
        ))
        .order(lesson_completions::lesson_id.asc())
        .load(conn)?;
    let mut out: HashMap<i64, Standing> = enrolment_ids
        .iter()
        .map(|id| {
            let rate = tallies.get(id).copied().unwrap_or_default().rate();
            (
                *id,
                Standing {
                    attendance_rate: rate,
                    completed_lessons: Vec::new(),
                },
            )
        })
        .collect();
    for (id, lesson) in done {
        if let Some(s) = out.get_mut(&id) {
            s.completed_lessons.push(lesson);
        }
    }
    Ok(out)
}
