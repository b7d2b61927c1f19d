//! The frame around every screen (title, message line, key footer, status bar) and the
//! popups (help, confirm, notice).
use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph, Widget, Wrap};
use unicode_width::UnicodeWidthStr;

use crate::domain::role::Role;
use crate::ui::keymap::{self, Context};
use crate::ui::{text, theme};

/// A short message under the screen: information or an error.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Status {
    Info(String),
    /// not an error, but not done either (refused for a role, not available yet, cancelled)
    Warn(String),
    Error(String),
}

/// The five bands of the screen.
pub struct Bands {
    pub title: Rect,
    pub body: Rect,
    pub message: Rect,
    pub footer: Rect,
    pub status: Rect,
}

pub fn bands(area: Rect) -> Bands {
    let [title, body, message, footer, status] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Min(0),
        Constraint::Length(1),
        Constraint::Length(1),
        Constraint::Length(1),
    ])
    .areas(area);
    Bands {
        title,
        body,
        message,
        footer,
        status,
    }
}

pub fn title_bar(area: Rect, buf: &mut Buffer, title: &str) {
    buf.set_style(area, theme::title());
    let left = format!(" {} · {title}", text::APP);
    Line::from(Span::styled(left, theme::title())).render(area, buf);
}

pub fn message_line(area: Rect, buf: &mut Buffer, status: Option<&Status>) {
    let line = match status {
        Some(Status::Info(m)) => Line::from(Span::styled(
            format!(" {}{m}", theme::MARK_OK),
            theme::info(),
        )),
        Some(Status::Warn(m)) => Line::from(Span::styled(
            format!(" {}{m}", theme::MARK_WARN),
            theme::warn(),
        )),
        Some(Status::Error(m)) => Line::from(Span::styled(
            format!(" {}{m}", theme::MARK_ERROR),
            theme::error(),
        )),
        None => Line::default(),
    };
    line.render(area, buf);
}

/// `F1/? 帮助  Esc 返回 …`: the keys of `ctx` that the signed-in role `who` may use (all
/// before sign-in), cut to the width without splitting an entry.
pub fn footer(area: Rect, buf: &mut Buffer, ctx: Context, who: Option<(Role, bool)>) {
    let mut spans = vec![Span::raw(" ")];
    for (key, desc) in keymap::footer_fitted(ctx, who, area.width as usize) {
        spans.push(Span::styled(key, theme::footer_key()));
        spans.push(Span::styled(format!(" {desc}  "), theme::footer_text()));
    }
    Line::from(spans).render(area, buf);
}

/// Station · user and role · date · overdue count.
pub fn status_bar(area: Rect, buf: &mut Buffer, parts: &[String]) {
    buf.set_style(area, theme::status_bar());
    let line = format!(" {}", parts.join(" │ "));
    buf.set_stringn(
        area.x,
        area.y,
        line,
        area.width as usize,
        theme::status_bar(),
    );
}

/// A rectangle of at most `w`×`h` centred in `area`.
/// A form in a framed popup of 76 columns in the middle of `area`, titled `title`; returns
/// where the cursor goes.
pub fn form_popup(
    area: Rect,
    buf: &mut Buffer,
    title: &str,
    form: &crate::ui::widgets::field::Form,
) -> Option<ratatui::layout::Position> {
    let r = centered(area, 76, form.height() + 2);
    Clear.render(r, buf);
    let block = Block::default()
        .borders(Borders::ALL)
        .title(Line::from(title.to_string()).centered());
    let inner = block.inner(r).inner(ratatui::layout::Margin::new(1, 0));
    block.render(r, buf);
    form.render(inner, buf)
}

pub fn centered(area: Rect, w: u16, h: u16) -> Rect {
    let w = w.min(area.width);
    let h = h.min(area.height);
    Rect::new(
        area.x + (area.width - w) / 2,
        area.y + (area.height - h) / 2,
        w,
        h,
    )
}

/// Clear `r` for a popup. A wide (CJK) character just left of it would still be drawn over
/// the popup's left border (its second half lies inside), so it is blanked too.
pub fn clear_popup(r: Rect, buf: &mut Buffer) {
    Clear.render(r, buf);
    if r.x == 0 {
        return;
    }
    for y in r.top()..r.bottom() {
        let cell = &mut buf[(r.x - 1, y)];
        if cell.symbol().width() > 1 {
            cell.set_symbol(" ");
        }
    }
}

fn popup_block(title: &str) -> Block<'_> {
    Block::default()
        .borders(Borders::ALL)
        .title(Line::from(format!(" {title} ")).centered())
}

