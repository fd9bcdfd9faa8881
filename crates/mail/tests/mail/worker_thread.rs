use std::time::{Duration, Instant};

use aula_core::{Clock, Locale};
use aula_db::testing::TestDb;
use aula_mail::{enqueue, status_counts, Mail, WorkerConfig};

use crate::support::{self, SmtpSink, NAME};

#[test]
fn a_spawned_worker_delivers_when_nudged_and_stops_on_shutdown() {
    let Some(db) = TestDb::new() else { return };
    let sink = SmtpSink::start();
    let clock = support::clock();
    // A long poll interval: only the nudge can explain a quick delivery.
    let config = WorkerConfig {
        poll_interval: Duration::from_secs(3600),
        ..support::config()
    };
    let handle = support::worker(&db, sink.transport(), &clock, config)
        .spawn()
        .expect("spawn");
    let notifier = handle.notifier();

    let mail = Mail::PasswordChanged {
        full_name: NAME.into(),
    };
    enqueue(
        &mut db.conn(),
        clock.now(),
        "nudge@example.org",
        Locale::En,
        &mail,
    )
    .expect("enqueue");
    notifier.notify();

    let deadline = Instant::now() + Duration::from_secs(20);
    while sink.received().is_empty() && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(20));
    }
    assert_eq!(sink.received().len(), 1);

    let stopping = Instant::now();
    handle.shutdown();
    assert!(stopping.elapsed() < Duration::from_secs(10));
    assert_eq!(status_counts(&mut db.conn()).expect("counts").sent, 1);
}
