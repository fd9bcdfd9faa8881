//! The delivery worker: leases due outbox rows, sends them, records the outcome.
//!
//! Delivery is at least once. A row is leased (`locked_until`) before it is sent, so
//! concurrent workers — threads or server instances — never pick the same row while
//! the lease lives; a worker that dies mid-send leaves its rows to be retried once
//! the lease runs out.

use std::{
    panic::{catch_unwind, AssertUnwindSafe},
    sync::{Arc, Condvar, Mutex},
    thread::JoinHandle,
    time::{Duration, Instant},
};

use aula_core::SharedClock;
use aula_db::{DbConnection, DbPool};
use chrono::TimeDelta;
use lettre::message::Mailbox;

use crate::{
    outbox::{self, OutboxEntry},
    transport::{build_message, Delivered},
    MailError, Transport,
};

// Mail retries back off like every other background job.
pub use aula_db::jobs::{retry_delay, RETRY_BASE, RETRY_CAP};

/// How a [`Worker`] sends and paces delivery.
#[derive(Debug, Clone)]
pub struct WorkerConfig {
    /// The `From` of every message, e.g. `Aula CIESS <no-reply@aula.local>`.
    pub from: Mailbox,
    /// How many messages one [`Worker::deliver_due`] call leases at most.
    pub batch_size: usize,
    /// How often the worker looks for due messages when nobody nudges it.
    pub poll_interval: Duration,
    /// After this many failed attempts a message is `failed`.
    pub max_attempts: i32,
    /// How long a leased message stays reserved for the worker that leased it.
    /// Must comfortably exceed the time to send a batch; a batch that takes more
    /// than half of it gives its unsent rows back.
    pub lease: Duration,
}

impl WorkerConfig {
    /// Defaults suited to a small server: batches of 20, a 5 s poll, 8 attempts
    /// (the last about an hour after the first), a 10 min lease.
    pub fn new(from: Mailbox) -> Self {
        Self {
            from,
            batch_size: 20,
            poll_interval: Duration::from_secs(5),
            max_attempts: 8,
            lease: Duration::from_secs(600),
        }
    }
}

/// What one [`Worker::deliver_due`] call did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct DeliveryReport {
    /// Messages leased by this call.
    pub claimed: usize,
    pub sent: usize,
    /// Failed this time, to be tried again later.
    pub retrying: usize,
    /// Failed for good (permanent error or too many attempts).
    pub failed: usize,
    /// Leased but given back unsent because the batch ran too long.
    pub released: usize,
}

/// Delivers the outbox through a [`Transport`]; call [`Worker::deliver_due`]
/// directly (tests, a one-shot command) or [`Worker::spawn`] it.
pub struct Worker {
    pool: DbPool,
    transport: Transport,
    clock: SharedClock,
    config: WorkerConfig,
}

impl Worker {
    pub fn new(
        pool: DbPool,
        transport: Transport,
        clock: SharedClock,
        config: WorkerConfig,
    ) -> Self {
        Self {
            pool,
            transport,
            clock,
            config,
        }
    }

    /// Leases the due messages (one batch), sends them and records each outcome.
    pub fn deliver_due(&self) -> Result<DeliveryReport, MailError> {
        self.deliver_batch(|| false)
    }

    /// [`Worker::deliver_due`], which gives the batch's unsent messages back as soon
    /// as `stopping()` says so: the message in hand is sent, no other.
    fn deliver_batch(&self, stopping: impl Fn() -> bool) -> Result<DeliveryReport, MailError> {
        let started = Instant::now();
        let now = self.clock.now();
        let lease = TimeDelta::from_std(self.config.lease).unwrap_or(TimeDelta::minutes(10));
        let limit = i64::try_from(self.config.batch_size).unwrap_or(i64::MAX);
        let mut conn = self.pool.get()?;
        let claimed = outbox::claim_due(&mut conn, now, now + lease, limit)?;
        let mut report = DeliveryReport {
            claimed: claimed.len(),
            ..Default::default()
        };

        for (i, entry) in claimed.iter().enumerate() {
            let ran_long = started.elapsed() > self.config.lease / 2;
            if ran_long || stopping() {
                let rest: Vec<i64> = claimed[i..].iter().map(|e| e.id).collect();
                outbox::release(&mut conn, &rest)?;
                report.released = rest.len();
                if ran_long {
                    tracing::warn!(
                        released = rest.len(),
                        "mail batch ran long; unsent messages given back"
                    );
                } else {
                    tracing::info!(
                        released = rest.len(),
                        "mail worker stopping; unsent messages given back"
                    );
                }
                break;
            }
            self.deliver_one(&mut conn, entry, &mut report)?;
        }
        Ok(report)
    }

