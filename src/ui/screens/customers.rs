//! 客户查询: find a customer as you type, read the file (personal data masked), open a
//! new file (F2) or change one (F3). Accepting requests on a file comes with the orders.
use crossterm::event::KeyEvent;
use ratatui::buffer::Buffer;
use ratatui::layout::{Position, Rect};

use crate::domain::customer::{CustomerKind, UsageCategory};
use crate::domain::customer_file::CustomerDraft;
use crate::service::{Service, Session};
use crate::ui::forms::accept::{AcceptEvent, AcceptForm};
use crate::ui::keymap::{Action, Context};
use crate::ui::msg::Msg;
use crate::ui::screen::Screen;
use crate::ui::screens::orders::accepted_and_printed;
use crate::ui::widgets::customer_search::CustomerSearch;
use crate::ui::widgets::field::{Form, TextField};
use crate::ui::widgets::modal::{self, Step};

struct FileEditor {
    form: Form,
    /// the file being changed; `None` for a new one
    id: Option<i64>,
    /// the file's ID number and phone as stored, shown masked: a masked field left as it
    /// was keeps them
    stored: Option<(String, String)>,
}

crate::has_form!(FileEditor);

#[derive(Default)]
pub struct CustomersView {
    search: CustomerSearch,
    editor: Option<FileEditor>,
    accept: Option<AcceptForm>,
    /// the reason form for showing a file's full ID number and phone, and the file
    reveal: Option<(i64, Form)>,
    /// 换表 on the selected customer's account
    swap: Option<crate::ui::forms::swap::SwapForm>,
    /// the tariff category form (执行电价类别) and the file, with its name for the title
    tariff: Option<(i64, Form)>,
}

fn file_form(new: bool, d: &CustomerDraft) -> Form {
    // personal data shown masked when changing a file (F6 shows it, with a reason)
    let (id_shown, phone_shown) = if new {
        (d.id_number.clone(), d.phone.clone())
    } else {
        (
            crate::domain::idcheck::mask_id(&d.id_number),
            crate::domain::idcheck::mask_phone(&d.phone),
        )
    };
    let kind = match d.kind {
        Some(CustomerKind::Organisation) => "2",
        _ => "1",
    };
    let usage = match d.usage {
        Some(UsageCategory::Commercial) => "2",
        Some(UsageCategory::Agricultural) => "3",
        Some(UsageCategory::Industrial) => "4",
        _ => "1",
    };
    let mut fields = Vec::new();
    if new {
        fields.push(
            TextField::new("account_no", "户号")
                .max(13)
                .hint("留空则按规则自动生成；老户号可照填 10 位"),
        );
    }
    fields.extend([
        TextField::new("name", "户名")
            .required()
            .max(40)
            .printed()
            .with_value(&d.name),
        TextField::new("kind", "类型")
            .required()
            .max(2)
            .with_value(kind)
            .hint("1 个人  2 单位"),
        TextField::new("id_number", "证件号码")
            .max(18)
            .with_value(&id_shown)
            .hint(if new {
                "身份证号或统一社会信用代码；一证即可受理"
            } else {
                "已遮盖；不改则保留原号码，更正时整串重填"
            }),
        TextField::new("phone", "电话")
            .max(20)
            .with_value(&phone_shown)
            .hint(if new {
                "手机或固话，如 0635-8123456"
            } else {
                "已遮盖；不改则保留原号码"
            }),
        TextField::new("address", "地址")
            .max(100)
            .printed()
            .with_value(&d.address),
        TextField::new("area", "台区编码")
            .max(10)
            .with_value(&d.area_code)
            .hint("如 TQ001"),
        TextField::new("usage", "用电类别")
            .required()
            .max(2)
            .with_value(usage)
            .hint("1 居民生活 2 一般工商业 3 农业生产 4 大工业"),
        TextField::new("supply_voltage", "供电电压")
            .max(8)
            .with_value(&d.supply_voltage)
            .hint("0.22kV / 0.4kV / 10kV / 35kV，留空按类别"),
        TextField::new("contracted_kva", "合同容量")
            .max(10)
            .with_value(&d.contracted_kva)
            .hint("kVA"),
        TextField::new("notes", "备注")
            .max(200)
            .with_value(&d.notes),
    ]);
    if !new {
        fields.push(
            TextField::new("correction", "更正原因")
                .max(200)
                .hint("只在更正户名录入错误时填；改名请办理更名或过户工单"),
        );
    }
    Form::new(fields)
}

