//! The frame around every screen (title, message line, key footer, status bar) and the
//! popups (help, confirm, notice).
use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph, Widget, Wrap};
use unicode_width::UnicodeWidthStr;

use crate::domain::role::Role;
use crate::ui::keymap::{self, Context};
use crate::ui::widgets::list::Scroll;
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

/// The bands of `area` with `message_rows` rows for the message line.
pub fn bands(area: Rect, message_rows: u16) -> Bands {
    let [title, body, message, footer, status] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Min(0),
        Constraint::Length(message_rows),
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

/// A message with its mark (the mark says what kind it is without colour).
pub fn status_text(s: &Status) -> String {
    match s {
        Status::Info(m) => format!("{}{m}", theme::MARK_OK),
        Status::Warn(m) => format!("{}{m}", theme::MARK_WARN),
        Status::Error(m) => format!("{}{m}", theme::MARK_ERROR),
    }
}

/// Rows the message needs at `width` columns: 1, or 2 when it is longer than a line.
pub fn message_rows(status: Option<&Status>, width: u16) -> u16 {
    let w = status.map_or(0, |s| status_text(s).width() + 1);
    if w > usize::from(width) { 2 } else { 1 }
}

/// The message over `area` (one or two rows), wrapped; a message longer than that ends in
/// `more` (where to read it in full).
pub fn message_line(area: Rect, buf: &mut Buffer, status: Option<&Status>, more: &str) {
    let Some(s) = status else {
        return;
    };
    let style = match s {
        Status::Info(_) => theme::info(),
        Status::Warn(_) => theme::warn(),
        Status::Error(_) => theme::error(),
    };
    let mut text = format!(" {}", status_text(s));
    let room = usize::from(area.width) * usize::from(area.height);
    if text.width() > room {
        // cut by display width so the hint always fits, never inside a wide character
        let keep = room.saturating_sub(more.width() + 2);
        let mut cut = String::new();
        for ch in text.chars() {
            if cut.width() + unicode_width::UnicodeWidthChar::width(ch).unwrap_or(0) > keep {
                break;
            }
            cut.push(ch);
        }
        text = format!("{cut}…{more}");
    }
    // broken by width, not at spaces: a long number stays on the first row where it fits
    let mut rows = vec![String::new()];
    for ch in text.chars() {
        let w = unicode_width::UnicodeWidthChar::width(ch).unwrap_or(0);
        if rows.last().map_or(0, |r| r.width()) + w > usize::from(area.width) {
            rows.push(String::new());
        }
        if let Some(r) = rows.last_mut() {
            r.push(ch);
        }
    }
    for (y, row) in (area.y..area.bottom()).zip(rows) {
        Line::from(Span::styled(row, style)).render(Rect::new(area.x, y, area.width, 1), buf);
    }
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
    form_popup_w(area, buf, 76, title, form)
}

/// [`form_popup`] `width` columns wide.
pub fn form_popup_w(
    area: Rect,
    buf: &mut Buffer,
    width: u16,
    title: &str,
    form: &crate::ui::widgets::field::Form,
) -> Option<ratatui::layout::Position> {
    let asked = u16::from(form.discard_asked);
    let r = centered(area, width, form.height() + 2 + asked);
    clear_popup(r, buf);
    let block = Block::default()
        .borders(Borders::ALL)
        .title(Line::from(title.to_string()).centered());
    let mut inner = block.inner(r).inner(ratatui::layout::Margin::new(1, 0));
    block.render(r, buf);
    if form.discard_asked {
        Line::from(crate::ui::widgets::modal::discard_question())
            .style(theme::warn())
            .render(inner, buf);
        inner.y += 1;
        inner.height = inner.height.saturating_sub(1);
    }
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
    // the way out sits on the bottom border; a list longer than the screen (the home menu)
    // goes into two columns, so it still fits 80×24
    let per_col = usize::from(area.height.saturating_sub(2)).max(1);
    let two = rows.len() > per_col;
    let col_w = key_w + desc_w + 5;
    let in_col = if two {
        rows.len().div_ceil(2)
    } else {
        rows.len()
    };
    let h = u16::try_from(in_col).unwrap_or(u16::MAX).saturating_add(2);
    let w = if two {
        col_w * 2 + 3
    } else {
        (col_w + 3).max(30)
    };
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
    if two {
        let (left, right) = lines.split_at(in_col.min(lines.len()));
        let [a, b] =
            Layout::horizontal([Constraint::Length(col_w + 1), Constraint::Min(0)]).areas(inner);
        Paragraph::new(left.to_vec()).render(a, buf);
        Paragraph::new(right.to_vec()).render(b, buf);
    } else {
        Paragraph::new(lines).render(inner, buf);
    }
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
    // wide enough for its keys too: the way out must never be cut off
    let keys_w: usize = keymap::footer(ctx, who)
        .iter()
        .map(|(k, d)| keymap::entry_width(k, d))
        .sum::<usize>()
        + 1;
    let content_w = content_w.max(u16::try_from(keys_w).unwrap_or(u16::MAX));
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

/// A popup with a title and one message and no keys: something is being done that the
/// person waits for (the backup when the program closes).
pub fn wait_popup(area: Rect, buf: &mut Buffer, title: &str, message: &str) {
    let w = (u16::try_from(message.width()).unwrap_or(u16::MAX) + 6)
        .clamp(30, area.width.saturating_sub(2).max(30));
    let inner_w = usize::from(w.saturating_sub(4)).max(1);
    let rows = message.width().max(1).div_ceil(inner_w);
    let h = u16::try_from(rows).unwrap_or(u16::MAX).saturating_add(4);
    let r = centered(area, w, h);
    clear_popup(r, buf);
    let block = popup_block(title);
    let inner = block.inner(r);
    block.render(r, buf);
    Paragraph::new(message)
        .wrap(Wrap { trim: false })
        .render(inner.inner(ratatui::layout::Margin::new(1, 1)), buf);
}

/// Column widths for a table `width` columns wide, from `(minimum, weight)` per column
/// (weight 0: never grows). The column of the largest weight (the last of equals) is the
/// main one: up to a 100-column table it takes all the room left, as a single `Min`
/// column would; beyond that the room is shared by weight, so names and 台区 are not cut
/// on a wide terminal. One column of spacing between columns.
pub fn columns(width: u16, cols: &[(u16, u16)]) -> Vec<Constraint> {
    const SHARED_FROM: u16 = 100;
    let gaps = u16::try_from(cols.len().saturating_sub(1)).unwrap_or(0);
    let need: u16 = cols.iter().map(|c| c.0).sum::<u16>().saturating_add(gaps);
    let mut out: Vec<u16> = cols.iter().map(|c| c.0).collect();
    let spare = width.saturating_sub(need);
    let main = cols
        .iter()
        .enumerate()
        .filter(|(_, c)| c.1 > 0)
        .max_by_key(|(i, c)| (c.1, *i))
        .map(|(i, _)| i);
    let Some(main) = main else {
        return out.into_iter().map(Constraint::Length).collect();
    };
    let first = spare.min(SHARED_FROM.saturating_sub(need));
    out[main] = out[main].saturating_add(first);
    let shared = u32::from(spare - first);
    let weights: u32 = cols.iter().map(|c| u32::from(c.1)).sum();
    let mut given = 0u32;
    for (o, c) in out.iter_mut().zip(cols) {
        let extra = shared * u32::from(c.1) / weights;
        given += extra;
        *o = o.saturating_add(u16::try_from(extra).unwrap_or(0));
    }
    // what integer division left over goes to the main column
    let rest = u16::try_from(shared.saturating_sub(given)).unwrap_or(0);
    out[main] = out[main].saturating_add(rest);
    out.into_iter().map(Constraint::Length).collect()
}

/// The visible rows of a list whose row `selected` is marked `▶` and highlighted (the mark
/// keeps the selection readable without colour). `cells` gives a row's texts; the mark is
/// put before the first one. Scrolls so the selection stays in view.
pub fn selectable_rows<'a, T>(
    items: &'a [T],
    selected: usize,
    offset: &Scroll,
    height: usize,
    cells: impl Fn(&'a T) -> Vec<String>,
) -> Vec<ratatui::widgets::Row<'a>> {
    let off = offset.follow(selected, height);
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

#[cfg(test)]
mod column_tests {
    use super::*;

    fn widths(width: u16, cols: &[(u16, u16)]) -> Vec<u16> {
        columns(width, cols)
            .into_iter()
            .map(|c| match c {
                Constraint::Length(n) => n,
                _ => 0,
            })
            .collect()
    }

    #[test]
    fn narrow_gives_the_rest_to_the_main_column_and_wide_shares_it() {
        let cols = [(14, 0), (10, 2), (12, 2), (10, 4)];
        // 80: 46 + 3 gaps = 49 needed; the main (weight 4) column takes all 31 left
        assert_eq!(widths(80, &cols), vec![14, 10, 12, 41]);
        // 160: up to 100 to the main column, the other 60 shared 2:2:4
        assert_eq!(widths(160, &cols), vec![14, 25, 27, 91]);
        let w: u16 = widths(160, &cols).iter().sum();
        assert_eq!(w + 3, 160, "the whole width is used");
        // too narrow: the minimums, never less
        assert_eq!(widths(30, &cols), vec![14, 10, 12, 10]);
    }
}