/// The F1/? help: every key of the current screen, from the keymap; keys the signed-in
/// role may not use are marked `（无权限）` and dimmed (the words carry it, not the colour).
pub fn help_popup(area: Rect, buf: &mut Buffer, ctx: Context, who: Option<(Role, bool)>) {
    let rows: Vec<(String, &str, bool)> = keymap::bindings(ctx)
        .iter()
        .map(|b| (b.label(), b.desc, b.allowed(who)))
        .collect();
    let key_w = rows.iter().map(|r| r.0.width()).max().unwrap_or(4) as u16;
    let desc_w = rows
        .iter()
        .map(|r| r.1.width() + if r.2 { 0 } else { NO_RIGHT.width() })
        .max()
        .unwrap_or(4) as u16;
    // the way out sits on the bottom border, so a long list (the home menu) still fits 80×24
    let h = rows.len() as u16 + 2;
    let w = (key_w + desc_w + 8).max(30);
    let r = centered(area, w, h);
    clear_popup(r, buf);
    let close = format!(
        " {} {} ",
        keymap::key_label(Context::HelpPopup, keymap::Action::Back),
        text::CLOSE_HELP
    );
    let block = popup_block(text::TITLE_HELP)
        .title_bottom(Line::from(Span::styled(close, theme::dim())).centered());
    let inner = block.inner(r);
    block.render(r, buf);
    let lines: Vec<Line> = rows
        .iter()
        .map(|(label, desc, allowed)| {
            let pad = " ".repeat((key_w as usize).saturating_sub(label.width()));
            let key = Span::styled(format!(" {label}{pad}"), theme::footer_key());
            if *allowed {
                Line::from(vec![key, Span::raw(format!("  {desc}"))])
            } else {
                Line::from(vec![
                    key,
                    Span::styled(format!("  {desc}{NO_RIGHT}"), theme::dim()),
                ])
            }
        })
        .collect();
    Paragraph::new(lines).render(inner, buf);
}

/// After a key in the help that the signed-in role may not use.
const NO_RIGHT: &str = "（无权限）";

/// A popup with a title, some lines and the keys of `ctx` at the bottom.
pub fn dialog(
    area: Rect,
    buf: &mut Buffer,
    title: &str,
    lines: &[Line<'_>],
    ctx: Context,
    who: Option<(Role, bool)>,
) {
    let content_w = lines.iter().map(|l| l.width()).max().unwrap_or(10) as u16;
    let w = (content_w + 6).clamp(30, area.width.saturating_sub(2).max(30));
    // height from the wrapped lines, so the last line (often the verdict) is never cut
    let inner_w = usize::from(w.saturating_sub(4)).max(1);
    let rows: usize = lines
        .iter()
        .map(|l| l.width().max(1).div_ceil(inner_w))
        .sum();
    let h = u16::try_from(rows).unwrap_or(u16::MAX).saturating_add(5);
    let r = centered(area, w, h);
    clear_popup(r, buf);
    let block = popup_block(title);
    let inner = block.inner(r);
    block.render(r, buf);
    let [body, keys] = Layout::vertical([Constraint::Min(0), Constraint::Length(1)]).areas(inner);
    Paragraph::new(lines.to_vec())
        .wrap(Wrap { trim: false })
        .render(body.inner(ratatui::layout::Margin::new(1, 1)), buf);
    footer(keys, buf, ctx, who);
}

/// Keep row `selected` of a list inside a window of `height` rows that starts at `offset`;
/// returns the new first visible row (lists remember it between frames).
pub fn scroll_into_view(selected: usize, offset: &std::cell::Cell<usize>, height: usize) -> usize {
    let height = height.max(1);
    let off = offset.get();
    let off = if selected < off {
        selected
    } else if selected >= off + height {
        selected + 1 - height
    } else {
        off
    };
    offset.set(off);
    off
}

/// The visible rows of a list whose row `selected` is marked `▶` and highlighted (the mark
/// keeps the selection readable without colour). `cells` gives a row's texts; the mark is
/// put before the first one. Scrolls so the selection stays in view.
pub fn selectable_rows<'a, T>(
    items: &'a [T],
    selected: usize,
    offset: &std::cell::Cell<usize>,
    height: usize,
    cells: impl Fn(&'a T) -> Vec<String>,
) -> Vec<ratatui::widgets::Row<'a>> {
    let off = scroll_into_view(selected, offset, height);
    items
        .iter()
        .enumerate()
        .skip(off)
        .take(height.max(1))
        .map(|(i, item)| {
            let mut texts = cells(item);
            let mark = if i == selected {
                theme::MARK_SELECTED
            } else {
                " "
            };
            if let Some(first) = texts.first_mut() {
                first.insert_str(0, mark);
            }
            let row = ratatui::widgets::Row::new(texts);
            if i == selected {
                row.style(theme::selected())
            } else {
                row
            }
        })
        .collect()
}
