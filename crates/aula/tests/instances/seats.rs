//! Step 3: seats stay exact when people apply through all three at once, twice each.

use std::{
    collections::{BTreeMap, BTreeSet},
    time::Instant,
};

use aula_db::schema::{enrolments, offerings as offering_rows};
use diesel::{dsl::count_star, prelude::*};
use serde_json::{json, Value};

use crate::{
    all, count_by_status, get_ok, send,
    setup::{add_students, open_offering},
    Answer, Rig,
};

pub(crate) fn seats_held_exactly_when_people_apply_through_every_instance_at_once(
    rig: &Rig,
    runtime: &tokio::runtime::Runtime,
) {
    let (capacity, applicants) = (20_usize, 90_usize);
    let mut conn = rig.conn();
    let offering = open_offering(&mut conn, &rig.admin, "INST-001", capacity as i32);
    let people = add_students(&mut conn, "seat", applicants);
    let tokens = rig.tokens(&people);

    // Everybody applies twice at once, through two different instances.
    let requests: Vec<_> = (0..applicants * 2)
        .map(|r| {
            let (person, copy) = (r / 2, r % 2);
            let client = rig.client.clone();
            let url = rig
                .cluster
                .nth(person + copy)
                .api(&format!("/offerings/{offering}/enrolments"));
            let token = tokens[person].clone();
            async move {
                let answer = send(client.post(url).bearer_auth(token).json(&json!({}))).await;
                (person, answer)
            }
        })
        .collect();
    let began = Instant::now();
    let answers = runtime.block_on(all(requests));
    let wall = began.elapsed();

    let statuses = count_by_status(answers.iter().map(|(_, a)| a));
    assert!(
        answers.iter().all(|(_, a)| a.status < 500),
        "no server errors: {statuses:?}"
    );
    let mut per_person: BTreeMap<usize, Vec<&Answer>> = BTreeMap::new();
    for (person, answer) in &answers {
        per_person.entry(*person).or_default().push(answer);
    }
    for (person, got) in &per_person {
        let created = got.iter().filter(|a| a.status == 201).count();
        let refused: Vec<&Value> = got
            .iter()
            .filter(|a| a.status != 201)
            .map(|a| &a.body["code"])
            .collect();
        assert_eq!(
            (created, refused),
            (1, vec![&json!("already_enrolled")]),
            "applicant {person}: one application accepted, the copy refused"
        );
    }
    let state_of = |s: &str| answers.iter().filter(|(_, a)| a.body["state"] == s).count();
    let (enrolled, waitlisted) = (state_of("enrolled"), state_of("waitlisted"));

    let held: i64 = enrolments::table
        .filter(enrolments::offering_id.eq(offering))
        .filter(enrolments::state.eq("enrolled"))
        .select(count_star())
        .first(&mut conn)
        .expect("seat-holders");
    let rows: Vec<i64> = enrolments::table
        .filter(enrolments::offering_id.eq(offering))
        .select(enrolments::user_id)
        .load(&mut conn)
        .expect("enrolments");
    let seats_taken: i32 = offering_rows::table
        .find(offering)
        .select(offering_rows::seats_taken)
        .first(&mut conn)
        .expect("seats_taken");
    let shown = runtime.block_on(get_ok(
        &rig.client,
        rig.cluster.c().api(&format!("/offerings/{offering}")),
        Some(&rig.admin_token),
    ));
    println!(
        "instances [seats] {applicants} applicants × 2 requests over 3 instances in \
         {:.2}s: enrolled={enrolled} waitlisted={waitlisted} seats_taken={seats_taken} \
         statuses={statuses:?}",
        wall.as_secs_f64()
    );
    assert_eq!(enrolled, capacity.min(applicants), "enrolled");
    assert_eq!(waitlisted, applicants - enrolled, "waitlisted");
    assert_eq!(held, enrolled as i64, "seat-holders in the database");
    assert_eq!(seats_taken, enrolled as i32, "seats_taken");
    assert_eq!(shown["seats_taken"], enrolled, "seats_taken as served");
    let distinct: BTreeSet<i64> = rows.iter().copied().collect();
    assert_eq!(
        (rows.len(), distinct.len()),
        (applicants, applicants),
        "one enrolment per person, nobody twice"
    );
}
