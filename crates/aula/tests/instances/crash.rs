//! Step 7: killing one instance with SIGKILL mid-load loses no write it had acknowledged.

use std::{
    collections::BTreeSet,
    sync::{
        atomic::{AtomicBool, AtomicUsize, Ordering},
        Arc,
    },
    time::{Duration, Instant},
};

use aula_db::schema::{enrolment_events, enrolments, offerings as offering_rows};
use diesel::{dsl::count_star, prelude::*};
use serde_json::{json, Value};

use crate::{
    all, get_ok, send,
    setup::{add_students, open_offering},
    Rig,
};

pub(crate) fn an_instance_killed_mid_load_loses_no_write_it_acknowledged(
    rig: &mut Rig,
    runtime: &tokio::runtime::Runtime,
) {
    let (streams, people_count) = (6_usize, 300_usize);
    let mut conn = rig.conn();
    let offering = open_offering(&mut conn, &rig.admin, "INST-099", people_count as i32);
    let people = add_students(&mut conn, "kill", people_count);
    let tokens = Arc::new(rig.tokens(&people));
    let next = Arc::new(AtomicUsize::new(0));
    let accepted = Arc::new(AtomicUsize::new(0));
    let b = rig
        .cluster
        .b()
        .api(&format!("/offerings/{offering}/enrolments"));

    // Streams of applications to B, one at a time each, until B stops answering.
    let stopped = Arc::new(AtomicBool::new(false));
    let workers: Vec<_> = (0..streams)
        .map(|_| {
            let (client, url) = (rig.client.clone(), b.clone());
            let (tokens, next, accepted, stopped) = (
                tokens.clone(),
                next.clone(),
                accepted.clone(),
                stopped.clone(),
            );
            async move {
                let mut acknowledged = Vec::new();
                let mut lost = 0;
                loop {
                    let i = next.fetch_add(1, Ordering::SeqCst);
                    if i >= tokens.len() {
                        break;
                    }
                    let sent = client
                        .post(&url)
                        .bearer_auth(&tokens[i])
                        .json(&json!({}))
                        .send()
                        .await;
                    let answer = match sent {
                        Ok(r) => {
                            let status = r.status().as_u16();
                            match r.json::<Value>().await {
                                Ok(body) => Some((status, body)),
                                Err(_) => None,
                            }
                        }
                        Err(_) => None,
                    };
                    match answer {
                        Some((201, body)) => {
                            accepted.fetch_add(1, Ordering::SeqCst);
                            acknowledged.push((i, body["id"].as_i64().expect("an id")));
                        }
                        Some((status, body)) => panic!("B answered {status}: {body}"),
                        // No answer: the process is gone; whatever it was doing is
                        // unknown to the client and not counted.
                        None => {
                            lost += 1;
                            stopped.store(true, Ordering::SeqCst);
                            break;
                        }
                    }
                }
                (acknowledged, lost)
            }
        })
        .collect();
    let tasks: Vec<_> = workers.into_iter().map(|w| runtime.spawn(w)).collect();

    // Kill B once a good part of the load has been acknowledged, writes in flight.
    let began = Instant::now();
    while accepted.load(Ordering::SeqCst) < people_count / 4 {
        assert!(
            began.elapsed() < Duration::from_secs(20),
            "B acknowledged only {} writes",
            accepted.load(Ordering::SeqCst)
        );
        std::thread::sleep(Duration::from_millis(2));
    }
    let instance = &mut rig.cluster.instances[1];
    instance.serve.child.kill().expect("SIGKILL B");
    let status = instance.serve.child.wait().expect("B ends");
    let killed_after = began.elapsed();
    let mut acknowledged = Vec::new();
    let mut lost = 0;
    for task in tasks {
        let (mine, gone) = runtime.block_on(task).expect("stream");
        acknowledged.extend(mine);
        lost += gone;
    }
    assert!(stopped.load(Ordering::SeqCst), "the streams saw B go");
    assert!(
        acknowledged.len() < people_count,
        "B was killed before the load ended"
    );

    // Everything B acknowledged is there, as A serves it.
    let a = rig.cluster.a();
    let checks: Vec<_> = acknowledged
        .iter()
        .map(|(_, id)| {
            let (client, token) = (rig.client.clone(), rig.admin_token.clone());
            let url = a.api(&format!("/enrolments/{id}"));
            async move { (url.clone(), get_ok(&client, url, Some(&token)).await) }
        })
        .collect();
    let found = runtime.block_on(all(checks));
    for (url, enrolment) in &found {
        assert_eq!(enrolment["state"], "enrolled", "{url}");
    }
    let ids: BTreeSet<i64> = acknowledged.iter().map(|(_, id)| *id).collect();
    let stored: Vec<(i64, String)> = enrolments::table
        .filter(enrolments::offering_id.eq(offering))
        .select((enrolments::id, enrolments::state))
        .load(&mut conn)
        .expect("enrolments");
    let stored_ids: BTreeSet<i64> = stored.iter().map(|(id, _)| *id).collect();
    assert!(
        ids.is_subset(&stored_ids),
        "every acknowledged write is stored"
    );
    // Those in flight when B died either committed whole or not at all.
    let seats_taken: i32 = offering_rows::table
        .find(offering)
        .select(offering_rows::seats_taken)
        .first(&mut conn)
        .expect("seats_taken");
    let events: i64 = enrolment_events::table
        .filter(enrolment_events::enrolment_id.eq_any(&stored_ids))
        .select(count_star())
        .first(&mut conn)
        .expect("history");
    println!(
        "instances [sigkill] B killed ({status}) {:.2}s into a load of {streams} streams: \
         {} writes acknowledged, all found through A; {} in flight without an answer; \
         {} stored in all",
        killed_after.as_secs_f64(),
        acknowledged.len(),
        lost,
        stored.len()
    );
    assert_eq!(
        seats_taken as usize,
        stored.len(),
        "seats_taken matches the rows"
    );
    assert_eq!(
        events as usize,
        stored.len(),
        "one history row per enrolment"
    );

    // A and C carry on.
    for at in [rig.cluster.a(), rig.cluster.c()] {
        let health = runtime.block_on(send(rig.client.get(at.api("/health"))));
        assert_eq!(health.status, 200, "instance {} is healthy", at.name);
    }
}
