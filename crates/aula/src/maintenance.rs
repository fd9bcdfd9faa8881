//! Hourly housekeeping inside `aula serve`: expired tokens, finished throttle windows
//! and delivered mail older than a month are deleted. Safe on several instances at
//! once: every step is an idempotent DELETE.

use std::{
    sync::{Arc, Condvar, Mutex},
    thread::JoinHandle,
    time::Duration,
};

use aula_core::SharedClock;
use aula_db::DbPool;
use chrono::TimeDelta;

/// Delivered mail is kept this long for support questions ("did it go out?").
const KEEP_SENT_MAIL: TimeDelta = TimeDelta::days(30);

pub struct Maintenance {
    stop: Arc<(Mutex<bool>, Condvar)>,
    thread: Option<JoinHandle<()>>,
}

impl Maintenance {
    pub fn spawn(pool: DbPool, clock: SharedClock, every: Duration) -> std::io::Result<Self> {
        let stop = Arc::new((Mutex::new(false), Condvar::new()));
        let signal = stop.clone();
        let thread = std::thread::Builder::new()
            .name("aula-maintenance".into())
            .spawn(move || loop {
                let (stopped, wake) = &*signal;
                let guard = stopped.lock().unwrap_or_else(|e| e.into_inner());
                let (guard, _) = wake
                    .wait_timeout_while(guard, every, |s| !*s)
                    .unwrap_or_else(|e| e.into_inner());
                if *guard {
                    return;
                }
                drop(guard);
                run_once(&pool, &clock);
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

pub fn run_once(pool: &DbPool, clock: &SharedClock) {
    let now = clock.now();
    let mut conn = match pool.get() {
        Ok(conn) => conn,
        Err(e) => return tracing::warn!(error = %e, "maintenance skipped: no database connection"),
    };
    match aula_identity::purge_expired(&mut conn, now) {
        Ok(p) => tracing::info!(
            refresh_tokens = p.refresh_tokens,
            one_time_tokens = p.one_time_tokens,
            rate_limits = p.rate_limits,
            "purged expired sign-in records"
        ),
        Err(e) => tracing::warn!(error = %e, "purging expired sign-in records failed"),
    }
    match aula_mail::purge_sent(&mut conn, now - KEEP_SENT_MAIL) {
        Ok(n) => tracing::info!(mails = n, "purged delivered mail older than 30 days"),
        Err(e) => tracing::warn!(error = %e, "purging delivered mail failed"),
    }
}