    fn deliver_one(
        &self,
        conn: &mut DbConnection,
        entry: &OutboxEntry,
        report: &mut DeliveryReport,
    ) -> Result<(), MailError> {
        let outcome = outbox::attachments_of(conn, entry.id)
            .and_then(|files| build_message(&self.config.from, entry, &files))
            .and_then(|message| self.transport.send(&message));
        let now = self.clock.now();
        match outcome {
            Ok(delivered) => {
                outbox::mark_sent(conn, entry.id, now)?;
                report.sent += 1;
                match delivered {
                    Delivered::File(path) => tracing::info!(
                        id = entry.id,
                        recipient = %entry.recipient,
                        template = %entry.template,
                        path = %path.display(),
                        "mail written to file"
                    ),
                    Delivered::Relayed => tracing::info!(
                        id = entry.id,
                        recipient = %entry.recipient,
                        template = %entry.template,
                        "mail sent"
                    ),
                }
            }
            Err(error) => {
                let attempts = entry.attempts + 1;
                let give_up = error.is_permanent() || attempts >= self.config.max_attempts;
                let retry_at = (!give_up).then(|| now + retry_delay(attempts));
                outbox::mark_attempt_failed(conn, entry, &error.to_string(), retry_at)?;
                if let Some(retry_at) = retry_at {
                    report.retrying += 1;
                    tracing::warn!(
                        id = entry.id,
                        recipient = %entry.recipient,
                        template = %entry.template,
                        attempts,
                        %retry_at,
                        %error,
                        "mail delivery failed; will retry"
                    );
                } else {
                    report.failed += 1;
                    tracing::error!(
                        id = entry.id,
                        recipient = %entry.recipient,
                        template = %entry.template,
                        attempts,
                        %error,
                        "mail delivery failed; giving up"
                    );
                }
            }
        }
        Ok(())
    }

    /// Runs the worker on its own thread until [`WorkerHandle::shutdown`].
    pub fn spawn(self) -> Result<WorkerHandle, MailError> {
        let notifier = Notifier::default();
        let signal = notifier.clone();
        let thread = std::thread::Builder::new()
            .name("aula-mail".into())
            .spawn(move || self.run(&signal))
            .map_err(MailError::Spawn)?;
        Ok(WorkerHandle {
            notifier,
            thread: Some(thread),
        })
    }

    fn run(self, signal: &Notifier) {
        tracing::info!(transport = ?self.transport, "mail worker started");
        while !signal.stopping() {
            // A full batch suggests more are due: keep going before sleeping.
            loop {
                let round = || self.deliver_batch(|| signal.stopping());
                match catch_unwind(AssertUnwindSafe(round)) {
                    Ok(Ok(report)) if report.claimed >= self.config.batch_size.max(1) => {
                        if signal.stopping() {
                            break;
                        }
                    }
                    Ok(Ok(_)) => break,
                    Ok(Err(error)) => {
                        tracing::error!(%error, "mail delivery round failed");
                        break;
                    }
                    Err(_) => {
                        tracing::error!("mail delivery round panicked");
                        break;
                    }
                }
            }
            signal.wait(self.config.poll_interval);
        }
        tracing::info!("mail worker stopped");
    }
}

/// Wakes the worker early, e.g. right after a request queued a message.
/// Cheap to clone and to call; a notifier with no worker behind it does nothing.
#[derive(Debug, Clone, Default)]
pub struct Notifier(Arc<Signal>);

#[derive(Debug, Default)]
struct Signal {
    state: Mutex<SignalState>,
    changed: Condvar,
}

#[derive(Debug, Default)]
struct SignalState {
    notified: bool,
    stop: bool,
}

impl Notifier {
    pub fn notify(&self) {
        self.update(|state| state.notified = true);
    }

    fn stop(&self) {
        self.update(|state| state.stop = true);
    }

    fn update(&self, change: impl FnOnce(&mut SignalState)) {
        let mut state = self.0.state.lock().unwrap_or_else(|e| e.into_inner());
        change(&mut state);
        self.0.changed.notify_all();
    }

