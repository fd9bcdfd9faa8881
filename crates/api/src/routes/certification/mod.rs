//! Certification: eligibility and issuing (staff), certificates and their files
//! (holders, staff, coordinators), signatories (administrators), and the public
//! verification, issuer profile, keys and status lists.

pub mod public;
pub mod signatories;

use actix_web::{get, post, put, web, HttpRequest, HttpResponse};
use aula_certification::{
    eligibility::{self, CertificateRef, EligibilityReport},
    issue::{self, IssueInput, IssueReport, ReasonInput},
    lists::{self, CertificateView},
    settings::{self, Settings},
    standing::{self, Change},
    Certification, CertificationError,
};
use aula_core::{Page, PageRequest};
use aula_db::DbConnection;

use crate::{
    error::{ApiError, Problem},
    extract::{db, ApiJson, CurrentUser},
    routes::{attachment, csv, enrolments::lang},
    state::AppState,
};

/// Runs certification rules on a pooled connection off the async threads.
pub(crate) async fn with_certification<T, F>(state: &AppState, work: F) -> Result<T, ApiError>
where
    F: FnOnce(&mut DbConnection, &Certification) -> Result<T, CertificationError> + Send + 'static,
    T: Send + 'static,
{
    let rules = state.certification.clone();
    db(state, move |conn| Ok(work(conn, &rules)?)).await
}

/// Who has earned which certificate, rule by rule with the values judged (staff).
#[utoipa::path(operation_id = "get_certification_report", tag = "certification", security(("bearer" = [])), params(("id" = i64, Path)),
    responses((status = 200, body = EligibilityReport), (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json")))]
#[get("/offerings/{id}/certification")]
pub async fn eligibility_report(
    req: HttpRequest,
    state: web::Data<AppState>,
    CurrentUser(actor): CurrentUser,
    id: web::Path<i64>,
) -> Result<HttpResponse, ApiError> {
    let locale = lang(&req, &actor);
    let found = with_certification(&state, move |conn, svc| {
        eligibility::report(conn, svc, &actor, id.into_inner(), locale)
    })
    .await?;
    Ok(HttpResponse::Ok().json(found))
}

/// Automatic issue and validity of the offering's certificates (staff).
#[utoipa::path(operation_id = "put_certification_settings", tag = "certification", security(("bearer" = [])), params(("id" = i64, Path)),
    request_body = Settings,
    responses((status = 200, body = Settings), (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json"), (status = 422, body = Problem, content_type = "application/problem+json")))]
#[put("/offerings/{id}/certification/settings")]
pub async fn put_settings(
    state: web::Data<AppState>,
    CurrentUser(actor): CurrentUser,
    id: web::Path<i64>,
    ApiJson(body): ApiJson<Settings>,
) -> Result<HttpResponse, ApiError> {
    let saved = with_certification(&state, move |conn, svc| {
        settings::update(conn, svc, &actor, id.into_inner(), body)
    })
    .await?;
    Ok(HttpResponse::Ok().json(saved))
}

/// Issues certificates of one kind: to the people named, or to everyone eligible.
/// Running it again issues nothing new. PDFs, badges and mail follow in the background.
#[utoipa::path(operation_id = "issue_certificates", tag = "certification", security(("bearer" = [])), params(("id" = i64, Path)),
    request_body = IssueInput,
    responses((status = 200, body = IssueReport), (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "`not_eligible`: a person named does not meet the rules (no override given)", body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json")))]
#[post("/offerings/{id}/certificates")]
pub async fn issue_certificates(
    state: web::Data<AppState>,
    CurrentUser(actor): CurrentUser,
    id: web::Path<i64>,
    ApiJson(body): ApiJson<IssueInput>,
) -> Result<HttpResponse, ApiError> {
    let issued = with_certification(&state, move |conn, svc| {
        issue::issue(conn, svc, &actor, id.into_inner(), body)
    })
    .await?;
    Ok(HttpResponse::Ok().json(issued))
}

/// The offering's certificates, newest first (staff).
#[utoipa::path(operation_id = "list_offering_certificates", tag = "certification", security(("bearer" = [])),
    params(("id" = i64, Path), PageRequest),
    responses((status = 200, body = Page<CertificateView>), (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json")))]
#[get("/offerings/{id}/certificates")]
pub async fn list_for_offering(
    state: web::Data<AppState>,
    CurrentUser(actor): CurrentUser,
    id: web::Path<i64>,
    page: web::Query<PageRequest>,
) -> Result<HttpResponse, ApiError> {
    let list = with_certification(&state, move |conn, svc| {
        lists::of_offering(conn, svc, &actor, id.into_inner(), page.into_inner())
    })
    .await?;
    Ok(HttpResponse::Ok().json(list))
}

/// The offering's register of certificates as CSV (staff).
#[utoipa::path(operation_id = "export_offering_certificates", tag = "certification", security(("bearer" = [])), params(("id" = i64, Path)),
    responses((status = 200, description = "CSV, UTF-8 with a byte-order mark", content_type = "text/csv"),
        (status = 403, body = Problem, content_type = "application/problem+json"), (status = 404, body = Problem, content_type = "application/problem+json")))]
#[get("/offerings/{id}/certificates.csv")]
pub async fn register(
    state: web::Data<AppState>,
    CurrentUser(actor): CurrentUser,
    id: web::Path<i64>,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    let bytes = with_certification(&state, move |conn, svc| {
        lists::offering_register(conn, svc, &actor, id)
    })
    .await?;
    Ok(csv(&format!("certificates-{id}.csv"), bytes))
}

/// The PDFs of the offering's certificates in force, as one ZIP (staff).
#[utoipa::path(operation_id = "archive_offering_certificates", tag = "certification", security(("bearer" = [])), params(("id" = i64, Path)),
    responses((status = 200, description = "A ZIP of PDFs", content_type = "application/zip"),
        (status = 403, body = Problem, content_type = "application/problem+json"), (status = 404, body = Problem, content_type = "application/problem+json")))]
#[get("/offerings/{id}/certificates.zip")]
pub async fn archive(
    state: web::Data<AppState>,
    CurrentUser(actor): CurrentUser,
    id: web::Path<i64>,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    let bytes = with_certification(&state, move |conn, svc| {
        lists::offering_archive(conn, svc, &actor, id)
    })
    .await?;
    Ok(attachment(
        &format!("certificates-{id}.zip"),
        "application/zip",
        bytes,
    ))
}

/// One certificate (its holder, the offering's staff, the holder's coordinator).
#[utoipa::path(operation_id = "get_certificate", tag = "certification", security(("bearer" = [])), params(("id" = i64, Path)),
    responses((status = 200, body = CertificateView), (status = 404, body = Problem, content_type = "application/problem+json")))]
#[get("/certificates/{id}")]
pub async fn get(
    state: web::Data<AppState>,
    CurrentUser(actor): CurrentUser,
    id: web::Path<i64>,
) -> Result<HttpResponse, ApiError> {
    let view = with_certification(&state, move |conn, svc| {
        lists::get(conn, svc, &actor, id.into_inner())
    })
    .await?;
    Ok(HttpResponse::Ok().json(view))
}

/// The certificate's PDF.
#[utoipa::path(operation_id = "download_certificate_pdf", tag = "certification", security(("bearer" = [])), params(("id" = i64, Path)),
    responses((status = 200, description = "The PDF", content_type = "application/pdf"),
        (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "`certificate_pending`: still being prepared", body = Problem, content_type = "application/problem+json")))]
