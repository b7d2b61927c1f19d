//! Colours and marks. Meaning is never carried by colour alone: every state also has a
//! text mark (✗ 错误, ✓, ▶ selected, [停用] …).
use ratatui::style::{Color, Modifier, Style};

pub fn title() -> Style {
    Style::new().fg(Color::Black).bg(Color::Cyan)
}
pub fn status_bar() -> Style {
    Style::new().fg(Color::White).bg(Color::Blue)
}
pub fn footer_key() -> Style {
    Style::new().fg(Color::Yellow).add_modifier(Modifier::BOLD)
}
pub fn footer_text() -> Style {
    Style::new()
}
pub fn error() -> Style {
    Style::new().fg(Color::Red).add_modifier(Modifier::BOLD)
}
pub fn warn() -> Style {
    Style::new().fg(Color::Yellow)
}
pub fn info() -> Style {
    Style::new().fg(Color::Green)
}
pub fn selected() -> Style {
    Style::new().add_modifier(Modifier::REVERSED)
}
pub fn focused_field() -> Style {
    Style::new().fg(Color::Black).bg(Color::White)
}
pub fn field() -> Style {
    Style::new().add_modifier(Modifier::UNDERLINED)
}
pub fn dim() -> Style {
    Style::new().fg(Color::DarkGray)
}
pub fn heading() -> Style {
    Style::new().add_modifier(Modifier::BOLD)
}

/// Text marks that go with the colours.
pub const MARK_ERROR: &str = "✗ ";
pub const MARK_OK: &str = "✓ ";
pub const MARK_WARN: &str = "! ";
pub const MARK_SELECTED: &str = "▶";
