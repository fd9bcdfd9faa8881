//! Step 2: every message is delivered exactly once, by one of the instances, and no
//! background job runs twice.

use std::{
    collections::{BTreeMap, BTreeSet},
    path::{Path, PathBuf},
    time::{Duration, Instant},
};

use aula_db::schema::{certificate_documents, jobs, mail_outbox};
use chrono::NaiveDateTime;
use diesel::{dsl::count_star, prelude::*};
use serde_json::json;

use crate::{all, count_by_status, send, Rig, PASSWORD};

// ---------------------------------------------------------------------------------
// 2a. Sign-ups queue mail on every instance

pub(crate) fn sign_ups_through_every_instance_each_queue_one_mail(
    rig: &Rig,
    runtime: &tokio::runtime::Runtime,
) -> usize {
    let count = 30;
    let requests: Vec<_> = (0..count)
        .map(|i| {
            let client = rig.client.clone();
            let url = rig.cluster.nth(i).api("/auth/register");
            async move {
                send(
                    client
                        .post(url)
                        // A client address per person, as a load balancer would pass on:
                        // the sign-up throttle is per address and shared by the instances.
                        .header(
                            "X-Forwarded-For",
                            format!("10.1.{}.{}", i / 200, i % 200 + 1),
                        )
                        .json(&json!({
                            "email": format!("signup-{i:03}@instances.test"),
                            "full_name": format!("Persona Nueva {i}"),
                            "password": PASSWORD,
                            "locale": "es",
                        })),
                )
                .await
            }
        })
        .collect();
    let answers = runtime.block_on(all(requests));
    let statuses = count_by_status(&answers);
    assert_eq!(
        statuses,
        BTreeMap::from([(202, count)]),
        "every sign-up accepted: {:?}",
        answers.iter().map(|a| &a.body).find(|b| !b.is_null())
    );
    let queued: i64 = mail_outbox::table
        .filter(mail_outbox::recipient.like("signup-%@instances.test"))
        .select(count_star())
        .first(&mut rig.conn())
        .expect("queued mail");
    assert_eq!(queued, count as i64, "one verification mail per sign-up");
    count
}

// ---------------------------------------------------------------------------------
// 2b. Delivery: every message once, every job once

/// The outbox id in a mail file's `Message-ID: <aula.{id}.{micros}@…>`.
fn outbox_id(file: &Path) -> i64 {
    let text = std::fs::read_to_string(file).expect("a mail file");
    let id = text
        .lines()
        .find_map(|l| {
            let (name, value) = l.split_once(':')?;
            name.eq_ignore_ascii_case("message-id")
                .then(|| value.trim())
        })
        .and_then(|v| v.strip_prefix("<aula."))
        .and_then(|v| v.split('.').next())
        .and_then(|v| v.parse().ok());
    id.unwrap_or_else(|| panic!("no outbox id in {}", file.display()))
}

/// `done=N` summed over an instance's "background jobs run" lines.
fn jobs_done_in_log(log: &str) -> i64 {
    log.lines()
        .filter(|l| l.contains("background jobs run"))
        .filter_map(|l| l.split("done=").nth(1))
        .filter_map(|v| v.split_whitespace().next()?.parse::<i64>().ok())
        .sum()
}

