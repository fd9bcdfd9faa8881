//! Lesson content follows the enrolment check the catalog is given.

use std::sync::Arc;

use aula_catalog::{
    courses::{self, CourseInput, TranslationInput},
    lessons::{self, LessonInput},
    model::{LessonKind, Level, Modality, ProgrammeType},
    modules::{self, ModuleInput},
    Catalog, CatalogError, EnrolmentCheck, LocalStorage, NoEnrolments,
};
use aula_core::{Locale, OsTokenSource, SystemClock};
use aula_db::{testing::TestDb, DbConnection};
use aula_identity::{AuthConfig, Identity, Limits, NewUser, Role};

/// Enrolled in one course only.
struct EnrolledIn(i64, i64);

impl EnrolmentCheck for EnrolledIn {
    fn is_enrolled(
        &self,
        _: &mut DbConnection,
        user_id: i64,
        course_id: i64,
    ) -> aula_catalog::Result<bool> {
        Ok((user_id, course_id) == (self.0, self.1))
    }
}

#[test]
fn enrolled_people_read_lessons_and_others_do_not() {
    let Some(db) = TestDb::new() else { return };
    let mut conn = db.conn();
    let identity = Identity::new(
        Arc::new(SystemClock),
        Arc::new(OsTokenSource),
        b"catalog-test-secret-catalog-test-secret",
        AuthConfig {
            public_url: "https://aula.test".into(),
            limits: Limits::default(),
        },
    );
    let person = |email: &str, role: Role| NewUser {
        email: email.into(),
        full_name: email.into(),
        password: "cotización-2026".into(),
        locale: Locale::Es,
        institution_id: None,
        roles: vec![role],
    };
    let admin = aula_identity::auth::create_user(
        &mut conn,
        &identity,
        &person("admin@demo.test", Role::Admin),
    )
    .unwrap();
    let student = aula_identity::auth::create_user(
        &mut conn,
        &identity,
        &person("student@demo.test", Role::Student),
    )
    .unwrap();
    let files = tempfile::tempdir().unwrap();
    let with = |check: EnrolledIn| {
        let storage = Arc::new(LocalStorage::new(files.path()));
        Catalog::new(Arc::new(SystemClock), storage, Arc::new(check))
    };
    let catalog = Catalog::new(
        Arc::new(SystemClock),
        Arc::new(LocalStorage::new(files.path())),
        Arc::new(NoEnrolments),
    );
    let input = CourseInput {
        code: Some("PEN-201".into()),
        topic: Some("pensions".into()),
        programme_type: Some(ProgrammeType::Course),
        modality: Some(Modality::Online),
        level: Some(Level::Introductory),
        hours: Some(10),
        primary_language: Some(Locale::Es),
        translation: Some(TranslationInput {
            title: "Pensiones".into(),
            ..Default::default()
        }),
        ..Default::default()
    };
    let code = courses::create(&mut conn, &catalog, &admin, &input).unwrap();
    put_in_catalog(&mut conn, &code);
    let module = modules::create(
        &mut conn,
        &admin,
        &code,
        &ModuleInput {
            title: "Uno".into(),
        },
    )
    .unwrap();
    let lesson = LessonInput {
        title: Some("Lectura".into()),
        kind: Some(LessonKind::Text),
        body_md: Some("Texto".into()),
        ..Default::default()
    };
    let lesson = lessons::create(&mut conn, &catalog, &admin, module.id, &lesson).unwrap();
    let course_id = aula_catalog::view::detail(&mut conn, None, &code, None)
        .unwrap()
        .id;

    let refused = lessons::get(&mut conn, &catalog, Some(&student), lesson.id);
    assert!(matches!(refused, Err(CatalogError::NotEnrolled)));
    let elsewhere = with(EnrolledIn(student.id, course_id + 1));
    assert!(matches!(
        lessons::get(&mut conn, &elsewhere, Some(&student), lesson.id),
        Err(CatalogError::NotEnrolled)
    ));
    let enrolled = with(EnrolledIn(student.id, course_id));
    let read = lessons::get(&mut conn, &enrolled, Some(&student), lesson.id).unwrap();
    assert_eq!(read.body_html.as_deref(), Some("<p>Texto</p>\n"));
}

/// Puts a course in the catalog without the readiness checks of publishing (an edition,
/// every text), which have their own tests.
fn put_in_catalog(conn: &mut aula_db::DbConnection, code: &str) {
    use aula_db::schema::courses;
    use diesel::prelude::*;
    diesel::update(courses::table.filter(courses::code.eq(code)))
        .set(courses::status.eq("published"))
        .execute(conn)
        .expect("put the course in the catalog");
}