    fn stopping(&self) -> bool {
        self.0.state.lock().unwrap_or_else(|e| e.into_inner()).stop
    }

    /// Sleeps until notified, stopped or `timeout` elapsed; consumes the notification.
    fn wait(&self, timeout: Duration) {
        let state = self.0.state.lock().unwrap_or_else(|e| e.into_inner());
        let (mut state, _) = self
            .0
            .changed
            .wait_timeout_while(state, timeout, |s| !s.notified && !s.stop)
            .unwrap_or_else(|e| e.into_inner());
        state.notified = false;
    }
}

/// The running worker. Dropping it asks the worker to stop without waiting.
#[derive(Debug)]
pub struct WorkerHandle {
    notifier: Notifier,
    thread: Option<JoinHandle<()>>,
}

impl WorkerHandle {
    /// Wakes the worker to look for due messages now.
    pub fn notify(&self) {
        self.notifier.notify();
    }

    /// A handle for waking the worker from elsewhere (e.g. request handlers).
    pub fn notifier(&self) -> Notifier {
        self.notifier.clone()
    }

    /// Asks the worker to stop after the message in hand, without waiting: the rest
    /// of its batch is given back to the outbox for the next worker.
    pub fn stop(&self) {
        self.notifier.stop();
    }

    /// Stops the worker after the message in hand and waits for its thread.
    pub fn shutdown(mut self) {
        self.notifier.stop();
        if let Some(thread) = self.thread.take() {
            if thread.join().is_err() {
                tracing::error!("mail worker thread panicked");
            }
        }
    }
}

impl Drop for WorkerHandle {
    fn drop(&mut self) {
        self.notifier.stop();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retry_delay_doubles_from_thirty_seconds_up_to_an_hour() {
        assert_eq!(retry_delay(1), TimeDelta::seconds(30));
        assert_eq!(retry_delay(2), TimeDelta::seconds(60));
        assert_eq!(retry_delay(3), TimeDelta::seconds(120));
        assert_eq!(retry_delay(7), TimeDelta::seconds(1920));
        assert_eq!(retry_delay(8), TimeDelta::hours(1));
        assert_eq!(retry_delay(1000), TimeDelta::hours(1));
        assert_eq!(retry_delay(0), TimeDelta::seconds(30));
    }

    #[test]
    fn a_worker_told_to_stop_sends_the_message_in_hand_and_gives_back_the_rest() {
        use aula_core::{Locale, SystemClock};
        use std::sync::atomic::{AtomicUsize, Ordering};

        let Some(db) = aula_db::testing::TestDb::new() else {
            return;
        };
        let dir = tempfile::tempdir().expect("mail directory");
        let clock: SharedClock = Arc::new(SystemClock);
        let mail = crate::Mail::PasswordChanged {
            full_name: "Ana".into(),
        };
        for n in 0..3 {
            let to = format!("person{n}@example.org");
            crate::enqueue(&mut db.conn(), clock.now(), &to, Locale::En, &mail).expect("enqueue");
        }
        let from: Mailbox = "Aula <no-reply@aula.test>".parse().expect("from");
        let transport = Transport::files(dir.path()).expect("file transport");
        let worker = Worker::new(db.pool(), transport, clock, WorkerConfig::new(from));

        // The stop arrives while the first message is being sent.
        let asked = AtomicUsize::new(0);
        let report = worker
            .deliver_batch(|| asked.fetch_add(1, Ordering::SeqCst) > 0)
            .expect("deliver");

        assert_eq!((report.claimed, report.sent, report.released), (3, 1, 2));
        let counts = crate::status_counts(&mut db.conn()).expect("counts");
        assert_eq!((counts.sent, counts.pending), (1, 2));
        let next = worker.deliver_due().expect("deliver the rest");
        assert_eq!(next.sent, 2, "the rest was not left leased");
    }

    #[test]
    fn a_notification_wakes_the_waiter_before_the_timeout() {
        let notifier = Notifier::default();
        let waiter = notifier.clone();
        let started = Instant::now();
        let thread = std::thread::spawn(move || waiter.wait(Duration::from_secs(30)));
        std::thread::sleep(Duration::from_millis(20));
        notifier.notify();
        thread.join().expect("waiter");
        assert!(started.elapsed() < Duration::from_secs(10));
    }
}
