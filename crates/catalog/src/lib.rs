//! The course catalog: courses and their translations, topic areas, offerings
//! (cohorts) with their sessions, and course content (modules and lessons).
//!
//! Every function takes the connection it works on, then the [`Catalog`] service
//! value when it needs the clock, the file store or the enrolment check, then the
//! acting person; nothing here knows about HTTP.

pub mod access;
pub mod admission;
pub mod content_translations;
mod course_links;
pub mod courses;
mod error;
pub mod lessons;
pub mod model;
pub mod modules;
pub mod object_storage;
mod offering_rules;
pub mod offerings;
mod public;
pub mod publication;
pub mod read_model;
pub mod search;
mod service;
pub mod sessions;
pub mod storage;
pub mod text;
pub mod topics;
pub mod view;

pub use access::{EnrolmentCheck, NoEnrolments};
pub use error::{CatalogError, Result};
pub use object_storage::{ObjectLocation, ObjectStorage, ObjectStorageError};
pub use service::Catalog;
pub use storage::{LocalStorage, Storage};
