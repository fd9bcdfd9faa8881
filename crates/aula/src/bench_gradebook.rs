//! `aula seed bench --gradebook-items N`: cohorts as large as the bench accounts, or
//! `--gradebook-learners` of them, in the first offering of `BEN-0001` (and of the next
//! courses, `--gradebook-offerings`), with N weighted assignments, an attempt and a
//! grade for nine people in ten on each, for the gradebook benchmark (`bench/gradebook`).
//!
//! The assignments go through the assessment rules; the tens of thousands of seats,
//! attempts and grades are written in batches, as `seed bench` writes its accounts:
//! one by one they would take minutes and prove nothing about reading them.

use std::sync::Arc;

use aula_assessment::{
    assignments::{self, AssignmentInput},
    Assessment,
};
use aula_catalog::offerings;
use aula_core::{OsTokenSource, SystemClock};
use aula_db::{
    schema::{enrolments, grades, offerings as offering_rows, submissions, users},
    DbConnection,
};
use aula_identity::User;
use chrono::{Duration, NaiveDateTime, Utc};
use diesel::prelude::*;

use crate::{config::Settings, serve};

const BATCH: usize = 500;

/// Adds the cohort and its coursework; returns (offering id, learners, items).
pub fn add(
    conn: &mut DbConnection,
    settings: &Settings,
    admin: &User,
    course: &str,
    items: usize,
    learners: Option<usize>,
) -> Result<(i64, usize, usize), serve::Error> {
    let storage = settings.storage()?;
    let svc = Assessment::new(
        Arc::new(SystemClock),
        Arc::new(OsTokenSource),
        storage.clone(),
        &settings.public_url,
        settings.max_upload_bytes,
    );
    let catalog = aula_catalog::Catalog::new(
        Arc::new(SystemClock),
        storage,
        Arc::new(aula_enrolment::SeatHolders),
    );
    let offering = offerings::list_for_course(conn, &catalog, Some(admin), course)?
        .first()
        .map(|o| o.id)
        .ok_or_else(|| serve::Error::Demo(format!("{course} has no offering")))?;
    let now = Utc::now().naive_utc();
    let mut people: Vec<i64> = users::table
        .filter(users::email.like("bench-%@bench.test"))
        .order(users::id)
        .select(users::id)
        .load(conn)?;
    if let Some(learners) = learners {
        people.truncate(learners);
    }
    aula_db::transaction(conn, |conn| {
        diesel::update(offering_rows::table.find(offering))
            .set((
                offering_rows::capacity.eq(people.len().max(1) as i32),
                offering_rows::seats_taken.eq(people.len() as i32),
            ))
            .execute(conn)?;
        let seats: Vec<(i64, i64)> = people.iter().map(|person| (offering, *person)).collect();
        crate::bench_enrolments::insert_enrolled(conn, &seats, now)?;
        Ok::<_, serve::Error>(())
    })?;
    let seats: Vec<i64> = enrolments::table
        .filter(enrolments::offering_id.eq(offering))
        .select(enrolments::id)
        .load(conn)?;
    let weight = (100 / items.max(1)) as i32;
    let mut ids = Vec::with_capacity(items);
    for i in 0..items {
        let a = assignments::create(
            conn,
            &svc,
            admin,
            offering,
            &AssignmentInput {
                title: Some(format!("Actividad {:02}", i + 1)),
                due_at: Some(Utc::now() - Duration::days(1)),
                max_score: Some(100),
                weight: Some(weight),
                ..Default::default()
            },
        )?;
        ids.push(a.id);
    }
    for (n, assignment) in ids.iter().enumerate() {
        aula_db::transaction(conn, |conn| {
            attempts_and_grades(conn, *assignment, &seats, admin.id, now, n)
        })?;
    }
    Ok((offering, seats.len(), items))
}

fn attempts_and_grades(
    conn: &mut DbConnection,
    assignment: i64,
    seats: &[i64],
    grader: i64,
    now: NaiveDateTime,
    n: usize,
) -> Result<(), serve::Error> {
    // Nine in ten hand in and are graded; the rest count as missing work.
    let graded: Vec<(usize, i64)> = seats
        .iter()
        .copied()
        .enumerate()
        .filter(|(i, _)| !(i + n).is_multiple_of(10))
        .collect();
    for chunk in graded.chunks(BATCH) {
        let rows: Vec<_> = chunk
            .iter()
            .map(|(_, e)| {
                (
                    submissions::assignment_id.eq(assignment),
                    submissions::enrolment_id.eq(*e),
                    submissions::attempt.eq(1),
                    submissions::body.eq(Some("Entrega de prueba")),
                    submissions::submitted_at.eq(now),
                    submissions::late.eq(false),
                    submissions::penalty_percent.eq(0),
                )
            })
            .collect();
        let insert = diesel::insert_into(submissions::table).values(&rows);
        match conn {
            DbConnection::Postgresql(pg) => insert.execute(pg)?,
            DbConnection::Sqlite(sqlite) => insert.execute(sqlite)?,
        };
        let rows: Vec<_> = chunk
            .iter()
            .map(|(i, e)| {
                (
                    grades::assignment_id.eq(assignment),
                    grades::enrolment_id.eq(*e),
                    grades::score.eq(((i * 7 + n * 13) % 101) as f64),
                    grades::penalty_percent.eq(0),
                    grades::feedback.eq(""),
                    grades::graded_by.eq(grader),
                    grades::graded_at.eq(now),
                )
            })
            .collect();
        let insert = diesel::insert_into(grades::table).values(&rows);
        match conn {
            DbConnection::Postgresql(pg) => insert.execute(pg)?,
            DbConnection::Sqlite(sqlite) => insert.execute(sqlite)?,
        };
    }
    Ok(())
}
