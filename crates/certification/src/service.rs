use std::sync::Arc;

use aula_assessment::Assessment;
use aula_catalog::Storage;
use aula_core::{SharedClock, SharedTokenSource};
use aula_identity::Limit;
use chrono::{NaiveDateTime, TimeDelta};

/// What certification rules need besides the connection: the clock, a token source
/// (codes, salts, signing keys), the file store for PDFs, the assessment service (final
/// grades), the public address links and credentials point to, and the centre's name.
#[derive(Clone)]
pub struct Certification {
    pub(crate) clock: SharedClock,
    pub(crate) tokens: SharedTokenSource,
    pub(crate) storage: Arc<dyn Storage>,
    pub(crate) assessment: Assessment,
    pub(crate) public_url: String,
    pub(crate) centre: String,
    /// Public verification per address.
    pub(crate) verify_limit: Limit,
}

/// The issuing centre, as certificates and badges name it.
pub const CENTRE: &str = "Centro Interamericano de Estudios de Seguridad Social (CIESS)";

impl Certification {
    pub fn new(
        clock: SharedClock,
        tokens: SharedTokenSource,
        storage: Arc<dyn Storage>,
        assessment: Assessment,
        public_url: &str,
    ) -> Self {
        Self {
            clock,
            tokens,
            storage,
            assessment,
            public_url: public_url.trim_end_matches('/').to_owned(),
            centre: CENTRE.to_owned(),
            verify_limit: Limit {
                max: 60,
                window: TimeDelta::minutes(1),
            },
        }
    }

    /// How many verifications one address may make per window.
    pub fn with_verify_limit(mut self, limit: Limit) -> Self {
        self.verify_limit = limit;
        self
    }

    pub fn now(&self) -> NaiveDateTime {
        self.clock.now()
    }

    pub fn public_url(&self) -> &str {
        &self.public_url
    }

    /// The page the QR code opens.
    pub fn verify_url(&self, code: &str) -> String {
        format!("{}/verify/{code}", self.public_url)
    }

    pub(crate) fn api_url(&self, path: &str) -> String {
        format!("{}/api/v1{path}", self.public_url)
    }

    /// The issuer profile's id (a stable URL that answers with the profile).
    pub fn issuer_id(&self) -> String {
        self.api_url("/issuer")
    }
}
