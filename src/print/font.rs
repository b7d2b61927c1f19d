//! Fonts: the embedded WenQuanYi Micro Hei, parsed once and shared, and an optional
//! external fallback font (e.g. Noto Sans CJK SC) for rare characters in names.
//!
//! Parsing a CJK font costs tens of milliseconds in release (most of a second in a debug
//! build), so every face is parsed at most once per process and handed out as `Arc`.

use std::path::{Path, PathBuf};
use std::sync::{Arc, LazyLock, Mutex};

use printpdf::ParsedFont;

use super::PrintError;

/// The embedded font file (a TrueType collection; face 0 is the proportional
/// "WenQuanYi Micro Hei", face 1 the monospaced variant): 34,594 characters in 5 MB.
const EMBEDDED_TTC: &[u8] = include_bytes!("../../assets/fonts/wqy-microhei.ttc");
const EMBEDDED_NAME: &str = "WenQuanYi Micro Hei";

/// Face 0 of [`EMBEDDED_TTC`] cut down to the 6,763 ideographs of GB 2312 and every
/// character that is neither Han nor Hangul (8,855 glyphs, 1.4 MB): the face nearly every
/// document is drawn with. Subsetting for a PDF reads the whole source face each time
/// (its glyph records, cmap and glyph names), so a face a quarter the size makes every
/// receipt faster; the full face is parsed only when a character needs it. Made by
/// `print::font::subset_face::the_print_face_is_the_gb2312_cut_of_the_embedded_font`
/// (set `STATIONDESK_WRITE_FONT=1` to write it again).
const PRINT_FACE: &[u8] = include_bytes!("../../assets/fonts/wqy-microhei-gb2312.ttf");

/// Millimetres per PostScript point.
pub const MM_PER_PT: f32 = 25.4 / 72.0;

/// One parsed font face with the metrics the layout needs.
pub struct FontFace {
    parsed: ParsedFont,
    name: String,
    units_per_em: f32,
}

impl std::fmt::Debug for FontFace {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("FontFace")
            .field("name", &self.name)
            .finish_non_exhaustive()
    }
}

impl FontFace {
    /// Parses face `index` of a font file (`.ttf`/`.otf`: 0; `.ttc`: the face number).
    pub fn from_bytes(bytes: &[u8], index: usize, name: &str) -> Result<Self, PrintError> {
        Self::from_shared(Arc::from(bytes), index, name)
    }

    /// Parses face `index` of font bytes the face keeps (no further copy). The outlines
    /// (`loca`/`glyf`) are read when a document first needs them, and only the glyphs it
    /// uses are decoded: the 5 MB CJK font costs its bytes once, not three times
    /// (printpdf's `from_bytes` copies them twice and loads every outline up front).
    fn from_shared(bytes: Arc<[u8]>, index: usize, name: &str) -> Result<Self, PrintError> {
        let mut warnings = Vec::new();
        let parse_error = || PrintError::FontParse {
            name: name.to_owned(),
            index,
        };
        let shared = Arc::new(rust_fontconfig::FontBytes::Owned(bytes));
        let parsed = printpdf::AzulParsedFont::from_bytes_shared(shared, index, &mut warnings)
            .map(ParsedFont::from_azul)
            .ok_or_else(parse_error)?;
        let upem = parsed.pdf_font_metrics.units_per_em;
        if upem == 0 || parsed.lookup_glyph_index(u32::from('0')).is_none() {
            return Err(parse_error());
        }
        Ok(FontFace {
            parsed,
            name: name.to_owned(),
            units_per_em: f32::from(upem),
        })
    }

    /// Reads and parses face `index` of the font file at `path`.
    pub fn load(path: &Path, index: usize) -> Result<Self, PrintError> {
        let bytes = std::fs::read(path).map_err(|source| PrintError::FontRead {
            path: path.to_owned(),
            source,
        })?;
        Self::from_shared(Arc::from(bytes), index, &path.display().to_string())
    }

    /// The face's name as given when it was loaded (file path for external fonts).
    pub fn name(&self) -> &str {
        &self.name
    }

    pub(crate) fn parsed(&self) -> &ParsedFont {
        &self.parsed
    }

    fn glyph(&self, c: char) -> Option<u16> {
        self.parsed
            .lookup_glyph_index(u32::from(c))
            .filter(|&g| g != 0)
    }

