//! The background job runner inside `aula serve`: renders certificates and runs the
//! automatic-issue sweeps. Several instances may run it at once: jobs are leased.

use std::time::Duration;

use aula_certification::Certification;
use aula_db::DbPool;

use crate::periodic::Periodic;

/// Looks for due jobs every `every`, and at once again after a batch that found some.
pub fn spawn(pool: DbPool, svc: Certification, every: Duration) -> std::io::Result<Periodic> {
    Periodic::spawn("aula-jobs", every, move || match run_batch(&pool, &svc) {
        Some(claimed) if claimed > 0 => Duration::ZERO,
        _ => every,
    })
}

fn run_batch(pool: &DbPool, svc: &Certification) -> Option<usize> {
    let mut conn = match pool.get() {
        Ok(conn) => conn,
        Err(e) => {
            tracing::warn!(error = %e, "background jobs skipped: no database connection");
            return None;
        }
    };
    match aula_certification::jobs::run_due(&mut conn, svc, 20) {
        Ok(report) => {
            if report.claimed > 0 {
                tracing::info!(
                    done = report.done,
                    failed = report.failed,
                    "background jobs run"
                );
            }
            Some(report.claimed)
        }
        Err(e) => {
            tracing::warn!(error = %e, "background jobs failed");
            None
        }
    }
}
