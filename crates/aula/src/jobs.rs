//! The background job runner inside `aula serve`: renders certificates and runs the
//! automatic-issue sweeps. Several instances may run it at once: jobs are leased.

use std::{
    sync::{Arc, Condvar, Mutex},
    thread::JoinHandle,
    time::Duration,
};

use aula_certification::Certification;
use aula_db::DbPool;

pub struct JobRunner {
    stop: Arc<(Mutex<bool>, Condvar)>,
    thread: Option<JoinHandle<()>>,
}

impl JobRunner {
    /// Looks for due jobs every `every` (at once again after a full batch).
    pub fn spawn(pool: DbPool, svc: Certification, every: Duration) -> std::io::Result<Self> {
        let stop = Arc::new((Mutex::new(false), Condvar::new()));
        let signal = stop.clone();
        let thread = std::thread::Builder::new()
            .name("aula-jobs".into())
            .spawn(move || {
                let mut wait = every;
                loop {
                    let (stopped, wake) = &*signal;
                    let guard = stopped.lock().unwrap_or_else(|e| e.into_inner());
                    let (guard, _) = wake
                        .wait_timeout_while(guard, wait, |s| !*s)
                        .unwrap_or_else(|e| e.into_inner());
                    if *guard {
                        return;
                    }
                    drop(guard);
                    wait = match run_batch(&pool, &svc) {
                        Some(claimed) if claimed > 0 => Duration::ZERO,
                        _ => every,
                    };
                }
            })?;
        Ok(Self {
            stop,
            thread: Some(thread),
        })
    }

    pub fn shutdown(mut self) {
        let (stopped, wake) = &*self.stop;
        *stopped.lock().unwrap_or_else(|e| e.into_inner()) = true;
        wake.notify_all();
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
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