#[get("/certificates/{id}/pdf")]
pub async fn pdf(
    state: web::Data<AppState>,
    CurrentUser(actor): CurrentUser,
    id: web::Path<i64>,
) -> Result<HttpResponse, ApiError> {
    let (name, bytes) = with_certification(&state, move |conn, svc| {
        lists::pdf(conn, svc, &actor, id.into_inner())
    })
    .await?;
    Ok(attachment(&name, "application/pdf", bytes))
}

/// The certificate's Open Badges 3.0 credential, signed (VC-JWT).
#[utoipa::path(operation_id = "download_certificate_badge", tag = "certification", security(("bearer" = [])), params(("id" = i64, Path)),
    responses((status = 200, description = "The signed credential", body = String, content_type = "application/vc+jwt"),
        (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "`certificate_pending`: still being prepared", body = Problem, content_type = "application/problem+json")))]
#[get("/certificates/{id}/badge")]
pub async fn badge(
    state: web::Data<AppState>,
    CurrentUser(actor): CurrentUser,
    id: web::Path<i64>,
) -> Result<HttpResponse, ApiError> {
    let (name, jwt) = with_certification(&state, move |conn, _| {
        lists::badge(conn, &actor, id.into_inner())
    })
    .await?;
    Ok(attachment(&name, "application/vc+jwt", jwt.into_bytes()))
}

