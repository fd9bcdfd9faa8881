use aula_core::Locale;
use aula_mail::{render, Mail};

use crate::support::NAME;

#[test]
fn each_locale_renders_its_own_subject() {
    let mail = Mail::PasswordReset {
        full_name: NAME.into(),
        link: "https://aula.example/r".into(),
    };
    let subject = |locale| render(&mail, locale).expect("render").subject;
    assert_eq!(
        subject(Locale::Es),
        "Restablezca su contraseña de Aula · CIESS"
    );
    assert_eq!(subject(Locale::En), "Reset your Aula · CIESS password");
    assert_eq!(subject(Locale::Pt), "Redefina sua senha do Aula · CIESS");
    assert_eq!(
        subject(Locale::Fr),
        "Réinitialisez votre mot de passe Aula · CIESS"
    );
}

#[test]
fn each_locale_greets_in_its_own_language() {
    let mail = Mail::PasswordChanged {
        full_name: NAME.into(),
    };
    let text = |locale| render(&mail, locale).expect("render").text;
    assert!(text(Locale::Es).starts_with(&format!("Hola, {NAME}:")));
    assert!(text(Locale::En).starts_with(&format!("Hello {NAME},")));
    assert!(text(Locale::Pt).starts_with(&format!("Olá, {NAME},")));
    assert!(text(Locale::Fr).starts_with(&format!("Bonjour {NAME},")));
}
