//! The acceptance slip (受理回执) of a work order: filled from the order, printed through
//! the print layer. Every print is an audit entry; any print after the first is a reprint
//! and is marked 补打 with its number.
use super::{Service, ServiceResult, Session};
use crate::domain::role::Need;
use crate::print::{PrintOutcome, SlipView, render_slip};
use crate::service::Cx;
use crate::store::audit::{self, Changes, NewEntry};
use rusqlite::OptionalExtension;

const ACTION: &str = "order.print_slip";

impl Service {
    /// The slip as it would print now (the `reprint` number included).
    pub fn slip_view(&self, order_id: i64) -> ServiceResult<SlipView> {
        let o = self.order(order_id)?;
        let deadline = self.order_deadline(order_id)?;
        let station = self.require_station()?;
        let printed = audit::count_for(self.store().conn(), ACTION, "work_order", &o.tracking_no)?;
        let accepted_at = crate::domain::clock::from_db(&o.created_at).ok_or_else(|| {
            crate::store::StoreError::Corrupt(format!(
                "work_order {}: 不认识的受理时间“{}”",
                o.id, o.created_at
            ))
        })?;
        let conn = self.store().conn();
        // the area manager of the order's 台区, for the customer to call
        let area_manager: (String, String) = conn
            .query_row(
                "SELECT s.display_name, s.phone FROM work_order o
                   JOIN transformer_area a ON a.id = o.area_id
                   JOIN staff s ON s.id = a.manager_id AND s.active = 1
                  WHERE o.id = ?1",
                [o.id],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()
            .map_err(crate::store::StoreError::from)?
            .unwrap_or_default();
        // the capacity on file beside the new one a change request asks for
        let current_kva = match o.customer_id {
            Some(id) => crate::store::customers::by_id(conn, id)?
                .map(|c| c.contracted_kva)
                .unwrap_or_default(),
            None => String::new(),
        };
        let kind_label = match o.class {
            Some(c) => format!("{}（{}）", o.kind.label(), c.label()),
            None => o.kind.label().to_string(),
        };
        Ok(SlipView {
            station_name: station.name,
            station_phone: station.phone,
            tracking_no: o.tracking_no.clone(),
            accepted_at,
            customer_name: o.name.clone(),
            account_no: o.account_no.clone(),
            id_masked: o.id_masked.clone(),
            phone_masked: o.phone_masked.clone(),
            address: o.address.clone(),
            kind_label,
            request_text: request_text(
                &o.description,
                &crate::domain::file_change::FileChange::from_json(
                    &crate::store::orders::change_of(self.store().conn(), o.id)?,
                ),
                &current_kva,
                o.kind,
            ),
            documents_received: o
                .documents
                .iter()
                .filter(|d| d.received)
                .map(|d| d.doc.label().to_string())
                .collect(),
            documents_missing: o
                .missing_documents()
                .into_iter()
                .map(|d| d.label().to_string())
                .collect(),
            // promised dates as computed now (pauses and finished stages included)
            stages: deadline
                .plan
                .stages
                .iter()
                .map(|s| (s.stage.label().to_string(), s.due))
                .collect(),
            promised_completion: deadline.plan.whole_due,
            fees: o
                .fees
                .iter()
                .map(|f| {
                    (
                        f.item.clone(),
                        format!("{} 元", crate::domain::money::format_yuan(f.amount)),
                    )
                })
                .collect(),
            clerk: o.responsible_name.clone(),
            area_manager,
            fast_channel: o.fast_channel,
            reprint: u32::try_from(printed).unwrap_or(u32::MAX),
            paper: self.paper()?,
        })
    }

    /// Print the slip of an order (补打 from the second time on), audited.
    pub fn print_slip(&mut self, session: &Session, order_id: i64) -> ServiceResult<PrintOutcome> {
        let Cx {
            session,
            now,
            actor,
            ..
        } = self.begin(session, Need::Write)?;
        let view = self.slip_view(order_id)?;
        let stem = if view.reprint == 0 {
            format!("受理回执-{}", view.tracking_no)
        } else {
            format!("受理回执-{}-补打{}", view.tracking_no, view.reprint)
        };
        let printed = self.render_and_print(&stem, |f| render_slip(&view, f));
        let out = match printed {
            Ok(out) => out,
            Err(e) => {
                self.record_print_failure(&session, now, "work_order", &view.tracking_no, &e);
                return Err(e);
            }
        };
        let path = out.path.display().to_string();
        self.store_mut().write(|tx| -> ServiceResult<()> {
            audit::append(
                tx,
                NewEntry {
                    at: now,
                    actor: &actor,
                    action: ACTION,
                    entity: "work_order",
                    entity_id: &view.tracking_no,
                    changes: Changes::new()
                        .note("reprint", view.reprint)
                        .note("file", path.clone()),
                },
            )?;
            Ok(())
        })?;
        Ok(out)
    }
}

/// The request as printed: what was asked, then the new values it will put on the file.
fn request_text(
    description: &str,
    c: &crate::domain::file_change::FileChange,
    current_kva: &str,
    kind: crate::domain::work_order::RequestKind,
) -> String {
    let mut parts: Vec<String> = Vec::new();
    if !description.trim().is_empty() {
        parts.push(description.trim().to_string());
    }
    if let Some(n) = &c.name {
        parts.push(format!("新户名 {n}"));
    }
    if let Some(id) = &c.id_number {
        parts.push(format!("新证件 {}", crate::domain::idcheck::mask_id(id)));
    }
    if let Some(p) = &c.phone {
        parts.push(format!("新电话 {}", crate::domain::idcheck::mask_phone(p)));
    }
    if let Some(u) = c
        .usage
        .as_deref()
        .and_then(crate::domain::customer::UsageCategory::from_code)
    {
        parts.push(format!("新用电类别 {}", u.label()));
    }
    if let Some(k) = &c.contracted_kva {
        let now = current_kva.trim();
        if matches!(
            kind,
            crate::domain::work_order::RequestKind::NewConnection
                | crate::domain::work_order::RequestKind::Temporary
        ) {
            parts.push(format!("申请容量 {k} kVA"));
        } else if now.is_empty() || now == "0" || now == k {
            parts.push(format!("新合同容量 {k} kVA"));
        } else {
            parts.push(format!("合同容量 {now} kVA → {k} kVA"));
        }
    }
    parts.join("；")
}
