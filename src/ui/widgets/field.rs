//! Text fields and forms. CJK characters are two cells wide; the cursor and the visible
//! window of a field are computed in cells. A field keeps what was typed when its input
//! is refused: the message shows under it, nothing is lost.
use crate::ui::keymap::Action;
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::buffer::Buffer;
use ratatui::layout::{Position, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::Widget;
use unicode_width::UnicodeWidthChar;

use crate::ui::theme;

/// A value a field can take, picked from a list searched as it is typed (a 台区 by code or
/// name): `value` goes into the field, `label` is what the list shows.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Choice {
    pub value: String,
    pub label: String,
}

#[derive(Clone, Debug)]
pub struct TextField {
    /// key the service uses in `ServiceError::Invalid { field, .. }`
    pub key: &'static str,
    pub label: &'static str,
    pub value: String,
    /// cursor position in characters
    pub cursor: usize,
    pub masked: bool,
    pub max_chars: usize,
    pub required: bool,
    pub hint: std::borrow::Cow<'static, str>,
    pub error: Option<String>,
    /// printed on documents: characters no configured font can draw are said at once
    pub printed: bool,
    /// a warning under the field that does not stop the form (the value is kept)
    pub warning: Option<String>,
    /// the whole value is selected (a proposed value): typing replaces it, Backspace
    /// clears it, Enter takes it as it is, a cursor key keeps it for editing
    pub selected: bool,
    /// values to pick from as the clerk types (empty: a plain field)
    pub choices: Vec<Choice>,
}

impl TextField {
    pub fn new(key: &'static str, label: &'static str) -> Self {
        TextField {
            key,
            label,
            value: String::new(),
            cursor: 0,
            masked: false,
            max_chars: 60,
            required: false,
            hint: std::borrow::Cow::Borrowed(""),
            error: None,
            printed: false,
            warning: None,
            selected: false,
            choices: Vec::new(),
        }
    }
    /// Pick the value from `choices`, the list narrowed as the clerk types (code or name).
    pub fn choices(mut self, choices: Vec<Choice>) -> Self {
        self.choices = choices;
        self
    }
    /// The choices matching what is typed, none while nothing is typed or once the value
    /// is one of them exactly.
    pub fn suggestions(&self) -> Vec<&Choice> {
        let q = self.value.trim().to_lowercase();
        if q.is_empty() || self.choices.iter().any(|c| c.value.to_lowercase() == q) {
            return Vec::new();
        }
        self.choices
            .iter()
            .filter(|c| c.value.to_lowercase().contains(&q) || c.label.to_lowercase().contains(&q))
            .collect()
    }
    /// Open with `v` proposed and selected: Enter takes it, typing replaces it.
    pub fn proposed(mut self, v: &str) -> Self {
        self.set(v);
        self.selected = !v.is_empty();
        self
    }
    /// The value is printed on slips and receipts (see [`Form::with_fonts`]).
    pub fn printed(mut self) -> Self {
        self.printed = true;
        self
    }
    pub fn masked(mut self) -> Self {
        self.masked = true;
        self
    }
    pub fn required(mut self) -> Self {
        self.required = true;
        self
    }
    pub fn max(mut self, n: usize) -> Self {
        self.max_chars = n;
        self
    }
    pub fn hint(mut self, h: impl Into<std::borrow::Cow<'static, str>>) -> Self {
        self.hint = h.into();
        self
    }
    pub fn with_value(mut self, v: &str) -> Self {
        self.set(v);
        self
    }
    pub fn set(&mut self, v: &str) {
        self.value = v.to_string();
        self.cursor = self.value.chars().count();
    }
    pub fn clear(&mut self) {
        self.value.clear();
        self.cursor = 0;
    }

    fn byte_at(&self, char_idx: usize) -> usize {
        self.value
            .char_indices()
            .nth(char_idx)
            .map(|(i, _)| i)
            .unwrap_or(self.value.len())
    }

