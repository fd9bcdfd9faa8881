//! The certificate as a printable document: one A4 landscape PDF page with the
//! learner's name, the course, the signatures and a QR code that opens the
//! public verification page.
//!
//! Fonts (Libertinus Serif, SIL Open Font License, see `fonts/OFL.txt`) are
//! compiled in and embedded as subsets, so the output depends on nothing but
//! the input and its text can be extracted and searched.

mod labels;
mod layout;
mod metrics;
#[cfg(test)]
mod tests;

use std::num::NonZeroU64;

use aula_core::Locale;
use chrono::NaiveDate;
use krilla::error::KrillaError;
use krilla::geom::{Rect, Size, Transform};
use krilla::image::Image;
use krilla::metadata::Metadata;
use krilla::page::PageSettings;
use krilla::Document as Pdf;
use qrcode::{EcLevel, QrCode};

use labels::Style;
use layout::{Fonts, Painter, Tint, Type};

/// What a certificate says, as printed.
#[derive(Debug, Clone)]
pub struct Document<'a> {
    pub locale: Locale,
    /// E.g. "Centro Interamericano de Estudios de Seguridad Social (CIESS)".
    pub centre: &'a str,
    pub learner_name: &'a str,
    pub award: Award,
    pub course_title: &'a str,
    pub course_code: &'a str,
    pub start_date: NaiveDate,
    pub end_date: NaiveDate,
    pub hours: i32,
    /// Attendance in percent, when sessions were recorded.
    pub attendance: Option<i32>,
    /// The date the learner earned it (kept across reissues).
    pub awarded_on: NaiveDate,
    pub expires_on: Option<NaiveDate>,
    /// E.g. "CIESS-7K3Q-9XMP-T2RD".
    pub code: &'a str,
    /// The public verification URL the QR code opens, e.g. "https://aula.example/verify/CIESS-7K3Q-9XMP-T2RD".
    pub verify_url: &'a str,
    pub signatories: &'a [Signatory<'a>],
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Award {
    Participation,
    /// Final grade out of 100.
    Approval {
        final_grade: f64,
    },
}

#[derive(Debug, Clone)]
pub struct Signatory<'a> {
    pub name: &'a str,
    pub title: &'a str,
    /// A PNG or JPEG image of the signature, drawn above the line.
    pub signature: Option<&'a [u8]>,
}

#[derive(Debug, thiserror::Error)]
pub enum DocumentError {
    #[error("the signature image of {0} cannot be read")]
    Signature(String),
    #[error("the PDF could not be written: {0}")]
    Pdf(String),
    #[error("the QR code could not be made: {0}")]
    Qr(String),
}

/// A4 landscape, in points.
const WIDTH: f32 = 841.89;
const HEIGHT: f32 = 595.28;
const CENTRE_X: f32 = WIDTH / 2.0;
/// The inner frame's distance from the page edge; everything sits inside it.
const FRAME: f32 = 30.0;
/// The widest the main text may run, leaving generous side margins.
const TEXT_WIDTH: f32 = 620.0;
/// The title and the learner's name, set large, may run a little wider.
const TITLE_WIDTH: f32 = TEXT_WIDTH + 60.0;

/// The line the signatures stand on.
const SIGNATURE_RULE_Y: f32 = 496.0;
/// The box a signature image is scaled into, aspect ratio kept.
const SIGNATURE_BOX: (f32, f32) = (160.0, 50.0);

/// The award date's distance below the sentence, and the lowest it may sit
/// to stay clear of the tallest signature.
const ISSUED_GAP: f32 = 30.0;
const ISSUED_LIMIT: f32 = SIGNATURE_RULE_Y - 4.0 - SIGNATURE_BOX.1 - 16.0;

/// The QR code's width without its quiet zone, and the column under it.
const QR_SIZE: f32 = 78.0;
const QR_COLUMN: f32 = 150.0;
const QR_CENTRE_X: f32 = WIDTH - FRAME - 16.0 - QR_COLUMN / 2.0;
/// Level with the signatures, its foot slightly below their line.
const QR_TOP: f32 = SIGNATURE_RULE_Y + 4.0 - QR_SIZE;

