//! The deadline board and what assessment reads from it: every open order ranked by
//! urgency, the counts of the status bar, and the 业扩 orders measured against their
//! promises. Nothing here is stored: it is computed from the cached rows on each call, so
//! it can't disagree with the order page.
use super::*;

impl Service {
    /// The deadline board: open orders with a limit, most urgent first (overdue — the most
    /// overdue first —, due today, at risk, on track, paused), then by promised date.
    pub fn deadline_board(&self, filter: &DeadlineFilter) -> ServiceResult<DeadlineBoard> {
        let rows = self.clock_rows()?;
        let rules = self.deadline_rules()?;
        let cal = self.work_calendar()?;
        let now = self.now();
        let mut board = DeadlineBoard::default();
        for row in rows.iter().filter(|r| r.state == OrderState::Open) {
            let holder_id = row.dispatched_to.unwrap_or(row.responsible_id);
            if filter
                .staff_id
                .is_some_and(|s| s != holder_id && s != row.responsible_id)
                || filter.area_id.is_some_and(|a| Some(a) != row.area_id)
                || filter.class.is_some_and(|c| Some(c) != row.class)
            {
                continue;
            }
            let c = compute(&rules, &cal, row, now);
            if c.urgency == Urgency::None {
                continue;
            }
            match c.urgency {
                Urgency::Overdue { .. } => board.counts.overdue += 1,
                Urgency::DueToday { .. } => board.counts.due_today += 1,
                Urgency::AtRisk { .. } | Urgency::AtRiskHours { .. } => board.counts.at_risk += 1,
                Urgency::Paused => board.counts.paused += 1,
                _ => {}
            }
            if filter.urgent_only && c.urgency.rank() > 2 {
                continue;
            }
            let current = c.plan.current().copied();
            if let Some(y) = current
                .and_then(|s| s.due)
                .map(|d| chrono::Datelike::year(&d))
                .filter(|y| !cal.knows_year(*y) && !board.calendar_missing.contains(y))
            {
                board.calendar_missing.push(y);
            }
            board.rows.push(DeadlineRow {
                order_id: row.id,
                tracking_no: row.tracking_no.clone(),
                kind: row.kind,
                class: row.class,
                name: row.name.clone(),
                area_id: row.area_id,
                area_name: row.area_name.clone(),
                holder_id,
                holder_name: row
                    .dispatched_name
                    .clone()
                    .unwrap_or_else(|| row.responsible_name.clone()),
                stage: current.map(|s| s.stage),
                due: current.and_then(|s| s.due),
                whole_due: c.plan.whole_due,
                urgency: c.urgency,
                warning_percent: c.warn_level,
                fast_channel: row.fast_channel,
            });
        }
        board
            .rows
            .sort_by_key(|r| (r.urgency.sort_key(), r.due, r.order_id));
        Ok(board)
    }

    /// Counts for the status bar: overdue, due today, at risk, paused.
    pub fn deadline_counts(&self) -> ServiceResult<DeadlineCounts> {
        Ok(self
            .deadline_board(&DeadlineFilter {
                urgent_only: true,
                ..DeadlineFilter::default()
            })?
            .counts)
    }

    /// The 业扩 orders open or finished in the last two months measured against
    /// their promises — what assessment (考核) is triggered by: the whole process of every
    /// order, and for high voltage each supplier stage too (a high-voltage job is on time
    /// only when every supplier stage is). Low-voltage stages are not assessed one by one,
    /// so a late survey on a low-voltage job is not counted twice.
    pub fn late_stages(&self) -> ServiceResult<Vec<DeadlineFact>> {
        let now = self.now();
        let today = now.date();
        let rows = self.clock_rows()?;
        let rules = self.deadline_rules()?;
        let cal = self.work_calendar()?;
        let mut out = Vec::new();
        for row in rows.iter().filter(|r| dl::is_connection_kind(r.kind)) {
            let c = compute(&rules, &cal, row, now);
            let holder_id = row.dispatched_to.unwrap_or(row.responsible_id);
            let fact = |stage: String, label: String, due: NaiveDate, done: Option<NaiveDate>| {
                let end = done.unwrap_or(today);
                DeadlineFact {
                    order_id: row.id,
                    tracking_no: row.tracking_no.clone(),
                    stage,
                    stage_label: label,
                    residential: row.residential,
                    holder_id,
                    due,
                    done,
                    overdue_days: i64::from(cal.working_days_between(due, end, &c.pauses)),
                }
            };
            let hv = row.class.is_some_and(ConnectionClass::is_high_voltage);
            for s in &c.plan.stages {
                if !hv || matches!(s.stage, Stage::Accept | Stage::Archive | Stage::Contract) {
                    continue;
                }
                if let Some(due) = s.due
                    && (row.state == OrderState::Open || s.done.is_some())
                {
                    {
                        out.push(fact(
                            s.stage.code().into(),
                            s.stage.label().into(),
                            due,
                            s.done,
                        ));
                    }
                }
            }
            if let Some(due) = c.plan.whole_due {
                out.push(fact(
                    WHOLE_PROCESS.into(),
                    "全过程".into(),
                    due,
                    c.plan.completed_on(),
                ));
            }
        }
        Ok(out)
    }

    /// 故障换表 orders whose 换表 stage went past its limit (done late, or still open past it):
    /// the facts of the faulty-meter rule (issue 13).
    pub fn late_fault_swaps(&self) -> ServiceResult<Vec<DeadlineFact>> {
        let now = self.now();
        let today = now.date();
        let rows = self.clock_rows()?;
        let rules = self.deadline_rules()?;
        let cal = self.work_calendar()?;
        let mut out = Vec::new();
        for row in rows
            .iter()
            .filter(|r| r.kind == crate::domain::work_order::RequestKind::FaultyMeter)
        {
            let c = compute(&rules, &cal, row, now);
            for s in c.plan.stages.iter().filter(|s| s.stage == Stage::MeterSwap) {
                let Some(due) = s.due else { continue };
                if row.state != OrderState::Open && s.done.is_none() {
                    continue;
                }
                let end = s.done.unwrap_or(today);
                let overdue = i64::from(cal.working_days_between(due, end, &c.pauses));
                if overdue > 0 {
                    out.push(DeadlineFact {
                        order_id: row.id,
                        tracking_no: row.tracking_no.clone(),
                        stage: s.stage.code().into(),
                        stage_label: s.stage.label().into(),
                        residential: row.residential,
                        holder_id: row.dispatched_to.unwrap_or(row.responsible_id),
                        due,
                        done: s.done,
                        overdue_days: overdue,
                    });
                }
            }
        }
        Ok(out)
    }

    /// Run the assessment triggers on the deadlines of the last two months: at start-up and
    /// after every change that can make something late. Idempotent (one entry per order,
    /// stage and rule, however often it runs); returns the entries created.
    pub fn check_assessment(&mut self) -> ServiceResult<usize> {
        let facts = self.late_stages()?;
        self.run_assessment_check(&facts)
    }
}
