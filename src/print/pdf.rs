//! Turns laid-out pages into PDF bytes with printpdf 0.12.
//!
//! printpdf builds a page from a list of `Op`s with the origin at the bottom-left, in points.
//! Each text run gets its own text section (`BT … ET`), because `SetTextCursor` is the
//! relative `Td` operator. Fonts are embedded as subsets (only the glyphs used) with a
//! `/ToUnicode` map, so a receipt is a few KB and its text can be searched and extracted.

use printpdf::{
    Color, FontId, Greyscale, Line, LineDashPattern, LinePoint, Mm, Op, PdfDocument, PdfFont,
    PdfFontHandle, PdfPage, PdfSaveOptions, Point, Pt, TextItem, TextRenderingMode,
};

use super::PrintError;
use super::font::{FontFace, FontSet};
use super::layout::Item;

/// Outline width used to embolden text, in points.
const BOLD_STROKE_PT: f32 = 0.3;

pub(crate) fn render(
    title: &str,
    fonts: &FontSet,
    pages: &[Vec<Item>],
    sizes: &[(f32, f32)],
) -> Result<Vec<u8>, PrintError> {
    let mut r = Renderer {
        doc: PdfDocument::new(title),
        fonts,
        ids: Vec::new(),
    };
    let mut pdf_pages = Vec::with_capacity(pages.len());
    for (items, &(w, h)) in pages.iter().zip(sizes) {
        let mut ops = Vec::new();
        for item in items {
            match item {
                Item::Text {
                    x,
                    baseline,
                    size,
                    bold,
                    text,
                } => {
                    r.text_ops(&mut ops, (*x, h - baseline), *size, *bold, text);
                }
                Item::Line {
                    x1,
                    y1,
                    x2,
                    y2,
                    width_pt,
                    dashed,
                } => {
                    line_ops(&mut ops, (*x1, h - y1), (*x2, h - y2), *width_pt, *dashed);
                }
            }
        }
        pdf_pages.push(PdfPage::new(Mm(w), Mm(h), ops));
    }

    let mut warnings = Vec::new();
    // printpdf's `optimize` deflates every stream at level 9 (a third of a receipt's
    // rendering time); the streams are deflated here at level 1 instead (a receipt: 2.9 ms
    // instead of 4.7, 26 KB instead of 24)
    let opts = PdfSaveOptions {
        subset_fonts: true,
        optimize: false,
        ..PdfSaveOptions::default()
    };
    let mut doc = r
        .doc
        .with_pages(pdf_pages)
        .to_lopdf_document(&opts, &mut warnings);
    for object in doc.objects.values_mut() {
        if let lopdf::Object::Stream(stream) = object {
            compress(stream);
        }
    }
    let mut bytes = Vec::new();
    doc.save_to(&mut bytes)
        .map_err(|e| PrintError::Layout(format!("无法生成 PDF：{e}")))?;
    stable_trailer_id(&mut bytes);
    Ok(bytes)
}

/// Deflate a stream that is not compressed yet (as lopdf's `compress`, at the fast level),
/// keeping it as it is when that would not make it smaller.
fn compress(stream: &mut lopdf::Stream) {
    use std::io::Write;
    if !stream.allows_compression || stream.dict.get(b"Filter").is_ok() {
        return;
    }
    let mut encoder = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::fast());
    if encoder.write_all(&stream.content).is_err() {
        return;
    }
    if let Ok(packed) = encoder.finish()
        && packed.len() + 19 < stream.content.len()
    {
        stream.dict.set("Filter", "FlateDecode");
        stream.set_content(packed);
    }
}

struct Renderer<'a> {
    doc: PdfDocument,
    fonts: &'a FontSet,
    /// Resource id of each face of `fonts`, registered when first used.
    ids: Vec<Option<FontId>>,
}

