//! 考核规则: the rules of the work plan with their rates per customer class. The chief fills
//! in the amounts (元, empty = not set), the number of working days N and the active flag;
//! everyone else reads.

use crossterm::event::KeyEvent;
use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Layout, Position, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph, Row, Table, Widget, Wrap};

use crate::domain::assessment::{Rule, rate_label};
use crate::domain::validate::yes_no;
use crate::service::assessment::RuleInput;
use crate::service::{Service, Session};
use crate::ui::keymap::{Action, Context};
use crate::ui::msg::Msg;
use crate::ui::screen::Screen;
use crate::ui::theme;
use crate::ui::widgets::chrome::selectable_rows;
use crate::ui::widgets::field::{Form, TextField};
use crate::ui::widgets::list;
use crate::ui::widgets::modal::{self, Step};

const READ_ONLY: &str = "只有所长可以修改考核规则，您可以查看";

pub struct AssessmentRulesView {
    rules: Vec<Rule>,
    selected: usize,
    offset: crate::ui::widgets::list::Scroll,
    editor: Option<Form>,
    error: Option<String>,
}

impl AssessmentRulesView {
    pub fn load(svc: &Service) -> AssessmentRulesView {
        let mut v = AssessmentRulesView {
            rules: Vec::new(),
            selected: 0,
            offset: crate::ui::widgets::list::Scroll::default(),
            editor: None,
            error: None,
        };
        v.reload(svc);
        v
    }

    pub fn reload(&mut self, svc: &Service) {
        match svc.assessment_rules() {
            Ok(r) => {
                self.rules = r;
                self.error = None;
            }
            Err(e) => self.error = Some(e.message()),
        }
        self.selected = self.selected.min(self.rules.len().saturating_sub(1));
    }

    fn open_editor(&mut self) -> Option<()> {
        let r = self.rules.get(self.selected)?;
        let input = RuleInput::of(r);
        let mut fields = vec![
            TextField::new("amount_residential", "居民金额")
                .max(12)
                .with_value(&input.amount_residential)
                .hint(format!("元/{}，留空为未设", r.unit.short())),
            TextField::new("amount_other", "非居民金额")
                .max(12)
                .with_value(&input.amount_other)
                .hint(format!("元/{}，留空为未设", r.unit.short())),
        ];
        if r.trigger.uses_param() {
            fields.push(
                TextField::new("param", "天数 N")
                    .max(3)
                    .with_value(&input.param)
                    .hint("超过 N 个工作日才考核，0–365"), // keymap: not a key
            );
        }
        fields.push(
            TextField::new("active", "启用")
                .max(2)
                .with_value(if r.active { "是" } else { "否" })
                .hint("是 / 否"),
        );
        self.editor = Some(Form::new(fields));
        Some(())
    }

    fn save(&mut self, svc: &mut Service, session: &Session) -> Option<Msg> {
        let rule = self.rules.get(self.selected)?.clone();
        let form = self.editor.as_mut()?;
        form.clear_errors();
        let Some(active) = yes_no(form.value("active"), true) else {
            form.set_error("active", "请填 是 或 否".into());
            return None;
        };
        let input = RuleInput {
            amount_residential: form.value("amount_residential").to_string(),
            amount_other: form.value("amount_other").to_string(),
            param: if rule.trigger.uses_param() {
                form.value("param").to_string()
            } else {
                rule.param.to_string()
            },
            active,
        };
        match svc.update_assessment_rule(session, rule.id, &input) {
            Ok(r) => {
                self.editor = None;
                self.reload(svc);
                Some(Msg::Batch(vec![
                    Msg::Refresh,
                    Msg::info(format!(
                        "已保存：{}  居民 {}  非居民 {}",
                        r.item,
                        rate_label(r.amount_residential, r.unit),
                        rate_label(r.amount_other, r.unit)
                    )),
                ]))
            }
            Err(e) => form.place_error(&e),
        }
    }
}

impl Screen for AssessmentRulesView {
    fn title(&self) -> &'static str {
        crate::ui::text::TITLE_ASSESSMENT_RULES
    }

    fn context(&self) -> Context {
        if self.editor.is_some() {
            Context::Form
        } else {
            Context::AssessmentRules
        }
    }

    fn handle(
        &mut self,
        svc: &mut Service,
        session: &mut Session,
        ev: &KeyEvent,
        action: Option<Action>,
    ) -> Option<Msg> {
        match modal::step(&mut self.editor, ev, action, "规则未改") {
            Some(Step::Submit(_)) => {
                return self.save(svc, session);
            }
            Some(Step::Done(m)) => return m,
            None => {}
        }
        let n = self.rules.len();
        match action? {
            a if list::is_move(a) => list::step(&mut self.selected, n, self.offset.page(), a),
            Action::EditRule => {
                if !session.is_chief() {
                    return Some(crate::ui::text::chief_only(session, "修改考核规则"));
                }
                self.open_editor()?;
            }
            Action::Back => return Some(Msg::Pop),
            _ => {}
        }
        None
    }

    fn render(&self, area: Rect, buf: &mut Buffer, session: &Session) -> Option<Position> {
        let [list, detail] =
            Layout::vertical([Constraint::Min(3), Constraint::Length(6)]).areas(area);
        let h = usize::from(list.height.saturating_sub(1));
        let rows: Vec<Row> = selectable_rows(&self.rules, self.selected, &self.offset, h, |r| {
            vec![
                r.item.clone(),
                r.unit.label().to_string(),
                rate_label(r.amount_residential, r.unit),
                rate_label(r.amount_other, r.unit),
                if r.trigger.uses_param() {
                    format!("{} 天", r.param)
                } else {
                    "—".into()
                },
                if !r.active {
                    "停用"
                } else if r.trigger.has_source() {
                    "启用"
                } else {
                    "暂无数据"
                }
                .to_string(),
            ]
        });
        Table::new(
            rows,
            [
                Constraint::Length(18),
                Constraint::Length(5),
                Constraint::Length(14),
                Constraint::Length(14),
                Constraint::Length(7),
                Constraint::Min(8),
            ],
        )
        .header(
            Row::new(vec![" 考核项目", "单位", "居民", "非居民", "N", "状态"])
                .style(theme::heading()),
        )
        .render(list, buf);

        let mut info = Vec::new();
        if let Some(r) = self.rules.get(self.selected) {
            info.push(Line::from(format!("触发：{}", r.trigger.describe(r.param))));
            info.push(Line::from(Span::styled(r.note.clone(), theme::dim())));
        }
        if !session.is_chief() {
            let said = if session.can_write() {
                READ_ONLY
            } else {
                crate::ui::text::AUDITOR_READ_ONLY
            };
            info.push(Line::from(Span::styled(said, theme::dim())));
        }
        if let Some(e) = &self.error {
            info.push(Line::from(Span::styled(
                format!("{}{e}", theme::MARK_ERROR),
                theme::error(),
            )));
        }
        Paragraph::new(info)
            .wrap(Wrap { trim: true })
            .block(Block::default().borders(Borders::TOP))
            .render(detail, buf);

        let form = self.editor.as_ref()?;
        let r = self.rules.get(self.selected)?;
        crate::ui::widgets::modal::render(
            area,
            buf,
            &format!(" 修改考核规则：{} ", r.item),
            form,
            &[format!(
                "单位：{}    {}",
                r.unit.label(),
                r.trigger.describe(r.param)
            )],
        )
    }

    fn refresh(&mut self, svc: &Service) {
        AssessmentRulesView::reload(self, svc);
    }
}
