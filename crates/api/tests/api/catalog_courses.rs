//! The public catalog: languages, search, filters, paging and caching.

use crate::catalog_fixtures;
use crate::common;

use aula_core::Clock;
use catalog_fixtures::*;
use common::{assert_problem, TestApp};
use reqwest::StatusCode;
use serde_json::json;

#[actix_web::test]
async fn readers_get_their_language_or_the_primary_one_and_are_told_which() {
    let Some(app) = TestApp::spawn().await else {
        return;
    };
    let staff = staff(&app).await;
    published(
        &app,
        &staff,
        course("PEN-201", "Diseño de sistemas de pensiones"),
    )
    .await;
    let res = put_as(
        &app,
        "/courses/pen-201/translations/en",
        &staff.instructor,
        json!({"title": "Pension system design", "summary": "Design choices",
               "learning_outcomes": ["Understand design"]}),
    )
    .await;
    assert_eq!(res.status(), StatusCode::OK);

    let en = get_json(&app, "/courses/PEN-201?lang=en").await;
    assert_eq!(en["locale"], "en");
    assert_eq!(en["title"], "Pension system design");
    assert_eq!(en["learning_outcomes"], json!(["Understand design"]));
    assert_eq!(en["available_locales"], json!(["es", "en"]));

    let by_header: serde_json::Value = app
        .client
        .get(app.url("/courses/PEN-201"))
        .header("accept-language", "en-US,en;q=0.9")
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(by_header["locale"], "en");

    let fr = get_json(&app, "/courses/PEN-201?lang=fr").await;
    assert_eq!(
        fr["locale"], "es",
        "no French text: the primary language is served"
    );
    assert_eq!(fr["title"], "Diseño de sistemas de pensiones");
    let list = get_json(&app, "/courses?lang=pt").await;
    assert_eq!(list["items"][0]["locale"], "es");
    assert_eq!(
        list["items"][0]["topic"]["name"], "Previdência",
        "topics have names in every language"
    );
    let list = get_json(&app, "/courses?lang=en").await;
    assert_eq!(list["items"][0]["title"], "Pension system design");
    assert_eq!(list["items"][0]["topic"]["name"], "Pensions");
}

#[actix_web::test]
async fn search_ignores_case_and_accents_in_every_language() {
    let Some(app) = TestApp::spawn().await else {
        return;
    };
    let staff = staff(&app).await;
    published(&app, &staff, course("PEN-201", "Reforma de la Pensión")).await;
    let mut pt = course("PRV-110", "Previdência e Pensão por morte");
    pt["primary_language"] = json!("pt");
    published(&app, &staff, pt).await;
    published(
        &app,
        &staff,
        course("SAL-110", "Financiamiento de la salud"),
    )
    .await;

    let found = get_json(&app, "/courses?q=pension&sort=code").await;
    assert_eq!(codes(&found), ["PEN-201", "PRV-110"]);
    assert_eq!(found["total"], 2);
    let found = get_json(&app, "/courses?q=PENSÃO").await;
    assert_eq!(found["total"], 2);
    let found = get_json(&app, "/courses?q=sal-1").await;
    assert_eq!(codes(&found), ["SAL-110"], "codes are searched too");
    let found = get_json(&app, "/courses?q=%25").await;
    assert_eq!(found["total"], 0, "% is a character, not a wildcard");

    put_as(
        &app,
        "/courses/SAL-110/translations/fr",
        &staff.instructor,
        json!({"title": "Financement de la santé et des hôpitaux"}),
    )
    .await;
    let found = get_json(&app, "/courses?q=hopitaux").await;
    assert_eq!(
        codes(&found),
        ["SAL-110"],
        "a new translation is searchable at once"
    );
}