/// Renders the certificate: one A4 landscape page (841.89 × 595.28 pt).
pub fn render(doc: &Document) -> Result<Vec<u8>, DocumentError> {
    let fonts = Fonts::load()?;
    let signatures = doc
        .signatories
        .iter()
        .map(|signatory| {
            signatory
                .signature
                .map(|bytes| image(signatory.name, bytes))
                .transpose()
        })
        .collect::<Result<Vec<_>, _>>()?;
    // Medium error correction survives print wear and a smudge while keeping
    // the modules large enough for phone cameras.
    let qr = QrCode::with_error_correction_level(doc.verify_url.as_bytes(), EcLevel::M)
        .map_err(|e| DocumentError::Qr(e.to_string()))?;
    let labels = labels::labels(doc.locale, doc.award);

    let mut pdf = Pdf::new();
    pdf.set_metadata(
        Metadata::new()
            .title(format!("{} — {}", labels.title, doc.learner_name.trim()))
            .language(doc.locale.as_str().to_string()),
    );
    let settings = PageSettings::from_wh(WIDTH, HEIGHT)
        .ok_or_else(|| DocumentError::Pdf("invalid page size".to_string()))?;
    let mut page = pdf.start_page_with(settings);
    let mut surface = page.surface();
    let mut painter = Painter {
        surface: &mut surface,
        fonts: &fonts,
    };

    frame(&mut painter);
    header(&mut painter, doc, labels.title);
    body(&mut painter, doc, labels.awarded_to);
    signatories(&mut painter, doc.signatories, &signatures)?;
    if doc.signatories.len() <= 2 {
        seal(&mut painter);
    }
    verification(&mut painter, doc, &qr, labels.verify_at);

    surface.finish();
    page.finish();
    pdf.finish().map_err(|e| pdf_error(e, doc))
}

/// Reads a signature image, telling PNG from JPEG by its signature bytes.
fn image(name: &str, bytes: &[u8]) -> Result<Image, DocumentError> {
    let unreadable = || DocumentError::Signature(name.to_string());
    let data = bytes.to_vec().into();
    let image = if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        Image::from_png(data, true)
    } else if bytes.starts_with(&[0xff, 0xd8, 0xff]) {
        Image::from_jpeg(data, true)
    } else {
        return Err(unreadable());
    }
    .map_err(|_| unreadable())?;
    let (width, height) = image.size();
    if width == 0 || height == 0 {
        return Err(unreadable());
    }
    Ok(image)
}

/// krilla decodes images only when writing the file; a broken one is reported
/// with the location set while drawing it, which identifies the signatory.
fn pdf_error(error: KrillaError, doc: &Document) -> DocumentError {
    let location = match &error {
        KrillaError::Image(_, location, _) | KrillaError::SixteenBitImage(_, location) => *location,
        _ => None,
    };
    let signatory = location
        .and_then(|location| usize::try_from(location.get() - 1).ok())
        .and_then(|index| doc.signatories.get(index));
    match signatory {
        Some(signatory) => DocumentError::Signature(signatory.name.to_string()),
        None => DocumentError::Pdf(error.to_string()),
    }
}

/// A thin double border: a navy outer line and a gold inner one.
fn frame(painter: &mut Painter) {
    let inset = |by: f32| Rect::from_ltrb(by, by, WIDTH - by, HEIGHT - by);
    painter.frame(inset(FRAME - 7.0), 1.6, Tint::Navy);
    painter.frame(inset(FRAME), 0.6, Tint::Gold);
}

