//! The certificate's wording in each supported language.
//!
//! Non-breaking spaces (U+00A0) mark words that must stay on one line, such as
//! "40 horas" or a whole date; they are drawn as ordinary spaces.

use aula_core::Locale;
use chrono::{Datelike, NaiveDate};

use super::{Award, Document};

/// Glues words so line wrapping never separates them.
const NBSP: char = '\u{a0}';

/// The typeface of a piece of running text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Style {
    Regular,
    Bold,
    Italic,
}

/// The fixed phrases of one certificate.
pub(super) struct Labels {
    pub title: &'static str,
    pub awarded_to: &'static str,
    pub verify_at: &'static str,
}

pub(super) fn labels(locale: Locale, award: Award) -> Labels {
    let approval = matches!(award, Award::Approval { .. });
    // Spanish and French title nouns differ in gender between the two awards
    // ("constancia"/"attestation" are feminine), so the participle agrees.
    let (title, awarded_to) = match (locale, approval) {
        (Locale::Es, false) => ("Constancia de participación", "otorgada a"),
        (Locale::Es, true) => ("Certificado de aprobación", "otorgado a"),
        (Locale::En, false) => ("Certificate of Participation", "awarded to"),
        (Locale::En, true) => ("Certificate of Completion with Approval", "awarded to"),
        (Locale::Pt, false) => ("Certificado de participação", "conferido a"),
        (Locale::Pt, true) => ("Certificado de aprovação", "conferido a"),
        (Locale::Fr, false) => ("Attestation de participation", "décernée à"),
        (Locale::Fr, true) => ("Certificat de réussite", "décerné à"),
    };
    let verify_at = match locale {
        Locale::Es => "Verifique en",
        Locale::En => "Verify at",
        Locale::Pt => "Verifique em",
        Locale::Fr => "Vérifier sur",
    };
    Labels {
        title,
        awarded_to,
        verify_at,
    }
}

/// "3 de marzo de 2026", "3 March 2026", "3 de março de 2026", "3 mars 2026",
/// with the words glued together.
pub(super) fn date(locale: Locale, date: NaiveDate) -> String {
    const ES: [&str; 12] = [
        "enero",
        "febrero",
        "marzo",
        "abril",
        "mayo",
        "junio",
        "julio",
        "agosto",
        "septiembre",
        "octubre",
        "noviembre",
        "diciembre",
    ];
    const EN: [&str; 12] = [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ];
    const PT: [&str; 12] = [
        "janeiro",
        "fevereiro",
        "março",
        "abril",
        "maio",
        "junho",
        "julho",
        "agosto",
        "setembro",
        "outubro",
        "novembro",
        "dezembro",
    ];
    const FR: [&str; 12] = [
        "janvier",
        "février",
        "mars",
        "avril",
        "mai",
        "juin",
        "juillet",
        "août",
        "septembre",
        "octobre",
        "novembre",
        "décembre",
    ];
    // month0() is always 0..=11.
    let month = date.month0() as usize;
    let (day, year) = (date.day(), date.year());
    let s = NBSP;
    match locale {
        Locale::Es => format!("{day}{s}de{s}{}{s}de{s}{year}", ES[month]),
        Locale::En => format!("{day}{s}{}{s}{year}", EN[month]),
        Locale::Pt => format!("{day}{s}de{s}{}{s}de{s}{year}", PT[month]),
        // French writes the first of the month as an ordinal: "1er mars".
        Locale::Fr if day == 1 => format!("1er{s}{}{s}{year}", FR[month]),
        Locale::Fr => format!("{day}{s}{}{s}{year}", FR[month]),
    }
}

/// A grade out of 100 with one decimal and the locale's decimal separator.
pub(super) fn grade(locale: Locale, grade: f64) -> String {
    let text = format!("{grade:.1}");
    match locale {
        Locale::En => text,
        Locale::Es | Locale::Pt | Locale::Fr => text.replace('.', ","),
    }
}