    /// Editing keys; returns whether the key was used.
    pub fn handle_key(&mut self, ev: &KeyEvent) -> bool {
        if std::mem::take(&mut self.selected) {
            match ev.code {
                KeyCode::Char(c)
                    if !ev.modifiers.contains(KeyModifiers::CONTROL) && !c.is_control() =>
                {
                    self.clear()
                }
                KeyCode::Backspace | KeyCode::Delete => {
                    self.clear();
                    self.error = None;
                    return true;
                }
                _ => {}
            }
        }
        let n = self.value.chars().count();
        match ev.code {
            KeyCode::Char(c) if !ev.modifiers.contains(KeyModifiers::CONTROL) => {
                if c.is_control() {
                    self.error = Some("不能输入控制字符".into());
                    return true;
                }
                // a one-character choice (1 … 9) is replaced by what is typed
                if self.max_chars == 1 && n == 1 {
                    self.value = c.to_string();
                    self.cursor = 1;
                    self.error = None;
                    return true;
                }
                if n >= self.max_chars {
                    self.error = Some(format!("最多 {} 个字", self.max_chars));
                    return true;
                }
                let at = self.byte_at(self.cursor);
                self.value.insert(at, c);
                self.cursor += 1;
                self.error = None;
            }
            KeyCode::Char('u') if ev.modifiers.contains(KeyModifiers::CONTROL) => self.clear(),
            KeyCode::Backspace if self.cursor > 0 => {
                let at = self.byte_at(self.cursor - 1);
                self.value.remove(at);
                self.cursor -= 1;
                self.error = None;
            }
            KeyCode::Delete if self.cursor < n => {
                let at = self.byte_at(self.cursor);
                self.value.remove(at);
                self.error = None;
            }
            KeyCode::Left => self.cursor = self.cursor.saturating_sub(1),
            KeyCode::Right => self.cursor = (self.cursor + 1).min(n),
            KeyCode::Home => self.cursor = 0,
            KeyCode::End => self.cursor = n,
            KeyCode::Backspace | KeyCode::Delete => {}
            _ => return false,
        }
        true
    }

    fn shown(&self) -> String {
        if self.masked {
            "•".repeat(self.value.chars().count())
        } else {
            self.value.clone()
        }
    }

    /// Draw `label：[value]` on the first row of `area` and the error or hint on the second.
    /// Returns the cursor position when focused.
    pub fn render(
        &self,
        area: Rect,
        buf: &mut Buffer,
        focused: bool,
        label_width: u16,
    ) -> Option<Position> {
        if area.height == 0 || area.width < label_width + 4 {
            return None;
        }
        let mark = if self.required {
            theme::MARK_SELECTED
        } else {
            " "
        };
        let mark = if focused { mark } else { " " };
        let label = format!(
            "{mark}{}{}：",
            self.label,
            if self.required { "*" } else { "" }
        );
        Line::from(label).render(
            Rect {
                width: label_width,
                height: 1,
                ..area
            },
            buf,
        );
        let box_x = area.x + label_width;
        let box_w = area.width - label_width;
        let text = self.shown();
        // keep the cursor visible: drop characters from the left while it is past the box
        let chars: Vec<char> = text.chars().collect();
        let cur = self.cursor.min(chars.len());
        let mut start = 0;
        let width_of = |s: &[char]| s.iter().map(|c| c.width().unwrap_or(0) as u16).sum::<u16>();
        while start < cur && width_of(&chars[start..cur]) + 1 > box_w {
            start += 1;
        }
        let visible: String = chars[start..].iter().collect();
        let style = if focused {
            theme::focused_field()
        } else {
            theme::field()
        };
        buf.set_style(Rect::new(box_x, area.y, box_w, 1), style);
        // a proposed value shows selected (reversed), and its hint says what Enter does
        let text_style = if focused && self.selected {
            style.add_modifier(ratatui::style::Modifier::REVERSED)
        } else {
            style
        };
        buf.set_stringn(box_x, area.y, &visible, box_w as usize, text_style);
        if area.height > 1 {
            let below = Rect::new(box_x, area.y + 1, box_w, 1);
            match &self.error {
                Some(e) => Line::from(Span::styled(
                    format!("{}{e}", theme::MARK_ERROR),
                    theme::error(),
                ))
                .render(below, buf),
                None if self.warning.is_some() => Line::from(Span::styled(
                    format!(
                        "{}{}",
                        theme::MARK_WARN,
                        self.warning.as_deref().unwrap_or("")
                    ),
                    theme::warn(),
                ))
                .render(below, buf),
                None if focused && !self.hint.is_empty() => {
                    Line::from(Span::styled(self.hint.as_ref(), theme::dim())).render(below, buf)
                }
                None => {}
            }
        }
        focused.then(|| {
            Position::new(
                box_x + width_of(&chars[start..cur]).min(box_w.saturating_sub(1)),
                area.y,
            )
        })
    }
}