#[actix_web::test]
async fn each_filter_narrows_the_catalog() {
    let Some(app) = TestApp::spawn().await else {
        return;
    };
    let staff = staff(&app).await;
    let now = app.clock.now();
    published(&app, &staff, course("PEN-201", "Pensiones")).await;
    let mut workshop = course("RIE-150", "Prevención de riesgos del trabajo");
    workshop["topic"] = json!("occupational_risks");
    workshop["programme_type"] = json!("workshop");
    workshop["modality"] = json!("in_person");
    workshop["languages"] = json!(["es", "pt"]);
    published(&app, &staff, workshop).await;
    create_offering(&app, &staff.instructor, "RIE-150", offering(now, -1, 10)).await;
    create_offering(&app, &staff.instructor, "PEN-201", offering(now, 5, 40)).await;

    let only = |q: &'static str| {
        let app = &app;
        async move { codes(&get_json(app, &format!("/courses?{q}")).await) }
    };
    assert_eq!(only("topic=occupational_risks").await, ["RIE-150"]);
    assert_eq!(only("modality=in_person").await, ["RIE-150"]);
    assert_eq!(only("language=pt").await, ["RIE-150"]);
    assert_eq!(only("type=workshop").await, ["RIE-150"]);
    assert_eq!(only("type=course").await, ["PEN-201"]);
    assert_eq!(only("open_now=true").await, ["RIE-150"]);
    assert_eq!(only("sort=code").await, ["PEN-201", "RIE-150"]);
    assert_eq!(only("sort=start").await, ["RIE-150", "PEN-201"]);

    let card = &get_json(&app, "/courses?code=x&topic=occupational_risks").await["items"][0];
    assert_eq!(card["next_offering"]["seats_left"], 30);
    assert_eq!(card["next_offering"]["enrolment_open"], true);
    assert_eq!(card["languages"], json!(["es", "pt"]));
    assert_eq!(card["hours"], 40);

    let body = assert_problem(
        get(&app, "/courses?modality=underwater").await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation_failed",
    )
    .await;
    assert_eq!(body["errors"][0]["field"], "modality");
}

#[actix_web::test]
async fn the_catalog_pages_and_sorts() {
    let Some(app) = TestApp::spawn().await else {
        return;
    };
    let staff = staff(&app).await;
    for i in 0..7 {
        published(
            &app,
            &staff,
            course(&format!("ADM-1{i:02}"), &format!("Curso {}", 7 - i)),
        )
        .await;
    }
    let page = get_json(&app, "/courses?per_page=3&page=3&sort=code").await;
    assert_eq!(page["total"], 7);
    assert_eq!(codes(&page), ["ADM-106"]);
    let by_title = get_json(&app, "/courses?per_page=2&sort=title").await;
    assert_eq!(codes(&by_title), ["ADM-106", "ADM-105"]);
    let newest = get_json(&app, "/courses?per_page=1&sort=newest").await;
    assert_eq!(newest["total"], 7);
}

#[actix_web::test]
async fn an_unchanged_answer_is_revalidated_with_304() {
    let Some(app) = TestApp::spawn().await else {
        return;
    };
    let staff = staff(&app).await;
    published(&app, &staff, course("PEN-201", "Pensiones")).await;
    for path in ["/courses", "/courses/PEN-201", "/topics"] {
        let res = get(&app, path).await;
        let etag = res.headers()["etag"].to_str().unwrap().to_owned();
        let again = app
            .client
            .get(app.url(path))
            .header("if-none-match", &etag)
            .send()
            .await
            .unwrap();
        assert_eq!(again.status(), StatusCode::NOT_MODIFIED, "{path}");
        assert_eq!(again.headers()["etag"], etag.as_str());
    }
    let before = get(&app, "/courses/PEN-201").await.headers()["etag"].clone();
    app.patch_as("/courses/PEN-201", &staff.instructor, json!({"hours": 60}))
        .await;
    let res = app
        .client
        .get(app.url("/courses/PEN-201"))
        .header("if-none-match", before.to_str().unwrap())
        .send()
        .await
        .unwrap();
    assert_eq!(
        res.status(),
        StatusCode::OK,
        "a changed course is sent again"
    );
}

#[actix_web::test]
async fn course_codes_are_checked_and_unique() {
    let Some(app) = TestApp::spawn().await else {
        return;
    };
    let staff = staff(&app).await;
    let created = create_course(
        &app,
        &staff.instructor,
        course("act-301", "Valuación actuarial"),
    )
    .await;
    assert_eq!(created["code"], "ACT-301", "codes are stored upper-case");
    let body = assert_problem(
        app.post_as("/courses", &staff.instructor, course("ACT-301", "Otro"))
            .await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation_failed",
    )
    .await;
    assert_eq!(body["errors"][0]["field"], "code");
    assert_eq!(body["errors"][0]["code"], "code_taken");
    let mut bad = course("ACTUARIAL-1", "Malo");
    bad["hours"] = json!(0);
    bad["topic"] = json!("astrology");
    let body = assert_problem(
        app.post_as("/courses", &staff.instructor, bad).await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation_failed",
    )
    .await;
    let fields: Vec<&str> = body["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["field"].as_str().unwrap())
        .collect();
    assert_eq!(fields, ["code", "hours", "topic"]);
}

#[actix_web::test]
async fn topics_are_named_in_the_readers_language_and_only_admins_add_them() {
    let Some(app) = TestApp::spawn().await else {
        return;
    };
    let staff = staff(&app).await;
    let topics = get_json(&app, "/topics?lang=pt").await;
    let names: Vec<&str> = topics
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["slug"].as_str().unwrap())
        .collect();
    assert_eq!(names.len(), 6);
    assert!(topics
        .as_array()
        .unwrap()
        .iter()
        .any(|t| t["slug"] == "pensions" && t["name"] == "Previdência"));
    let new_topic = json!({"slug": "long_term_care", "name_es": "Cuidados de largo plazo",
        "name_en": "Long-term care", "name_pt": "Cuidados de longa duração", "name_fr": "Soins de longue durée"});
    assert_problem(
        app.post_as("/topics", &staff.instructor, new_topic.clone())
            .await,
        StatusCode::FORBIDDEN,
        "forbidden",
    )
    .await;
    let created = app
        .post_as("/topics", &staff.admin, new_topic.clone())
        .await;
    assert_eq!(created.status(), StatusCode::CREATED);
    let body = assert_problem(
        app.post_as("/topics", &staff.admin, new_topic).await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation_failed",
    )
    .await;
    assert_eq!(body["errors"][0]["code"], "taken");
    let mut cared = course("CLP-101", "Cuidados");
    cared["topic"] = json!("long_term_care");
    published(&app, &staff, cared).await;
    let en = get_json(&app, "/courses?topic=long_term_care&lang=en").await;
    assert_eq!(en["items"][0]["topic"]["name"], "Long-term care");
}

