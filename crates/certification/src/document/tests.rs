//! Renders certificates and reads them back with the tools a person or an
//! archive would use: poppler-utils (pdftotext, pdfinfo, pdffonts, pdftoppm)
//! and zbar-tools (zbarimg). Missing tools fail the tests rather than skip them.

use std::io::Write;
use std::path::PathBuf;
use std::process::Command;
use std::sync::atomic::{AtomicUsize, Ordering};

use super::*;

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).expect("a valid date")
}

fn certificate<'a>(
    locale: Locale,
    learner_name: &'a str,
    signatories: &'a [Signatory<'a>],
) -> Document<'a> {
    Document {
        locale,
        centre: "Centro Interamericano de Estudios de Seguridad Social (CIESS)",
        learner_name,
        award: Award::Approval { final_grade: 87.5 },
        course_title: "Gestión de pensiones: introducción",
        course_code: "CIESS-GP-101",
        start_date: date(2026, 3, 3),
        end_date: date(2026, 3, 14),
        hours: 40,
        attendance: Some(95),
        awarded_on: date(2026, 3, 20),
        expires_on: Some(date(2029, 3, 20)),
        code: "CIESS-7K3Q-9XMP-T2RD",
        verify_url: "https://aula.example/verify/CIESS-7K3Q-9XMP-T2RD",
        signatories,
    }
}

/// A file under the temporary directory, removed when dropped.
struct Scratch(PathBuf);

impl Scratch {
    fn new(extension: &str) -> Scratch {
        static COUNTER: AtomicUsize = AtomicUsize::new(0);
        let n = COUNTER.fetch_add(1, Ordering::Relaxed);
        let name = format!("aula-certificate-{}-{n}.{extension}", std::process::id());
        Scratch(std::env::temp_dir().join(name))
    }

    fn with(extension: &str, bytes: &[u8]) -> Scratch {
        let scratch = Scratch::new(extension);
        std::fs::write(&scratch.0, bytes).expect("the temporary file is written");
        scratch
    }

    fn arg(&self) -> &str {
        self.0.to_str().expect("the temporary path is UTF-8")
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.0);
    }
}

/// Runs a command-line tool and returns its standard output.
fn run(program: &str, package: &str, args: &[&str]) -> String {
    let output = Command::new(program)
        .args(args)
        .output()
        .unwrap_or_else(|e| {
            panic!(
                "`{program}` cannot be run ({e}); install it with `apt-get install -y {package}`"
            )
        });
    assert!(
        output.status.success(),
        "`{program} {}` failed with {}: {}",
        args.join(" "),
        output.status,
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout).expect("the tool's output is UTF-8")
}

fn text_of(pdf: &[u8]) -> String {
    let file = Scratch::with("pdf", pdf);
    run("pdftotext", "poppler-utils", &["-layout", file.arg(), "-"])
}

/// The text with runs of whitespace collapsed to one space, as `-layout`
/// output pads lines for alignment.
fn words(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// A minimal RGBA PNG, stored with zlib compression.
fn png(width: u32, height: u32, pixel: impl Fn(u32, u32) -> [u8; 4]) -> Vec<u8> {
    fn chunk(out: &mut Vec<u8>, kind: &[u8; 4], data: &[u8]) {
        let length = u32::try_from(data.len()).expect("a small chunk");
        out.extend_from_slice(&length.to_be_bytes());
        out.extend_from_slice(kind);
        out.extend_from_slice(data);
        let mut crc = flate2::Crc::new();
        crc.update(kind);
        crc.update(data);
        out.extend_from_slice(&crc.sum().to_be_bytes());
    }
    let mut raw = Vec::new();
    for y in 0..height {
        raw.push(0); // No filter.
        for x in 0..width {
            raw.extend_from_slice(&pixel(x, y));
        }
    }
    let mut encoder = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::best());
    encoder.write_all(&raw).expect("compressed in memory");
    let compressed = encoder.finish().expect("compressed in memory");

    let mut header = Vec::new();
    header.extend_from_slice(&width.to_be_bytes());
    header.extend_from_slice(&height.to_be_bytes());
    header.extend_from_slice(&[8, 6, 0, 0, 0]); // 8-bit RGBA, no interlace.
    let mut out = b"\x89PNG\r\n\x1a\n".to_vec();
    chunk(&mut out, b"IHDR", &header);
    chunk(&mut out, b"IDAT", &compressed);
    chunk(&mut out, b"IEND", &[]);
    out
}

/// A handwriting-like stroke in dark blue ink on a transparent background.
fn signature_png(seed: f32) -> Vec<u8> {
    let (width, height) = (360, 110);
    png(width, height, |x, y| {
        let t = x as f32 / width as f32;
        let centre = height as f32
            * (0.55 + 0.22 * (t * 19.0 + seed).sin() * (1.0 - t) + 0.1 * (t * 7.0).cos());
        let on = (20..340).contains(&x) && (y as f32 - centre).abs() < 2.2;
        if on {
            [20, 40, 110, 255]
        } else {
            [0, 0, 0, 0]
        }
    })
}