/// Replaces a certificate in force with a new version (new code, today's data, the
/// same award date); the old one then verifies as superseded (staff).
#[utoipa::path(operation_id = "reissue_certificate", tag = "certification", security(("bearer" = [])), params(("id" = i64, Path)),
    request_body = ReasonInput,
    responses((status = 201, body = CertificateRef), (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "`certificate_status_conflict`: not in force", body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json")))]
#[post("/certificates/{id}/reissue")]
pub async fn reissue(
    state: web::Data<AppState>,
    CurrentUser(actor): CurrentUser,
    id: web::Path<i64>,
    ApiJson(body): ApiJson<ReasonInput>,
) -> Result<HttpResponse, ApiError> {
    let made = with_certification(&state, move |conn, svc| {
        issue::reissue(conn, svc, &actor, id.into_inner(), body)
    })
    .await?;
    Ok(HttpResponse::Created().json(made))
}

async fn change(
    state: web::Data<AppState>,
    actor: aula_identity::User,
    id: i64,
    body: ReasonInput,
    change: Change,
) -> Result<HttpResponse, ApiError> {
    let view = with_certification(&state, move |conn, svc| {
        standing::change(conn, svc, &actor, id, change, body)
    })
    .await?;
    Ok(HttpResponse::Ok().json(view))
}

/// Suspends a valid certificate, with a reason (staff).
#[utoipa::path(operation_id = "suspend_certificate", tag = "certification", security(("bearer" = [])), params(("id" = i64, Path)),
    request_body = ReasonInput,
    responses((status = 200, body = CertificateView), (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "`certificate_status_conflict`", body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json")))]
#[post("/certificates/{id}/suspend")]
pub async fn suspend(
    state: web::Data<AppState>,
    CurrentUser(actor): CurrentUser,
    id: web::Path<i64>,
    ApiJson(body): ApiJson<ReasonInput>,
) -> Result<HttpResponse, ApiError> {
    change(state, actor, id.into_inner(), body, Change::Suspend).await
}

/// Lifts a suspension, with a reason (staff).
#[utoipa::path(operation_id = "reinstate_certificate", tag = "certification", security(("bearer" = [])), params(("id" = i64, Path)),
    request_body = ReasonInput,
    responses((status = 200, body = CertificateView), (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "`certificate_status_conflict`", body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json")))]
#[post("/certificates/{id}/reinstate")]
pub async fn reinstate(
    state: web::Data<AppState>,
    CurrentUser(actor): CurrentUser,
    id: web::Path<i64>,
    ApiJson(body): ApiJson<ReasonInput>,
) -> Result<HttpResponse, ApiError> {
    change(state, actor, id.into_inner(), body, Change::Reinstate).await
}

/// Revokes a certificate in force for good, with a reason (staff).
#[utoipa::path(operation_id = "revoke_certificate", tag = "certification", security(("bearer" = [])), params(("id" = i64, Path)),
    request_body = ReasonInput,
    responses((status = 200, body = CertificateView), (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "`certificate_status_conflict`: already revoked or superseded", body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json")))]
#[post("/certificates/{id}/revoke")]
pub async fn revoke(
    state: web::Data<AppState>,
    CurrentUser(actor): CurrentUser,
    id: web::Path<i64>,
    ApiJson(body): ApiJson<ReasonInput>,
) -> Result<HttpResponse, ApiError> {
    change(state, actor, id.into_inner(), body, Change::Revoke).await
}

/// The signed-in person's certificates, every version, newest first.
#[utoipa::path(operation_id = "list_my_certificates", tag = "certification", security(("bearer" = [])),
    responses((status = 200, body = Vec<CertificateView>), (status = 401, body = Problem, content_type = "application/problem+json")))]
#[get("/me/certificates")]
pub async fn mine(
    state: web::Data<AppState>,
    CurrentUser(actor): CurrentUser,
) -> Result<HttpResponse, ApiError> {
    let list = with_certification(&state, move |conn, svc| lists::mine(conn, svc, &actor)).await?;
    Ok(HttpResponse::Ok().json(list))
}

/// The certificates of the coordinator's institution's people.
#[utoipa::path(operation_id = "list_institution_certificates", tag = "certification", security(("bearer" = [])), params(PageRequest),
    responses((status = 200, body = Page<CertificateView>), (status = 403, body = Problem, content_type = "application/problem+json")))]
#[get("/coordinator/certificates")]
pub async fn of_institution(
    state: web::Data<AppState>,
    CurrentUser(actor): CurrentUser,
    page: web::Query<PageRequest>,
) -> Result<HttpResponse, ApiError> {
    let list = with_certification(&state, move |conn, svc| {
        lists::of_institution(conn, svc, &actor, page.into_inner())
    })
    .await?;
    Ok(HttpResponse::Ok().json(list))
}

/// The coordinator's institution's register as CSV.
#[utoipa::path(operation_id = "export_institution_certificates", tag = "certification", security(("bearer" = [])),
    responses((status = 200, description = "CSV, UTF-8 with a byte-order mark", content_type = "text/csv"),
        (status = 403, body = Problem, content_type = "application/problem+json")))]
#[get("/coordinator/certificates.csv")]
pub async fn institution_register(
    state: web::Data<AppState>,
    CurrentUser(actor): CurrentUser,
) -> Result<HttpResponse, ApiError> {
    let bytes = with_certification(&state, move |conn, svc| {
        lists::institution_register(conn, svc, &actor)
    })
    .await?;
    Ok(csv("certificates.csv", bytes))
}
