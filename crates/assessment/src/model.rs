//! The closed vocabularies of assessment, stored as text.

use aula_core::text_enum;

text_enum! {
    /// What happens to work handed in after the (personal) due date: `accept` takes it
    /// and flags it late, `penalty` also takes the assignment's penalty off its grade,
    /// `refuse` takes nothing after the cut-off (the due date when none is set).
    LatePolicy { Accept = "accept", Penalty = "penalty", Refuse = "refuse" }
}

text_enum! {
    /// How work never handed in counts in the final grade once it is due.
    MissingWork { Zero = "zero", Excluded = "excluded" }
}

text_enum! {
    /// A question of the bank: `single_choice`, `multiple_choice` (partial credit by its
    /// rule), `true_false`, `short_answer` (normalised match), `numeric` (tolerance).
    QuestionKind {
        SingleChoice = "single_choice",
        MultipleChoice = "multiple_choice",
        TrueFalse = "true_false",
        ShortAnswer = "short_answer",
        Numeric = "numeric",
    }
}

text_enum! {
    /// How a partly right multiple-choice answer scores: `all_or_nothing`;
    /// `proportional` (the share of choices marked or left as they should be);
    /// `right_minus_wrong` (right choices marked minus wrong ones, over the right ones,
    /// never below 0).
    PartialCredit {
        AllOrNothing = "all_or_nothing",
        Proportional = "proportional",
        RightMinusWrong = "right_minus_wrong",
    }
}

text_enum! {
    /// Which attempts make a quiz's score: the `highest`, the `last`, or their `average`.
    Scoring { Highest = "highest", Last = "last", Average = "average" }
}

text_enum! {
    /// A kind of file an assignment may accept, recognised by content.
    FileKind {
        Pdf = "pdf",
        Png = "png",
        Jpeg = "jpeg",
        Webp = "webp",
        Docx = "docx",
        Xlsx = "xlsx",
        Pptx = "pptx",
        Odt = "odt",
        Ods = "ods",
        Zip = "zip",
    }
}

impl FileKind {
    pub fn mime_type(self) -> &'static str {
        match self {
            FileKind::Pdf => "application/pdf",
            FileKind::Png => "image/png",
            FileKind::Jpeg => "image/jpeg",
            FileKind::Webp => "image/webp",
            FileKind::Docx => {
                "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
            }
            FileKind::Xlsx => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            FileKind::Pptx => {
                "application/vnd.openxmlformats-officedocument.presentationml.presentation"
            }
            FileKind::Odt => "application/vnd.oasis.opendocument.text",
            FileKind::Ods => "application/vnd.oasis.opendocument.spreadsheet",
            FileKind::Zip => "application/zip",
        }
    }

    /// The kind of a file from its first bytes, never from its name.
    pub fn sniff(bytes: &[u8]) -> Option<FileKind> {
        let mime = infer::get(bytes)?.mime_type();
        FileKind::ALL
            .iter()
            .copied()
            .find(|k| k.mime_type() == mime)
    }

    /// Whether a browser shows it inline (the grading page previews these).
    pub fn viewable(self) -> bool {
        matches!(
            self,
            FileKind::Pdf | FileKind::Png | FileKind::Jpeg | FileKind::Webp
        )
    }

    /// Whether a stored media type is one a browser shows inline.
    pub fn is_viewable_type(content_type: &str) -> bool {
        FileKind::ALL
            .iter()
            .any(|k| k.viewable() && k.mime_type() == content_type)
    }

    /// The stored list: space-separated kinds.
    pub(crate) fn join(kinds: &[FileKind]) -> String {
        kinds
            .iter()
            .map(|k| k.as_str())
            .collect::<Vec<_>>()
            .join(" ")
    }

    /// A stored list read back; an unknown kind is a broken row, not one to skip.
    pub(crate) fn split(text: &str) -> Result<Vec<FileKind>, diesel::result::Error> {
        text.split_whitespace()
            .map(|k| {
                k.parse().map_err(|()| {
                    diesel::result::Error::DeserializationError(
                        format!("{k:?} is not a stored file kind").into(),
                    )
                })
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_kinds_are_recognised_by_content_not_name() {
        assert_eq!(FileKind::sniff(b"%PDF-1.7\n%\xe2\xe3"), Some(FileKind::Pdf));
        assert_eq!(
            FileKind::sniff(b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR"),
            Some(FileKind::Png)
        );
        assert_eq!(FileKind::sniff(b"MZ\x90\0\x03\0\0\0"), None);
        assert_eq!(FileKind::sniff(b"plain words"), None);
    }

    #[test]
    fn stored_kind_lists_round_trip_and_refuse_strangers() {
        let kinds = [FileKind::Pdf, FileKind::Docx];
        assert_eq!(FileKind::split(&FileKind::join(&kinds)).unwrap(), kinds);
        assert!(FileKind::split("pdf exe").is_err());
    }
}