#[test]
fn names_with_accents_render_exactly() {
    for (locale, name) in [
        (Locale::Es, "José Ñúñez Gonçalves"),
        (Locale::Fr, "Françoise Lefèvre"),
        (Locale::Pt, "João Conceição"),
        (Locale::En, "Zoë Ångström-O’Neill"),
    ] {
        let pdf = render(&certificate(locale, name, &[])).expect("the certificate renders");
        let text = words(&text_of(&pdf));
        assert!(text.contains(name), "{name} missing from:\n{text}");
        assert!(
            text.contains("Gestión de pensiones: introducción"),
            "course title missing from:\n{text}"
        );
        assert!(
            text.contains("CIESS-7K3Q-9XMP-T2RD"),
            "code missing from:\n{text}"
        );
    }
}

#[test]
fn latin_1_and_extended_a_letters_survive_extraction() {
    // Latin-1 Supplement letters (without × and ÷) and all of Latin Extended-A.
    let letters: Vec<char> = ('\u{c0}'..='\u{ff}')
        .filter(|c| c.is_alphabetic())
        .chain('\u{100}'..='\u{17f}')
        .collect();
    assert_eq!(letters.len(), 62 + 128);
    for chunk in letters.chunks(24) {
        let name: String = chunk.iter().collect();
        let pdf = render(&certificate(Locale::En, &name, &[])).expect("the certificate renders");
        let text: String = text_of(&pdf)
            .chars()
            .filter(|c| !c.is_whitespace())
            .collect();
        assert!(
            text.contains(&name),
            "{name} did not come back from:\n{text}"
        );
    }
}

#[test]
fn wording_follows_the_locale() {
    let cases = [
        (
            Locale::Es,
            "Certificado de aprobación",
            "del 3 de marzo de 2026 al 14 de marzo de 2026",
            "40 horas",
            "87,5 / 100",
        ),
        (
            Locale::En,
            "Certificate of Completion with Approval",
            "from 3 March 2026 to 14 March 2026",
            "40 hours",
            "87.5 / 100",
        ),
        (
            Locale::Pt,
            "Certificado de aprovação",
            "de 3 de março de 2026 a 14 de março de 2026",
            "40 horas",
            "87,5 / 100",
        ),
        (
            Locale::Fr,
            "Certificat de réussite",
            "du 3 mars 2026 au 14 mars 2026",
            "40 heures",
            "87,5 / 100",
        ),
    ];
    for (locale, title, dates, hours, grade) in cases {
        let text = words(&text_of(
            &render(&certificate(locale, "Ana Pérez", &[])).expect("renders"),
        ));
        for expected in [title, dates, hours, grade, "95"] {
            assert!(
                text.contains(expected),
                "{locale:?}: {expected:?} missing from:\n{text}"
            );
        }
    }

    let mut participation = certificate(Locale::Es, "Ana Pérez", &[]);
    participation.award = Award::Participation;
    participation.attendance = None;
    participation.expires_on = None;
    let text = words(&text_of(&render(&participation).expect("renders")));
    assert!(text.contains("Constancia de participación"), "{text}");
    assert!(text.contains("otorgada a"), "{text}");
    assert!(
        !text.contains("asistencia") && !text.contains("/ 100"),
        "{text}"
    );
    assert!(!text.contains("Válid"), "{text}");
}

#[test]
fn dates_and_grades_are_localized() {
    let strip = |s: String| s.replace('\u{a0}', " ");
    let d = date(2026, 3, 3);
    assert_eq!(strip(labels::date(Locale::Es, d)), "3 de marzo de 2026");
    assert_eq!(strip(labels::date(Locale::En, d)), "3 March 2026");
    assert_eq!(strip(labels::date(Locale::Pt, d)), "3 de março de 2026");
    assert_eq!(strip(labels::date(Locale::Fr, d)), "3 mars 2026");
    assert_eq!(
        strip(labels::date(Locale::Fr, date(2026, 8, 1))),
        "1er août 2026"
    );
    assert_eq!(labels::grade(Locale::Es, 87.46), "87,5");
    assert_eq!(labels::grade(Locale::En, 100.0), "100.0");
    assert_eq!(labels::grade(Locale::Fr, 9.0), "9,0");
}