impl Renderer<'_> {
    /// Registers a face under a fixed resource name. (`PdfDocument::add_font` names fonts
    /// with random ids, which would make every rendering of the same document differ.)
    fn font_id(&mut self, index: usize, face: &FontFace) -> FontId {
        let doc = &mut self.doc;
        if self.ids.len() <= index {
            self.ids.resize(index + 1, None);
        }
        self.ids[index]
            .get_or_insert_with(|| {
                let id = FontId(format!("F{index}"));
                doc.resources
                    .fonts
                    .map
                    .insert(id.clone(), PdfFont::new(face.parsed().clone()));
                id
            })
            .clone()
    }

    /// Splits `text` into runs drawn by the same face and emits one text section per run.
    fn text_ops(
        &mut self,
        ops: &mut Vec<Op>,
        (x, y): (f32, f32),
        size: f32,
        bold: bool,
        text: &str,
    ) {
        let fonts = self.fonts;
        let mut x = x;
        for (face_idx, run) in runs(fonts, text) {
            let width = fonts.text_width_mm(run, size);
            let face = fonts.faces().nth(face_idx);
            let (Some(face), false) = (face, run.trim().is_empty()) else {
                x += width;
                continue;
            };
            let id = self.font_id(face_idx, face);
            ops.push(Op::StartTextSection);
            if bold {
                ops.push(Op::SetTextRenderingMode {
                    mode: TextRenderingMode::FillStroke,
                });
                ops.push(Op::SetOutlineThickness {
                    pt: Pt(BOLD_STROKE_PT),
                });
            }
            ops.push(Op::SetFont {
                font: PdfFontHandle::External(id),
                size: Pt(size),
            });
            ops.push(Op::SetTextCursor {
                pos: Point::new(Mm(x), Mm(y)),
            });
            ops.push(Op::ShowText {
                items: vec![TextItem::Text(run.to_owned())],
            });
            if bold {
                ops.push(Op::SetTextRenderingMode {
                    mode: TextRenderingMode::Fill,
                });
            }
            ops.push(Op::EndTextSection);
            x += width;
        }
    }
}

/// printpdf writes two random 32-letter strings as the trailer's `/ID`. Replace them (same
/// length, after the cross-reference table, so no offset moves) by a hash of the content,
/// so that the same document always gives the same bytes: golden tests and duplicate
/// detection become possible.
fn stable_trailer_id(bytes: &mut [u8]) {
    const KEY: &[u8] = b"/ID[(";
    const LEN: usize = 32;
    let Some(start) = bytes.windows(KEY.len()).rposition(|w| w == KEY) else {
        return;
    };
    let first = start + KEY.len();
    let second = first + LEN + 2; // skip ")("
    if bytes.len() < second + LEN || &bytes[first + LEN..second] != b")(" {
        return;
    }
    // FNV-1a over everything before the trailer id, twice with different seeds.
    let hash = |seed: u64| {
        bytes[..start].iter().fold(seed, |h, &b| {
            (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
        })
    };
    let (h1, h2) = (hash(0xcbf2_9ce4_8422_2325), hash(0x84222325_cbf29ce4));
    let mut id = [b'A'; LEN];
    for (i, slot) in id.iter_mut().enumerate() {
        let h = if i < 16 { h1 } else { h2 };
        // 16 letters A..P, four bits each.
        *slot = b'A' + ((h >> ((i % 16) * 4)) & 0xF) as u8;
    }
    bytes[first..first + LEN].copy_from_slice(&id);
    bytes[second..second + LEN].copy_from_slice(&id);
}

/// Maximal runs of `text` whose characters are drawn by the same face.
fn runs<'a>(fonts: &FontSet, text: &'a str) -> Vec<(usize, &'a str)> {
    let mut out: Vec<(usize, &'a str)> = Vec::new();
    let mut start = 0;
    let mut current = None;
    for (i, c) in text.char_indices() {
        // Spaces go with whatever run they are in.
        let face = if c == ' ' {
            current.unwrap_or(0)
        } else {
            fonts.face_index_for(c)
        };
        match current {
            Some(f) if f == face => {}
            Some(f) => {
                out.push((f, &text[start..i]));
                start = i;
                current = Some(face);
            }
            None => current = Some(face),
        }
    }
    if let Some(f) = current {
        out.push((f, &text[start..]));
    }
    out
}

fn line_ops(
    ops: &mut Vec<Op>,
    (x1, y1): (f32, f32),
    (x2, y2): (f32, f32),
    width_pt: f32,
    dashed: bool,
) {
    let point = |x, y| LinePoint {
        p: Point::new(Mm(x), Mm(y)),
        bezier: false,
    };
    ops.push(Op::SaveGraphicsState);
    ops.push(Op::SetOutlineColor {
        col: Color::Greyscale(Greyscale {
            percent: 0.0,
            icc_profile: None,
        }),
    });
    ops.push(Op::SetOutlineThickness { pt: Pt(width_pt) });
    if dashed {
        ops.push(Op::SetLineDashPattern {
            dash: LineDashPattern::new(0.0, &[3.0, 2.0]),
        });
    }
    ops.push(Op::DrawLine {
        line: Line {
            points: vec![point(x1, y1), point(x2, y2)],
            is_closed: false,
        },
    });
    ops.push(Op::RestoreGraphicsState);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_run_for_one_face() {
        let fonts = FontSet::embedded().unwrap();
        assert_eq!(runs(&fonts, "张三 ¥12.00"), vec![(0, "张三 ¥12.00")]);
        assert!(runs(&fonts, "").is_empty());
    }
}