/// The centre's name, an ornament and the title.
fn header(painter: &mut Painter, doc: &Document, title: &str) {
    let centre = Type {
        style: Style::Regular,
        size: 16.0,
        tint: Tint::Navy,
    };
    painter.centred(CENTRE_X, 86.0, centre, TEXT_WIDTH, doc.centre.trim());

    let y = 104.0;
    painter.rule((CENTRE_X - 90.0, y), (CENTRE_X - 10.0, y), 0.6, Tint::Gold);
    painter.diamond(CENTRE_X, y, 3.5, Tint::Gold);
    painter.rule((CENTRE_X + 10.0, y), (CENTRE_X + 90.0, y), 0.6, Tint::Gold);

    let title_type = Type {
        style: Style::Bold,
        size: 36.0,
        tint: Tint::Navy,
    };
    painter.centred(CENTRE_X, 160.0, title_type, TITLE_WIDTH, title);
}

/// The learner's name, the course sentence and the award and expiry dates.
fn body(painter: &mut Painter, doc: &Document, awarded_to: &str) {
    let lead = Type {
        style: Style::Italic,
        size: 15.0,
        tint: Tint::Grey,
    };
    painter.centred(CENTRE_X, 200.0, lead, TEXT_WIDTH, awarded_to);

    let name = Type {
        style: Style::Bold,
        size: 32.0,
        tint: Tint::Ink,
    };
    let width = painter.centred(CENTRE_X, 248.0, name, TITLE_WIDTH, doc.learner_name.trim());
    // The rule under the name outreaches even a long one.
    let half = (width / 2.0 + 24.0).clamp(230.0, TITLE_WIDTH / 2.0);
    let y = 264.0;
    painter.rule((CENTRE_X - half, y), (CENTRE_X + half, y), 0.6, Tint::Gold);

    // Shrinks the sentence until it takes at most three lines and leaves room
    // for the award date above the signatures.
    let runs = labels::sentence(doc);
    let first = 298.0;
    let mut size = 14.0;
    let (lines, leading) = loop {
        let lines = layout::wrap_balanced(painter.fonts, &runs, size, TEXT_WIDTH);
        let leading = size * 1.4;
        let last = first + leading * lines.len().saturating_sub(1) as f32;
        let fits = lines.len() <= 3 && last + ISSUED_GAP <= ISSUED_LIMIT;
        if fits || size <= 7.0 {
            break (lines, leading);
        }
        size -= 0.5;
    };
    let sentence = Type {
        style: Style::Regular,
        size,
        tint: Tint::Ink,
    };
    let mut baseline = first;
    for line in &lines {
        painter.line(CENTRE_X, baseline, sentence, line);
        baseline += leading;
    }

    let issued = Type {
        style: Style::Italic,
        size: 12.5,
        tint: Tint::Grey,
    };
    let baseline = baseline - leading + ISSUED_GAP;
    painter.centred(CENTRE_X, baseline, issued, TEXT_WIDTH, &labels::issued(doc));
}

