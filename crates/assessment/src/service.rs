use std::sync::Arc;

use aula_catalog::Storage;
use aula_core::{SharedClock, SharedTokenSource};
use chrono::NaiveDateTime;

/// What assessment rules need besides the connection: the clock, a token source (file
/// keys), the file store and where mail links point.
#[derive(Clone)]
pub struct Assessment {
    pub(crate) clock: SharedClock,
    pub(crate) tokens: SharedTokenSource,
    pub(crate) storage: Arc<dyn Storage>,
    pub(crate) public_url: String,
    /// The largest file an assignment may accept (the server's upload limit).
    pub(crate) max_file_bytes: i64,
}

impl Assessment {
    pub fn new(
        clock: SharedClock,
        tokens: SharedTokenSource,
        storage: Arc<dyn Storage>,
        public_url: &str,
        max_file_bytes: usize,
    ) -> Self {
        Self {
            clock,
            tokens,
            storage,
            public_url: public_url.trim_end_matches('/').to_owned(),
            max_file_bytes: i64::try_from(max_file_bytes).unwrap_or(i64::MAX),
        }
    }

    pub fn now(&self) -> NaiveDateTime {
        self.clock.now()
    }

    pub fn max_file_bytes(&self) -> i64 {
        self.max_file_bytes
    }

    /// The learner's page of one assignment.
    pub(crate) fn assignment_link(&self, id: i64) -> String {
        format!("{}/assignments/{id}", self.public_url)
    }
}
