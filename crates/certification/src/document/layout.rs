//! Drawing primitives: measured, centred and wrapped text, rules, frames and
//! the QR code. Coordinates are in points from the top-left corner, as krilla
//! uses them; text is placed by its baseline.

use krilla::color::rgb;
use krilla::geom::{PathBuilder, Point, Rect};
use krilla::num::NormalizedF32;
use krilla::paint::{Fill, Stroke};
use krilla::surface::Surface;
use krilla::text::{Font, TextDirection};
use qrcode::{Color, QrCode};

use super::labels::Style;
use super::metrics::Metrics;
use super::DocumentError;

/// The palette: navy and a muted gold on white, with near-black body text.
#[derive(Debug, Clone, Copy)]
pub(super) enum Tint {
    Navy,
    Gold,
    Ink,
    Grey,
    White,
    Black,
}

impl Tint {
    fn rgb(self) -> rgb::Color {
        match self {
            Tint::Navy => rgb::Color::new(24, 49, 83),
            Tint::Gold => rgb::Color::new(158, 124, 58),
            Tint::Ink => rgb::Color::new(33, 33, 33),
            Tint::Grey => rgb::Color::new(96, 96, 96),
            Tint::White => rgb::Color::white(),
            Tint::Black => rgb::Color::black(),
        }
    }
}

/// How a piece of text is set.
#[derive(Debug, Clone, Copy)]
pub(super) struct Type {
    pub style: Style,
    pub size: f32,
    pub tint: Tint,
}

const REGULAR: &[u8] = include_bytes!("../../fonts/LibertinusSerif-Regular.otf");
const BOLD: &[u8] = include_bytes!("../../fonts/LibertinusSerif-Bold.otf");
const ITALIC: &[u8] = include_bytes!("../../fonts/LibertinusSerif-Italic.otf");

/// One embedded typeface: krilla's handle to draw it and its metrics to
/// measure it.
struct Face {
    font: Font,
    metrics: Metrics,
}

impl Face {
    fn load(data: &'static [u8], name: &str) -> Result<Face, DocumentError> {
        let unreadable = || DocumentError::Pdf(format!("the font {name} cannot be read"));
        Ok(Face {
            font: Font::new(data.into(), 0).ok_or_else(unreadable)?,
            metrics: Metrics::parse(data).ok_or_else(unreadable)?,
        })
    }
}

pub(super) struct Fonts {
    regular: Face,
    bold: Face,
    italic: Face,
}

impl Fonts {
    pub(super) fn load() -> Result<Fonts, DocumentError> {
        Ok(Fonts {
            regular: Face::load(REGULAR, "Libertinus Serif Regular")?,
            bold: Face::load(BOLD, "Libertinus Serif Bold")?,
            italic: Face::load(ITALIC, "Libertinus Serif Italic")?,
        })
    }

    fn face(&self, style: Style) -> &Face {
        match style {
            Style::Regular => &self.regular,
            Style::Bold => &self.bold,
            Style::Italic => &self.italic,
        }
    }

    /// The width of `text` in `style` at `size` points.
    pub(super) fn width(&self, style: Style, text: &str, size: f32) -> f32 {
        self.face(style).metrics.width(&plain(text), size)
    }

    /// The largest size up to `size` at which `text` fits in `max_width`.
    pub(super) fn fit(&self, style: Style, text: &str, size: f32, max_width: f32) -> f32 {
        let width = self.width(style, text, size);
        if width > max_width {
            size * max_width / width
        } else {
            size
        }
    }

    #[cfg(test)]
    pub(super) fn covers(&self, style: Style, c: char) -> bool {
        self.face(style).metrics.covers(c)
    }
}

/// Glue spaces only steer line breaking and stray tabs or line breaks in the
/// input have no glyph: all print as ordinary spaces, so that extracted text
/// reads naturally.
fn plain(text: &str) -> String {
    text.chars()
        .map(|c| if c.is_whitespace() { ' ' } else { c })
        .collect()
}

fn fill(tint: Tint) -> Fill {
    Fill {
        paint: tint.rgb().into(),
        opacity: NormalizedF32::ONE,
        rule: Default::default(),
    }
}

/// A line of text made of differently styled runs.
pub(super) struct Line {
    runs: Vec<(Style, String)>,
    width: f32,
}

impl Line {
    pub(super) fn width(&self) -> f32 {
        self.width
    }
}

