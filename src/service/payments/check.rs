//! Checking a payment before the confirm dialog: everything [`Service::take_payment`]
//! refuses is refused here first, without writing, so the clerk sees the message next to
//! the field instead of after confirming.
use super::lines::receipt_lines;
use super::plan::{check_cap, plan_payment};
use super::take::{PaymentPreview, PaymentRequest, cash_tendered, check_reference};
use super::{positive_amount, yuan};
use crate::domain::role::Need;
use crate::service::Cx;
use crate::service::{Service, ServiceResult, Session};

/// Whether `session` may take payments (a clerk or the chief); the screens ask before
/// opening the payment form.
pub fn cashier_check(session: &Session) -> ServiceResult<()> {
    session.check(Need::Cashier)
}

impl Service {
    /// Whether the signed-in cashier may take money today: always, now that a day end
    /// can be followed by a second closing (第二次日结); the payments after a closing go
    /// into the next one. Kept so the screens ask in one place.
    pub fn check_day_open(&self, session: &Session) -> ServiceResult<()> {
        self.begin(session, Need::Read).map(|_| ())
    }

    /// What `req` would do, checked as [`Service::take_payment`] checks it (role, the day
    /// not closed yet, amount, the method's reference, the cash handed over, what may be
    /// received), nothing written. The request key is not looked at.
    pub fn check_payment(
        &self,
        session: &Session,
        req: &PaymentRequest,
    ) -> ServiceResult<PaymentPreview> {
        let Cx { session, .. } = self.begin(session, Need::Cashier)?;
        self.check_day_open(&session)?;
        let amount_fen = positive_amount(req.amount, "amount", "收款金额")?;
        check_reference(req.method, &req.reference)?;
        let (_, change) = cash_tendered(req.method, req.tendered, amount_fen)?;
        let rules = self.billing_rules()?;
        super::within_limit(req.amount, &rules)?;
        let today = self.clock.today();
        let planned = plan_payment(self.store.conn(), req.payer, req.amount, today, &rules)?;
        check_cap(&planned, req.amount)?;
        Ok(PaymentPreview {
            account_no: planned.account_no.clone(),
            name: planned.name.clone(),
            lines: receipt_lines(&planned.rows()?, today)?,
            change: change.map(yuan),
            prepaid_used: planned.plan.prepaid_used(),
            prepaid_added: planned.plan.prepaid_added(),
            prepaid_after: planned.prepaid_after(),
            arrears_after: planned.arrears_after(),
        })
    }
}