    /// Whether the face has a real glyph (not `.notdef`) for `c`.
    pub fn has_glyph(&self, c: char) -> bool {
        needs_no_glyph(c) || self.glyph(c).is_some()
    }

    /// Advance width of `c` in millimetres at `size_pt`; 0 for a missing glyph.
    pub fn advance_mm(&self, c: char, size_pt: f32) -> f32 {
        match self.glyph(c) {
            Some(g) => {
                let adv = f32::from(self.parsed.get_horizontal_advance(g));
                adv / self.units_per_em * size_pt * MM_PER_PT
            }
            None => 0.0,
        }
    }

    /// Width of `text` in millimetres at `size_pt` (sum of glyph advances, no kerning).
    pub fn text_width_mm(&self, text: &str, size_pt: f32) -> f32 {
        text.chars().map(|c| self.advance_mm(c, size_pt)).sum()
    }

    /// The distinct characters of `text` this face cannot draw, in order of appearance.
    pub fn missing_glyphs(&self, text: &str) -> Vec<char> {
        collect_missing(text, |c| self.has_glyph(c))
    }
}

/// Control characters (line breaks, tabs) are handled by the layout, never drawn.
fn needs_no_glyph(c: char) -> bool {
    c.is_control()
}

fn collect_missing(text: &str, has: impl Fn(char) -> bool) -> Vec<char> {
    let mut out: Vec<char> = Vec::new();
    for c in text.chars() {
        if !has(c) && !out.contains(&c) {
            out.push(c);
        }
    }
    out
}

static EMBEDDED: LazyLock<Option<Arc<FontFace>>> = LazyLock::new(|| {
    let face = FontFace::from_bytes(PRINT_FACE, 0, EMBEDDED_NAME).ok();
    // the face keeps its own copy: the program's pages of the font need not stay resident
    crate::platform::forget_read_only(PRINT_FACE);
    face.map(Arc::new)
});

static EMBEDDED_FULL: LazyLock<Option<Arc<FontFace>>> = LazyLock::new(|| {
    let face = FontFace::from_bytes(EMBEDDED_TTC, 0, EMBEDDED_NAME).ok();
    crate::platform::forget_read_only(EMBEDDED_TTC);
    face.map(Arc::new)
});

/// The embedded print face (WenQuanYi Micro Hei, GB 2312 and all non-Han characters),
/// parsed on first use and shared afterwards.
pub fn embedded() -> Result<Arc<FontFace>, PrintError> {
    EMBEDDED
        .as_ref()
        .cloned()
        .ok_or_else(|| PrintError::FontParse {
            name: EMBEDDED_NAME.to_owned(),
            index: 0,
        })
}

/// The whole embedded face (every ideograph WenQuanYi has), parsed the first time a
/// character outside the print face is met.
fn embedded_full<'a>() -> Option<&'a Arc<FontFace>> {
    EMBEDDED_FULL.as_ref()
}

type ExternalCache = Mutex<Vec<(PathBuf, usize, Arc<FontFace>)>>;
static EXTERNAL: LazyLock<ExternalCache> = LazyLock::new(|| Mutex::new(Vec::new()));

/// Face `index` of the external font file at `path`, parsed once per process and cached.
/// A failed load is not cached, so fixing the setting and retrying works.
pub fn external(path: &Path, index: usize) -> Result<Arc<FontFace>, PrintError> {
    let cached = |cache: &ExternalCache| {
        let guard = cache.lock().unwrap_or_else(|p| p.into_inner());
        guard
            .iter()
            .find(|(p, i, _)| p == path && *i == index)
            .map(|(_, _, f)| Arc::clone(f))
    };
    if let Some(face) = cached(&EXTERNAL) {
        return Ok(face);
    }
    let face = Arc::new(FontFace::load(path, index)?);
    let mut guard = EXTERNAL.lock().unwrap_or_else(|p| p.into_inner());
    guard.push((path.to_owned(), index, Arc::clone(&face)));
    Ok(face)
}

/// The fonts a document is drawn with: the embedded print face first, then the whole
/// embedded face (parsed only when a character needs it), then an optional external face
/// for characters WenQuanYi lacks.
#[derive(Clone, Debug)]
pub struct FontSet {
    primary: Arc<FontFace>,
    fallback: Option<Arc<FontFace>>,
}