/// A column of fields with one focused.
#[derive(Clone, Debug)]
pub struct Form {
    pub fields: Vec<TextField>,
    pub focus: usize,
    /// the values before the first key (set-up prefills included), to tell typed input
    baseline: Option<Vec<String>>,
    /// `Esc` was pressed once over typed input and the discard question is showing
    pub discard_asked: bool,
    /// the fonts documents are printed with, for the printed fields' warning
    fonts: Option<crate::print::FontSet>,
    /// the highlighted suggestion of the focused field's choices
    pick: usize,
}

/// What a key did to a form.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FormEvent {
    /// nothing for the owner to do
    Handled,
    /// Enter on the last field: the owner submits
    Submit,
    /// not a form key
    Ignored,
}

impl Form {
    pub fn new(fields: Vec<TextField>) -> Self {
        Form {
            fields,
            focus: 0,
            baseline: None,
            discard_asked: false,
            fonts: None,
            pick: 0,
        }
    }

    /// Check the printed fields against the fonts documents are printed with: a character
    /// none of them can draw is said under its field as it is typed (and at once for a
    /// value the form opens with). The value is kept as typed either way.
    pub fn with_fonts(mut self, fonts: Option<crate::print::FontSet>) -> Self {
        self.fonts = fonts;
        for i in 0..self.fields.len() {
            self.check_glyphs(i);
        }
        self
    }

    /// The fonts given by [`Form::with_fonts`], for a form rebuilt from this one.
    pub fn fonts(&self) -> Option<crate::print::FontSet> {
        self.fonts.clone()
    }

    fn check_glyphs(&mut self, i: usize) {
        let Some(fonts) = &self.fonts else { return };
        let Some(f) = self.fields.get_mut(i).filter(|f| f.printed) else {
            return;
        };
        f.warning = crate::print::stand_in_note(&fonts.missing_glyphs(&f.value));
    }

    /// Whether anything has been typed since the form opened (values it was opened with,
    /// such as today's date or the file being changed, are not typed input): an `Esc` then
    /// asks before throwing it away.
    pub fn is_dirty(&self) -> bool {
        match &self.baseline {
            None => false,
            Some(b) => self.fields.iter().zip(b).any(|(f, v)| f.value != *v),
        }
    }

    pub fn value(&self, key: &str) -> &str {
        self.fields
            .iter()
            .find(|f| f.key == key)
            .map(|f| f.value.as_str())
            .unwrap_or("")
    }

    pub fn field_mut(&mut self, key: &str) -> Option<&mut TextField> {
        self.fields.iter_mut().find(|f| f.key == key)
    }

    /// Show a message under the field `key` and move the focus there; `false` when the
    /// form has no such field (the caller shows the message elsewhere).
    pub fn set_error(&mut self, key: &str, message: String) -> bool {
        match self.fields.iter().position(|f| f.key == key) {
            Some(i) => {
                self.fields[i].error = Some(message);
                self.focus = i;
                true
            }
            None => false,
        }
    }