/// The draft from the form; a wrong choice number is put next to its field.
fn read_form(form: &mut Form) -> Option<CustomerDraft> {
    let kind = match form.value("kind").trim() {
        "1" | "个人" => Some(CustomerKind::Person),
        "2" | "单位" => Some(CustomerKind::Organisation),
        _ => {
            form.set_error("kind", "请填 1（个人）或 2（单位）".into());
            return None;
        }
    };
    let usage = match form.value("usage").trim() {
        "1" => UsageCategory::Residential,
        "2" => UsageCategory::Commercial,
        "3" => UsageCategory::Agricultural,
        "4" => UsageCategory::Industrial,
        other => match UsageCategory::ALL.into_iter().find(|u| u.label() == other) {
            Some(u) => u,
            None => {
                form.set_error("usage", "请填 1–4".into());
                return None;
            }
        },
    };
    Some(CustomerDraft {
        name: form.value("name").into(),
        kind,
        id_number: form.value("id_number").into(),
        phone: form.value("phone").into(),
        address: form.value("address").into(),
        usage: Some(usage),
        area_code: form.value("area").into(),
        supply_voltage: form.value("supply_voltage").into(),
        contracted_kva: form.value("contracted_kva").into(),
        notes: form.value("notes").into(),
    })
}

/// The payment grade (信誉等级) with what is owed and prepaid, in words.
fn grade_line(svc: &Service, customer_id: i64) -> String {
    match svc.customer_account(customer_id) {
        Ok(a) => format!(
            "信誉等级：{}（欠费 {} 元，预收 {} 元）",
            a.grade.label(),
            crate::domain::money::format_yuan_grouped(a.total_owed),
            crate::domain::money::format_yuan_grouped(a.prepaid)
        ),
        Err(e) => format!("信誉等级：未能读取（{}）", e.message()),
    }
}

impl CustomersView {
    fn handle_editor(
        &mut self,
        svc: &mut Service,
        session: &Session,
        ev: &KeyEvent,
        action: Option<Action>,
    ) -> Option<Msg> {
        let ed = match modal::step(&mut self.editor, ev, action, "未保存")? {
            Step::Submit(ed) => ed,
            Step::Done(m) => return m,
        };
        ed.form.clear_errors();
        let mut draft = read_form(&mut ed.form)?;
        if let Some((id_number, phone)) = &ed.stored {
            // a masked field left as shown keeps what is stored
            if draft.id_number == crate::domain::idcheck::mask_id(id_number) {
                draft.id_number = id_number.clone();
            }
            if draft.phone == crate::domain::idcheck::mask_phone(phone) {
                draft.phone = phone.clone();
            }
        }
        let result = match ed.id {
            None => {
                let account = ed.form.value("account_no").to_string();
                svc.create_customer(session, &draft, &account).map(Some)
            }
            Some(id) => {
                let reason = ed.form.value("correction").to_string();
                svc.correct_customer(session, id, &draft, &reason)
                    .map(|_| None)
            }
        };
        match result {
            Ok(created) => {
                let id = created.or(ed.id);
                self.editor = None;
                let file = id.and_then(|i| svc.customer_file(i).ok());
                let account = file
                    .as_ref()
                    .map(|f| f.account_no.clone())
                    .unwrap_or_default();
                self.search.set_query(svc, &account);
                let incomplete = file.is_some_and(|f| f.docs_incomplete);
                let what = if created.is_some() {
                    "已建档"
                } else {
                    "档案已保存"
                };
                let mut said = vec![
                    Msg::Refresh,
                    if incomplete {
                        Msg::warn(format!("{what}：户号 {account}（资料不全，已列入待补）"))
                    } else {
                        Msg::info(format!("{what}：户号 {account}"))
                    },
                ];
                // a name with a character no font can draw: said at once, kept as typed
                if let Some(w) = svc.unprintable_warning("户名", &draft.name) {
                    said.push(Msg::warn(w));
                }
                Some(Msg::Batch(said))
            }
            Err(e) => ed.form.place_error(&e),
        }
    }
}

