//! Demo translations of course content: module, lesson and session titles (and text
//! lesson bodies) in the languages a demo course's own texts exist in.

use aula_catalog::{
    content_translations::{put_lesson_translation, ContentTranslationInput},
    modules, offerings, sessions, Catalog, CatalogError,
};
use aula_core::Locale;
use aula_db::DbConnection;
use aula_identity::User;

/// Spanish title → (English, Portuguese, French).
const TITLES: &[(&str, [&str; 3])] = &[
    (
        "Módulo 1. Marco conceptual",
        [
            "Module 1. Conceptual framework",
            "Módulo 1. Marco conceitual",
            "Module 1. Cadre conceptuel",
        ],
    ),
    (
        "Módulo 2. Experiencias en las Américas",
        [
            "Module 2. Experiences in the Americas",
            "Módulo 2. Experiências nas Américas",
            "Module 2. Expériences dans les Amériques",
        ],
    ),
    (
        "Presentación del curso",
        [
            "Course introduction",
            "Apresentação do curso",
            "Présentation du cours",
        ],
    ),
    (
        "Conferencia inaugural",
        [
            "Opening lecture",
            "Conferência inaugural",
            "Conférence inaugurale",
        ],
    ),
    (
        "Normas mínimas de la OIT",
        [
            "ILO minimum standards",
            "Normas mínimas da OIT",
            "Normes minimales de l’OIT",
        ],
    ),
    (
        "Estudio de caso",
        ["Case study", "Estudo de caso", "Étude de cas"],
    ),
    (
        "Panel de expertos",
        [
            "Expert panel",
            "Painel de especialistas",
            "Table ronde d’experts",
        ],
    ),
    (
        "Lecturas complementarias",
        [
            "Further reading",
            "Leituras complementares",
            "Lectures complémentaires",
        ],
    ),
];

/// How "Read the material…" reads in each language.
fn body(title: &str, locale: Locale) -> String {
    let ask = match locale {
        Locale::En => "Read the material and answer the **reflection questions**.",
        Locale::Pt => "Leia o material e responda às **perguntas de reflexão**.",
        Locale::Fr => "Lisez le document et répondez aux **questions de réflexion**.",
        Locale::Es => "Lea el material y responda las **preguntas de reflexión**.",
    };
    format!("## {title}\n\n{ask}")
}

fn title_in(spanish: &str, locale: Locale) -> Option<String> {
    let index = match locale {
        Locale::En => 0,
        Locale::Pt => 1,
        Locale::Fr => 2,
        Locale::Es => return None,
    };
    if let Some(n) = spanish.strip_prefix("Sesión ") {
        let word = ["Session", "Sessão", "Séance"][index];
        return Some(format!("{word} {n}"));
    }
    TITLES
        .iter()
        .find(|(es, _)| *es == spanish)
        .map(|(_, other)| other[index].to_owned())
}

/// Translates the content of `code` into each of `locales`.
pub fn translate(
    conn: &mut DbConnection,
    admin: &User,
    code: &str,
    locales: &[Locale],
    catalog: &Catalog,
) -> Result<(), CatalogError> {
    let outline = modules::outline(conn, Some(admin), code, None)?;
    for &locale in locales {
        for module in &outline {
            if let Some(title) = title_in(&module.title, locale) {
                let input = ContentTranslationInput {
                    title,
                    body_md: None,
                };
                modules::put_translation(conn, admin, module.id, locale, &input)?;
            }
            for lesson in &module.lessons {
                let Some(title) = title_in(&lesson.title, locale) else {
                    continue;
                };
                let text = lesson.kind == aula_catalog::model::LessonKind::Text;
                let input = ContentTranslationInput {
                    body_md: text.then(|| body(&title, locale)),
                    title,
                };
                put_lesson_translation(conn, catalog, admin, lesson.id, locale, &input)?;
            }
        }
        for offering in offerings::list_for_course(conn, catalog, Some(admin), code)? {
            let detail = offerings::get(conn, catalog, Some(admin), offering.id, None)?;
            for session in detail.sessions.unwrap_or_default() {
                if let Some(title) = title_in(&session.title, locale) {
                    let input = ContentTranslationInput {
                        title,
                        body_md: None,
                    };
                    sessions::put_translation(conn, admin, session.id, locale, &input)?;
                }
            }
        }
    }
    Ok(())
}
