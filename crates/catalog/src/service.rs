use std::sync::Arc;

use aula_core::SharedClock;
use chrono::NaiveDateTime;

use crate::{read_model::ReadModel, EnrolmentCheck, Storage};

/// What catalog rules need besides the connection: the clock (enrolment windows,
/// timestamps), the file store for lesson documents, and who holds a seat (lesson
/// content is for them and the course's editors), and the published catalog kept in
/// memory.
#[derive(Clone)]
pub struct Catalog {
    clock: SharedClock,
    storage: Arc<dyn Storage>,
    enrolments: Arc<dyn EnrolmentCheck>,
    read_model: Arc<ReadModel>,
}

impl Catalog {
    pub fn new(
        clock: SharedClock,
        storage: Arc<dyn Storage>,
        enrolments: Arc<dyn EnrolmentCheck>,
    ) -> Self {
        Self {
            clock,
            storage,
            enrolments,
            read_model: Arc::new(ReadModel::default()),
        }
    }

    /// The same service with the published catalog confirmed against the database at
    /// most `every` apart (zero: on every read).
    pub fn with_catalog_refresh(mut self, every: std::time::Duration) -> Self {
        self.read_model = Arc::new(ReadModel::new(every));
        self
    }

    pub(crate) fn read_model(&self) -> &ReadModel {
        &self.read_model
    }

    /// Confirms the in-memory catalog against the database now (rebuilding it if it
    /// changed), for a background refresher; requests then never wait for the check.
    pub fn refresh_catalog(&self, conn: &mut aula_db::DbConnection) -> crate::Result<()> {
        self.read_model.confirm(conn, self.now())
    }

    pub fn now(&self) -> NaiveDateTime {
        self.clock.now()
    }

    pub fn storage(&self) -> &dyn Storage {
        self.storage.as_ref()
    }

    pub fn enrolments(&self) -> &dyn EnrolmentCheck {
        self.enrolments.as_ref()
    }
}
