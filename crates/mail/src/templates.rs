//! The messages Aula sends, rendered per locale from templates embedded in the binary.
//!
//! Every message has three templates per locale under `templates/{locale}/`:
//! `{name}.subject.txt`, `{name}.txt` and `{name}.html`. The text and HTML bodies
//! extend the shared `layout.txt` / `layout.html`, which carry the branding and a
//! `footer` block saying why the recipient got the message.
//!
//! To add a message: add a variant to [`Mail`] (its fields become template
//! variables), name it in [`Mail::template`], write the twelve files, list them in
//! `SOURCES`, and add a sample in this module's tests.

use std::sync::LazyLock;

use aula_core::Locale;
use minijinja::{
    context, AutoEscape, Environment, ErrorKind, Output, State, UndefinedBehavior, Value,
};
use serde::Serialize;

use crate::MailError;

/// A message Aula sends. The fields are the template variables.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(untagged)]
pub enum Mail {
    /// Sent after registration; the link proves the address belongs to the user.
    VerifyEmail { full_name: String, link: String },
    /// Sent on request; the link lets the user choose a new password.
    PasswordReset { full_name: String, link: String },
    /// A security notice after the password was changed.
    PasswordChanged { full_name: String },
    /// Sent to an account's owner when someone signs up with its address: sign-up
    /// answers alike either way, so the owner hears of it here. The link asks for a
    /// password reset.
    RegistrationAttempt { full_name: String, link: String },
    /// Tells a learner that their enrolment changed state.
    EnrolmentChanged {
        full_name: String,
        course_title: String,
        /// e.g. "2026-12-01 – 2027-01-30"
        dates: String,
        /// One of: pending_endorsement, pending_approval, waitlisted, enrolled,
        /// rejected, withdrawn, completed, failed
        state: String,
        /// Why (a decision's reason), when one was given.
        reason: Option<String>,
        /// The learner's "My learning" page.
        link: String,
    },
    /// Sent to a person for whom staff created an account while enrolling them in bulk;
    /// the link lets them choose a password.
    Invitation {
        full_name: String,
        course_title: String,
        link: String,
    },
    /// Tells a coordinator that a person of their institution applied to an
    /// `institution_endorsed` offering and waits for their endorsement.
    EndorsementRequested {
        /// The coordinator's name.
        full_name: String,
        /// The applicant's name.
        applicant: String,
        course_title: String,
        /// e.g. "2026-12-01 – 2027-01-30"
        dates: String,
        /// The coordinator's queue of applications waiting for endorsement.
        link: String,
    },
    /// The receipt of work handed in: when, and each file with its SHA-256, so the
    /// learner can prove what was received.
    SubmissionReceipt {
        full_name: String,
        course_title: String,
        assignment_title: String,
        attempt: i32,
        /// e.g. "2026-12-04 17:05 America/Lima"
        submitted_at: String,
        late: bool,
        files: Vec<ReceiptFile>,
        /// The assignment's page.
        link: String,
    },
    /// A certificate was issued (the PDF goes as an attachment); `copy` when it goes
    /// to the learner's coordinator rather than to the learner.
    CertificateIssued {
        recipient_name: String,
        learner_name: String,
        copy: bool,
        course_title: String,
        /// `participation` or `approval`.
        kind: String,
        code: String,
        verify_link: String,
    },
}

/// One file of a [`Mail::SubmissionReceipt`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ReceiptFile {
    pub name: String,
    pub size_bytes: i64,
    pub sha256: String,
}

impl Mail {
    /// The template name, also stored in the outbox.
    pub fn template(&self) -> &'static str {
        match self {
            Mail::VerifyEmail { .. } => "verify_email",
            Mail::PasswordReset { .. } => "password_reset",
            Mail::PasswordChanged { .. } => "password_changed",
            Mail::RegistrationAttempt { .. } => "registration_attempt",
            Mail::EnrolmentChanged { .. } => "enrolment_changed",
            Mail::Invitation { .. } => "invitation",
            Mail::EndorsementRequested { .. } => "endorsement_requested",
            Mail::SubmissionReceipt { .. } => "submission_receipt",
            Mail::CertificateIssued { .. } => "certificate_issued",
        }
    }
}

