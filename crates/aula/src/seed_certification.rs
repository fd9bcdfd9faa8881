//! Demo certificates for `aula seed demo`, made through the certification rules: two
//! signatories (one with a signature image), and in the finished `SAL-110` offering
//! participation certificates for everyone eligible, one issued by override and then
//! revoked, and the demo student's reissued (so the first verifies as superseded).
//! The finished `ACT-210` offering is left for staff to issue. An offering that
//! already has certificates is left as it is.

use std::sync::Arc;

use aula_assessment::Assessment;
use aula_catalog::{offerings, CatalogError, Storage};
use aula_certification::{
    issue::{self, IssueInput, ReasonInput},
    jobs, lists,
    signatories::{self, SignatoryInput},
    standing::{self, Change},
    Certification, Kind,
};
use aula_core::{OsTokenSource, SystemClock};
use aula_db::DbConnection;
use aula_enrolment::participants;
use aula_identity::users;

use crate::{config::Settings, serve};

const SIGNATURE: &[u8] = include_bytes!("../assets/signature-demo.png");

pub fn service(settings: &Settings, storage: Arc<dyn Storage>) -> Certification {
    let assessment = Assessment::new(
        Arc::new(SystemClock),
        Arc::new(OsTokenSource),
        storage.clone(),
        &settings.public_url,
        settings.max_upload_bytes,
    );
    Certification::new(
        Arc::new(SystemClock),
        Arc::new(OsTokenSource),
        storage,
        assessment,
        &settings.public_url,
    )
}

/// Returns how many records were made, and the verification URL of a valid certificate.
pub fn demo(
    conn: &mut DbConnection,
    settings: &Settings,
) -> Result<(usize, Option<String>), serve::Error> {
    let (Some(admin), Some(instructor)) = (
        users::find_by_email(conn, "admin@demo.test")?,
        users::find_by_email(conn, "instructor@demo.test")?,
    ) else {
        return Ok((0, None));
    };
    let storage = settings.storage()?;
    let svc = service(settings, storage.clone());
    let catalog = aula_catalog::Catalog::new(
        Arc::new(SystemClock),
        storage,
        Arc::new(aula_enrolment::SeatHolders),
    );
    let all = match offerings::list_for_course(conn, &catalog, Some(&admin), "SAL-110") {
        Err(CatalogError::CourseNotFound) => return Ok((0, None)),
        found => found?,
    };
    let Some(offering) = all.first() else {
        return Ok((0, None));
    };
    let page = aula_core::PageRequest::new(1, 1);
    if lists::of_offering(conn, &svc, &admin, offering.id, page)?.total > 0 {
        return Ok((0, None));
    }
    let mut created = 0;
    if signatories::list(conn, &admin)?.is_empty() {
        let director = signatories::create(
            conn,
            &svc,
            &admin,
            SignatoryInput {
                name: "Dra. Gabriela Ríos Peñaloza".into(),
                title: "Directora del CIESS".into(),
                position: 0,
                active: true,
            },
        )?;
        signatories::set_signature(conn, &svc, &admin, director.id, SIGNATURE)?;
        signatories::create(
            conn,
            &svc,
            &admin,
            SignatoryInput {
                name: "Mtro. João Conceição".into(),
                title: "Coordinador Académico".into(),
                position: 1,
                active: true,
            },
        )?;
        created += 2;
    }
    let people = participants::of_offering(conn, offering.id)?;
    let seat = |email: &str| {
        people
            .iter()
            .find(|p| p.user.email == email)
            .map(|p| p.enrolment_id)
    };
    let everyone = issue::issue(
        conn,
        &svc,
        &instructor,
        offering.id,
        IssueInput {
            kind: Kind::Participation,
            enrolment_ids: None,
            override_reason: None,
        },
    )?;
    created += everyone.issued.len();
    if let Some(jean) = seat("jean.baptiste@demo.test") {
        let waived = issue::issue(
            conn,
            &svc,
            &instructor,
            offering.id,
            IssueInput {
                kind: Kind::Participation,
                enrolment_ids: Some(vec![jean]),
                override_reason: Some(
                    "Inasistencias justificadas por comisión de servicio.".into(),
                ),
            },
        )?;
        for made in waived.issued {
            standing::change(
                conn,
                &svc,
                &instructor,
                made.id,
                Change::Revoke,
                ReasonInput {
                    reason: "Emitido por error: la comisión de servicio no fue acreditada.".into(),
                },
            )?;
            created += 1;
        }
    }
    let student = seat("student@demo.test");
    let mut verify_url = None;
    for made in &everyone.issued {
        let view = lists::get(conn, &svc, &instructor, made.id)?;
        if Some(view.enrolment_id) == student {
            let again = issue::reissue(
                conn,
                &svc,
                &instructor,
                made.id,
                ReasonInput {
                    reason: "Corrección del nombre a petición de la participante.".into(),
                },
            )?;
            verify_url = Some(svc.verify_url(&again.code));
            created += 1;
        }
    }
    // The PDFs and badges, as the server's background runner would make them.
    jobs::drain(conn, &svc)?;
    Ok((created, verify_url))
}
