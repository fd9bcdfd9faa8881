//! Enrolment and admission: applications under each admission policy, seats and the
//! waitlist, endorsement by institution coordinators, fees, documents, learning
//! progress and attendance, and the lists learners, staff and coordinators read.
//!
//! Nothing here knows about HTTP. Catalog and identity data are reached only through
//! those crates' public functions.

mod access;
mod allowed;
pub mod attendance;
pub mod calendar;
mod check;
pub mod documents;
mod error;
pub mod flow;
mod history;
pub mod import;
pub mod lists;
pub mod model;
pub mod participants;
pub mod progress;
mod record;
mod seats;
mod service;
pub mod view;

pub use check::SeatHolders;
pub use error::{EnrolmentError, Result};
pub use history::Event;
pub use model::{Action, AttendanceStatus, DocumentKind, EnrolmentAction, PaymentStatus, State};
pub use service::Admissions;
pub use view::Enrolment;
