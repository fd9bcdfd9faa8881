use std::{collections::BTreeMap, sync::Barrier};

use aula_core::{Clock, Locale};
use aula_db::testing::TestDb;
use aula_mail::{enqueue, status_counts, Mail, WorkerConfig};

use crate::support::{self, SmtpSink};

#[test]
fn two_workers_draining_the_same_outbox_send_each_mail_exactly_once() {
    let Some(db) = TestDb::new() else { return };
    let sink = SmtpSink::start();
    let clock = support::clock();
    let total = 40;
    let mut conn = db.conn();
    for i in 0..total {
        let mail = Mail::PasswordChanged {
            full_name: format!("Usuario {i}"),
        };
        enqueue(
            &mut conn,
            clock.now(),
            &format!("user{i}@example.org"),
            Locale::Es,
            &mail,
        )
        .expect("enqueue");
    }

    // Two instances: separate pools, small batches so their claims interleave.
    let config = WorkerConfig {
        batch_size: 3,
        ..support::config()
    };
    let workers = [
        support::worker(&db, sink.transport(), &clock, config.clone()),
        support::worker(&db, sink.transport(), &clock, config),
    ];
    let barrier = Barrier::new(workers.len());
    let sent: Vec<usize> = std::thread::scope(|scope| {
        let handles: Vec<_> = workers
            .iter()
            .map(|worker| {
                let barrier = &barrier;
                scope.spawn(move || {
                    barrier.wait();
                    let mut sent = 0;
                    loop {
                        let report = worker.deliver_due().expect("deliver");
                        sent += report.sent;
                        if report.claimed == 0 {
                            return sent;
                        }
                    }
                })
            })
            .collect();
        handles
            .into_iter()
            .map(|h| h.join().expect("worker thread"))
            .collect()
    });

    assert_eq!(
        sent.iter().sum::<usize>(),
        total,
        "sent per worker: {sent:?}"
    );
    let mut per_recipient = BTreeMap::new();
    for message in sink.received() {
        for to in message.envelope_to {
            *per_recipient.entry(to).or_insert(0) += 1;
        }
    }
    assert_eq!(per_recipient.len(), total);
    assert!(per_recipient.values().all(|&n| n == 1), "{per_recipient:?}");
    let counts = status_counts(&mut db.conn()).expect("counts");
    assert_eq!(
        (counts.sent, counts.pending, counts.failed),
        (total as i64, 0, 0)
    );
}
