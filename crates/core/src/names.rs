//! Names people and files carry, cleaned of what could disguise them.

/// Bidirectional overrides, embeddings and isolates (U+202A–U+202E, U+2066–U+2069) and
/// the direction marks: invisible, they can make `exe.pdf` read as `fdp.exe` or reorder
/// a name shown beside others.
pub fn is_bidi_control(c: char) -> bool {
    matches!(
        c,
        '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{200E}' | '\u{200F}' | '\u{061C}'
    )
}

/// `text` without bidirectional controls.
pub fn strip_bidi(text: &str) -> String {
    text.chars().filter(|c| !is_bidi_control(*c)).collect()
}

/// The longest file name kept, in characters.
pub const MAX_FILE_NAME_CHARS: usize = 200;

/// A file name as stored and offered for download: its last path segment, without
/// control or bidirectional characters or quotes, trimmed, at most
/// [`MAX_FILE_NAME_CHARS`] long; `fallback` when nothing usable is left (empty, or only
/// dots such as `.` and `..`).
pub fn clean_file_name(name: &str, fallback: &str) -> String {
    let last = name.rsplit(['/', '\\']).next().unwrap_or_default();
    let kept: String = last
        .chars()
        .filter(|c| !c.is_control() && !is_bidi_control(*c) && *c != '"')
        .take(MAX_FILE_NAME_CHARS)
        .collect();
    let kept = kept.trim();
    if kept.chars().all(|c| c == '.') {
        fallback.to_owned()
    } else {
        kept.to_owned()
    }
}

/// Text people typed, made inert for spreadsheet programs, which run a CSV cell that
/// starts with `=`, `+`, `-` or `@` as a formula: a leading apostrophe keeps it text.
pub fn text_cell(value: &str) -> String {
    if value.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{value}")
    } else {
        value.to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_that_would_run_as_formulas_are_kept_as_text() {
        assert_eq!(text_cell("=SUM(A1)"), "'=SUM(A1)");
        assert_eq!(text_cell("@cmd"), "'@cmd");
        assert_eq!(text_cell("Ana Pérez"), "Ana Pérez");
    }

    #[test]
    fn file_names_keep_their_last_segment_without_disguises() {
        assert_eq!(clean_file_name("..", "document"), "document");
        assert_eq!(clean_file_name(".", "document"), "document");
        assert_eq!(clean_file_name(" ... ", "document"), "document");
        assert_eq!(clean_file_name("a/b/../", "document"), "document");
        assert_eq!(
            clean_file_name("C:\\x\\informe.pdf", "document"),
            "informe.pdf"
        );
        assert_eq!(
            clean_file_name("factura\u{202E}fdp.exe", "document"),
            "facturafdp.exe"
        );
        assert_eq!(
            clean_file_name("\u{2066}cotización\u{2069}\t\".pdf", "document"),
            "cotización.pdf"
        );
        assert_eq!(clean_file_name(".bashrc", "document"), ".bashrc");
        assert_eq!(clean_file_name(&"é".repeat(300), "d").chars().count(), 200);
    }

    #[test]
    fn bidi_controls_are_stripped_from_names() {
        assert_eq!(strip_bidi("Ana \u{202E}azuoS\u{202C}"), "Ana azuoS");
        assert_eq!(strip_bidi("María José"), "María José");
    }
}
