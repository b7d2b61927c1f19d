//! The rules of the work plan: everyone reads them, the chief fills in amounts, the number
//! N and the active flag, each changed field audited.
use rust_decimal::Decimal;

use super::{Service, ServiceError, ServiceResult, Session, store};
use crate::domain::assessment::Rule;
use crate::domain::money::{format_yuan, parse_yuan, to_fen};
use crate::domain::role::Need;
use crate::service::Cx;
use crate::store::audit::{self, Changes, NewEntry};

/// What the chief typed for a rule. An empty amount means "not set".
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RuleInput {
    /// 元 per unit for residential customers, e.g. `50` or `50.00`
    pub amount_residential: String,
    /// 元 per unit for all other customers
    pub amount_other: String,
    /// the rule's number N (working days); ignored by rules that do not use one
    pub param: String,
    pub active: bool,
}

impl RuleInput {
    /// The rule's current values as the form starts with them.
    pub fn of(rule: &Rule) -> RuleInput {
        let text = |a: Option<Decimal>| a.map(format_yuan).unwrap_or_default();
        RuleInput {
            amount_residential: text(rule.amount_residential),
            amount_other: text(rule.amount_other),
            param: rule.param.to_string(),
            active: rule.active,
        }
    }
}

fn amount(input: &str, field: &'static str) -> ServiceResult<Option<Decimal>> {
    if input.trim().is_empty() {
        return Ok(None);
    }
    let v = parse_yuan(input).map_err(|m| ServiceError::invalid(field, m))?;
    if v.is_sign_negative() && !v.is_zero() {
        return Err(ServiceError::invalid(field, "考核金额不能为负数"));
    }
    Ok(Some(v))
}

fn amount_text(a: Option<Decimal>) -> String {
    a.map(format_yuan).unwrap_or_else(|| "未设".into())
}

impl Service {
    /// All rules in the work plan's order.
    pub fn assessment_rules(&self) -> ServiceResult<Vec<Rule>> {
        Ok(store::rules(self.store().conn())?)
    }

    /// Change a rule (chief only); every changed field is audited with its old and new
    /// value. When an amount is set where there was none, the rule's pending entries of
    /// that customer class that were recorded without an amount get it (counted in the
    /// same audit entry). Returns the stored rule.
    pub fn update_assessment_rule(
        &mut self,
        session: &Session,
        rule_id: i64,
        input: &RuleInput,
    ) -> ServiceResult<Rule> {
        let Cx {
            session,
            now,
            at,
            actor,
        } = self.begin_to(session, Need::Chief, "修改考核规则")?;
        let residential = amount(&input.amount_residential, "amount_residential")?;
        let other = amount(&input.amount_other, "amount_other")?;
        self.store_mut().write(|tx| -> ServiceResult<()> {
            let old = store::rule(tx, rule_id)?
                .ok_or_else(|| ServiceError::NotFound("该考核规则".into()))?;
            let param = if old.trigger.uses_param() {
                let p = input.param.trim();
                let n: i64 = p
                    .parse()
                    .map_err(|_| ServiceError::invalid("param", "请填 0–365 的整数（工作日）"))?;
                if !(0..=365).contains(&n) {
                    return Err(ServiceError::invalid(
                        "param",
                        "请填 0–365 的整数（工作日）",
                    ));
                }
                n
            } else {
                old.param
            };
            let new = Rule {
                param,
                amount_residential: residential,
                amount_other: other,
                active: input.active,
                ..old.clone()
            };
            if new == old {
                return Ok(());
            }
            let mut ch = Changes::new().note("item", old.item.clone());
            if new.amount_residential != old.amount_residential {
                ch = ch.field(
                    "amount_residential",
                    amount_text(old.amount_residential),
                    amount_text(new.amount_residential),
                );
            }
            if new.amount_other != old.amount_other {
                ch = ch.field(
                    "amount_other",
                    amount_text(old.amount_other),
                    amount_text(new.amount_other),
                );
            }
            if new.param != old.param {
                ch = ch.field("trigger_param", old.param, new.param);
            }
            if new.active != old.active {
                ch = ch.field("active", old.active, new.active);
            }
            store::update_rule(tx, &new, &at, session.staff_id)?;
            let mut priced = 0usize;
            for (is_res, was, now_set) in [
                (true, old.amount_residential, new.amount_residential),
                (false, old.amount_other, new.amount_other),
            ] {
                if let (None, Some(a)) = (was, now_set) {
                    let fen = to_fen(a)
                        .ok_or_else(|| ServiceError::invalid("amount_other", "金额超出范围"))?;
                    priced += store::price_unset(tx, rule_id, is_res, fen)?;
                }
            }
            if priced > 0 {
                ch = ch.note("entries_priced", priced);
            }
            audit::append(
                tx,
                NewEntry {
                    at: now,
                    actor: &actor,
                    action: "assessment.rule_update",
                    entity: "assessment_rule",
                    entity_id: &old.code,
                    changes: ch,
                },
            )?;
            Ok(())
        })?;
        store::rule(self.store().conn(), rule_id)?
            .ok_or_else(|| ServiceError::NotFound("该考核规则".into()))
    }
}
