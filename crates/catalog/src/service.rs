use std::sync::Arc;

use aula_core::SharedClock;
use chrono::NaiveDateTime;

use crate::{EnrolmentCheck, Storage};

/// What catalog rules need besides the connection: the clock (enrolment windows,
/// timestamps), the file store for lesson documents, and who holds a seat (lesson
/// content is for them and the course's editors).
#[derive(Clone)]
pub struct Catalog {
    clock: SharedClock,
    storage: Arc<dyn Storage>,
    enrolments: Arc<dyn EnrolmentCheck>,
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
        }
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
