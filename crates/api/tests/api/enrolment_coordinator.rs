//! What institution coordinators do and see: nominations, their people, the
//! endorsement queue — always of their own institution only.

use crate::common;
use crate::enrolment_fixtures;

use aula_identity::Role;
use common::{assert_problem, TestApp};
use enrolment_fixtures::*;
use reqwest::StatusCode;
use serde_json::json;

#[actix_web::test]
async fn coordinators_nominate_members_of_their_own_institution_only() {
    let Some(app) = TestApp::spawn().await else {
        return;
    };
    let centre = Centre::open(&app).await;
    let imss = centre.institution(&app, "IMSS", "titular").await;
    let bps = centre.institution(&app, "BPS", "asociado").await;
    let approval = centre
        .offering(&app, json!({ "admission_policy": "approval" }))
        .await;
    let open = centre.offering(&app, json!({})).await;
    let (boss, coordinator_token) = coordinator(&app, "coord@imss.gob.mx", imss);
    let (member, _) = learner(&app, "ana@imss.gob.mx", "Ana Pérez", Some(imss));
    let (outsider, _) = learner(&app, "bea@bps.gub.uy", "Beatriz Silva", Some(bps));
    let path = format!("/offerings/{approval}/nominations");

    let res = app
        .post_as(
            &path,
            &coordinator_token,
            json!({ "user_ids": [member.id, outsider.id, 999_999] }),
        )
        .await;
    let result = ok_json(res, StatusCode::OK, "nominate").await;
    let created = result["created"].as_array().unwrap();
    assert_eq!(created.len(), 1);
    assert_eq!(created[0]["learner"]["id"], member.id);
    assert_eq!(created[0]["state"], "pending_approval");
    assert_eq!(
        created[0]["nominated_by"],
        json!({ "id": boss.id, "full_name": "Coordinación" })
    );
    let mut skipped: Vec<(i64, String)> = result["skipped"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| {
            (
                s["user_id"].as_i64().unwrap(),
                s["code"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    skipped.sort();
    assert_eq!(
        skipped,
        [
            (outsider.id, "not_in_your_institution".to_owned()),
            (999_999, "not_found".to_owned()),
        ]
    );
    let roster = page(
        &app,
        &centre.instructor,
        &format!("/offerings/{approval}/roster"),
    )
    .await;
    assert_eq!(
        emails(&roster),
        ["ana@imss.gob.mx"],
        "the outsider was not enrolled"
    );

    let again = app
        .post_as(
            &path,
            &coordinator_token,
            json!({ "user_ids": [member.id] }),
        )
        .await;
    let again = ok_json(again, StatusCode::OK, "nominate again").await;
    assert_eq!(again["created"], json!([]));
    assert_eq!(
        again["skipped"],
        json!([{ "user_id": member.id, "code": "already_enrolled" }])
    );

    let seated = app
        .post_as(
            &format!("/offerings/{open}/nominations"),
            &coordinator_token,
            json!({ "user_ids": [member.id] }),
        )
        .await;
    let seated = ok_json(seated, StatusCode::OK, "nominate to an open offering").await;
    assert_eq!(seated["created"][0]["state"], "enrolled");

    let (_, student) = learner(&app, "luis@imss.gob.mx", "Luis", Some(imss));
    assert_problem(
        app.post_as(&path, &student, json!({ "user_ids": [member.id] }))
            .await,
        StatusCode::FORBIDDEN,
        "forbidden",
    )
    .await;
}

#[actix_web::test]
async fn coordinators_see_only_the_people_of_their_institution() {
    let Some(app) = TestApp::spawn().await else {
        return;
    };
    let centre = Centre::open(&app).await;
    let imss = centre.institution(&app, "IMSS", "titular").await;
    let bps = centre.institution(&app, "BPS", "asociado").await;
    let offering = centre.offering(&app, json!({})).await;
    let (_, own) = coordinator(&app, "coord@imss.gob.mx", imss);
    let people = [
        ("ana.garcia@imss.gob.mx", "Ana García", Some(imss)),
        ("luis.garcia@imss.gob.mx", "Luis García", Some(imss)),
        ("eva.garcia@bps.gub.uy", "Eva García", Some(bps)),
        ("raul@bps.gub.uy", "Raúl Núñez", Some(bps)),
        ("sin@gmail.com", "Sin Institución García", None),
    ];
    let mut foreign_ids = Vec::new();
    for (email, name, institution) in people {
        let (_, token) = learner(&app, email, name, institution);
        let e = apply(&app, &token, offering).await;
        if institution != Some(imss) {
            foreign_ids.push(e["id"].as_i64().unwrap());
        }
    }

    let all = page(&app, &own, "/coordinator/people").await;
    assert_eq!(all["total"], 2);
    let mut listed = emails(&all);
    listed.sort();
    assert_eq!(
        listed,
        ["ana.garcia@imss.gob.mx", "luis.garcia@imss.gob.mx"]
    );
    let found = page(&app, &own, "/coordinator/people?q=garc%C3%ADa").await;
    assert_eq!(found["total"], 2, "{found}");
    for q in ["eva", "raul", "bps.gub.uy", "sin%40gmail"] {
        let found = page(&app, &own, &format!("/coordinator/people?q={q}")).await;
        assert_eq!(
            (
                found["total"].as_i64(),
                found["items"].as_array().map(Vec::len)
            ),
            (Some(0), Some(0)),
            "q={q}"
        );
    }
    let filtered = page(
        &app,
        &own,
        &format!("/coordinator/people?offering_id={offering}&state=enrolled&institution_id={bps}"),
    )
    .await;
    assert_eq!(filtered["total"], 2, "institution_id cannot widen the list");

    for q in ["", "?q=garc%C3%ADa", "?q=eva"] {
        let res = app
            .get_as(&format!("/coordinator/people.csv{q}"), &own)
            .await;
        assert_eq!(res.status(), StatusCode::OK);
        let text = res.text().await.unwrap();
        assert!(
            !text.contains("bps.gub.uy") && !text.contains("gmail"),
            "{text}"
        );
        assert!(!text.contains("Eva") && !text.contains("Raúl"), "{text}");
    }
    let csv = app
        .get_as("/coordinator/people.csv", &own)
        .await
        .text()
        .await
        .unwrap();
    assert_eq!(csv.lines().count(), 3, "header and two people: {csv}");
    for id in foreign_ids {
        assert_problem(
            app.get_as(&format!("/enrolments/{id}"), &own).await,
            StatusCode::NOT_FOUND,
            "enrolment_not_found",
        )
        .await;
    }

    let (_, student) = learner(&app, "x@imss.gob.mx", "X", Some(imss));
    let (_, homeless) = app.person("coord@gmail.com", "Coord", None, &[Role::Coordinator]);
    for token in [&student, &homeless, &centre.instructor] {
        for path in [
            "/coordinator/people",
            "/coordinator/people.csv",
            "/coordinator/endorsements",
            "/coordinator/members",
        ] {
            assert_problem(
                app.get_as(path, token).await,
                StatusCode::FORBIDDEN,
                "forbidden",
            )
            .await;
        }
    }
}

#[actix_web::test]
async fn the_endorsement_queue_holds_the_institutions_waiting_applications_oldest_first() {
    let Some(app) = TestApp::spawn().await else {
        return;
    };
    let centre = Centre::open(&app).await;
    let imss = centre.institution(&app, "IMSS", "titular").await;
    let bps = centre.institution(&app, "BPS", "asociado").await;
    let endorsed = centre
        .offering(&app, json!({ "admission_policy": "institution_endorsed" }))
        .await;
    let approval = centre
        .offering(&app, json!({ "admission_policy": "approval" }))
        .await;
    let (_, own) = coordinator(&app, "coord@imss.gob.mx", imss);
    let mut ids = Vec::new();
    for (email, institution, offering) in [
        ("primera@imss.gob.mx", imss, endorsed),
        ("eva@bps.gub.uy", bps, endorsed),
        ("segunda@imss.gob.mx", imss, endorsed),
        ("aprobacion@imss.gob.mx", imss, approval),
    ] {
        let (_, token) = learner(&app, email, "Persona", Some(institution));
        ids.push(apply(&app, &token, offering).await["id"].as_i64().unwrap());
        app.clock.advance(chrono::TimeDelta::seconds(1));
    }

    let queue = page(&app, &own, "/coordinator/endorsements").await;
    assert_eq!(queue["total"], 2);
    assert_eq!(
        emails(&queue),
        ["primera@imss.gob.mx", "segunda@imss.gob.mx"]
    );
    assert!(queue["items"]
        .as_array()
        .unwrap()
        .iter()
        .all(|e| e["state"] == "pending_endorsement"));

    let members = page(&app, &own, "/coordinator/members?q=imss").await;
    let mut names: Vec<&str> = members["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|u| u["email"].as_str().unwrap())
        .collect();
    names.sort_unstable();
    assert_eq!(
        names,
        [
            "aprobacion@imss.gob.mx",
            "coord@imss.gob.mx",
            "primera@imss.gob.mx",
            "segunda@imss.gob.mx"
        ]
    );
}