/// Breaks styled runs into lines no wider than `max_width`, at spaces only.
pub(super) fn wrap(
    fonts: &Fonts,
    runs: &[(Style, String)],
    size: f32,
    max_width: f32,
) -> Vec<Line> {
    // A word may span styles, as an italic title followed by a comma does.
    let mut words: Vec<Vec<(Style, String)>> = vec![Vec::new()];
    for (style, text) in runs {
        let breaks = |c: char| c.is_whitespace() && c != '\u{a0}';
        for (i, piece) in text.split(breaks).enumerate() {
            if i > 0 {
                words.push(Vec::new());
            }
            if !piece.is_empty() {
                if let Some(word) = words.last_mut() {
                    word.push((*style, piece.to_string()));
                }
            }
        }
    }
    words.retain(|word| !word.is_empty());

    let space = fonts.width(Style::Regular, " ", size);
    let mut lines: Vec<Line> = Vec::new();
    let mut current = Line {
        runs: Vec::new(),
        width: 0.0,
    };
    for word in words {
        let width: f32 = word
            .iter()
            .map(|(style, text)| fonts.width(*style, text, size))
            .sum();
        let fits = current.width + space + width <= max_width;
        if !current.runs.is_empty() && !fits {
            lines.push(std::mem::replace(
                &mut current,
                Line {
                    runs: Vec::new(),
                    width: 0.0,
                },
            ));
        }
        if !current.runs.is_empty() {
            push_run(&mut current.runs, Style::Regular, " ");
            current.width += space;
        }
        for (style, text) in &word {
            push_run(&mut current.runs, *style, text);
        }
        current.width += width;
    }
    if !current.runs.is_empty() {
        lines.push(current);
    }
    lines
}

/// Wraps like [`wrap`], then narrows the measure as far as it goes without
/// adding a line, so that centred lines come out of similar length instead of
/// full lines followed by a stub.
pub(super) fn wrap_balanced(
    fonts: &Fonts,
    runs: &[(Style, String)],
    size: f32,
    max_width: f32,
) -> Vec<Line> {
    let lines = wrap(fonts, runs, size, max_width);
    let count = lines.len();
    if count < 2 {
        return lines;
    }
    // `high` always yields `count` lines; a dozen halvings get within a point.
    let (mut low, mut high) = (max_width / count as f32, max_width);
    for _ in 0..12 {
        let middle = (low + high) / 2.0;
        if wrap(fonts, runs, size, middle).len() <= count {
            high = middle;
        } else {
            low = middle;
        }
    }
    wrap(fonts, runs, size, high)
}

/// Appends text, merging it into the last run when the style matches so that
/// each line is drawn in as few pieces as possible (a space joins the run
/// before it).
fn push_run(runs: &mut Vec<(Style, String)>, style: Style, text: &str) {
    match runs.last_mut() {
        Some((last, run)) if *last == style || text == " " => run.push_str(text),
        _ => runs.push((style, text.to_string())),
    }
}

pub(super) struct Painter<'s, 'p> {
    pub surface: &'s mut Surface<'p>,
    pub fonts: &'s Fonts,
}

impl Painter<'_, '_> {
    /// Draws `text` with its left end at `x`; returns its width.
    pub(super) fn text(&mut self, x: f32, baseline: f32, ty: Type, text: &str) -> f32 {
        let text = plain(text);
        if text.trim().is_empty() {
            return self.fonts.width(ty.style, &text, ty.size);
        }
        self.surface.set_stroke(None);
        self.surface.set_fill(Some(fill(ty.tint)));
        self.surface.draw_text(
            Point::from_xy(x, baseline),
            self.fonts.face(ty.style).font.clone(),
            ty.size,
            &text,
            false,
            TextDirection::Auto,
        );
        self.fonts.width(ty.style, &text, ty.size)
    }

    /// Draws `text` centred on `cx`, shrunk if needed to fit `max_width`;
    /// returns its width.
    pub(super) fn centred(
        &mut self,
        cx: f32,
        baseline: f32,
        ty: Type,
        max_width: f32,
        text: &str,
    ) -> f32 {
        let size = self.fonts.fit(ty.style, text, ty.size, max_width);
        let width = self.fonts.width(ty.style, text, size);
        self.text(cx - width / 2.0, baseline, Type { size, ..ty }, text)
    }

    /// Draws a wrapped line centred on `cx`, each run in its own style.
    pub(super) fn line(&mut self, cx: f32, baseline: f32, ty: Type, line: &Line) {
        let mut x = cx - line.width / 2.0;
        for (style, text) in &line.runs {
            x += self.text(
                x,
                baseline,
                Type {
                    style: *style,
                    ..ty
                },
                text,
            );
        }
    }

