//! Shared kernel of Aula: the few types every domain crate speaks.
//!
//! Time and randomness are injected through [`Clock`] and [`TokenSource`] so that
//! domain rules can be tested deterministically.

mod clock;
mod error_code;
mod like;
mod locale;
mod names;
mod paging;
mod text_enum;
mod token;
pub mod utc;
mod validation;

pub use clock::{Clock, ManualClock, SharedClock, SystemClock};
pub use error_code::{ErrorCode, FieldCode};
pub use like::like_contains;
pub use locale::Locale;
pub use names::{clean_file_name, is_bidi_control, strip_bidi, text_cell, MAX_FILE_NAME_CHARS};
pub use paging::{Page, PageRequest, MAX_PER_PAGE};
pub use token::{
    hash_token, hex, sha256_hex, OsTokenSource, SeededTokenSource, SharedTokenSource, TokenSource,
};
pub use validation::{FieldError, Validation};
