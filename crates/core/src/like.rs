/// A SQL `LIKE` pattern matching `text` anywhere, with its wildcards escaped by `\`
/// (use with `.escape('\\')`). Callers normalise `text` first as their column is.
pub fn like_contains(text: &str) -> String {
    let escaped = text
        .replace('\\', "\\\\")
        .replace('%', "\\%")
        .replace('_', "\\_");
    format!("%{escaped}%")
}

#[cfg(test)]
mod tests {
    #[test]
    fn wildcards_are_matched_as_characters() {
        assert_eq!(super::like_contains("50%_x\\"), "%50\\%\\_x\\\\%");
    }
}
