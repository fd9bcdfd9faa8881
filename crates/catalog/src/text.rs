//! Text rules shared by the catalog: search normalisation, Markdown rendering, URLs.

use aula_core::FieldCode;
use unicode_normalization::{char::is_combining_mark, UnicodeNormalization};

/// Lower-case, without diacritics: `Pensión` and `Pensão` both become `pension`/`pensao`
/// so that a search for `pension` finds them.
pub fn normalize(text: &str) -> String {
    text.nfd()
        .filter(|c| !is_combining_mark(*c))
        .collect::<String>()
        .to_lowercase()
}

/// What a course's text is searched by: its normalised form, plus, for Portuguese
/// words in `-ão`/`-ções`, the Spanish cognate spelling (`Pensão` is also indexed as
/// `pension`, `Gestão` as `gestion`), so one query finds the course in both languages.
pub fn searchable(text: &str) -> String {
    let plain = normalize(text);
    let cognate = normalize(&cognate(text));
    if cognate == plain {
        plain
    } else {
        format!("{plain}\n{cognate}")
    }
}

fn cognate(text: &str) -> String {
    text.to_lowercase()
        .replace("ções", "ciones")
        .replace("ção", "cion")
        .replace("ões", "iones")
        .replace("ão", "ion")
}

/// What a query is looked for as in a course's [`searchable`] text.
pub fn query_key(q: &str) -> String {
    normalize(&cognate(q.trim()))
}

/// A LIKE pattern matching the normalised `q` anywhere, with wildcards escaped (`\`).
pub fn like_pattern(q: &str) -> String {
    aula_core::like_contains(&query_key(q))
}

/// Markdown rendered to HTML that cannot run code: no scripts, no event handlers,
/// no `javascript:` links (ammonia's allow-list).
pub fn markdown_to_html(markdown: &str) -> String {
    use pulldown_cmark::{html, Options, Parser};
    let mut unsafe_html = String::new();
    let options = Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH;
    html::push_html(&mut unsafe_html, Parser::new_ext(markdown, options));
    ammonia::Builder::default()
        .link_rel(Some("noopener noreferrer nofollow"))
        .url_schemes(["https", "http", "mailto"].into())
        .clean(&unsafe_html)
        .to_string()
}

/// An absolute `https://` URL with a host and no spaces.
pub fn is_https_url(url: &str) -> bool {
    url.strip_prefix("https://").is_some_and(|rest| {
        let host = rest.split(['/', '?', '#']).next().unwrap_or("");
        !host.is_empty() && !url.chars().any(|c| c.is_whitespace() || c.is_control())
    })
}

/// An absolute `http://` or `https://` URL.
pub fn is_web_url(url: &str) -> bool {
    is_https_url(url)
        || url
            .strip_prefix("http://")
            .is_some_and(|rest| is_https_url(&format!("https://{rest}")))
}

/// Trimmed text between 1 and `max` characters, recording `required`/`too_long`.
pub(crate) fn required_text(
    v: &mut aula_core::Validation,
    field: &str,
    value: &str,
    max: usize,
) -> String {
    let value = value.trim();
    if value.is_empty() {
        v.add(field, FieldCode::Required);
    } else if value.chars().count() > max {
        v.add(field, FieldCode::TooLong);
    }
    value.to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalisation_drops_case_and_diacritics() {
        assert_eq!(normalize("Pensión"), "pension");
        assert_eq!(normalize("PENSÃO Ç"), "pensao c");
        assert_eq!(like_pattern(" 50%_x "), "%50\\%\\_x%");
        assert!(searchable("Pensão e Gestão").contains("pension e gestion"));
        assert!(searchable("Pensão").contains("pensao"));
        assert_eq!(searchable("Pensión"), "pension");
    }

    #[test]
    fn rendered_markdown_cannot_run_code() {
        let html = markdown_to_html(
            "# Hola\n\n<script>alert(1)</script>\n\n<img src=x onerror=alert(1)>\n\n[x](javascript:alert(1)) <a href=\"javascript:alert(2)\">y</a>",
        );
        assert!(html.contains("<h1>Hola</h1>"), "{html}");
        assert!(!html.contains("<script"), "{html}");
        assert!(!html.contains("onerror"), "{html}");
        assert!(!html.contains("href=\"javascript"), "{html}");
        assert!(
            html.contains("<a"),
            "links stay, without their dangerous target: {html}"
        );
    }

    #[test]
    fn only_absolute_web_urls_pass() {
        assert!(is_https_url("https://video.ciess.org/v/1"));
        assert!(!is_https_url("http://video.ciess.org/v/1"));
        assert!(!is_https_url("javascript:alert(1)"));
        assert!(is_web_url("http://example.org"));
        assert!(!is_web_url("ftp://example.org"));
    }
}