    /// A straight stroke.
    pub(super) fn rule(&mut self, from: (f32, f32), to: (f32, f32), width: f32, tint: Tint) {
        let mut path = PathBuilder::new();
        path.move_to(from.0, from.1);
        path.line_to(to.0, to.1);
        self.stroke(path, width, tint);
    }

    /// A rectangle outline.
    pub(super) fn frame(&mut self, rect: Option<Rect>, width: f32, tint: Tint) {
        if let Some(rect) = rect {
            let mut path = PathBuilder::new();
            path.push_rect(rect);
            self.stroke(path, width, tint);
        }
    }

    /// A small filled diamond centred on (`cx`, `cy`), as an ornament.
    pub(super) fn diamond(&mut self, cx: f32, cy: f32, radius: f32, tint: Tint) {
        let mut path = PathBuilder::new();
        path.move_to(cx, cy - radius);
        path.line_to(cx + radius, cy);
        path.line_to(cx, cy + radius);
        path.line_to(cx - radius, cy);
        path.close();
        self.fill(path, tint);
    }

    /// A circle outline.
    pub(super) fn circle(&mut self, cx: f32, cy: f32, radius: f32, width: f32, tint: Tint) {
        // The usual four-Bézier approximation, within 0.03 % of a circle.
        let k = radius * 0.552_284_8;
        let mut path = PathBuilder::new();
        path.move_to(cx + radius, cy);
        path.cubic_to(cx + radius, cy + k, cx + k, cy + radius, cx, cy + radius);
        path.cubic_to(cx - k, cy + radius, cx - radius, cy + k, cx - radius, cy);
        path.cubic_to(cx - radius, cy - k, cx - k, cy - radius, cx, cy - radius);
        path.cubic_to(cx + k, cy - radius, cx + radius, cy - k, cx + radius, cy);
        path.close();
        self.stroke(path, width, tint);
    }

    /// A filled star of `points` points between two radii.
    pub(super) fn star(&mut self, cx: f32, cy: f32, radii: (f32, f32), points: u16, tint: Tint) {
        let mut path = PathBuilder::new();
        let corners = 2 * points;
        for i in 0..corners {
            let radius = if i % 2 == 0 { radii.0 } else { radii.1 };
            let angle = std::f32::consts::PI * f32::from(i) / f32::from(points)
                - std::f32::consts::FRAC_PI_2;
            let (x, y) = (cx + radius * angle.cos(), cy + radius * angle.sin());
            if i == 0 {
                path.move_to(x, y);
            } else {
                path.line_to(x, y);
            }
        }
        path.close();
        self.fill(path, tint);
    }

    /// The QR code as vector squares, `size` points wide without its quiet
    /// zone, top-left corner at (`x`, `y`).
    pub(super) fn qr(&mut self, code: &QrCode, x: f32, y: f32, size: f32) {
        let modules = code.width();
        if modules == 0 {
            return;
        }
        let module = size / modules as f32;
        // Scanners need the quiet zone light even on a tinted background.
        let quiet = 4.0 * module;
        let mut white = PathBuilder::new();
        if let Some(rect) =
            Rect::from_xywh(x - quiet, y - quiet, size + 2.0 * quiet, size + 2.0 * quiet)
        {
            white.push_rect(rect);
        }
        self.fill(white, Tint::White);

        // One rectangle per horizontal run of dark modules keeps the path
        // small, and a single fill leaves no seams between modules.
        let mut dark = PathBuilder::new();
        for (row, colors) in code.to_colors().chunks(modules).enumerate() {
            let mut column = 0;
            while column < colors.len() {
                if colors[column] == Color::Light {
                    column += 1;
                    continue;
                }
                let start = column;
                while column < colors.len() && colors[column] == Color::Dark {
                    column += 1;
                }
                let rect = Rect::from_xywh(
                    x + start as f32 * module,
                    y + row as f32 * module,
                    (column - start) as f32 * module,
                    module,
                );
                if let Some(rect) = rect {
                    dark.push_rect(rect);
                }
            }
        }
        self.fill(dark, Tint::Black);
    }

    fn stroke(&mut self, path: PathBuilder, width: f32, tint: Tint) {
        if let Some(path) = path.finish() {
            self.surface.set_fill(None);
            self.surface.set_stroke(Some(Stroke {
                paint: tint.rgb().into(),
                width,
                ..Default::default()
            }));
            self.surface.draw_path(&path);
            self.surface.set_stroke(None);
        }
    }

    fn fill(&mut self, path: PathBuilder, tint: Tint) {
        if let Some(path) = path.finish() {
            self.surface.set_stroke(None);
            self.surface.set_fill(Some(fill(tint)));
            self.surface.draw_path(&path);
        }
    }
}
