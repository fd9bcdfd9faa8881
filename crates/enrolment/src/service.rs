use std::sync::Arc;

use aula_catalog::{Catalog, Storage};
use aula_core::{SharedClock, SharedTokenSource};
use aula_identity::Identity;
use chrono::NaiveDateTime;

/// What enrolment rules need besides the connection: the clock, a token source (file
/// names), the file store, the catalog service on the same clock and store (offering
/// changes go through its rules), the identity service (to invite people enrolled in
/// bulk), where mail links point, and the largest document accepted.
#[derive(Clone)]
pub struct Admissions {
    pub(crate) clock: SharedClock,
    pub(crate) tokens: SharedTokenSource,
    pub(crate) storage: Arc<dyn Storage>,
    catalog: Catalog,
    pub(crate) identity: Identity,
    pub(crate) public_url: String,
    pub(crate) max_document_bytes: usize,
}

impl Admissions {
    pub fn new(
        clock: SharedClock,
        tokens: SharedTokenSource,
        storage: Arc<dyn Storage>,
        identity: Identity,
        public_url: &str,
        max_document_bytes: usize,
    ) -> Self {
        let catalog = Catalog::new(clock.clone(), storage.clone(), Arc::new(crate::SeatHolders));
        Self {
            clock,
            tokens,
            storage,
            catalog,
            identity,
            public_url: public_url.trim_end_matches('/').to_owned(),
            max_document_bytes,
        }
    }

    pub fn now(&self) -> NaiveDateTime {
        self.clock.now()
    }

    /// The catalog's rules on this service's clock and file store, with seat holders
    /// as the readers of lesson content.
    pub fn catalog(&self) -> &Catalog {
        &self.catalog
    }

    pub(crate) fn learning_link(&self) -> String {
        format!("{}/learning", self.public_url)
    }

    /// A coordinator's queue of applications waiting for endorsement.
    pub(crate) fn endorsements_link(&self) -> String {
        format!("{}/coordinator?tab=endorsements", self.public_url)
    }
}
