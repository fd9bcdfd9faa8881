//! `aula seed bench --enrolments N`: N seats spread over the bench offerings, each bench
//! account in several, so that rosters, dashboards and seat counts are read at a
//! realistic size. Written in batches like the accounts (one by one they would take
//! minutes and prove nothing about reading them); each offering's capacity and seats
//! taken are set to match, so the seat rule still holds.

use std::collections::HashMap;

use aula_db::{
    schema::{courses, enrolments, offerings, users},
    DbConnection,
};
use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::serve;

const BATCH: usize = 500;

/// Adds up to `count` enrolments of `bench-…` accounts in `BEN-…` offerings, leaving out
/// `except` (the gradebook cohorts' offerings). Returns how many were added.
pub fn add(
    conn: &mut DbConnection,
    count: usize,
    except: &[i64],
    now: NaiveDateTime,
) -> Result<usize, serve::Error> {
    let mut editions: Vec<i64> = offerings::table
        .inner_join(courses::table)
        .filter(courses::code.like("BEN-%"))
        .select(offerings::id)
        .order(offerings::id)
        .load(conn)?;
    editions.retain(|id| !except.contains(id));
    let people: Vec<i64> = users::table
        .filter(users::email.like("bench-%@bench.test"))
        .order(users::id)
        .select(users::id)
        .load(conn)?;
    if editions.is_empty() || people.is_empty() {
        return Ok(0);
    }
    // Person i holds seats in consecutive offerings starting at i: never twice in one.
    let per_person = count.div_ceil(people.len()).min(editions.len());
    let pairs: Vec<(i64, i64)> = people
        .iter()
        .enumerate()
        .flat_map(|(i, person)| {
            let editions = &editions;
            (0..per_person).map(move |k| (editions[(i + k) % editions.len()], *person))
        })
        .take(count)
        .collect();
    aula_db::transaction(conn, |conn| {
        let added = insert_enrolled(conn, &pairs, now)?;
        let taken: HashMap<i64, i64> = enrolments::table
            .filter(enrolments::offering_id.eq_any(&editions))
            .filter(enrolments::state.eq("enrolled"))
            .group_by(enrolments::offering_id)
            .select((enrolments::offering_id, diesel::dsl::count_star()))
            .load::<(i64, i64)>(conn)?
            .into_iter()
            .collect();
        for (offering, seats) in taken {
            let seats = i32::try_from(seats).unwrap_or(i32::MAX);
            let capacity: i32 = offerings::table
                .find(offering)
                .select(offerings::capacity)
                .first(conn)?;
            diesel::update(offerings::table.find(offering))
                .set((
                    offerings::capacity.eq(capacity.max(seats)),
                    offerings::seats_taken.eq(seats),
                ))
                .execute(conn)?;
        }
        Ok::<_, serve::Error>(added)
    })
}

/// Writes `(offering, person)` seats as enrolled, in batches; existing ones are kept.
pub fn insert_enrolled(
    conn: &mut DbConnection,
    pairs: &[(i64, i64)],
    now: NaiveDateTime,
) -> Result<usize, serve::Error> {
    let mut added = 0;
    for chunk in pairs.chunks(BATCH) {
        let rows: Vec<_> = chunk
            .iter()
            .map(|(offering, person)| {
                (
                    enrolments::offering_id.eq(*offering),
                    enrolments::user_id.eq(*person),
                    enrolments::state.eq("enrolled"),
                    enrolments::fee.eq(0i64),
                    enrolments::currency.eq("USD"),
                    enrolments::created_at.eq(now),
                    enrolments::updated_at.eq(now),
                )
            })
            .collect();
        let insert = diesel::insert_into(enrolments::table)
            .values(&rows)
            .on_conflict_do_nothing();
        added += match conn {
            DbConnection::Postgresql(pg) => insert.execute(pg)?,
            DbConnection::Sqlite(sqlite) => insert.execute(sqlite)?,
        };
    }
    Ok(added)
}
