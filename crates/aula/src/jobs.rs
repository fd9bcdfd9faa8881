//! The background job runner inside `aula serve`: renders certificates and runs the
//! automatic-issue sweeps. Several instances may run it at once: jobs are leased.
//!
//! Jobs are leased one at a time, so a stop (`aula serve` shutting down) is seen
//! between two jobs: the job in hand finishes, and no job is left leased to an
//! instance that will not run it.

use std::time::Duration;

use aula_certification::{jobs::RunReport, Certification};
use aula_db::DbPool;

use crate::periodic::Periodic;

/// Jobs run in one round before the runner looks at the clock again.
const BATCH: usize = 20;

/// Looks for due jobs every `every`, and at once again after a full round.
pub fn spawn(pool: DbPool, svc: Certification, every: Duration) -> std::io::Result<Periodic> {
    Periodic::spawn("aula-jobs", every, move |stopping| {
        match run_batch(&pool, &svc, || !stopping.requested()) {
            Some(claimed) if claimed >= BATCH => Duration::ZERO,
            _ => every,
        }
    })
}

/// Runs up to [`BATCH`] due jobs, one at a time, while `go_on()` says so; returns how
/// many were run, or `None` when the database could not be used.
fn run_batch(pool: &DbPool, svc: &Certification, go_on: impl Fn() -> bool) -> Option<usize> {
    let mut conn = match pool.get() {
        Ok(conn) => conn,
        Err(e) => {
            tracing::warn!(error = %e, "background jobs skipped: no database connection");
            return None;
        }
    };
    let mut total = RunReport::default();
    let mut outcome = Some(());
    while total.claimed < BATCH && go_on() {
        match aula_certification::jobs::run_due(&mut conn, svc, 1) {
            Ok(report) if report.claimed == 0 => break,
            Ok(report) => {
                total.claimed += report.claimed;
                total.done += report.done;
                total.failed += report.failed;
            }
            Err(e) => {
                tracing::warn!(error = %e, "background jobs failed");
                outcome = None;
                break;
            }
        }
    }
    if total.claimed > 0 {
        tracing::info!(
            done = total.done,
            failed = total.failed,
            "background jobs run"
        );
    }
    outcome.map(|()| total.claimed)
}

#[cfg(test)]
mod tests {
    use std::sync::{
        atomic::{AtomicUsize, Ordering},
        Arc,
    };

    use aula_catalog::LocalStorage;
    use aula_core::{OsTokenSource, SystemClock};
    use aula_db::{jobs, testing::TestDb};
    use chrono::Utc;

    use super::*;

    fn service(files: &std::path::Path) -> Certification {
        let storage = Arc::new(LocalStorage::new(files.to_path_buf()));
        let assessment = aula_assessment::Assessment::new(
            Arc::new(SystemClock),
            Arc::new(OsTokenSource),
            storage.clone(),
            "https://aula.test",
            1 << 20,
        );
        Certification::new(
            Arc::new(SystemClock),
            Arc::new(OsTokenSource),
            storage,
            assessment,
            "https://aula.test",
        )
    }

    #[test]
    fn a_stop_between_jobs_leaves_the_rest_queued_and_unleased() {
        let Some(db) = TestDb::new() else { return };
        let dir = tempfile::tempdir().unwrap();
        let svc = service(dir.path());
        let mut conn = db.conn();
        let now = Utc::now().naive_utc();
        for offering_id in [9001, 9002, 9003] {
            // Sweeps of offerings without automatic issue: quick jobs that succeed.
            let payload = format!("{{\"offering_id\":{offering_id}}}");
            let key = format!("test-sweep:{offering_id}");
            jobs::enqueue(
                &mut conn,
                aula_certification::jobs::SWEEP,
                &payload,
                Some(&key),
                now,
                now,
            )
            .unwrap();
        }

        // The stop arrives while the first job runs.
        let asked = AtomicUsize::new(0);
        let ran = run_batch(&db.pool(), &svc, || {
            asked.fetch_add(1, Ordering::SeqCst) == 0
        });

        assert_eq!(ran, Some(1), "the job in hand finished");
        let counts = jobs::counts(&mut conn).unwrap();
        assert_eq!((counts.done, counts.pending), (1, 2));
        let later = Utc::now().naive_utc();
        let free = jobs::claim_due(
            &mut conn,
            &[aula_certification::jobs::SWEEP],
            later,
            later,
            10,
        )
        .unwrap();
        assert_eq!(free.len(), 2, "nothing left leased to a stopped runner");
    }
}
