//! Text alignment and style.

/// Horizontal alignment of text relative to its anchor or box.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Align {
    #[default]
    Left,
    Center,
    Right,
}

/// Size (points), alignment and weight of a piece of text.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct TextStyle {
    pub size: f32,
    pub align: Align,
    /// Drawn with fill and a thin outline (the embedded font has no bold face).
    pub bold: bool,
}

impl TextStyle {
    pub fn new(size: f32) -> Self {
        TextStyle {
            size,
            align: Align::Left,
            bold: false,
        }
    }
    pub fn center(self) -> Self {
        TextStyle {
            align: Align::Center,
            ..self
        }
    }
    pub fn right(self) -> Self {
        TextStyle {
            align: Align::Right,
            ..self
        }
    }
    pub fn bold(self) -> Self {
        TextStyle { bold: true, ..self }
    }
}
