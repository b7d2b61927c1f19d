//! The one modal form (slumber's `prompt_form`): a form in a framed pop-up whose keys work
//! the same everywhere — field keys go to the fields, `Enter` on the last field submits,
//! `Esc` closes, but asks once first when something has been typed, so nothing typed is
//! thrown away by a stray `Esc` — and whose service refusals land under their field
//! (`Form::place_error`).
//!
//! A screen keeps its open form in an `Option<…>` slot (the form alone, or with what it is
//! about) and hands every key to [`step`] while the slot holds one.
use crossterm::event::KeyEvent;
use ratatui::buffer::Buffer;
use ratatui::layout::{Margin, Position, Rect};
use ratatui::text::Line;
use ratatui::widgets::{Block, Borders, Paragraph, Widget};

use crate::ui::keymap::Action;
use crate::ui::msg::Msg;
use crate::ui::widgets::chrome::{centered, clear_popup};
use crate::ui::widgets::field::{Form, FormEvent};

/// What an open form slot holds: the form and whatever goes with it.
pub trait HasForm {
    fn form_mut(&mut self) -> &mut Form;
}

impl HasForm for Form {
    fn form_mut(&mut self) -> &mut Form {
        self
    }
}

impl HasForm for (Form, Option<i64>) {
    fn form_mut(&mut self) -> &mut Form {
        &mut self.0
    }
}

impl<T> HasForm for (T, Form) {
    fn form_mut(&mut self) -> &mut Form {
        &mut self.1
    }
}

impl<T, U> HasForm for (T, U, Form) {
    fn form_mut(&mut self) -> &mut Form {
        &mut self.2
    }
}

/// `HasForm` for a struct that keeps its form in a field named `form`.
#[macro_export]
macro_rules! has_form {
    ($t:ty) => {
        impl $crate::ui::widgets::modal::HasForm for $t {
            fn form_mut(&mut self) -> &mut $crate::ui::widgets::field::Form {
                &mut self.form
            }
        }
    };
}

/// What a key did to an open form.
#[must_use]
pub enum Step<'a, F> {
    /// `Enter` on the last field: the screen submits what the slot holds
    Submit(&'a mut F),
    /// the key was handled (typed, moved, asked or closed); the screen returns this
    Done(Option<Msg>),
}

/// The question asked when `Esc` would throw typed input away.
pub fn discard_question() -> String {
    format!(
        "已填的内容尚未提交：再按一次 {} 放弃，或继续填写",
        crate::ui::keymap::key_label(crate::ui::keymap::Context::Form, Action::Back)
    )
}

/// Hand a key to the form open in `slot`; `None` when no form is open (the screen's own
/// keys apply). `Esc` closes the form (saying `cancelled`, when not empty), asking once
/// first when the form holds typed input.
pub fn step<'a, F: HasForm>(
    slot: &'a mut Option<F>,
    ev: &KeyEvent,
    action: Option<Action>,
    cancelled: &str,
) -> Option<Step<'a, F>> {
    step_by(slot, ev, action, cancelled, |f, ev, a| {
        f.form_mut().handle_key(ev, a)
    })
}

/// [`step`] for a form whose keys do more than fill its fields (a live preview, fields
/// that follow another): `handle` takes every key that is not `Esc`.
pub fn step_by<'a, F: HasForm>(
    slot: &'a mut Option<F>,
    ev: &KeyEvent,
    action: Option<Action>,
    cancelled: &str,
    handle: impl FnOnce(&mut F, &KeyEvent, Option<Action>) -> FormEvent,
) -> Option<Step<'a, F>> {
    let f = slot.as_mut()?;
    Some(match key_by(f, ev, action, handle) {
        Key::Submit => Step::Submit(slot.as_mut()?),
        Key::Asked(m) => Step::Done(Some(m)),
        Key::Handled => Step::Done(None),
        Key::Close => {
            *slot = None;
            Step::Done((!cancelled.is_empty()).then(|| Msg::warn(cancelled)))
        }
    })
}

/// What a key means for a form that is always open (a screen that is a form).
pub enum Key {
    Submit,
    Handled,
    /// `Esc` with typed input: the question to show
    Asked(Msg),
    /// `Esc` on an untouched form, or the second `Esc`
    Close,
}

/// The shared key handling of [`step`], for forms that are not in a slot.
pub fn key<F: HasForm>(f: &mut F, ev: &KeyEvent, action: Option<Action>) -> Key {
    key_by(f, ev, action, |f, ev, a| f.form_mut().handle_key(ev, a))
}

/// [`key`] with the screen's own handling of the keys that are not `Esc`.
pub fn key_by<F: HasForm>(
    f: &mut F,
    ev: &KeyEvent,
    action: Option<Action>,
    handle: impl FnOnce(&mut F, &KeyEvent, Option<Action>) -> FormEvent,
) -> Key {
    let form = f.form_mut();
    if action == Some(Action::Back) {
        if form.is_dirty() && !form.discard_asked {
            form.discard_asked = true;
            return Key::Asked(Msg::warn(discard_question()));
        }
        return Key::Close;
    }
    form.discard_asked = false;
    match handle(f, ev, action) {
        FormEvent::Submit => Key::Submit,
        FormEvent::Handled | FormEvent::Ignored => Key::Handled,
    }
}