impl FontSet {
    /// Only the embedded font.
    pub fn embedded() -> Result<Self, PrintError> {
        Ok(FontSet {
            primary: embedded()?,
            fallback: None,
        })
    }

    /// The embedded font, with face `index` of the font file at `path` as fallback
    /// (e.g. `/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc`, face 2 = SC).
    pub fn with_external(path: &Path, index: usize) -> Result<Self, PrintError> {
        Ok(FontSet {
            primary: embedded()?,
            fallback: Some(external(path, index)?),
        })
    }

    /// Faces in order of preference. The whole embedded face is parsed when the iteration
    /// first reaches it, that is when the print face lacks a character.
    pub(crate) fn faces(&self) -> impl Iterator<Item = &Arc<FontFace>> {
        std::iter::once(&self.primary)
            .chain(std::iter::once_with(embedded_full).flatten())
            .chain(self.fallback.as_ref())
    }

    /// Index (into [`FontSet::faces`]) of the face that draws `c`; the primary face if none does.
    pub(crate) fn face_index_for(&self, c: char) -> usize {
        self.faces().position(|f| f.has_glyph(c)).unwrap_or(0)
    }

    /// Advance of `c` in millimetres, taken from the face that draws it.
    pub fn advance_mm(&self, c: char, size_pt: f32) -> f32 {
        self.faces()
            .find(|f| f.has_glyph(c))
            .map_or(0.0, |f| f.advance_mm(c, size_pt))
    }

    /// Width of `text` in millimetres at `size_pt`.
    pub fn text_width_mm(&self, text: &str, size_pt: f32) -> f32 {
        text.chars().map(|c| self.advance_mm(c, size_pt)).sum()
    }

    /// The distinct characters of `text` no face of the set can draw, in order of appearance.
    /// Call it when a name is typed to warn early; the layout checks it again before printing.
    pub fn missing_glyphs(&self, text: &str) -> Vec<char> {
        collect_missing(text, |c| self.faces().any(|f| f.has_glyph(c)))
    }
}

/// The visible stand-in printed for a character no font can draw: `〔U+4DAE〕`.
pub fn stand_in(c: char) -> String {
    format!("〔U+{:04X}〕", u32::from(c))
}

