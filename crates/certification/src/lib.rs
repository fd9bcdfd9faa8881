//! Certification: who has earned a certificate of an offering, issuing it (a PDF and
//! an Open Badges 3.0 credential), and verifying, suspending and revoking it.

mod access;
pub mod badge;
pub mod code;
pub mod document;
pub mod eligibility;
mod error;
pub mod issue;
pub mod jobs;
pub mod lists;
pub mod model;
mod record;
mod service;
pub mod settings;
pub mod signatories;
pub mod standing;
pub mod verify;

pub use error::{CertificationError, Result};
pub use model::{Kind, Status, StatusPurpose, Verdict};
pub use record::PrintedSignatory;
pub use service::{Certification, CENTRE};
