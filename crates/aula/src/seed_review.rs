//! A draft whose instructor asked for review, so the administrators' review queue has
//! something to show in the demo.

use aula_catalog::{
    courses::{self, CourseInput, TranslationInput},
    model::{AdmissionPolicy, Level, Modality, ProgrammeType},
    offerings::{self, OfferingInput},
    publication, view, Catalog, CatalogError,
};
use aula_core::Locale;
use aula_db::DbConnection;
use aula_identity::User;
use chrono::Duration;

const CODE: &str = "SEG-150";

/// Creates the draft with one edition and asks for its review; 0 when already there.
pub fn demo(
    conn: &mut DbConnection,
    instructor: &User,
    catalog: &Catalog,
) -> Result<usize, CatalogError> {
    if view::detail(conn, Some(instructor), CODE, None).is_ok() {
        return Ok(0);
    }
    let input = CourseInput {
        code: Some(CODE.into()),
        topic: Some("administration".into()),
        programme_type: Some(ProgrammeType::Course),
        modality: Some(Modality::Online),
        level: Some(Level::Introductory),
        hours: Some(16),
        primary_language: Some(Locale::Es),
        languages: Some(vec![Locale::Es]),
        prerequisites: None,
        instructor_ids: None,
        translation: Some(TranslationInput {
            title: "Atención de reclamos en la seguridad social".into(),
            summary: "Cómo recibir, resolver y responder los reclamos de las personas aseguradas."
                .into(),
            description_md: "Para equipos de atención al público de las instituciones.".into(),
            learning_outcomes: vec!["Resolver un reclamo en plazo".into()],
        }),
    };
    let code = courses::create(conn, catalog, instructor, &input)?;
    let now = catalog.now();
    let start = (now + Duration::days(60)).date();
    let edition = OfferingInput {
        start_date: Some(start),
        end_date: Some(start + Duration::days(21)),
        enrolment_opens_at: Some((now + Duration::days(10)).and_utc()),
        enrolment_closes_at: Some((now + Duration::days(55)).and_utc()),
        time_zone: Some("America/Mexico_City".into()),
        capacity: Some(30),
        admission_policy: Some(AdmissionPolicy::Open),
        currency: Some("USD".into()),
        ..Default::default()
    };
    offerings::create(conn, catalog, instructor, &code, &edition)?;
    publication::request_review(conn, catalog, instructor, &code)?;
    Ok(2)
}
