use std::{path::PathBuf, sync::Arc};

use aula_assessment::Assessment;
use aula_catalog::Catalog;
use aula_db::{Backend, DbPool};
use aula_enrolment::Admissions;
use aula_identity::Identity;
use aula_mail::Notifier;

/// Settings of the HTTP layer itself.
#[derive(Debug, Clone)]
pub struct ApiConfig {
    /// Built web UI (`frontend/dist`); `None` serves the API alone.
    pub frontend_dir: Option<PathBuf>,
    pub max_json_bytes: usize,
    /// Largest document accepted for a lesson.
    pub max_upload_bytes: usize,
    /// Take the client address from proxy headers (only behind a trusted proxy).
    pub trust_proxy: bool,
    /// Uploads received at once (lesson files and application documents); more are
    /// refused with 503.
    pub max_concurrent_uploads: usize,
    /// The bearer token `GET /metrics` asks for; `None`: no metrics served.
    pub metrics_token: Option<String>,
}

impl Default for ApiConfig {
    fn default() -> Self {
        Self {
            frontend_dir: None,
            max_json_bytes: 64 * 1024,
            max_upload_bytes: 20 * 1024 * 1024,
            trust_proxy: false,
            max_concurrent_uploads: 8,
            metrics_token: None,
        }
    }
}

/// Shared by every request.
pub struct AppState {
    pub pool: DbPool,
    pub backend: Backend,
    pub identity: Identity,
    /// Wakes the mail worker after a request queued mail.
    pub mail: Notifier,
    /// Catalog rules' clock, lesson documents and seat check.
    pub catalog: Catalog,
    /// Enrolment and admission rules.
    pub admissions: Arc<Admissions>,
    /// Assignments, grading and the gradebook.
    pub assessment: Arc<Assessment>,
    /// Certificates: eligibility, issue, verification.
    pub certification: Arc<aula_certification::Certification>,
    pub config: ApiConfig,
    /// What this instance has answered, for `GET /metrics`.
    pub metrics: Arc<crate::metrics::Metrics>,
    /// Slots for uploads being received (`config.max_concurrent_uploads` of them).
    pub uploads: crate::UploadSlots,
}