/// A message rendered in one locale, ready to be queued.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rendered {
    pub subject: String,
    pub text: String,
    pub html: String,
}

/// Renders `mail` in `locale`: subject, plain text and HTML (auto-escaped).
pub fn render(mail: &Mail, locale: Locale) -> Result<Rendered, MailError> {
    let env = ENVIRONMENT
        .as_ref()
        .map_err(|e| MailError::Templates(e.clone()))?;
    let name = mail.template();
    let fail = |source| MailError::Template {
        template: name,
        locale,
        source,
    };
    let render_part = |part: &str, ctx: Value| -> Result<String, MailError> {
        let path = format!("{}/{name}.{part}", locale.as_str());
        env.get_template(&path)
            .and_then(|t| t.render(ctx))
            .map_err(fail)
    };

    let vars = Value::from_serialize(mail);
    let subject = render_part(
        "subject.txt",
        context! { locale => locale.as_str(), ..vars.clone() },
    )?;
    // A subject is one line, whatever the template or its variables contain.
    let subject = subject.split_whitespace().collect::<Vec<_>>().join(" ");
    let ctx = context! { locale => locale.as_str(), subject => &subject, ..vars };
    let text = render_part("txt", ctx.clone())?;
    let html = render_part("html", ctx)?;
    Ok(Rendered {
        subject,
        text,
        html,
    })
}

macro_rules! sources {
    ($($path:literal),* $(,)?) => {
        &[$(($path, include_str!(concat!("../templates/", $path)))),*]
    };
}

/// Every template file, embedded at compile time.
static SOURCES: &[(&str, &str)] = sources![
    "layout.txt",
    "layout.html",
    "macros.html",
    "es/verify_email.subject.txt",
    "es/verify_email.txt",
    "es/verify_email.html",
    "es/password_reset.subject.txt",
    "es/password_reset.txt",
    "es/password_reset.html",
    "es/password_changed.subject.txt",
    "es/password_changed.txt",
    "es/password_changed.html",
    "es/registration_attempt.subject.txt",
    "es/registration_attempt.txt",
    "es/registration_attempt.html",
    "es/enrolment_changed.subject.txt",
    "es/enrolment_changed.txt",
    "es/enrolment_changed.html",
    "es/invitation.subject.txt",
    "es/invitation.txt",
    "es/invitation.html",
    "es/endorsement_requested.subject.txt",
    "es/endorsement_requested.txt",
    "es/endorsement_requested.html",
    "es/submission_receipt.subject.txt",
    "es/submission_receipt.txt",
    "es/submission_receipt.html",
    "es/certificate_issued.subject.txt",
    "es/certificate_issued.txt",
    "es/certificate_issued.html",
    "en/verify_email.subject.txt",
    "en/verify_email.txt",
    "en/verify_email.html",
    "en/password_reset.subject.txt",
    "en/password_reset.txt",
    "en/password_reset.html",
    "en/password_changed.subject.txt",
    "en/password_changed.txt",
    "en/password_changed.html",
    "en/registration_attempt.subject.txt",
    "en/registration_attempt.txt",
    "en/registration_attempt.html",
    "en/enrolment_changed.subject.txt",
    "en/enrolment_changed.txt",
    "en/enrolment_changed.html",
    "en/invitation.subject.txt",
    "en/invitation.txt",
    "en/invitation.html",
    "en/endorsement_requested.subject.txt",
    "en/endorsement_requested.txt",
    "en/endorsement_requested.html",
    "en/submission_receipt.subject.txt",
    "en/submission_receipt.txt",
    "en/submission_receipt.html",
    "en/certificate_issued.subject.txt",
    "en/certificate_issued.txt",
    "en/certificate_issued.html",
    "pt/verify_email.subject.txt",
    "pt/verify_email.txt",
    "pt/verify_email.html",
    "pt/password_reset.subject.txt",
    "pt/password_reset.txt",
    "pt/password_reset.html",
    "pt/password_changed.subject.txt",
    "pt/password_changed.txt",
    "pt/password_changed.html",
    "pt/registration_attempt.subject.txt",
    "pt/registration_attempt.txt",
    "pt/registration_attempt.html",
    "pt/enrolment_changed.subject.txt",
    "pt/enrolment_changed.txt",
    "pt/enrolment_changed.html",
    "pt/invitation.subject.txt",
    "pt/invitation.txt",
    "pt/invitation.html",
    "pt/endorsement_requested.subject.txt",
    "pt/endorsement_requested.txt",
    "pt/endorsement_requested.html",
    "pt/submission_receipt.subject.txt",
    "pt/submission_receipt.txt",
    "pt/submission_receipt.html",
    "pt/certificate_issued.subject.txt",
    "pt/certificate_issued.txt",
    "pt/certificate_issued.html",
    "fr/verify_email.subject.txt",
    "fr/verify_email.txt",
    "fr/verify_email.html",
    "fr/password_reset.subject.txt",
    "fr/password_reset.txt",
    "fr/password_reset.html",
    "fr/password_changed.subject.txt",
    "fr/password_changed.txt",
    "fr/password_changed.html",
    "fr/registration_attempt.subject.txt",
    "fr/registration_attempt.txt",
    "fr/registration_attempt.html",
    "fr/enrolment_changed.subject.txt",
    "fr/enrolment_changed.txt",
    "fr/enrolment_changed.html",
    "fr/invitation.subject.txt",
    "fr/invitation.txt",
    "fr/invitation.html",
    "fr/endorsement_requested.subject.txt",
    "fr/endorsement_requested.txt",
    "fr/endorsement_requested.html",
    "fr/submission_receipt.subject.txt",
    "fr/submission_receipt.txt",
    "fr/submission_receipt.html",
    "fr/certificate_issued.subject.txt",
    "fr/certificate_issued.txt",
    "fr/certificate_issued.html",
];