pub(crate) fn each_mail_is_delivered_once_and_no_job_runs_twice(
    rig: &Rig,
    certificates_issued: usize,
) {
    let mut conn = rig.conn();
    // The instances poll every second or two; wait for the queues to empty.
    let began = Instant::now();
    loop {
        let unsent: i64 = mail_outbox::table
            .filter(mail_outbox::status.ne("sent"))
            .select(count_star())
            .first(&mut conn)
            .expect("unsent mail");
        let unfinished: i64 = jobs::table
            .filter(jobs::status.ne("done"))
            .select(count_star())
            .first(&mut conn)
            .expect("unfinished jobs");
        if unsent == 0 && unfinished == 0 {
            break;
        }
        if began.elapsed() > Duration::from_secs(30) {
            let stuck: Vec<(i64, i32, Option<NaiveDateTime>, Option<String>)> = jobs::table
                .filter(jobs::status.ne("done"))
                .select((
                    jobs::id,
                    jobs::attempts,
                    jobs::locked_until,
                    jobs::last_error,
                ))
                .limit(5)
                .load(&mut conn)
                .expect("unfinished jobs");
            panic!(
                "still {unsent} unsent messages and {unfinished} unfinished jobs, e.g. \
                 (id, attempts, leased until, last error) {stuck:?}"
            );
        }
        std::thread::sleep(Duration::from_millis(200));
    }
    let drained = began.elapsed();

    // Jobs: one render per certificate, each finished at the first attempt, and run by
    // exactly one instance (the instances' own counts add up to the number of jobs).
    let job_rows: Vec<(i64, String, String, i32, Option<NaiveDateTime>)> = jobs::table
        .select((
            jobs::id,
            jobs::kind,
            jobs::status,
            jobs::attempts,
            jobs::finished_at,
        ))
        .load(&mut conn)
        .expect("jobs");
    let renders = job_rows
        .iter()
        .filter(|j| j.1 == aula_certification::jobs::RENDER)
        .count();
    assert_eq!(
        renders, certificates_issued,
        "one render job per certificate"
    );
    assert!(
        job_rows
            .iter()
            .all(|j| j.2 == "done" && j.3 == 0 && j.4.is_some()),
        "every job done at the first attempt: {:?}",
        job_rows.iter().filter(|j| j.3 != 0).collect::<Vec<_>>()
    );
    let runs: Vec<(char, i64)> = rig
        .cluster
        .instances
        .iter()
        .map(|i| (i.name, jobs_done_in_log(&i.log())))
        .collect();
    let documents: i64 = certificate_documents::table
        .select(count_star())
        .first(&mut conn)
        .expect("documents");
    assert_eq!(
        runs.iter().map(|(_, n)| n).sum::<i64>(),
        job_rows.len() as i64,
        "jobs run per instance {runs:?}: each job ran once"
    );
    assert_eq!(
        documents, certificates_issued as i64,
        "one PDF per certificate"
    );

    // Mail: the files in the three mail directories, by the outbox row they came from.
    let sent: Vec<(i64, String)> = mail_outbox::table
        .select((mail_outbox::id, mail_outbox::template))
        .load(&mut conn)
        .expect("outbox");
    let mut deliveries: BTreeMap<i64, Vec<char>> = BTreeMap::new();
    let mut per_instance: Vec<(char, usize)> = Vec::new();
    for instance in &rig.cluster.instances {
        let files: Vec<PathBuf> = std::fs::read_dir(instance.mail_dir())
            .map(|dir| {
                dir.filter_map(|e| e.ok().map(|e| e.path()))
                    .filter(|p| p.extension().is_some_and(|x| x == "eml"))
                    .collect()
            })
            .unwrap_or_default();
        per_instance.push((instance.name, files.len()));
        for file in files {
            deliveries
                .entry(outbox_id(&file))
                .or_default()
                .push(instance.name);
        }
    }
    let mut templates: BTreeMap<&str, usize> = BTreeMap::new();
    for (_, template) in &sent {
        *templates.entry(template).or_default() += 1;
    }
    println!(
        "instances [delivery] {} messages {templates:?} written by instance {per_instance:?}; \
         {} jobs run by instance {runs:?}; queues empty {:.1}s after the last request",
        sent.len(),
        job_rows.len(),
        drained.as_secs_f64()
    );
    let twice: Vec<(&i64, &Vec<char>)> = deliveries.iter().filter(|(_, w)| w.len() > 1).collect();
    assert!(twice.is_empty(), "delivered more than once: {twice:?}");
    let delivered: BTreeSet<i64> = deliveries.keys().copied().collect();
    let queued: BTreeSet<i64> = sent.iter().map(|(id, _)| *id).collect();
    assert_eq!(
        delivered, queued,
        "every queued message delivered, none other"
    );
    assert_eq!(
        templates.get("certificate_issued").copied(),
        Some(certificates_issued),
        "one certificate mail per certificate"
    );
    assert!(
        per_instance.iter().filter(|(_, n)| *n > 0).count() >= 2,
        "delivery is shared by the instances: {per_instance:?}"
    );
}