    /// Put a service error next to its field (and focus it); errors without a field in
    /// this form come back as a status-line message.
    pub fn place_error(&mut self, e: &crate::service::ServiceError) -> Option<crate::ui::msg::Msg> {
        let m = e.message();
        match e.field() {
            Some(f) if self.set_error(f, m.clone()) => None,
            _ => Some(crate::ui::msg::Msg::error(m)),
        }
    }

    pub fn clear_errors(&mut self) {
        for f in &mut self.fields {
            f.error = None;
        }
    }

    pub fn next(&mut self) {
        if !self.fields.is_empty() {
            self.focus = (self.focus + 1) % self.fields.len();
        }
    }

    pub fn prev(&mut self) {
        if !self.fields.is_empty() {
            self.focus = (self.focus + self.fields.len() - 1) % self.fields.len();
        }
    }

    /// A key on the form: moving between fields and submitting come from the keymap's
    /// actions (`NextField`, `PrevField`, `Submit`); any other key edits the focused field.
    pub fn handle_key(&mut self, ev: &KeyEvent, action: Option<Action>) -> FormEvent {
        if self.baseline.is_none() {
            self.baseline = Some(self.fields.iter().map(|f| f.value.clone()).collect());
        }
        // a field with choices showing: ↓ ↑ move in the list, Enter takes the one marked
        let shown = self
            .fields
            .get(self.focus)
            .map_or(0, |f| f.suggestions().len());
        if shown > 0 {
            match ev.code {
                KeyCode::Down => {
                    self.pick = (self.pick + 1).min(shown - 1);
                    return FormEvent::Handled;
                }
                KeyCode::Up if self.pick > 0 => {
                    self.pick -= 1;
                    return FormEvent::Handled;
                }
                KeyCode::Enter => {
                    let i = self.pick.min(shown - 1);
                    if let Some(f) = self.fields.get_mut(self.focus) {
                        let v = f.suggestions().get(i).map(|c| c.value.clone());
                        if let Some(v) = v {
                            f.set(&v);
                            f.error = None;
                        }
                    }
                    self.pick = 0;
                    return FormEvent::Handled;
                }
                _ => {}
            }
        }
        match action {
            Some(Action::NextField) => self.next(),
            Some(Action::PrevField) => self.prev(),
            Some(Action::Submit) => {
                if self.focus + 1 >= self.fields.len() {
                    return FormEvent::Submit;
                }
                self.next();
            }
            _ => {
                let used = self
                    .fields
                    .get_mut(self.focus)
                    .map(|f| f.handle_key(ev))
                    .unwrap_or(false);
                if !used {
                    return FormEvent::Ignored;
                }
                self.pick = 0;
                self.check_glyphs(self.focus);
            }
        }
        FormEvent::Handled
    }

    /// Rows the form needs (two per field: the field and its message line).
    pub fn height(&self) -> u16 {
        (self.fields.len() as u16) * 2
    }

    /// Draw all fields; returns the cursor position of the focused one.
    pub fn render(&self, area: Rect, buf: &mut Buffer) -> Option<Position> {
        let label_width = self
            .fields
            .iter()
            .map(|f| unicode_width::UnicodeWidthStr::width(f.label) as u16 + 4)
            .max()
            .unwrap_or(10);
        let mut cursor = None;
        // more fields than rows: scroll so the focused field is always on screen
        let fits = usize::from(area.height / 2).max(1);
        let first = (self.focus + 1).saturating_sub(fits);
        for (i, f) in self.fields.iter().enumerate().skip(first) {
            let y = area.y + ((i - first) as u16) * 2;
            if y >= area.bottom() {
                break;
            }
            let h = (area.bottom() - y).min(2);
            let r = Rect::new(area.x, y, area.width, h);
            if let Some(p) = f.render(r, buf, i == self.focus, label_width) {
                cursor = Some(p);
            }
        }
        // the focused field's choices, in a box under it (over the fields below)
        if let Some(f) = self.fields.get(self.focus) {
            let list = f.suggestions();
            if !list.is_empty() && self.focus >= first {
                let row = area.y + ((self.focus - first) as u16) * 2 + 1;
                self.render_choices(area, buf, row, label_width, &list);
            }
        }
        cursor
    }

