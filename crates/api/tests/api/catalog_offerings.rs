//! Offerings, their sessions and calendar, and the cost of the catalog list.

use crate::catalog_fixtures;
use crate::common;

use std::{
    sync::{
        atomic::{AtomicUsize, Ordering},
        Arc,
    },
    time::Duration,
};

use aula_catalog::{courses, search};
use aula_core::{Clock, Locale, PageRequest};
use aula_identity::Role;
use catalog_fixtures::*;
use common::{assert_problem, TestApp};
use diesel::{connection::InstrumentationEvent, Connection};
use reqwest::StatusCode;
use serde_json::{json, Value};

#[actix_web::test]
async fn offerings_are_validated_and_report_seats_left() {
    let Some(app) = TestApp::spawn().await else {
        return;
    };
    let staff = staff(&app).await;
    let now = app.clock.now();
    published(&app, &staff, course("PEN-201", "Pensiones")).await;
    let mut bad = offering(now, 0, 10);
    bad["time_zone"] = json!("America/Atlantis");
    bad["capacity"] = json!(0);
    bad["currency"] = json!("XYZ");
    bad["end_date"] = json!("2000-01-01");
    bad["online_link"] = json!("javascript:alert(1)");
    let problem = assert_problem(
        app.post_as("/courses/PEN-201/offerings", &staff.instructor, bad)
            .await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation_failed",
    )
    .await;
    let errors: Vec<(String, String)> = problem["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                e["field"].as_str().unwrap().into(),
                e["code"].as_str().unwrap().into(),
            )
        })
        .collect();
    for expected in [
        ("time_zone", "invalid_time_zone"),
        ("currency", "invalid_currency"),
        ("online_link", "invalid_url"),
        ("capacity", "must_be_positive"),
        ("end_date", "before_start"),
    ] {
        assert!(
            errors.contains(&(expected.0.into(), expected.1.into())),
            "{errors:?}"
        );
    }

    let created = create_offering(&app, &staff.instructor, "PEN-201", offering(now, -1, 10)).await;
    assert_eq!(created["seats_left"], 30);
    assert_eq!(created["enrolment_open"], true);
    assert_eq!(created["attendance_threshold"], 70, "default threshold");
    assert_eq!(created["pass_mark"], 70, "default pass mark");
    let id = created["id"].as_i64().unwrap();
    let changed: Value = app
        .patch_as(
            &format!("/offerings/{id}"),
            &staff.instructor,
            json!({"capacity": 12, "admission_policy": "approval"}),
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(
        (
            changed["seats_left"].as_i64(),
            changed["admission_policy"].as_str()
        ),
        (Some(12), Some("approval"))
    );
    let listed = get_json(&app, "/courses/PEN-201/offerings").await;
    assert_eq!(listed[0]["id"], id);
    let res = app
        .client
        .delete(app.url(&format!("/offerings/{id}")))
        .bearer_auth(&staff.instructor)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::NO_CONTENT);
    assert_problem(
        get(&app, &format!("/offerings/{id}")).await,
        StatusCode::NOT_FOUND,
        "offering_not_found",
    )
    .await;
}

#[actix_web::test]
async fn the_calendar_feed_has_one_event_per_session() {
    let Some(app) = TestApp::spawn().await else {
        return;
    };
    let staff = staff(&app).await;
    let now = app.clock.now();
    published(&app, &staff, course("PEN-201", "Pensiones")).await;
    let id = create_offering(&app, &staff.instructor, "PEN-201", offering(now, 0, 10)).await["id"]
        .as_i64()
        .unwrap();
    for (day, title) in [
        (11, "Apertura"),
        (12, "Financiamiento; reservas, y \"riesgos\""),
    ] {
        let start = (now + chrono::Duration::days(day)).and_utc();
        let res = app
            .post_as(
                &format!("/offerings/{id}/sessions"),
                &staff.instructor,
                json!({"title": title, "starts_at": start.to_rfc3339(),
                       "ends_at": (start + chrono::Duration::hours(2)).to_rfc3339(),
                       "place": "Sala virtual", "link": "https://aula.ciess.org/sala/1"}),
            )
            .await;
        assert_eq!(res.status(), StatusCode::CREATED);
    }
    let detail = get_json(&app, &format!("/offerings/{id}")).await;
    assert_eq!(detail["sessions"].as_array().unwrap().len(), 2);

    let res = get(&app, &format!("/offerings/{id}/calendar.ics")).await;
    assert_eq!(res.status(), StatusCode::OK);
    assert!(res.headers()["content-type"]
        .to_str()
        .unwrap()
        .starts_with("text/calendar"));
    let text = res.text().await.unwrap();
    assert!(text.starts_with("BEGIN:VCALENDAR"), "{text}");
    assert_eq!(text.matches("BEGIN:VEVENT").count(), 2, "{text}");
    let unfolded = icalendar::parser::unfold(&text);
    let calendar = icalendar::parser::read_calendar(&unfolded).expect("a valid iCalendar document");
    let events: Vec<_> = calendar
        .components
        .iter()
        .filter(|c| c.name == "VEVENT")
        .collect();
    assert_eq!(events.len(), 2);
    assert!(events[0].properties.iter().any(|p| p.name == "DTSTART"));
}