static ENVIRONMENT: LazyLock<Result<Environment<'static>, String>> = LazyLock::new(|| {
    let mut env = Environment::new();
    // `.html` templates are auto-escaped by name; a variable the template does not
    // receive is an error rather than an empty string.
    env.set_undefined_behavior(UndefinedBehavior::Strict);
    env.set_trim_blocks(true);
    env.set_lstrip_blocks(true);
    env.set_formatter(html_formatter);
    for (name, source) in SOURCES {
        env.add_template(name, source)
            .map_err(|e| format!("{name}: {e}"))?;
    }
    Ok(env)
});

/// Escapes `& < > " '` in HTML. The default also writes `/` as `&#x2f;`, which
/// makes every link look obfuscated — something spam filters hold against a message.
fn html_formatter(out: &mut Output, state: &State, value: &Value) -> Result<(), minijinja::Error> {
    let text = match value.as_str() {
        Some(text) if matches!(state.auto_escape(), AutoEscape::Html) && !value.is_safe() => text,
        _ => return minijinja::escape_formatter(out, state, value),
    };
    let mut escaped = String::with_capacity(text.len() + 16);
    for c in text.chars() {
        match c {
            '&' => escaped.push_str("&amp;"),
            '<' => escaped.push_str("&lt;"),
            '>' => escaped.push_str("&gt;"),
            '"' => escaped.push_str("&quot;"),
            '\'' => escaped.push_str("&#39;"),
            c => escaped.push(c),
        }
    }
    out.write_str(&escaped)
        .map_err(|_| minijinja::Error::from(ErrorKind::WriteFailure))
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use super::*;

    /// One message of every kind. The match makes a new variant fail to compile
    /// here until it has a sample, and so until its templates are checked.
    fn samples() -> Vec<Mail> {
        let full_name = "María José Ñúñez Gonçalves".to_owned();
        let link = "https://aula.example/verify?token=a1b2&lang=es".to_owned();
        let mut samples = vec![
            Mail::VerifyEmail {
                full_name: full_name.clone(),
                link: link.clone(),
            },
            Mail::PasswordReset {
                full_name: full_name.clone(),
                link: link.clone(),
            },
            Mail::PasswordChanged {
                full_name: full_name.clone(),
            },
            Mail::RegistrationAttempt {
                full_name: full_name.clone(),
                link: link.clone(),
            },
            Mail::Invitation {
                full_name: full_name.clone(),
                course_title: COURSE.to_owned(),
                link: link.clone(),
            },
            Mail::EndorsementRequested {
                full_name: full_name.clone(),
                applicant: APPLICANT.to_owned(),
                course_title: COURSE.to_owned(),
                dates: DATES.to_owned(),
                link: link.clone(),
            },
            Mail::SubmissionReceipt {
                full_name: full_name.clone(),
                course_title: COURSE.to_owned(),
                assignment_title: "Ensayo: reforma de pensiones".to_owned(),
                attempt: 2,
                submitted_at: "2026-12-04 17:05 America/Lima".to_owned(),
                late: true,
                files: vec![ReceiptFile {
                    name: "ensayo-año.pdf".to_owned(),
                    size_bytes: 48_213,
                    sha256: "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"
                        .to_owned(),
                }],
                link: link.clone(),
            },
            Mail::CertificateIssued {
                recipient_name: full_name.clone(),
                learner_name: full_name.clone(),
                copy: false,
                course_title: COURSE.to_owned(),
                kind: "approval".to_owned(),
                code: "CIESS-7K3Q-9XMP-T2RD".to_owned(),
                verify_link: link.clone(),
            },
            Mail::CertificateIssued {
                recipient_name: "Jorge Coordinador".to_owned(),
                learner_name: full_name.clone(),
                copy: true,
                course_title: COURSE.to_owned(),
                kind: "participation".to_owned(),
                code: "CIESS-7K3Q-9XMP-T2RD".to_owned(),
                verify_link: link.clone(),
            },
        ];
        // Every state, with and without a reason, and one the templates do not know.
        for (i, state) in STATES.into_iter().chain(["archived"]).enumerate() {
            samples.push(Mail::EnrolmentChanged {
                full_name: full_name.clone(),
                course_title: COURSE.to_owned(),
                dates: DATES.to_owned(),
                state: state.to_owned(),
                reason: (i % 2 == 0).then(|| format!("Motivo {i}")),
                link: link.clone(),
            });
        }
        for mail in &samples {
            match mail {
                Mail::VerifyEmail { .. }
                | Mail::PasswordReset { .. }
                | Mail::PasswordChanged { .. }
                | Mail::RegistrationAttempt { .. }
                | Mail::EnrolmentChanged { .. }
                | Mail::Invitation { .. }
                | Mail::EndorsementRequested { .. }
                | Mail::SubmissionReceipt { .. }
                | Mail::CertificateIssued { .. } => {}
            }
        }
        samples
    }

    const COURSE: &str = "Sistemas de pensiones: diseño y evaluación";
    const DATES: &str = "2026-12-01 – 2027-01-30";
    const APPLICANT: &str = "Ana Pérez";
    /// The states an enrolment can be in, as the enrolment module names them.
    const STATES: [&str; 8] = [
        "pending_endorsement",
        "pending_approval",
        "waitlisted",
        "enrolled",
        "rejected",
        "withdrawn",
        "completed",
        "failed",
    ];

    fn enrolment_changed(state: &str, reason: Option<&str>) -> Mail {
        Mail::EnrolmentChanged {
            full_name: "Ana Pérez".into(),
            course_title: COURSE.into(),
            dates: DATES.into(),
            state: state.into(),
            reason: reason.map(str::to_owned),
            link: "https://aula.example/learning".into(),
        }
    }

    #[test]
    fn every_message_renders_in_every_locale() {
        for mail in samples() {
            for locale in Locale::ALL {
                let rendered = render(&mail, locale)
                    .unwrap_or_else(|e| panic!("{} in {locale}: {e}", mail.template()));
                assert!(!rendered.subject.is_empty(), "{} {locale}", mail.template());
                assert!(rendered.text.contains("María José Ñúñez Gonçalves"));
                assert!(rendered.html.contains("María José Ñúñez Gonçalves"));
                assert!(rendered.html.contains(&format!("<html lang=\"{locale}\">")));
                assert!(rendered.text.contains("Aula · CIESS"));
                assert!(rendered.html.contains("Aula · CIESS"));
                if let Mail::VerifyEmail { link, .. }
                | Mail::PasswordReset { link, .. }
                | Mail::RegistrationAttempt { link, .. }
                | Mail::EnrolmentChanged { link, .. }
                | Mail::Invitation { link, .. }
                | Mail::EndorsementRequested { link, .. } = &mail
                {
                    assert!(rendered.text.contains(link.as_str()));
                    assert!(rendered
                        .html
                        .contains("https://aula.example/verify?token=a1b2&amp;lang=es"));
                }
                if let Mail::EnrolmentChanged { .. }
                | Mail::Invitation { .. }
                | Mail::EndorsementRequested { .. } = &mail
                {
                    assert!(rendered.subject.contains(COURSE), "{}", rendered.subject);
                    assert!(rendered.text.contains(COURSE));
                    assert!(rendered.html.contains(COURSE));
                }
                if let Mail::EnrolmentChanged { reason, .. } = &mail {
                    assert!(rendered.text.contains(DATES));
                    assert!(rendered.html.contains(DATES));
                    if let Some(reason) = reason {
                        assert!(rendered.text.contains(reason.as_str()));
                        assert!(rendered.html.contains(reason.as_str()));
                    }
                }
                if let Mail::EndorsementRequested { .. } = &mail {
                    for part in [APPLICANT, DATES] {
                        assert!(rendered.text.contains(part), "{locale}: {part}");
                        assert!(rendered.html.contains(part), "{locale}: {part}");
                    }
                }
            }
        }
    }

    #[test]
    fn subjects_differ_between_messages_and_locales() {
        let mut subjects = BTreeSet::new();
        let samples = samples();
        for mail in &samples {
            for locale in Locale::ALL {
                subjects.insert(render(mail, locale).expect("render").subject);
            }
        }
        assert_eq!(subjects.len(), samples.len() * Locale::ALL.len());
    }

    #[test]
    fn html_escapes_what_users_typed_and_text_keeps_it() {
        let mail = Mail::PasswordChanged {
            full_name: "Ana <b>\"Q\" & Co</b>".into(),
        };
        let rendered = render(&mail, Locale::En).expect("render");
        assert!(rendered
            .html
            .contains("Ana &lt;b&gt;&quot;Q&quot; &amp; Co&lt;/b&gt;"));
        assert!(!rendered.html.contains("<b>"));
        assert!(rendered.text.contains("Ana <b>\"Q\" & Co</b>"));
    }

    #[test]
    fn enrolment_subject_and_body_follow_the_state() {
        for locale in Locale::ALL {
            let render = |state: &str| render(&enrolment_changed(state, None), locale).unwrap();
            let enrolled = render("enrolled");
            let rejected = render("rejected");
            assert_ne!(enrolled.subject, rejected.subject, "{locale}");
            assert_ne!(enrolled.text, rejected.text, "{locale}");
            // Each known state has its own wording, none of them the generic one that a
            // state the templates do not know gets (a misspelt state would fall there).
            let generic = render("some_future_state");
            let mut subjects = BTreeSet::from([generic.subject]);
            let mut texts = BTreeSet::from([generic.text]);
            let mut htmls = BTreeSet::from([generic.html]);
            for state in STATES {
                let rendered = render(state);
                assert!(subjects.insert(rendered.subject), "{state} {locale}");
                assert!(texts.insert(rendered.text), "{state} {locale}");
                assert!(htmls.insert(rendered.html), "{state} {locale}");
            }
        }
        let en = |state| render(&enrolment_changed(state, None), Locale::En).unwrap();
        assert_eq!(
            en("enrolled").subject,
            format!("Your enrolment in {COURSE}: confirmed")
        );
        assert_eq!(
            render(&enrolment_changed("enrolled", None), Locale::Es)
                .unwrap()
                .subject,
            format!("Su inscripción en {COURSE}: confirmada")
        );
        assert!(en("waitlisted").text.contains("waiting list"));
        assert!(en("archived").text.contains("has changed"));
    }

    #[test]
    fn enrolment_reason_shows_only_when_given_and_is_escaped_in_html() {
        let labels = [
            (Locale::Es, "Motivo:"),
            (Locale::En, "Reason:"),
            (Locale::Pt, "Motivo:"),
            (Locale::Fr, "Motif :"),
        ];
        for (locale, label) in labels {
            let without = render(&enrolment_changed("rejected", None), locale).unwrap();
            assert!(!without.text.contains(label), "{locale}");
            assert!(!without.html.contains(label), "{locale}");

            let with =
                render(&enrolment_changed("rejected", Some("<b>x</b> & y")), locale).unwrap();
            assert!(
                with.text.contains(&format!("{label} <b>x</b> & y")),
                "{locale}: {}",
                with.text
            );
            assert!(with.html.contains(label), "{locale}");
            assert!(
                with.html.contains("&lt;b&gt;x&lt;/b&gt; &amp; y"),
                "{locale}: {}",
                with.html
            );
            assert!(!with.html.contains("<b>x</b>"), "{locale}");
            // The reason does not leak into the one-line subject.
            assert_eq!(with.subject, without.subject);
        }
    }

    #[test]
    fn invitation_says_how_long_the_link_lasts() {
        let mail = Mail::Invitation {
            full_name: "Ana Pérez".into(),
            course_title: COURSE.into(),
            link: "https://aula.example/invitation?token=t".into(),
        };
        for (locale, days) in [
            (Locale::Es, "7 días"),
            (Locale::En, "7 days"),
            (Locale::Pt, "7 dias"),
            (Locale::Fr, "7 jours"),
        ] {
            let rendered = render(&mail, locale).unwrap();
            assert!(rendered.text.contains(days), "{locale}");
            assert!(rendered.html.contains(days), "{locale}");
            assert!(rendered
                .html
                .contains("href=\"https://aula.example/invitation?token=t\""));
        }
    }

    #[test]
    fn endorsement_request_names_the_applicant_and_links_to_the_queue() {
        let link = "https://aula.example/coordinator?tab=endorsements";
        let mail = Mail::EndorsementRequested {
            full_name: "Coordinación IMSS".into(),
            applicant: "Ana <b>Pérez</b> & Co".into(),
            course_title: COURSE.into(),
            dates: DATES.into(),
            link: link.into(),
        };
        for locale in Locale::ALL {
            let rendered = render(&mail, locale).unwrap();
            assert!(rendered.text.contains("Ana <b>Pérez</b> & Co"), "{locale}");
            assert!(
                rendered
                    .html
                    .contains("Ana &lt;b&gt;Pérez&lt;/b&gt; &amp; Co"),
                "{locale}"
            );
            assert!(!rendered.html.contains("<b>Pérez</b>"), "{locale}");
            assert!(!rendered.subject.contains("Ana"), "{locale}");
            assert!(rendered.text.contains(link), "{locale}");
            assert!(
                rendered.html.contains(&format!("href=\"{link}\"")),
                "{locale}"
            );
        }
        let subject = |locale| render(&mail, locale).unwrap().subject;
        assert_eq!(
            subject(Locale::En),
            format!("New application waiting for your endorsement: {COURSE}")
        );
        assert_eq!(
            subject(Locale::Es),
            format!("Nueva solicitud en espera de su aval: {COURSE}")
        );
    }

    #[test]
    fn every_template_file_is_embedded() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("templates");
        let mut on_disk = BTreeSet::new();
        let mut dirs = vec![root.clone()];
        while let Some(dir) = dirs.pop() {
            for entry in std::fs::read_dir(&dir).expect("read templates") {
                let path = entry.expect("dir entry").path();
                if path.is_dir() {
                    dirs.push(path);
                } else {
                    let relative = path.strip_prefix(&root).expect("under root");
                    on_disk.insert(relative.to_string_lossy().replace('\\', "/"));
                }
            }
        }
        let embedded: BTreeSet<String> = SOURCES.iter().map(|(n, _)| (*n).to_owned()).collect();
        assert_eq!(on_disk, embedded);
    }
}
