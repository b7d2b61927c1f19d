//! Lists: where a list is scrolled to, and the keys that move its selection — the same
//! on every list (↑ ↓ PgUp PgDn Home End). The selection is kept in view at every draw,
//! so after a resize it is still on screen.
use std::cell::Cell;

use unicode_width::UnicodeWidthStr;

use crate::ui::keymap::Action;

/// The width (cells) a column needs to show every one of `values` whole, and at least
/// `min`: amounts and numbers in lists are never cut (`1,234,567.89`, `SJ202601000000`).
pub fn fit<S: AsRef<str>>(min: u16, values: impl IntoIterator<Item = S>) -> u16 {
    values
        .into_iter()
        .map(|v| u16::try_from(v.as_ref().width()).unwrap_or(u16::MAX))
        .fold(min, u16::max)
}

/// The first visible row of a list and how many rows it showed at its last draw (the
/// page that PgUp / PgDn move by). Lists remember it between frames.
#[derive(Debug, Default)]
pub struct Scroll {
    offset: Cell<usize>,
    page: Cell<usize>,
}

impl Scroll {
    /// the first visible row
    pub fn get(&self) -> usize {
        self.offset.get()
    }

    pub fn set(&self, offset: usize) {
        self.offset.set(offset);
    }

    /// rows shown at the last draw (at least 1)
    pub fn page(&self) -> usize {
        self.page.get().max(1)
    }

    /// Keep row `selected` inside a window of `height` rows; returns the first visible row.
    pub fn follow(&self, selected: usize, height: usize) -> usize {
        let height = height.max(1);
        self.page.set(height);
        let off = self.offset.get();
        let off = if selected < off {
            selected
        } else if selected >= off + height {
            selected + 1 - height
        } else {
            off
        };
        self.offset.set(off);
        off
    }
}

/// Whether `action` moves a list's selection.
pub fn is_move(action: Action) -> bool {
    matches!(
        action,
        Action::Up
            | Action::Down
            | Action::PageUp
            | Action::PageDown
            | Action::First
            | Action::Last
    )
}

/// Move `selected` in a list of `len` rows whose page is `page` rows.
pub fn step(selected: &mut usize, len: usize, page: usize, action: Action) {
    let last = len.saturating_sub(1);
    let page = page.max(1);
    *selected = match action {
        Action::Up => selected.saturating_sub(1),
        Action::Down => (*selected + 1).min(last),
        Action::PageUp => selected.saturating_sub(page),
        Action::PageDown => (*selected + page).min(last),
        Action::First => 0,
        Action::Last => last,
        _ => *selected,
    }
    .min(last);
}

/// A screen's month moved by `PrevMonth`/`NextMonth`, never past `latest`: `Some(true)` moved
/// (read the screen again), `Some(false)` already at `latest` (say why), `None` not a month key.
pub fn month_step(
    period: &mut crate::domain::billing::Period,
    action: Action,
    latest: crate::domain::billing::Period,
) -> Option<bool> {
    match action {
        Action::PrevMonth => {
            *period = period.prev();
            Some(true)
        }
        Action::NextMonth if *period < latest => {
            *period = period.next();
            Some(true)
        }
        Action::NextMonth => Some(false),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_month_moves_back_freely_and_forward_up_to_the_latest() {
        use crate::domain::billing::Period;
        let nov = Period::parse("2026-11").unwrap();
        let mut p = nov;
        assert_eq!(month_step(&mut p, Action::PrevMonth, nov), Some(true));
        assert_eq!(p.to_string(), "2026-10");
        assert_eq!(month_step(&mut p, Action::NextMonth, nov), Some(true));
        assert_eq!(month_step(&mut p, Action::NextMonth, nov), Some(false));
        assert_eq!(p, nov);
        assert_eq!(month_step(&mut p, Action::Up, nov), None);
    }

    use super::*;

    #[test]
    fn paging_stays_inside_the_list() {
        let mut s = 0;
        step(&mut s, 100, 20, Action::PageDown);
        assert_eq!(s, 20);
        step(&mut s, 100, 20, Action::Last);
        assert_eq!(s, 99);
        step(&mut s, 100, 20, Action::PageDown);
        assert_eq!(s, 99);
        step(&mut s, 100, 20, Action::PageUp);
        assert_eq!(s, 79);
        step(&mut s, 100, 20, Action::First);
        assert_eq!(s, 0);
        step(&mut s, 100, 20, Action::Up);
        assert_eq!(s, 0);
        let mut e = 0;
        step(&mut e, 0, 20, Action::Last);
        assert_eq!(e, 0, "an empty list keeps row 0");
    }

    #[test]
    fn the_selection_stays_in_view_when_the_window_shrinks() {
        let sc = Scroll::default();
        assert_eq!(sc.follow(30, 40), 0);
        // the terminal got smaller: row 30 must still be visible in 10 rows
        let off = sc.follow(30, 10);
        assert!(off <= 30 && 30 < off + 10);
        assert_eq!(sc.page(), 10);
    }
}