    fn render_choices(&self, area: Rect, buf: &mut Buffer, row: u16, x_off: u16, list: &[&Choice]) {
        use ratatui::widgets::{Block, Borders, Clear};
        let x = area.x + x_off.min(area.width.saturating_sub(10));
        let w = area.right().saturating_sub(x);
        let rows = list.len().min(6) as u16;
        let below = area.bottom().saturating_sub(row);
        let h = (rows + 2).min(below.max(3));
        if w < 10 || h < 3 {
            return;
        }
        let r = Rect::new(x, row.min(area.bottom().saturating_sub(h)), w, h);
        Clear.render(r, buf);
        let title = format!(
            " 共 {} 项 · {} 选定 ",
            list.len(),
            crate::ui::keymap::key_label(crate::ui::keymap::Context::Form, Action::Submit)
        );
        let block = Block::default().borders(Borders::ALL).title(title);
        let inner = block.inner(r);
        block.render(r, buf);
        let pick = self.pick.min(list.len() - 1);
        let start = (pick + 1).saturating_sub(usize::from(inner.height));
        for (i, c) in list
            .iter()
            .enumerate()
            .skip(start)
            .take(usize::from(inner.height))
        {
            let y = inner.y + (i - start) as u16;
            let (mark, style) = if i == pick {
                (theme::MARK_SELECTED, theme::selected())
            } else {
                (" ", ratatui::style::Style::default())
            };
            buf.set_stringn(
                inner.x,
                y,
                format!("{mark}{}", c.label),
                usize::from(inner.width),
                style,
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(c: KeyCode) -> KeyEvent {
        KeyEvent::new(c, KeyModifiers::NONE)
    }

    fn typed(f: &mut TextField, s: &str) {
        for c in s.chars() {
            f.handle_key(&key(KeyCode::Char(c)));
        }
    }

    #[test]
    fn editing_mixed_cjk_text() {
        let mut f = TextField::new("n", "姓名");
        typed(&mut f, "张三a");
        f.handle_key(&key(KeyCode::Left));
        f.handle_key(&key(KeyCode::Backspace));
        assert_eq!(f.value, "张a");
        f.handle_key(&key(KeyCode::Home));
        typed(&mut f, "王");
        assert_eq!(f.value, "王张a");
        f.handle_key(&key(KeyCode::Delete));
        assert_eq!(f.value, "王a");
    }

    #[test]
    fn over_long_input_is_refused_with_a_message_and_kept() {
        let mut f = TextField::new("n", "姓名").max(3);
        typed(&mut f, "欧阳修远");
        assert_eq!(f.value, "欧阳修");
        assert!(f.error.as_deref().unwrap().contains("最多 3"));
    }

    #[test]
    fn a_one_character_choice_is_replaced_by_typing() {
        let mut f = TextField::new("kind", "类型").max(1).with_value("1");
        f.handle_key(&KeyEvent::new(KeyCode::Char('3'), KeyModifiers::NONE));
        assert_eq!(f.value, "3");
        assert_eq!(f.error, None);
    }

    #[test]
    fn form_moves_and_submits_on_last_field() {
        let mut form = Form::new(vec![TextField::new("a", "甲"), TextField::new("b", "乙")]);
        let enter = Some(Action::Submit);
        assert_eq!(
            form.handle_key(&key(KeyCode::Enter), enter),
            FormEvent::Handled
        );
        assert_eq!(form.focus, 1);
        assert_eq!(
            form.handle_key(&key(KeyCode::Enter), enter),
            FormEvent::Submit
        );
        // without the action (a key the keymap does not bind here) Enter moves nothing
        assert_eq!(
            form.handle_key(&key(KeyCode::Enter), None),
            FormEvent::Ignored
        );
        assert!(form.set_error("a", "不对".into()));
        assert_eq!(form.focus, 0);
        assert!(!form.set_error("zzz", "x".into()));
    }
}
