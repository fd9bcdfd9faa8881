//! Assessment: the assignments of an offering, the work learners hand in (every
//! attempt kept, late policies, per-person extensions), rubrics, grading with a full
//! history, releasing grades, and the gradebook whose final grade certification reads.
//!
//! Nothing here knows about HTTP. Catalog, enrolment and identity data are reached
//! only through those crates' public functions.

mod access;
pub mod assignments;
mod error;
pub mod extensions;
pub mod gradebook;
pub mod grading;
pub mod model;
pub mod questions;
pub mod quizzes;
mod record;
pub mod rubric;
mod scoring;
mod service;
pub mod submissions;
mod weights;

pub use error::{AssessmentError, Result};
pub use model::{FileKind, LatePolicy, MissingWork, PartialCredit, QuestionKind, Scoring};
pub use service::Assessment;
