//! The closed vocabularies of the catalog, stored as text.

use std::{fmt, str::FromStr};

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

macro_rules! text_enum {
    ($(#[$meta:meta])* $name:ident { $($variant:ident = $text:literal),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
        #[serde(rename_all = "snake_case")]
        pub enum $name { $($variant),+ }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $text),+ }
            }
        }

        impl FromStr for $name {
            type Err = ();
            fn from_str(s: &str) -> Result<Self, ()> {
                match s { $($text => Ok($name::$variant),)+ _ => Err(()) }
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}

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
        .map_err(|_| v.add(field, "invalid_choice"))
        .ok()
}