impl Screen for CustomersView {
    fn title(&self) -> &'static str {
        crate::ui::text::TITLE_CUSTOMERS
    }

    fn context(&self) -> Context {
        if self.editor.is_some()
            || self.accept.is_some()
            || self.reveal.is_some()
            || self.tariff.is_some()
            || self.swap.is_some()
        {
            Context::Form
        } else {
            Context::Search
        }
    }

    fn handle(
        &mut self,
        svc: &mut Service,
        session: &mut Session,
        ev: &KeyEvent,
        action: Option<Action>,
    ) -> Option<Msg> {
        if self.editor.is_some() {
            return self.handle_editor(svc, session, ev, action);
        }
        if self.tariff.is_some() {
            return match modal::step(&mut self.tariff, ev, action, "已取消") {
                Some(Step::Submit((id, form))) => {
                    let id = *id;
                    let tariff = match form.value("tariff").trim() {
                        "0" | "" => None,
                        "1" => Some(UsageCategory::Residential),
                        "2" => Some(UsageCategory::Commercial),
                        "3" => Some(UsageCategory::Agricultural),
                        "4" => Some(UsageCategory::Industrial),
                        _ => {
                            form.set_error("tariff", "请填 0–4".into());
                            return None;
                        }
                    };
                    let reason = form.value("reason").to_string();
                    match svc.set_tariff_category(session, id, tariff, &reason) {
                        Ok(()) => {
                            self.tariff = None;
                            Some(Msg::info(match tariff {
                                Some(t) => format!(
                                    "执行电价类别已设为{}；以后核算的电费按此计价",
                                    t.label()
                                ),
                                None => "执行电价类别已恢复为同用电类别".into(),
                            }))
                        }
                        Err(e) => form.place_error(&e),
                    }
                }
                Some(Step::Done(m)) => m,
                None => None,
            };
        }
        if self.reveal.is_some() {
            return match modal::step(&mut self.reveal, ev, action, "已取消") {
                Some(Step::Submit((id, form))) => {
                    let id = *id;
                    let reason = form.value("reason").to_string();
                    match svc.reveal_customer_contact(session, id, &reason) {
                        Ok((id_number, phone)) => {
                            self.reveal = None;
                            Some(Msg::Notice {
                                title: "完整证件号码和电话（已记入审计日志）".into(),
                                lines: vec![
                                    format!(
                                        "证件号码：{}",
                                        if id_number.is_empty() {
                                            "（未登记）"
                                        } else {
                                            &id_number
                                        }
                                    ),
                                    format!(
                                        "电话：{}",
                                        if phone.is_empty() {
                                            "（未登记）"
                                        } else {
                                            &phone
                                        }
                                    ),
                                ],
                            })
                        }
                        Err(e) => form.place_error(&e),
                    }
                }
                Some(Step::Done(m)) => m,
                None => None,
            };
        }
        if let Some(form) = &mut self.accept {
            return match form.handle(svc, session, ev, action) {
                AcceptEvent::Stay(m) => m,
                AcceptEvent::Closed(m) => {
                    self.accept = None;
                    Some(m)
                }
                AcceptEvent::Accepted(id, m) => {
                    self.accept = None;
                    Some(accepted_and_printed(svc, session, id, m))
                }
            };
        }
        if self.swap.is_some() {
            let m =
                crate::ui::forms::swap::SwapForm::handle(&mut self.swap, svc, session, ev, action);
            if self.swap.is_none() {
                let q = self.search.query().to_string();
                self.search.set_query(svc, &q);
            }
            return m;
        }
        match action {
            Some(Action::Back) => return Some(Msg::Pop),
            Some(Action::SwapMeter) => {
                if !session.can_write() {
                    return Some(Msg::warn(crate::ui::text::AUDITOR_READ_ONLY));
                }
                let Some(hit) = self.search.selected() else {
                    return Some(Msg::warn("请先输入并选中一位客户"));
                };
                self.swap = Some(crate::ui::forms::swap::SwapForm::open(
                    svc,
                    hit.id,
                    format!("{} {}", hit.account_no, hit.name),
                ));
                return None;
            }
            Some(Action::Open) => {
                let hit = match self.search.choose() {
                    crate::ui::widgets::customer_search::Choice::Take(hit) => hit,
                    crate::ui::widgets::customer_search::Choice::Choose(m) => {
                        return Some(Msg::info(m));
                    }
                    crate::ui::widgets::customer_search::Choice::Nothing => {
                        return Some(Msg::warn("请先输入并选中一位客户"));
                    }
                };
                return Some(match svc.customer_file(hit.id) {
                    Ok(f) => {
                        let mut lines: Vec<String> = f
                            .lines()
                            .into_iter()
                            .map(|(k, v)| format!("{k}：{v}"))
                            .collect();
                        let at = lines
                            .iter()
                            .position(|l| l.starts_with("状态："))
                            .map_or(lines.len(), |i| i + 1);
                        lines.insert(at, grade_line(svc, hit.id));
                        lines.extend(super::meter_text::meter_lines(svc, hit.id));
                        Msg::Notice {
                            title: format!("客户档案：{}", f.name),
                            lines,
                        }
                    }
                    Err(e) => Msg::error(e.message()),
                });
            }
            Some(Action::NewFile) => {
                if !session.can_write() {
                    return Some(Msg::warn(crate::ui::text::AUDITOR_READ_ONLY));
                }
                self.editor = Some(FileEditor {
                    form: crate::ui::widgets::lookup::with_choices(
                        file_form(true, &CustomerDraft::default()).with_fonts(svc.fonts().ok()),
                        "area",
                        crate::ui::widgets::lookup::area_choices(svc),
                    ),
                    id: None,
                    stored: None,
                });
                return None;
            }
            Some(Action::IncompleteFiles) => {
                return match svc.incomplete_files(session, 500) {
                    Ok(hits) => {
                        let title = if session.sees_own_areas_only() {
                            "本人台区资料不全的档案"
                        } else {
                            "资料不全的档案"
                        };
                        self.search.show_list(title, hits);
                        None
                    }
                    Err(e) => Some(Msg::error(e.message())),
                };
            }
            Some(Action::Accept) => {
                if !session.can_write() {
                    return Some(Msg::warn(crate::ui::text::AUDITOR_READ_ONLY));
                }
                let Some(hit) = self.search.selected() else {
                    return Some(Msg::warn("请先输入并选中一位客户"));
                };
                self.accept = Some(AcceptForm::for_customer(
                    hit.id,
                    &hit.name,
                    svc.fonts().ok(),
                ));
                return None;
            }
            Some(Action::SetTariff) => {
                if !session.can_write() {
                    return Some(Msg::warn(crate::ui::text::AUDITOR_READ_ONLY));
                }
                let Some(hit) = self.search.selected() else {
                    return Some(Msg::warn("请先输入并选中一位客户"));
                };
                let (usage, now) = match svc.customer_file(hit.id) {
                    Ok(f) => (f.usage_label, f.tariff_label),
                    Err(e) => return Some(Msg::error(e.message())),
                };
                let current = match now
                    .and_then(|l| UsageCategory::ALL.into_iter().find(|u| u.label() == l))
                {
                    Some(UsageCategory::Residential) => "1",
                    Some(UsageCategory::Commercial) => "2",
                    Some(UsageCategory::Agricultural) => "3",
                    Some(UsageCategory::Industrial) => "4",
                    None => "0",
                };
                self.tariff = Some((
                    hit.id,
                    Form::new(vec![
                        TextField::new("tariff", "执行电价类别")
                            .required()
                            .max(2)
                            .with_value(current)
                            .hint("0 同用电类别 1 居民生活 2 一般工商业 3 农业生产 4 大工业"),
                        TextField::new("reason", "原因")
                            .required()
                            .max(200)
                            .hint(format!(
                                "{} {}（用电类别{usage}）；记入审计日志",
                                hit.account_no, hit.name
                            )),
                    ]),
                ));
                return None;
            }
            Some(Action::RevealContact) => {
                if !session.can_write() {
                    return Some(Msg::warn(crate::ui::text::AUDITOR_READ_ONLY));
                }
                let Some(hit) = self.search.selected() else {
                    return Some(Msg::warn("请先输入并选中一位客户"));
                };
                self.reveal = Some((
                    hit.id,
                    Form::new(vec![
                        TextField::new("reason", "查看原因")
                            .required()
                            .max(200)
                            .hint("如：客户来电核对身份；查看将记入审计日志"),
                    ]),
                ));
                return None;
            }
            Some(Action::EditFile) => {
                let Some(hit) = self.search.selected() else {
                    return Some(Msg::warn("请先输入并选中一位客户"));
                };
                return match svc.customer_draft(session, hit.id) {
                    Ok(d) => {
                        self.editor = Some(FileEditor {
                            form: crate::ui::widgets::lookup::with_choices(
                                file_form(false, &d).with_fonts(svc.fonts().ok()),
                                "area",
                                crate::ui::widgets::lookup::area_choices(svc),
                            ),
                            id: Some(hit.id),
                            stored: Some((d.id_number.clone(), d.phone.clone())),
                        });
                        None
                    }
                    Err(e) => Some(Msg::error(e.message())),
                };
            }
            _ => {}
        }
        self.search.handle_key(svc, ev, action);
        None
    }

    fn render(&self, area: Rect, buf: &mut Buffer, _session: &Session) -> Option<Position> {
        let cursor = self.search.render(area, buf);
        if let Some(f) = &self.swap {
            return f.render(area, buf);
        }
        if let Some(form) = &self.accept {
            return form.render(area, buf);
        }
        if let Some((_, form)) = &self.tariff {
            return crate::ui::widgets::chrome::form_popup_w(area, buf, 70, " 执行电价类别 ", form);
        }
        if let Some((_, form)) = &self.reveal {
            return crate::ui::widgets::chrome::form_popup_w(
                area,
                buf,
                70,
                " 查看完整证件号码和电话 ",
                form,
            );
        }
        let Some(ed) = &self.editor else {
            return cursor;
        };
        let title = if ed.id.is_some() {
            " 修改客户档案 "
        } else {
            " 新建客户档案 "
        };
        crate::ui::widgets::chrome::form_popup(area, buf, title, &ed.form)
    }
}
