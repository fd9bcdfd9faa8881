//! Durable background jobs, the general form of the mail outbox: a job row is
//! written in the caller's transaction (so the work exists exactly when the change
//! that asked for it commits), leased by one worker at a time (`SKIP LOCKED` on
//! PostgreSQL, a lease under SQLite's write lock), and retried with back-off.
//!
//! Running is at least once: a worker that dies mid-job leaves it to be retried when
//! the lease runs out, so handlers must be idempotent.

use chrono::{NaiveDateTime, TimeDelta};
use diesel::prelude::*;

use crate::{is_unique_violation, schema::jobs, DbConnection};

/// The first retry waits this long; each further one twice as long as the previous.
pub const RETRY_BASE: TimeDelta = TimeDelta::seconds(30);
/// No retry waits longer than this.
pub const RETRY_CAP: TimeDelta = TimeDelta::hours(1);

/// How long to wait before retrying work that has failed `failed_attempts` times:
/// 30 s, 1 min, 2 min, … capped at 1 h.
pub fn retry_delay(failed_attempts: i32) -> TimeDelta {
    let doublings = failed_attempts.saturating_sub(1).clamp(0, 16) as u32;
    let seconds = RETRY_BASE.num_seconds().saturating_mul(1_i64 << doublings);
    TimeDelta::seconds(seconds).min(RETRY_CAP)
}

const PENDING: &str = "pending";
const DONE: &str = "done";
const FAILED: &str = "failed";

/// One leased job.
#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable)]
#[diesel(table_name = jobs, check_for_backend(diesel::pg::Pg, diesel::sqlite::Sqlite))]
pub struct Job {
    pub id: i64,
    pub kind: String,
    pub payload: String,
    pub attempts: i32,
    pub run_at: NaiveDateTime,
}

/// Queues a job. With a `dedupe_key`, a job already pending under that key wins and
/// `None` is returned: asking twice does the work once.
pub fn enqueue(
    conn: &mut DbConnection,
    kind: &str,
    payload: &str,
    dedupe_key: Option<&str>,
    run_at: NaiveDateTime,
    now: NaiveDateTime,
) -> QueryResult<Option<i64>> {
    let insert = |conn: &mut DbConnection| {
        diesel::insert_into(jobs::table)
            .values((
                jobs::kind.eq(kind),
                jobs::payload.eq(payload),
                jobs::dedupe_key.eq(dedupe_key),
                jobs::status.eq(PENDING),
                jobs::attempts.eq(0),
                jobs::run_at.eq(run_at),
                jobs::created_at.eq(now),
            ))
            .returning(jobs::id)
            .get_result::<i64>(conn)
    };
    // A savepoint, so that a duplicate key does not abort the caller's transaction
    // on PostgreSQL.
    match conn.transaction(insert) {
        Ok(id) => Ok(Some(id)),
        Err(e) if dedupe_key.is_some() && is_unique_violation(&e) => Ok(None),
        Err(e) => Err(e),
    }
}

/// Leases up to `limit` due jobs of the given kinds until `lease_until`.
pub fn claim_due(
    conn: &mut DbConnection,
    kinds: &[&str],
    now: NaiveDateTime,
    lease_until: NaiveDateTime,
    limit: i64,
) -> QueryResult<Vec<Job>> {
    let kinds: Vec<String> = kinds.iter().map(|k| (*k).to_owned()).collect();
    let due = jobs::table
        .select(jobs::id)
        .filter(jobs::status.eq(PENDING))
        .filter(jobs::kind.eq_any(kinds))
        .filter(jobs::run_at.le(now))
        .filter(jobs::locked_until.is_null().or(jobs::locked_until.le(now)))
        .order((jobs::run_at, jobs::id))
        .limit(limit);
    let lease = |ids: &[i64]| {
        diesel::update(jobs::table.filter(jobs::id.eq_any(ids.to_vec())))
            .set(jobs::locked_until.eq(Some(lease_until)))
    };
    let ids: Vec<i64> = match conn {
        DbConnection::Postgresql(pg) => pg.transaction(|pg| {
            let ids: Vec<i64> = due.for_update().skip_locked().load(pg)?;
            lease(&ids).execute(pg)?;
            QueryResult::Ok(ids)
        })?,
        DbConnection::Sqlite(lite) => lite.immediate_transaction(|lite| {
            let ids: Vec<i64> = due.load(lite)?;
            lease(&ids).execute(lite)?;
            QueryResult::Ok(ids)
        })?,
    };
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    jobs::table
        .filter(jobs::id.eq_any(&ids))
        .order((jobs::run_at, jobs::id))
        .select(Job::as_select())
        .load(conn)
}

/// Records that the job's work is done (in the same transaction as that work, when
/// the handler can).
pub fn mark_done(conn: &mut DbConnection, id: i64, now: NaiveDateTime) -> QueryResult<()> {
    diesel::update(jobs::table.find(id).filter(jobs::status.eq(PENDING)))
        .set((
            jobs::status.eq(DONE),
            jobs::finished_at.eq(Some(now)),
            jobs::locked_until.eq(None::<NaiveDateTime>),
            jobs::last_error.eq(None::<String>),
        ))
        .execute(conn)
        .map(drop)
}

/// Records a failed attempt: a retry after the back-off, or the end once
/// `max_attempts` have failed.
pub fn mark_failed(
    conn: &mut DbConnection,
    job: &Job,
    error: &str,
    max_attempts: i32,
    now: NaiveDateTime,
) -> QueryResult<()> {
    let attempts = job.attempts + 1;
    let (status, run_at, finished) = if attempts >= max_attempts {
        (FAILED, job.run_at, Some(now))
    } else {
        (PENDING, now + retry_delay(attempts), None)
    };
    diesel::update(jobs::table.find(job.id).filter(jobs::status.eq(PENDING)))
        .set((
            jobs::status.eq(status),
            jobs::attempts.eq(attempts),
            jobs::run_at.eq(run_at),
            jobs::finished_at.eq(finished),
            jobs::locked_until.eq(None::<NaiveDateTime>),
            jobs::last_error.eq(Some(error.chars().take(2000).collect::<String>())),
        ))
        .execute(conn)
        .map(drop)
}

/// How many jobs are in each state.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct JobCounts {
    pub pending: i64,
    pub done: i64,
    pub failed: i64,
}

pub fn counts(conn: &mut DbConnection) -> QueryResult<JobCounts> {
    let rows: Vec<(String, i64)> = jobs::table
        .group_by(jobs::status)
        .select((jobs::status, diesel::dsl::count_star()))
        .load(conn)?;
    let mut out = JobCounts::default();
    for (status, n) in rows {
        match status.as_str() {
            PENDING => out.pending = n,
            DONE => out.done = n,
            _ => out.failed += n,
        }
    }
    Ok(out)
}

/// Deletes finished jobs older than `before`; returns how many.
pub fn purge_finished(conn: &mut DbConnection, before: NaiveDateTime) -> QueryResult<usize> {
    diesel::delete(
        jobs::table
            .filter(jobs::status.eq(DONE))
            .filter(jobs::finished_at.lt(before)),
    )
    .execute(conn)
}
