//! Voiding (作废) or reversing (红冲) a receipt at the counter: the form asks the reason and
//! the chief's user name and password, then one confirm with the number, the customer and
//! the amount; the service's refusal (a wrong password, say) lands next to its field and
//! the form keeps what was typed.
use chrono::NaiveDate;
use ratatui::buffer::Buffer;
use ratatui::layout::{Position, Rect};

use crate::domain::money;
use crate::service::payments::{ReceiptSummary, cashier_check};
use crate::service::{Service, Session};
use crate::ui::keymap::{self, Action, Context};
use crate::ui::msg::{Confirm, Msg};
use crate::ui::screen::Op;
use crate::ui::screens::pay_text::{capital_text, printed_text};
use crate::ui::widgets::field::{Form, TextField};

/// A confirmed void or reversal of the receipt `receipt_id`.
#[derive(Debug)]
pub enum UndoOp {
    Void { receipt_id: i64 },
    Reverse { receipt_id: i64 },
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Undo {
    Void,
    Reverse,
}

impl Undo {
    pub fn label(self) -> &'static str {
        match self {
            Undo::Void => "作废",
            Undo::Reverse => "红冲",
        }
    }
}

pub struct UndoForm {
    pub undo: Undo,
    pub receipt: ReceiptSummary,
    pub form: Form,
}

impl UndoForm {
    /// The form for `r`, or why it cannot be voided/reversed (checked again by the
    /// service: this only spares the chief typing a password for nothing).
    pub fn open(
        session: &Session,
        r: &ReceiptSummary,
        today: NaiveDate,
        undo: Undo,
    ) -> Result<UndoForm, Msg> {
        cashier_check(session).map_err(|e| Msg::warn(e.message()))?;
        let refused = if r.voided {
            Some(format!("收据 {} 已作废", r.receipt_no))
        } else if let Some(orig) = &r.reverses {
            Some(format!(
                "收据 {} 是冲 {orig} 的红冲收据，不能再{}",
                r.receipt_no,
                undo.label()
            ))
        } else if let Some(rev) = &r.reversed_by {
            Some(format!("收据 {} 已由 {rev} 红冲", r.receipt_no))
        } else if undo == Undo::Void && r.business_date != today {
            Some(format!(
                "只能作废当天的收据：{} 开具于 {}，请按 {} 红冲",
                r.receipt_no,
                r.business_date,
                keymap::key_label(Context::Receipts, Action::ReverseReceipt)
            ))
        } else {
            None
        };
        if let Some(m) = refused {
            return Err(Msg::warn(m));
        }
        let reason = match undo {
            Undo::Void => "作废原因",
            Undo::Reverse => "红冲原因",
        };
        let form = Form::new(vec![
            TextField::new("reason", reason)
                .required()
                .max(200)
                .hint("如：金额录错、客户退款"),
            TextField::new("chief_username", "所长用户名")
                .required()
                .max(20)
                .hint("由所长本人在柜台输入"),
            TextField::new("chief_password", "所长密码")
                .required()
                .masked()
                .max(64),
        ]);
        Ok(UndoForm {
            undo,
            receipt: r.clone(),
            form,
        })
    }

    /// Enter on the last field: nothing may be left empty, the chief's user name and
    /// password are checked, then one confirm with the number, the customer and the amount.
    pub fn confirm(&mut self, svc: &mut Service, session: &Session) -> Option<Msg> {
        let (undo, r, form) = (self.undo, &self.receipt, &mut self.form);
        form.clear_errors();
        for (key, what) in [
            ("reason", format!("请填写{}原因", undo.label())),
            ("chief_username", "请所长输入用户名".to_string()),
            ("chief_password", "请所长输入密码".to_string()),
        ] {
            if form.value(key).trim().is_empty() {
                form.set_error(key, what);
                return None;
            }
        }
        // the password before the question, not after it
        if let Err(e) = svc.check_chief_approval(
            session,
            form.value("chief_username"),
            form.value("chief_password"),
            match undo {
                Undo::Void => "payment.void",
                Undo::Reverse => "payment.reverse",
            },
        ) {
            return form.place_error(&e);
        }
        let id = r.receipt_id;
        let (op, after) = match undo {
            Undo::Void => (
                UndoOp::Void { receipt_id: id },
                "作废后号码保留并标记作废，所付账单重新计为欠费。",
            ),
            Undo::Reverse => (
                UndoOp::Reverse { receipt_id: id },
                "将开具一张负数的红冲收据并打印，原收据保留。",
            ),
        };
        Some(Msg::Confirm(Confirm {
            title: format!("{}收据", undo.label()),
            lines: vec![
                format!("{}收据 {}？", undo.label(), r.receipt_no),
                format!("客户：{}", r.payer),
                format!(
                    "金额：{} 元（{}）",
                    money::format_yuan_grouped(r.amount),
                    capital_text(r.amount)
                ),
                format!("原因：{}", form.value("reason").trim()),
                after.into(),
            ],
            on_yes: Op::new(op),
        }))
    }

    /// The confirmed void or reversal with what the form holds: the message and, for a
    /// reversal, the new receipt's number (printed at once). `Err`: the form stays, with
    /// the refusal next to its field (or the message for the status line).
    pub fn run(
        &mut self,
        svc: &mut Service,
        session: &Session,
        op: &Op,
    ) -> Result<(Msg, Option<String>), Option<Msg>> {
        let reason = self.form.value("reason").to_string();
        let user = self.form.value("chief_username").to_string();
        let pw = self.form.value("chief_password").to_string();
        let no = self.receipt.receipt_no.clone();
        let Some(op) = op.get::<UndoOp>() else {
            return Err(None);
        };
        let said = match op {
            UndoOp::Void { receipt_id } => svc
                .void_receipt(session, *receipt_id, &user, &pw, &reason)
                .map(|_| {
                    let m = Msg::info(format!(
                        "收据 {no} 已作废，号码保留，所付账单重计欠费（{} 打印作废联）",
                        keymap::key_label(Context::Receipts, Action::ReprintReceipt)
                    ));
                    (m, None)
                }),
            UndoOp::Reverse { receipt_id } => svc
                .reverse_receipt(session, *receipt_id, &user, &pw, &reason)
                .map(|done| {
                    let amount = money::format_yuan_grouped(done.amount);
                    let m = match svc.print_receipt(session, done.receipt_id, false) {
                        Ok(out) => Msg::info(format!(
                            "已红冲：红冲收据 {} {amount} 元，已打印（{}）",
                            done.receipt_no,
                            printed_text(&out)
                        )),
                        Err(e) => Msg::error(format!(
                            "已红冲：红冲收据 {} {amount} 元，但未能打印：{}（选中后按 {} 补打）",
                            done.receipt_no,
                            e.message(),
                            keymap::key_label(Context::Receipts, Action::ReprintReceipt)
                        )),
                    };
                    (m, Some(done.receipt_no))
                }),
        };
        said.map_err(|e| self.form.place_error(&e))
    }

    pub fn render(&self, area: Rect, buf: &mut Buffer) -> Option<Position> {
        let r = &self.receipt;
        let lines = vec![format!(
            "{} · {} · {} 元",
            r.receipt_no,
            r.payer,
            money::format_yuan_grouped(r.amount)
        )];
        let title = match self.undo {
            Undo::Void => " 作废收据（所长审批） ",
            Undo::Reverse => " 红冲收据（所长审批） ",
        };
        crate::ui::widgets::modal::render(area, buf, title, &self.form, &lines)
    }
}
crate::has_form!(UndoForm);
