use std::{fmt, str::FromStr};

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// The four working languages of the Americas that Aula speaks.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Hash,
    Default,
    Serialize,
    Deserialize,
    ToSchema,
    diesel::expression::AsExpression,
    diesel::deserialize::FromSqlRow,
)]
#[serde(rename_all = "lowercase")]
#[diesel(sql_type = diesel::sql_types::Text)]
pub enum Locale {
    #[default]
    Es,
    En,
    Pt,
    Fr,
}

impl Locale {
    pub const ALL: [Locale; 4] = [Locale::Es, Locale::En, Locale::Pt, Locale::Fr];

    pub fn as_str(self) -> &'static str {
        match self {
            Locale::Es => "es",
            Locale::En => "en",
            Locale::Pt => "pt",
            Locale::Fr => "fr",
        }
    }

    /// Picks the best supported locale from an `Accept-Language` header value,
    /// honouring quality weights; `None` when nothing matches.
    pub fn negotiate(accept_language: &str) -> Option<Locale> {
        let mut best: Option<(f32, Locale)> = None;
        for part in accept_language.split(',') {
            let mut pieces = part.trim().split(';');
            let tag = pieces.next().unwrap_or("").trim();
            let quality = pieces
                .find_map(|p| p.trim().strip_prefix("q="))
                .and_then(|q| q.parse::<f32>().ok())
                .unwrap_or(1.0);
            let primary = tag.split(['-', '_']).next().unwrap_or("");
            if let Ok(locale) = primary.parse::<Locale>() {
                if quality > 0.0 && best.is_none_or(|(q, _)| quality > q) {
                    best = Some((quality, locale));
                }
            }
        }
        best.map(|(_, l)| l)
    }
}

impl fmt::Display for Locale {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

crate::text_enum!(@sql Locale);

impl FromStr for Locale {
    type Err = ();

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.to_ascii_lowercase().as_str() {
            "es" => Ok(Locale::Es),
            "en" => Ok(Locale::En),
            "pt" => Ok(Locale::Pt),
            "fr" => Ok(Locale::Fr),
            _ => Err(()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn negotiation_honours_quality_and_region_tags() {
        assert_eq!(
            Locale::negotiate("pt-BR,pt;q=0.9,en;q=0.8"),
            Some(Locale::Pt)
        );
        assert_eq!(
            Locale::negotiate("de-DE, fr;q=0.5, en;q=0.7"),
            Some(Locale::En)
        );
        assert_eq!(Locale::negotiate("de, it"), None);
        assert_eq!(Locale::negotiate("en;q=0, es;q=0.1"), Some(Locale::Es));
    }
}