/// Draw `form` in a framed pop-up over `area` (the whole width, so a border never lands on
/// half of a wide character behind it), with `lines` of text above the fields; returns
/// where the cursor goes.
pub fn render(
    area: Rect,
    buf: &mut Buffer,
    title: &str,
    form: &Form,
    lines: &[String],
) -> Option<Position> {
    let extra = u16::try_from(lines.len()).unwrap_or(0);
    let asked = u16::from(form.discard_asked);
    let r = centered(area, area.width, form.height() + extra + asked + 3);
    clear_popup(r, buf);
    let block = Block::default()
        .borders(Borders::ALL)
        .title(Line::from(title.to_string()).centered());
    let inner = block.inner(r).inner(Margin::new(1, 0));
    block.render(r, buf);
    let mut text: Vec<Line> = lines.iter().map(|l| Line::from(l.as_str())).collect();
    if form.discard_asked {
        text.push(Line::from(discard_question()).style(crate::ui::theme::warn()));
    }
    let above = extra + asked;
    Paragraph::new(text).render(
        Rect {
            height: above,
            ..inner
        },
        buf,
    );
    let y = inner.y + above + u16::from(above > 0);
    form.render(
        Rect::new(inner.x, y, inner.width, inner.bottom().saturating_sub(y)),
        buf,
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ui::widgets::field::TextField;
    use crossterm::event::{KeyCode, KeyModifiers};

    fn key(c: KeyCode) -> KeyEvent {
        KeyEvent::new(c, KeyModifiers::NONE)
    }

    fn esc(slot: &mut Option<Form>) -> Option<Step<'_, Form>> {
        step(slot, &key(KeyCode::Esc), Some(Action::Back), "已取消")
    }

    fn said(s: Option<Step<'_, Form>>) -> String {
        match s {
            Some(Step::Done(Some(Msg::Status(st)))) => format!("{st:?}"),
            Some(Step::Done(None)) => "nothing".into(),
            Some(Step::Done(Some(_))) => "another message".into(),
            Some(Step::Submit(_)) => "submit".into(),
            None => "no form".into(),
        }
    }

    fn amount_form() -> Form {
        Form::new(vec![
            TextField::new("amount", "金额"),
            TextField::new("date", "日期").with_value("2026-11-24"),
        ])
    }

    #[test]
    fn esc_over_typed_input_asks_once_then_discards() {
        let mut slot = Some(amount_form());
        let _ = step(&mut slot, &key(KeyCode::Char('5')), None, "已取消");
        assert!(said(esc(&mut slot)).contains(&discard_question()));
        assert!(
            slot.as_ref().is_some_and(|f| f.value("amount") == "5"),
            "nothing lost yet"
        );
        assert!(said(esc(&mut slot)).contains("已取消"));
        assert!(slot.is_none());
    }

    #[test]
    fn typing_after_the_question_asks_again_next_time() {
        let mut slot = Some(amount_form());
        let _ = step(&mut slot, &key(KeyCode::Char('5')), None, "已取消");
        let _ = esc(&mut slot);
        let _ = step(&mut slot, &key(KeyCode::Char('0')), None, "已取消");
        assert!(said(esc(&mut slot)).contains(&discard_question()));
        assert!(slot.is_some());
    }

    #[test]
    fn esc_on_an_untouched_form_closes_at_once_prefilled_values_are_not_typing() {
        let mut slot = Some(amount_form());
        assert!(said(esc(&mut slot)).contains("已取消"));
        assert!(slot.is_none());
        // moving between fields types nothing either
        let mut slot = Some(amount_form());
        let _ = step(&mut slot, &key(KeyCode::Tab), Some(Action::NextField), "");
        assert_eq!(said(esc(&mut slot)), "Warn(\"已取消\")");
    }

    #[test]
    fn enter_on_the_last_field_submits_and_no_form_is_no_step() {
        let mut slot = Some(amount_form());
        let _ = step(&mut slot, &key(KeyCode::Enter), Some(Action::Submit), "");
        assert_eq!(
            said(step(
                &mut slot,
                &key(KeyCode::Enter),
                Some(Action::Submit),
                ""
            )),
            "submit"
        );
        let mut none: Option<Form> = None;
        assert_eq!(said(esc(&mut none)), "no form");
    }

    #[test]
    fn the_popup_hides_wide_characters_beneath_its_border() {
        use ratatui::buffer::Buffer;
        let area = Rect::new(0, 0, 40, 10);
        let mut buf = Buffer::empty(area);
        for y in 0..10 {
            // a full row of wide characters: every other cell is the second half of one
            buf.set_string(
                0,
                y,
                "查询客户档案户号户名电话地址台区状态欠费",
                ratatui::style::Style::default(),
            );
        }
        let form = amount_form();
        let popup = centered(area, 30, form.height() + 2);
        let _ = crate::ui::widgets::chrome::form_popup_w(area, &mut buf, 30, " 测试 ", &form);
        for y in popup.top()..popup.bottom() {
            let left = buf[(popup.x, y)].symbol().to_string();
            let right = buf[(popup.right() - 1, y)].symbol().to_string();
            assert!(
                ["│", "┌", "└"].contains(&left.as_str()),
                "row {y}: left edge {left:?}"
            );
            assert!(
                ["│", "┐", "┘"].contains(&right.as_str()),
                "row {y}: right edge {right:?}"
            );
            // the cell before the border holds no wide character that would cover it
            let before = buf[(popup.x - 1, y)].symbol().to_string();
            assert!(
                unicode_width::UnicodeWidthStr::width(before.as_str()) <= 1,
                "row {y}"
            );
        }
    }
}
