//! Step 4: certificates issued through all three at once have distinct codes, one per seat.

use std::{collections::BTreeSet, time::Instant};

use aula_db::schema::certificates;
use diesel::{prelude::*, sql_types::Text};
use serde_json::json;

use crate::{
    all, count_by_status, send,
    setup::{add_students, open_offering},
    Rig,
};

pub(crate) fn certificates_issued_through_every_instance_at_once_have_distinct_codes(
    rig: &Rig,
    runtime: &tokio::runtime::Runtime,
) -> usize {
    let (offerings, per_offering) = (3_usize, 10_usize);
    let mut conn = rig.conn();
    let ids: Vec<i64> = (0..offerings)
        .map(|o| {
            open_offering(
                &mut conn,
                &rig.admin,
                &format!("INST-{:03}", 10 + o),
                per_offering as i32,
            )
        })
        .collect();
    // Each cohort enrols through the three instances; with no sessions and no required
    // lessons, every seat-holder is eligible for a participation certificate.
    let people = add_students(&mut conn, "cert", offerings * per_offering);
    let tokens = rig.tokens(&people);
    let applications: Vec<_> = tokens
        .iter()
        .enumerate()
        .map(|(i, token)| {
            let (client, token) = (rig.client.clone(), token.clone());
            let url = rig
                .cluster
                .nth(i)
                .api(&format!("/offerings/{}/enrolments", ids[i / per_offering]));
            async move { send(client.post(url).bearer_auth(token).json(&json!({}))).await }
        })
        .collect();
    let enrolled = runtime.block_on(all(applications));
    assert!(
        enrolled
            .iter()
            .all(|a| a.status == 201 && a.body["state"] == "enrolled"),
        "every cohort member holds a seat: {:?}",
        count_by_status(&enrolled)
    );

    // Bulk issue of every offering through every instance, all at once.
    let requests: Vec<_> = ids
        .iter()
        .flat_map(|offering| rig.cluster.instances.iter().map(move |at| (*offering, at)))
        .map(|(offering, at)| {
            let client = rig.client.clone();
            let url = at.api(&format!("/offerings/{offering}/certificates"));
            let token = rig.admin_token.clone();
            async move {
                let answer = send(
                    client
                        .post(url)
                        .bearer_auth(token)
                        .json(&json!({ "kind": "participation" })),
                )
                .await;
                (offering, answer)
            }
        })
        .collect();
    let began = Instant::now();
    let answers = runtime.block_on(all(requests));
    let wall = began.elapsed();
    for (offering, answer) in &answers {
        assert_eq!(answer.status, 200, "issue in {offering}: {}", answer.body);
        let issued = answer.body["issued"].as_array().expect("issued").len();
        let already = answer.body["already_issued"].as_u64().expect("already") as usize;
        assert_eq!(
            (issued + already, answer.body["not_eligible"].as_u64()),
            (per_offering, Some(0)),
            "each answer accounts for the whole cohort: {}",
            answer.body
        );
    }
    let mut answered_codes = Vec::new();
    for offering in &ids {
        let issued: usize = answers
            .iter()
            .filter(|(o, _)| o == offering)
            .map(|(_, a)| a.body["issued"].as_array().map_or(0, Vec::len))
            .sum();
        assert_eq!(
            issued, per_offering,
            "offering {offering}: issued once in all, whichever instance did it"
        );
        for (_, a) in answers.iter().filter(|(o, _)| o == offering) {
            for c in a.body["issued"].as_array().expect("issued") {
                answered_codes.push(c["code"].as_str().expect("a code").to_owned());
            }
        }
    }

    let rows: Vec<(String, i64)> = certificates::table
        .filter(certificates::offering_id.eq_any(&ids))
        .select((certificates::code, certificates::enrolment_id))
        .load(&mut conn)
        .expect("certificates");
    let codes: BTreeSet<&String> = rows.iter().map(|(c, _)| c).collect();
    let seats: BTreeSet<i64> = rows.iter().map(|(_, e)| *e).collect();
    let total = offerings * per_offering;
    println!(
        "instances [certificates] {} bulk issues ({offerings} offerings × 3 instances) in \
         {:.2}s: {} certificates, {} distinct codes",
        answers.len(),
        wall.as_secs_f64(),
        rows.len(),
        codes.len()
    );
    assert_eq!(rows.len(), total, "one certificate per seat");
    assert_eq!(codes.len(), total, "no two certificates share a code");
    assert_eq!(seats.len(), total, "nobody holds two");
    let answered: BTreeSet<&String> = answered_codes.iter().collect();
    assert_eq!(answered, codes, "the codes answered are the codes stored");

    // The database is the backstop: a unique index on the code.
    #[derive(QueryableByName)]
    struct Definition {
        #[diesel(sql_type = Text)]
        indexdef: String,
    }
    let indexes: Vec<Definition> =
        diesel::sql_query("SELECT indexdef FROM pg_indexes WHERE tablename = 'certificates'")
            .load(&mut conn)
            .expect("indexes");
    assert!(
        indexes.iter().any(
            |i| i.indexdef.starts_with("CREATE UNIQUE INDEX") && i.indexdef.ends_with("(code)")
        ),
        "certificates.code is unique in the schema: {:?}",
        indexes.iter().map(|i| &i.indexdef).collect::<Vec<_>>()
    );
    total
}