#[actix_web::test]
async fn the_primary_language_must_have_the_course_text() {
    let Some(app) = TestApp::spawn().await else {
        return;
    };
    let staff = staff(&app).await;
    create_course(&app, &staff.instructor, course("PEN-201", "Pensiones")).await;
    let body = assert_problem(
        app.patch_as(
            "/courses/PEN-201",
            &staff.instructor,
            json!({"primary_language": "en"}),
        )
        .await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation_failed",
    )
    .await;
    assert_eq!(body["errors"][0]["code"], "not_translated");
    put_as(
        &app,
        "/courses/PEN-201/translations/en",
        &staff.instructor,
        json!({"title": "Pensions"}),
    )
    .await;
    let res = app
        .patch_as(
            "/courses/PEN-201",
            &staff.instructor,
            json!({"primary_language": "en"}),
        )
        .await;
    let course: serde_json::Value = res.json().await.unwrap();
    assert_eq!(
        (
            course["primary_language"].as_str(),
            course["title"].as_str()
        ),
        (Some("en"), Some("Pensions"))
    );
}

#[actix_web::test]
async fn a_change_written_by_another_instance_reaches_the_in_memory_catalog_within_a_second() {
    use aula_catalog::{search, view};
    use aula_core::PageRequest;
    use aula_db::schema::{course_translations, offerings};
    use diesel::prelude::*;
    use std::time::{Duration, Instant};

    let Some(app) = TestApp::spawn().await else {
        return;
    };
    let staff = staff(&app).await;
    create_course(&app, &staff.instructor, course("PEN-201", "Pensiones")).await;
    let now = app.clock.now();
    create_offering(&app, &staff.instructor, "PEN-201", offering(now, -1, 10)).await;
    publish(&app, &staff.admin, "PEN-201").await;
    // As a server does by default: a confirmed snapshot is trusted for 250 ms.
    let catalog = app
        .catalog
        .clone()
        .with_catalog_refresh(Duration::from_millis(250));
    let mut conn = app.db.conn();
    let filter = search::CourseFilter::default();
    let read = |conn: &mut aula_db::DbConnection| {
        let page =
            match search::list_from_memory(&catalog, None, &filter, PageRequest::new(1, 20), None)
                .unwrap()
            {
                Some(page) => page,
                None => search::list(conn, &catalog, None, &filter, PageRequest::new(1, 20), None)
                    .unwrap(),
            };
        let card = &page.items[0];
        let seats = card.next_offering.as_ref().expect("an edition").seats_left;
        let detail = view::page(conn, &catalog, None, "PEN-201", None).unwrap();
        (card.title.clone(), seats, detail.title)
    };
    let (title, seats, _) = read(&mut conn);
    assert_eq!(title, "Pensiones");

    // Another instance writes: no notice reaches this process, only the version row.
    diesel::update(course_translations::table)
        .set(course_translations::title.eq("Pensiones 2027"))
        .execute(&mut conn)
        .unwrap();
    diesel::update(offerings::table)
        .set(offerings::seats_taken.eq(offerings::seats_taken + 3))
        .execute(&mut conn)
        .unwrap();
    let written = Instant::now();
    loop {
        let now = read(&mut conn);
        if now == ("Pensiones 2027".into(), seats - 3, "Pensiones 2027".into()) {
            break;
        }
        assert!(
            written.elapsed() < Duration::from_secs(1),
            "still {now:?} a second after the change"
        );
        actix_web::rt::time::sleep(Duration::from_millis(20)).await;
    }
}