#[test]
fn long_names_shrink_to_fit() {
    let fonts = Fonts::load().expect("the fonts load");
    let name = "Maximiliano Alejandro de la Santísima Trinidad Fernández-Villavicencio y Montúfar";
    assert!(name.chars().count() >= 80);
    let size = fonts.fit(Style::Bold, name, 32.0, TITLE_WIDTH);
    assert!(size < 32.0 && size > 12.0, "size {size}");
    assert!(fonts.width(Style::Bold, name, size) <= TITLE_WIDTH + 0.01);

    let pdf = render(&certificate(Locale::Es, name, &[])).expect("renders");
    assert!(words(&text_of(&pdf)).contains(name));
}

#[test]
fn long_course_titles_wrap_within_the_text_width() {
    let fonts = Fonts::load().expect("the fonts load");
    let mut doc = certificate(Locale::Es, "Ana Pérez", &[]);
    let title = "Diplomado internacional en gestión actuarial, financiamiento y sostenibilidad de los sistemas de pensiones de América Latina";
    doc.course_title = title;
    let lines = layout::wrap(&fonts, &labels::sentence(&doc), 14.0, TEXT_WIDTH);
    assert!(lines.len() > 1);
    let text = words(&text_of(&render(&doc).expect("renders")));
    // Line breaks fall between words, so the collapsed text reads in full.
    assert!(text.contains(title), "{text}");
}

#[test]
fn rendering_is_deterministic() {
    let doc = certificate(Locale::Fr, "Françoise Lefèvre", &[]);
    let first = render(&doc).expect("renders");
    assert_eq!(first, render(&doc).expect("renders"));
}

#[test]
fn qr_code_opens_the_verify_url() {
    let doc = certificate(Locale::Es, "José Ñúñez Gonçalves", &[]);
    let pdf = Scratch::with("pdf", &render(&doc).expect("renders"));
    let image = Scratch::new("png");
    let stem = image.arg().trim_end_matches(".png");
    run(
        "pdftoppm",
        "poppler-utils",
        &["-r", "150", "-png", "-singlefile", pdf.arg(), stem],
    );
    let decoded = run("zbarimg", "zbar-tools", &["--quiet", "--raw", image.arg()]);
    assert_eq!(decoded.trim_end(), doc.verify_url);
}

#[test]
fn page_is_a4_landscape_with_metadata() {
    let pdf = Scratch::with(
        "pdf",
        &render(&certificate(Locale::Pt, "João Conceição", &[])).expect("renders"),
    );
    let info = run("pdfinfo", "poppler-utils", &[pdf.arg()]);
    let field = |key: &str| {
        info.lines()
            .find_map(|line| line.strip_prefix(key)?.strip_prefix(':'))
            .map(str::trim)
            .unwrap_or_else(|| panic!("no {key} in:\n{info}"))
    };
    assert_eq!(field("Pages"), "1");
    assert_eq!(field("Page size"), "841.89 x 595.28 pts (A4)");
    assert_eq!(field("Page rot"), "0");
    assert_eq!(field("Title"), "Certificado de aprovação — João Conceição");
}

#[test]
fn fonts_are_embedded_as_subsets_and_the_file_is_small() {
    let signature = signature_png(0.0);
    let signatories = [
        Signatory {
            name: "Dra. María Elena Ruiz",
            title: "Directora del CIESS",
            signature: Some(&signature),
        },
        Signatory {
            name: "Lic. Jorge Alberto Campos",
            title: "Coordinador Académico",
            signature: None,
        },
    ];
    let bytes = render(&certificate(
        Locale::Es,
        "José Ñúñez Gonçalves",
        &signatories,
    ))
    .expect("renders");
    eprintln!("a typical certificate is {} bytes", bytes.len());
    assert!(bytes.len() < 200 * 1024, "{} bytes", bytes.len());

    let pdf = Scratch::with("pdf", &bytes);
    let fonts = run("pdffonts", "poppler-utils", &[pdf.arg()]);
    let rows: Vec<&str> = fonts.lines().skip(2).collect();
    assert_eq!(rows.len(), 3, "regular, bold and italic:\n{fonts}");
    for row in rows {
        assert!(row.contains("LibertinusSerif"), "{fonts}");
        let flags: Vec<&str> = row.split_whitespace().rev().skip(2).take(3).collect();
        // Columns from the right: object id, generation, uni, sub, emb.
        assert_eq!(flags, ["yes", "yes", "yes"], "emb, sub and uni:\n{fonts}");
    }
}

