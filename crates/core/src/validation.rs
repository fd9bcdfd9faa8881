use serde::Serialize;

use crate::FieldCode;

/// One invalid input field: a machine `code` (stable, documented) for a field name
/// as the client sent it. Human messages are chosen by the API in the reader's locale.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct FieldError {
    pub field: String,
    pub code: FieldCode,
}

/// Collects field errors so a client learns about every bad field at once.
#[derive(Debug, Default)]
pub struct Validation(Vec<FieldError>);

impl Validation {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn add(&mut self, field: &str, code: FieldCode) {
        self.0.push(FieldError {
            field: field.to_owned(),
            code,
        });
    }

    /// `Ok(())` when nothing was added; otherwise all the errors gathered.
    pub fn finish(self) -> Result<(), Vec<FieldError>> {
        if self.0.is_empty() {
            Ok(())
        } else {
            Err(self.0)
        }
    }
}
