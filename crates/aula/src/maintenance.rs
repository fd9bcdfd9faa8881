//! Hourly housekeeping inside `aula serve`: expired tokens, finished throttle windows,
//! and delivered mail and finished background jobs older than a month are deleted.
//! Safe on several instances at once: every step is an idempotent DELETE.

use std::time::Duration;

use aula_core::SharedClock;
use aula_db::DbPool;
use chrono::TimeDelta;

use crate::periodic::Periodic;

/// Delivered mail is kept this long for support questions ("did it go out?").
const KEEP_SENT_MAIL: TimeDelta = TimeDelta::days(30);

/// Runs [`run_once`] every `every`. A stop lets a round in progress finish: it is a
/// few DELETE statements.
pub fn spawn(pool: DbPool, clock: SharedClock, every: Duration) -> std::io::Result<Periodic> {
    Periodic::spawn("aula-maintenance", every, move |_| {
        run_once(&pool, &clock);
        every
    })
}

/// Confirms the in-memory catalog every `every` (a little under its 250 ms refresh
/// interval), so that requests find it confirmed and a change made by another instance
/// is served here within that time.
pub fn spawn_catalog_refresher(
    pool: DbPool,
    catalog: aula_catalog::Catalog,
    every: Duration,
) -> std::io::Result<Periodic> {
    Periodic::spawn("aula-catalog", Duration::ZERO, move |_| {
        let refreshed = pool.get().map_err(|e| e.to_string()).and_then(|mut conn| {
            catalog
                .refresh_catalog(&mut conn)
                .map_err(|e| e.to_string())
        });
        if let Err(error) = refreshed {
            tracing::warn!(%error, "catalog refresh failed; requests will confirm it themselves");
        }
        every
    })
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
    match aula_db::jobs::purge_finished(&mut conn, now - KEEP_SENT_MAIL) {
        Ok(n) => tracing::info!(jobs = n, "purged background jobs finished over 30 days ago"),
        Err(e) => tracing::warn!(error = %e, "purging finished background jobs failed"),
    }
}