#[actix_web::test]
async fn the_catalog_list_costs_the_same_queries_for_3_or_30_courses() {
    let Some(app) = TestApp::spawn().await else {
        return;
    };
    let admin = app.create_user("admin@demo.test", "Admin", &[Role::Admin]);
    let mut conn = app.db.conn();
    let publish = |conn: &mut aula_db::DbConnection, range: std::ops::Range<i64>| {
        for i in range {
            let body = course(&format!("PEN-{:03}", 100 + i), &format!("Pensiones {i}"));
            let input: courses::CourseInput = serde_json::from_value(body).unwrap();
            let code = courses::create(conn, &app.catalog, &admin, &input).unwrap();
            courses::put_translation(
                conn,
                &app.catalog,
                &admin,
                &code,
                Locale::En,
                &courses::TranslationInput {
                    title: format!("Pensions {i}"),
                    ..Default::default()
                },
            )
            .unwrap();
            app.mark_published(&code);
        }
    };
    let count = Arc::new(AtomicUsize::new(0));
    let counter = count.clone();
    conn.set_instrumentation(move |event: InstrumentationEvent<'_>| {
        if matches!(event, InstrumentationEvent::StartQuery { .. }) {
            counter.fetch_add(1, Ordering::SeqCst);
        }
    });
    // Each measure starts from an empty read model, so the published catalog is built
    // from the database (the public path), and also lists every status (the staff path).
    let queries_for = |conn: &mut aula_db::DbConnection, per_page: i64| {
        let mut counts = Vec::new();
        for actor in [None, Some(&admin)] {
            count.store(0, Ordering::SeqCst);
            let filter = search::CourseFilter {
                q: Some("pension".into()),
                sort: Some("start".into()),
                status: actor.map(|_| "all".into()),
                ..Default::default()
            };
            let catalog = app.catalog.clone().with_catalog_refresh(Duration::ZERO);
            let page = search::list(
                conn,
                &catalog,
                actor,
                &filter,
                PageRequest::new(1, per_page),
                Some(Locale::En),
            )
            .unwrap();
            assert_eq!(page.items.len() as i64, per_page);
            counts.push(count.load(Ordering::SeqCst));
        }
        counts
    };
    publish(&mut conn, 0..3);
    let small = queries_for(&mut conn, 3);
    publish(&mut conn, 3..30);
    let large = queries_for(&mut conn, 30);
    assert!(small.iter().all(|&n| n > 0));
    assert_eq!(
        small, large,
        "the number of queries does not grow with the catalog or the page"
    );
}

#[actix_web::test]
async fn a_course_card_points_at_the_edition_open_for_enrolment() {
    let Some(app) = TestApp::spawn().await else {
        return;
    };
    let staff = staff(&app).await;
    let now = app.clock.now();
    published(&app, &staff, course("PEN-201", "Pensiones")).await;
    // Running (its window closed when it started) and, later, one open for enrolment.
    let running =
        create_offering(&app, &staff.instructor, "PEN-201", offering(now, -40, -10)).await;
    let open = create_offering(&app, &staff.instructor, "PEN-201", offering(now, -1, 10)).await;
    let page = get_json(&app, "/courses?q=PEN-201").await;
    let card = &page["items"][0]["next_offering"];
    assert_eq!(card["id"], open["id"], "{card}");
    assert_eq!(card["enrolment_open"], true);

    // With nothing open, the card shows the edition under way.
    app.client
        .delete(app.url(&format!("/offerings/{}", open["id"])))
        .bearer_auth(&staff.instructor)
        .send()
        .await
        .unwrap();
    let page = get_json(&app, "/courses?q=PEN-201").await;
    assert_eq!(page["items"][0]["next_offering"]["id"], running["id"]);
    assert_eq!(page["items"][0]["next_offering"]["enrolment_open"], false);
}