/// Signatories side by side, centred on the page while clear of the QR code.
fn signatories(
    painter: &mut Painter,
    signatories: &[Signatory],
    signatures: &[Option<Image>],
) -> Result<(), DocumentError> {
    if signatories.is_empty() {
        return Ok(());
    }
    let right = QR_CENTRE_X - QR_COLUMN / 2.0 - 12.0;
    // One or two signatories centre on the page; more spread further left.
    let (left, right) = if signatories.len() <= 2 {
        (2.0 * CENTRE_X - right, right)
    } else {
        (FRAME + 40.0, right)
    };
    let column = (right - left) / signatories.len() as f32;
    let rule = (column - 24.0).min(180.0);

    for (i, (signatory, signature)) in signatories.iter().zip(signatures).enumerate() {
        let cx = left + column * (i as f32 + 0.5);
        if let Some(image) = signature {
            let (pixels_w, pixels_h) = image.size();
            let (box_w, box_h) = (SIGNATURE_BOX.0.min(rule), SIGNATURE_BOX.1);
            let scale = (box_w / pixels_w as f32).min(box_h / pixels_h as f32);
            let (w, h) = (pixels_w as f32 * scale, pixels_h as f32 * scale);
            let size = Size::from_wh(w, h)
                .ok_or_else(|| DocumentError::Signature(signatory.name.to_string()))?;
            // Tags the image so a decoding failure at the end names its owner.
            let location = u64::try_from(i + 1).ok().and_then(NonZeroU64::new);
            if let Some(location) = location {
                painter.surface.set_location(location);
            }
            painter.surface.push_transform(&Transform::from_translate(
                cx - w / 2.0,
                SIGNATURE_RULE_Y - 4.0 - h,
            ));
            painter.surface.draw_image(image.clone(), size);
            painter.surface.pop();
            painter.surface.reset_location();
        }

        painter.rule(
            (cx - rule / 2.0, SIGNATURE_RULE_Y),
            (cx + rule / 2.0, SIGNATURE_RULE_Y),
            0.6,
            Tint::Ink,
        );
        let name = Type {
            style: Style::Regular,
            size: 12.0,
            tint: Tint::Ink,
        };
        painter.centred(
            cx,
            SIGNATURE_RULE_Y + 16.0,
            name,
            column - 12.0,
            signatory.name.trim(),
        );
        signatory_title(painter, cx, column - 12.0, signatory.title.trim());
    }
    Ok(())
}

/// A signatory's title in up to two lines, shrinking from 10 pt to 7 pt
/// before it is squeezed onto one.
fn signatory_title(painter: &mut Painter, cx: f32, max_width: f32, title: &str) {
    let runs = [(Style::Italic, title.to_string())];
    let ty = Type {
        style: Style::Italic,
        size: 10.0,
        tint: Tint::Grey,
    };
    let baseline = SIGNATURE_RULE_Y + 30.0;
    let fitting = (0..=6u8).find_map(|step| {
        let size = ty.size - 0.5 * f32::from(step);
        let lines = layout::wrap_balanced(painter.fonts, &runs, size, max_width);
        let fits = lines.len() <= 2 && lines.iter().all(|line| line.width() <= max_width);
        fits.then_some((size, lines))
    });
    match fitting {
        Some((size, lines)) => {
            for (i, line) in lines.iter().enumerate() {
                let y = baseline + i as f32 * size * 1.25;
                painter.line(cx, y, Type { size, ..ty }, line);
            }
        }
        None => {
            painter.centred(cx, baseline, ty, max_width, title);
        }
    }
}

/// Bottom left, mirroring the QR code: an ornamental seal that balances the
/// page (three or more signatories use that space instead).
fn seal(painter: &mut Painter) {
    let (cx, cy) = (WIDTH - QR_CENTRE_X, QR_TOP + QR_SIZE / 2.0);
    painter.circle(cx, cy, 38.0, 1.2, Tint::Gold);
    painter.circle(cx, cy, 33.5, 0.5, Tint::Gold);
    painter.circle(cx, cy, 24.0, 0.5, Tint::Gold);
    painter.star(cx, cy, (20.0, 8.5), 8, Tint::Gold);
}

/// Bottom right: the QR code, the certificate's code and where to verify it.
fn verification(painter: &mut Painter, doc: &Document, qr: &QrCode, verify_at: &str) {
    painter.qr(qr, QR_CENTRE_X - QR_SIZE / 2.0, QR_TOP, QR_SIZE);

    let code = Type {
        style: Style::Regular,
        size: 10.0,
        tint: Tint::Ink,
    };
    let below = QR_TOP + QR_SIZE;
    painter.centred(QR_CENTRE_X, below + 15.0, code, QR_COLUMN, doc.code.trim());
    let small = Type {
        style: Style::Regular,
        size: 7.5,
        tint: Tint::Grey,
    };
    painter.centred(QR_CENTRE_X, below + 26.0, small, QR_COLUMN, verify_at);
    painter.centred(
        QR_CENTRE_X,
        below + 35.0,
        small,
        QR_COLUMN,
        doc.verify_url.trim(),
    );
}
