//! The closed vocabularies of the catalog, stored as text.

use std::str::FromStr;

use aula_core::{text_enum, FieldCode};

text_enum! {
    ProgrammeType { Course = "course", Workshop = "workshop", Diploma = "diploma", Seminar = "seminar" }
}

text_enum! {
    Modality { Online = "online", InPerson = "in_person", Blended = "blended" }
}

text_enum! {
    Level { Introductory = "introductory", Intermediate = "intermediate", Advanced = "advanced" }
}

text_enum! {
    /// `draft` → `published` → `archived`; an archived course may be published again.
    CourseStatus { Draft = "draft", Published = "published", Archived = "archived" }
}

text_enum! {
    /// Who gets a seat: anyone, after a coordinator's approval, or with an institution's endorsement.
    AdmissionPolicy { Open = "open", Approval = "approval", InstitutionEndorsed = "institution_endorsed" }
}

text_enum! {
    LessonKind { Text = "text", Video = "video", File = "file", Link = "link" }
}

/// Parses `value` into `T`, recording `invalid_choice` for `field` when it is unknown.
pub(crate) fn parse_choice<T: FromStr>(
    v: &mut aula_core::Validation,
    field: &str,
    value: &str,
) -> Option<T> {
    value
        .parse()
        .map_err(|_| v.add(field, FieldCode::InvalidChoice))
        .ok()
}