#[test]
fn signature_images_render() {
    let signature = signature_png(1.0);
    let tiny = png(
        2,
        1,
        |x, _| if x == 0 { [0, 0, 0, 255] } else { [0, 0, 0, 0] },
    );
    let signatories = [
        Signatory {
            name: "Dra. María Elena Ruiz",
            title: "Directora del CIESS",
            signature: Some(&signature),
        },
        Signatory {
            name: "Lic. Jorge Alberto Campos",
            title: "Coordinador Académico",
            signature: Some(&tiny),
        },
    ];
    let pdf = render(&certificate(Locale::Es, "Ana Pérez", &signatories)).expect("renders");
    let file = Scratch::with("pdf", &pdf);
    let images = run("pdfimages", "poppler-utils", &["-list", file.arg()]);
    // Past the two header lines, each signature is an image plus its alpha mask.
    let kinds: Vec<&str> = images
        .lines()
        .skip(2)
        .filter_map(|line| line.split_whitespace().nth(2))
        .collect();
    assert_eq!(kinds, ["image", "smask", "image", "smask"], "{images}");
    let text = words(&text_of(&pdf));
    for signatory in &signatories {
        assert!(
            text.contains(signatory.name) && text.contains(signatory.title),
            "{text}"
        );
    }
}

#[test]
fn jpeg_signatures_render() {
    // Any JPEG will do: pdftoppm makes a tiny one of a rendered certificate.
    let pdf = Scratch::with(
        "pdf",
        &render(&certificate(Locale::Es, "Ana Pérez", &[])).expect("renders"),
    );
    let jpeg = Scratch::new("jpg");
    let stem = jpeg.arg().trim_end_matches(".jpg");
    run(
        "pdftoppm",
        "poppler-utils",
        &["-r", "12", "-jpeg", "-singlefile", pdf.arg(), stem],
    );
    let bytes = std::fs::read(&jpeg.0).expect("pdftoppm wrote the JPEG");
    let signatories = [Signatory {
        name: "Dra. María Elena Ruiz",
        title: "Directora del CIESS",
        signature: Some(&bytes),
    }];
    let pdf = Scratch::with(
        "pdf",
        &render(&certificate(Locale::Es, "Ana Pérez", &signatories)).expect("renders"),
    );
    let images = run("pdfimages", "poppler-utils", &["-list", pdf.arg()]);
    let encodings: Vec<&str> = images
        .lines()
        .skip(2)
        .filter_map(|line| line.split_whitespace().nth(8))
        .collect();
    assert_eq!(encodings, ["jpeg"], "{images}");
}

#[test]
fn unreadable_signatures_are_reported_by_name() {
    let valid = signature_png(0.0);
    // A PNG cut short after its header: readable metadata, undecodable pixels.
    let truncated = &valid[..valid.len() / 2];
    for bad in [&b"not an image at all"[..], truncated, &[]] {
        let signatories = [
            Signatory {
                name: "Dra. María Elena Ruiz",
                title: "Directora del CIESS",
                signature: Some(&valid),
            },
            Signatory {
                name: "Lic. Jorge Alberto Campos",
                title: "Coordinador Académico",
                signature: Some(bad),
            },
        ];
        match render(&certificate(Locale::Es, "Ana Pérez", &signatories)) {
            Err(DocumentError::Signature(name)) => assert_eq!(name, "Lic. Jorge Alberto Campos"),
            other => panic!("expected a signature error, got {other:?}"),
        }
    }
}

#[test]
fn the_fonts_cover_the_letters_of_the_four_languages() {
    let fonts = Fonts::load().expect("the fonts load");
    for style in [Style::Regular, Style::Bold, Style::Italic] {
        let missing: String = ('\u{20}'..='\u{7e}')
            .chain(('\u{c0}'..='\u{17f}').filter(|c| c.is_alphabetic()))
            .chain(['’', '«', '»', '—', '·', '€', '\u{a0}'])
            .filter(|c| !fonts.covers(style, *c))
            .collect();
        assert!(missing.is_empty(), "{style:?} lacks {missing:?}");
    }
}

/// Writes a sample certificate next to the system's temporary files for a
/// visual check: `cargo test -p aula-certification --lib document -- --ignored`.
#[test]
#[ignore = "writes files for a person to look at"]
fn write_sample() {
    let first = signature_png(0.0);
    let second = signature_png(2.0);
    let signatories = [
        Signatory {
            name: "Dra. María Elena Ruiz Castañeda",
            title: "Directora del CIESS",
            signature: Some(&first),
        },
        Signatory {
            name: "Lic. Jorge Alberto Campos",
            title: "Coordinador Académico",
            signature: Some(&second),
        },
    ];
    let doc = certificate(Locale::Es, "José Ñúñez Gonçalves", &signatories);
    let pdf = std::env::temp_dir().join("certificate-sample.pdf");
    std::fs::write(&pdf, render(&doc).expect("renders")).expect("written");
    let pdf = pdf.to_str().expect("UTF-8 path");
    let png = std::env::temp_dir().join("certificate-sample");
    let png = png.to_str().expect("UTF-8 path");
    run(
        "pdftoppm",
        "poppler-utils",
        &["-r", "110", "-png", "-singlefile", pdf, png],
    );
    eprintln!("wrote {pdf} and {png}.png");
}
