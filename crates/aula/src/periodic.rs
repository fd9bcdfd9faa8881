//! A background thread that runs a task, waits, and runs it again until stopped:
//! the shape of the hourly maintenance and of the job runner.
//!
//! A stop never interrupts a run: the task in hand finishes (a task made of several
//! pieces of work can ask [`Stopping::requested`] between them), no new run starts,
//! and the thread ends.

use std::{
    sync::{Arc, Condvar, Mutex},
    thread::JoinHandle,
    time::Duration,
};

pub struct Periodic {
    stopping: Stopping,
    thread: Option<JoinHandle<()>>,
}

/// Whether a stop was asked for; given to the task on every run.
#[derive(Clone, Default)]
pub struct Stopping(Arc<(Mutex<bool>, Condvar)>);

impl Stopping {
    pub fn requested(&self) -> bool {
        *self.0 .0.lock().unwrap_or_else(|e| e.into_inner())
    }

    fn request(&self) {
        let (stopped, wake) = &*self.0;
        *stopped.lock().unwrap_or_else(|e| e.into_inner()) = true;
        wake.notify_all();
    }

    /// Sleeps for `wait` or until a stop is asked for; true when it was.
    fn wait(&self, wait: Duration) -> bool {
        let (stopped, wake) = &*self.0;
        let guard = stopped.lock().unwrap_or_else(|e| e.into_inner());
        let (guard, _) = wake
            .wait_timeout_while(guard, wait, |s| !*s)
            .unwrap_or_else(|e| e.into_inner());
        *guard
    }
}

impl Periodic {
    /// Waits `first`, then runs `task`, which says how long to wait before its next run.
    pub fn spawn(
        name: &str,
        first: Duration,
        mut task: impl FnMut(&Stopping) -> Duration + Send + 'static,
    ) -> std::io::Result<Self> {
        let stopping = Stopping::default();
        let signal = stopping.clone();
        let thread = std::thread::Builder::new()
            .name(name.into())
            .spawn(move || {
                let mut wait = first;
                while !signal.wait(wait) {
                    wait = task(&signal);
                }
            })?;
        Ok(Self {
            stopping,
            thread: Some(thread),
        })
    }

    /// Asks the thread to stop after the run in progress, if any, without waiting.
    pub fn stop(&self) {
        self.stopping.request();
    }

    /// Stops after the run in progress, if any, and waits for the thread to end.
    pub fn shutdown(mut self) {
        self.stop();
        if let Some(thread) = self.thread.take() {
            if thread.join().is_err() {
                tracing::error!("background thread panicked");
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::mpsc;

    #[test]
    fn a_stop_lets_the_run_in_hand_finish_and_starts_no_other() {
        let (started_tx, started) = mpsc::channel();
        let (finish, finish_rx) = mpsc::channel::<()>();
        let (seen_tx, seen) = mpsc::channel();
        let periodic = Periodic::spawn("periodic-test", Duration::ZERO, move |stopping| {
            started_tx.send(()).unwrap();
            finish_rx.recv().unwrap();
            seen_tx.send(stopping.requested()).unwrap();
            Duration::ZERO
        })
        .unwrap();

        started.recv().unwrap();
        periodic.stop();
        finish.send(()).unwrap();
        periodic.shutdown();

        assert_eq!(
            seen.try_iter().collect::<Vec<_>>(),
            vec![true],
            "one run, which saw the stop before it ended"
        );
        assert!(started.try_recv().is_err(), "no run after the stop");
    }

    #[test]
    fn a_stop_ends_the_wait_between_runs_at_once() {
        let periodic = Periodic::spawn("periodic-test", Duration::from_secs(3600), |_| {
            Duration::from_secs(3600)
        })
        .unwrap();
        let started = std::time::Instant::now();
        periodic.shutdown();
        assert!(started.elapsed() < Duration::from_secs(5));
    }
}