/// The sentence under the learner's name, as runs of styled text (the course
/// title is italic).
pub(super) fn sentence(doc: &Document) -> Vec<(Style, String)> {
    let locale = doc.locale;
    let approval = matches!(doc.award, Award::Approval { .. });
    let s = NBSP;
    let opening = match (locale, approval) {
        (Locale::Es, false) => "por su participación en el curso",
        (Locale::Es, true) => "por haber aprobado el curso",
        (Locale::En, false) => "for participating in the course",
        (Locale::En, true) => "for successfully completing the course",
        (Locale::Pt, false) => "pela participação no curso",
        (Locale::Pt, true) => "pela aprovação no curso",
        (Locale::Fr, false) => "pour sa participation au cours",
        (Locale::Fr, true) => "pour avoir réussi le cours",
    };
    let (start, end) = (date(locale, doc.start_date), date(locale, doc.end_date));
    let held = if doc.start_date == doc.end_date {
        match locale {
            Locale::Es => format!("realizado el {start}"),
            Locale::En => format!("held on {start}"),
            Locale::Pt => format!("realizado em {start}"),
            Locale::Fr => format!("qui s’est déroulé le {start}"),
        }
    } else {
        match locale {
            Locale::Es => format!("realizado del {start} al {end}"),
            Locale::En => format!("held from {start} to {end}"),
            Locale::Pt => format!("realizado de {start} a {end}"),
            Locale::Fr => format!("qui s’est déroulé du {start} au {end}"),
        }
    };

    let hours = doc.hours;
    let one = hours == 1;
    let mut details = vec![match locale {
        Locale::Es => format!(
            "una duración de {hours}{s}{}",
            if one { "hora" } else { "horas" }
        ),
        Locale::En => format!(
            "a duration of {hours}{s}{}",
            if one { "hour" } else { "hours" }
        ),
        Locale::Pt => format!(
            "carga horária de {hours}{s}{}",
            if one { "hora" } else { "horas" }
        ),
        Locale::Fr => format!(
            "une durée de {hours}{s}{}",
            if one { "heure" } else { "heures" }
        ),
    }];
    if let Some(attendance) = doc.attendance {
        details.push(match locale {
            Locale::Es => format!("una asistencia del {attendance}{s}%"),
            Locale::En => format!("{attendance}% attendance"),
            Locale::Pt => format!("frequência de {attendance}{s}%"),
            Locale::Fr => format!("une assiduité de {attendance}{s}%"),
        });
    }
    if let Award::Approval { final_grade } = doc.award {
        let g = grade(locale, final_grade);
        details.push(match locale {
            Locale::Es => format!("una calificación final de {g}{s}/{s}100"),
            Locale::En => format!("a final grade of {g}{s}/{s}100"),
            Locale::Pt => format!("nota final de {g}{s}/{s}100"),
            Locale::Fr => format!("une note finale de {g}{s}/{s}100"),
        });
    }
    let (with, and) = match locale {
        Locale::Es => ("con", "y"),
        Locale::En => ("with", "and"),
        Locale::Pt => ("com", "e"),
        Locale::Fr => ("avec", "et"),
    };

    let code = match doc.course_code.trim() {
        "" => String::new(),
        code => format!(" ({code})"),
    };
    vec![
        (Style::Regular, format!("{opening} ")),
        (Style::Italic, doc.course_title.trim().to_string()),
        (
            Style::Regular,
            format!("{code}, {held}, {with} {}.", join(&details, and)),
        ),
    ]
}

/// "a, b and c".
fn join(items: &[String], and: &str) -> String {
    match items {
        [] => String::new(),
        [only] => only.clone(),
        [init @ .., last] => format!("{} {and} {last}", init.join(", ")),
    }
}

/// "Otorgado el 3 de marzo de 2026", plus the expiry when there is one.
pub(super) fn issued(doc: &Document) -> String {
    let locale = doc.locale;
    // Agrees with the title noun, as in `labels`.
    let feminine = matches!(doc.award, Award::Participation);
    let awarded = date(locale, doc.awarded_on);
    let mut text = match (locale, feminine) {
        (Locale::Es, true) => format!("Otorgada el {awarded}"),
        (Locale::Es, false) => format!("Otorgado el {awarded}"),
        (Locale::En, _) => format!("Awarded on {awarded}"),
        (Locale::Pt, _) => format!("Conferido em {awarded}"),
        (Locale::Fr, true) => format!("Décernée le {awarded}"),
        (Locale::Fr, false) => format!("Décerné le {awarded}"),
    };
    if let Some(expires_on) = doc.expires_on {
        let until = date(locale, expires_on);
        let valid = match (locale, feminine) {
            (Locale::Es, true) => format!("Válida hasta el {until}"),
            (Locale::Es, false) => format!("Válido hasta el {until}"),
            (Locale::En, _) => format!("Valid until {until}"),
            (Locale::Pt, _) => format!("Válido até {until}"),
            (Locale::Fr, _) => format!("Valable jusqu’au {until}"),
        };
        text.push_str("   ·   ");
        text.push_str(&valid);
    }
    text
}