/// What a form says under a printed field holding characters no font can draw (`None`
/// when there are none): short enough for an 80-column screen.
pub fn stand_in_note(missing: &[char]) -> Option<String> {
    let first = *missing.first()?;
    let chars: String = missing.iter().take(3).collect();
    let more = if missing.len() > 3 { "等" } else { "" };
    Some(format!(
        "“{chars}”{more}字体里没有，单据上印作{}；照样保存",
        stand_in(first)
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn face() -> Arc<FontFace> {
        embedded().unwrap()
    }

    #[test]
    fn embedded_font_parses_once_and_is_shared() {
        let a = face();
        let b = face();
        assert!(Arc::ptr_eq(&a, &b));
        assert_eq!(a.name(), "WenQuanYi Micro Hei");
    }

    #[test]
    fn cjk_glyph_is_one_em_wide() {
        // An ideograph advances a full em: 10 pt = 3.528 mm.
        let w = face().text_width_mm("电", 10.0);
        assert!((w - 10.0 * MM_PER_PT).abs() < 0.05, "{w}");
        let w4 = face().text_width_mm("供电所长", 10.0);
        assert!((w4 - 4.0 * w).abs() < 1e-3, "{w4}");
    }

    #[test]
    fn latin_digits_are_narrower_than_ideographs() {
        let f = face();
        let digit = f.text_width_mm("0", 12.0);
        let han = f.text_width_mm("零", 12.0);
        assert!(digit > 0.0 && digit < han * 0.75, "{digit} vs {han}");
        // Width scales linearly with the size.
        let d24 = f.text_width_mm("0123", 24.0);
        assert!((d24 - 2.0 * f.text_width_mm("0123", 12.0)).abs() < 1e-3);
    }

    #[test]
    fn empty_text_and_control_chars_have_no_width() {
        let f = face();
        assert_eq!(f.text_width_mm("", 12.0), 0.0);
        assert_eq!(f.text_width_mm("\n", 12.0), 0.0);
        assert!(f.missing_glyphs("a\nb\tc").is_empty());
    }

    #[test]
    fn missing_glyphs_are_listed_once_in_order() {
        let f = face();
        assert!(f.missing_glyphs("张三 ¥1,234.56（壹仟）").is_empty());
        assert_eq!(f.missing_glyphs("王𠮷𠮷李"), vec!['𠮷']);
        let set = FontSet::embedded().unwrap();
        assert_eq!(set.missing_glyphs("𠮷"), vec!['𠮷']);
        assert_eq!(set.text_width_mm("𠮷", 12.0), 0.0);
    }

    #[test]
    fn missing_external_font_is_a_read_error() {
        let e = FontSet::with_external(Path::new("/nonexistent/font.ttc"), 2).unwrap_err();
        assert!(matches!(e, PrintError::FontRead { .. }), "{e}");
        assert!(e.to_string().contains("路径不存在"), "{e}");
    }

    #[test]
    fn garbage_is_a_parse_error() {
        let e = FontFace::from_bytes(b"not a font at all", 0, "x").unwrap_err();
        assert!(matches!(e, PrintError::FontParse { .. }), "{e}");
    }
}

#[cfg(test)]
mod subset_face {
    use super::*;
    use std::collections::BTreeMap;

    fn is_han(c: char) -> bool {
        matches!(u32::from(c), 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF | 0x20000..)
    }

    fn is_hangul(c: char) -> bool {
        matches!(u32::from(c), 0xAC00..=0xD7AF | 0x1100..=0x11FF | 0x3130..=0x318F)
    }

    /// The 6,763 ideographs of GB 2312 (rows 16–87 of the EUC-CN table).
    fn gb2312_han() -> Vec<char> {
        let mut out = Vec::new();
        for hi in 0xB0u8..=0xF7 {
            for lo in 0xA1u8..=0xFE {
                let bytes = [hi, lo];
                let (text, _, bad) = encoding_rs::GBK.decode(&bytes);
                if !bad
                    && let Some(c) = text.chars().next()
                    && is_han(c)
                {
                    out.push(c);
                }
            }
        }
        out
    }

    /// The characters of the print face: every character of the full face that is not
    /// Han or Hangul, and the GB 2312 ideographs.
    fn print_face_chars(full: &FontFace) -> Vec<char> {
        let mut keep: Vec<char> = (0u32..=0xFFFF)
            .filter_map(char::from_u32)
            .filter(|&c| !is_han(c) && !is_hangul(c))
            .chain(gb2312_han())
            .filter(|&c| full.glyph(c).is_some())
            .collect();
        keep.sort_unstable();
        keep
    }

    #[test]
    fn the_print_face_is_the_gb2312_cut_of_the_embedded_font() {
        let full = FontFace::from_bytes(EMBEDDED_TTC, 0, "full").unwrap();
        let keep = print_face_chars(&full);
        assert_eq!(gb2312_han().len(), 6763);
        assert!(keep.len() > 8000, "{}", keep.len());
        let glyphs: BTreeMap<u16, String> = keep
            .iter()
            .filter_map(|&c| Some((full.glyph(c)?, c.to_string())))
            .collect();
        let made = printpdf::subset_font(full.parsed(), &glyphs).unwrap().bytes;
        if std::env::var_os("STATIONDESK_WRITE_FONT").is_some() {
            std::fs::write("assets/fonts/wqy-microhei-gb2312.ttf", &made).unwrap();
            return;
        }
        assert!(
            made == PRINT_FACE,
            "the committed print face differs from a fresh cut"
        );
        // every kept character is drawn by the print face exactly as by the full face
        let print = embedded().unwrap();
        for &c in &keep {
            assert!(print.has_glyph(c), "{c}");
            let (a, b) = (print.advance_mm(c, 10.0), full.advance_mm(c, 10.0));
            assert!((a - b).abs() < 1e-4, "{c}: {a} vs {b}");
        }
        // and nothing else: other ideographs come from the full face
        assert!(!print.has_glyph('堃') && full.has_glyph('堃'));
    }

    #[test]
    fn an_ideograph_outside_gb2312_is_drawn_by_the_whole_embedded_face() {
        let set = FontSet::embedded().unwrap();
        assert_eq!(set.face_index_for('王'), 0);
        assert_eq!(set.face_index_for('堃'), 1);
        assert!(set.missing_glyphs("王堃").is_empty());
        let w = set.text_width_mm("堃", 10.0);
        assert!((w - 10.0 * MM_PER_PT).abs() < 0.05, "{w}");
    }
}
