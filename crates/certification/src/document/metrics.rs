//! Advance widths read from an OpenType font's `cmap` and `hmtx` tables.
//!
//! krilla shapes text when drawing it but does not expose the resulting
//! widths, and lines must be measured to be centred and wrapped. Kerning is
//! ignored, which is off by a fraction of a point per line.

/// Enough of a font to measure text.
pub(super) struct Metrics {
    data: &'static [u8],
    units_per_em: f32,
    hmetrics: u16,
    hmtx: usize,
    cmap: Cmap,
}

/// The chosen character-to-glyph subtable.
enum Cmap {
    /// Segment mapping to delta values, for the Basic Multilingual Plane.
    Format4(usize),
    /// Segmented coverage, for all of Unicode.
    Format12(usize),
}

impl Metrics {
    pub(super) fn parse(data: &'static [u8]) -> Option<Metrics> {
        let head = table(data, b"head")?;
        let hhea = table(data, b"hhea")?;
        let units_per_em = u16_at(data, head + 18)?;
        if units_per_em == 0 {
            return None;
        }
        Some(Metrics {
            data,
            units_per_em: f32::from(units_per_em),
            hmetrics: u16_at(data, hhea + 34)?,
            hmtx: table(data, b"hmtx")?,
            cmap: cmap(data, table(data, b"cmap")?)?,
        })
    }

    /// The width of `text` set at `size` points.
    pub(super) fn width(&self, text: &str, size: f32) -> f32 {
        let units: u32 = text.chars().map(|c| self.advance(self.glyph(c))).sum();
        units as f32 * size / self.units_per_em
    }

    /// Whether the font draws `c` (and does not fall back to .notdef).
    #[cfg(test)]
    pub(super) fn covers(&self, c: char) -> bool {
        self.glyph(c) != 0
    }

    fn advance(&self, glyph: u16) -> u32 {
        // Glyphs past the last full metric share its advance.
        let index = glyph.min(self.hmetrics.saturating_sub(1));
        u16_at(self.data, self.hmtx + 4 * usize::from(index)).map_or(0, u32::from)
    }

    fn glyph(&self, c: char) -> u16 {
        let c = u32::from(c);
        match self.cmap {
            Cmap::Format4(at) => format4(self.data, at, c),
            Cmap::Format12(at) => format12(self.data, at, c),
        }
        .unwrap_or(0)
    }
}

fn u16_at(data: &[u8], at: usize) -> Option<u16> {
    let bytes = data.get(at..at.checked_add(2)?)?;
    Some(u16::from_be_bytes([bytes[0], bytes[1]]))
}

fn u32_at(data: &[u8], at: usize) -> Option<u32> {
    let bytes = data.get(at..at.checked_add(4)?)?;
    Some(u32::from_be_bytes([bytes[0], bytes[1], bytes[2], bytes[3]]))
}

/// The offset of a table, from the table directory.
fn table(data: &[u8], tag: &[u8; 4]) -> Option<usize> {
    let count = usize::from(u16_at(data, 4)?);
    (0..count).find_map(|i| {
        let record = 12 + 16 * i;
        (data.get(record..record + 4)? == tag)
            .then(|| u32_at(data, record + 8))
            .flatten()
            .map(|offset| offset as usize)
    })
}

/// Picks a Unicode subtable, preferring full coverage (format 12).
fn cmap(data: &[u8], cmap: usize) -> Option<Cmap> {
    let count = usize::from(u16_at(data, cmap + 2)?);
    let mut bmp = None;
    for i in 0..count {
        let record = cmap + 4 + 8 * i;
        let platform = u16_at(data, record)?;
        let encoding = u16_at(data, record + 2)?;
        let at = cmap + u32_at(data, record + 4)? as usize;
        let unicode = platform == 0 || (platform == 3 && (encoding == 1 || encoding == 10));
        match (unicode, u16_at(data, at)) {
            (true, Some(12)) => return Some(Cmap::Format12(at)),
            (true, Some(4)) => bmp = bmp.or(Some(Cmap::Format4(at))),
            _ => {}
        }
    }
    bmp
}

fn format4(data: &[u8], at: usize, c: u32) -> Option<u16> {
    let c = u16::try_from(c).ok()?;
    let seg_x2 = usize::from(u16_at(data, at + 6)?);
    let ends = at + 14;
    let starts = ends + seg_x2 + 2;
    let deltas = starts + seg_x2;
    let range_offsets = deltas + seg_x2;
    for seg in (0..seg_x2).step_by(2) {
        if c > u16_at(data, ends + seg)? {
            continue;
        }
        let start = u16_at(data, starts + seg)?;
        if c < start {
            return None;
        }
        let delta = u16_at(data, deltas + seg)?;
        let range_offset = usize::from(u16_at(data, range_offsets + seg)?);
        if range_offset == 0 {
            return Some(c.wrapping_add(delta));
        }
        // The offset is relative to its own position in the array.
        let glyph = u16_at(
            data,
            range_offsets + seg + range_offset + 2 * usize::from(c - start),
        )?;
        return (glyph != 0).then(|| glyph.wrapping_add(delta));
    }
    None
}

fn format12(data: &[u8], at: usize, c: u32) -> Option<u16> {
    let groups = u32_at(data, at + 12)? as usize;
    (0..groups).find_map(|i| {
        let group = at + 16 + 12 * i;
        let (start, end) = (u32_at(data, group)?, u32_at(data, group + 4)?);
        let glyph = u32_at(data, group + 8)?;
        if !(start..=end).contains(&c) {
            return None;
        }
        u16::try_from(glyph.checked_add(c - start)?).ok()
    })
}
