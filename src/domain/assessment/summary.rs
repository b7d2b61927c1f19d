//! The month's summary: confirmed entries summed per person and per item (pending and
//! waived ones counted apart), for the summary screen and its printed form.
use std::collections::BTreeMap;

use rust_decimal::Decimal;

use super::*;

/// Number and amount of entries.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Tally {
    pub count: u32,
    pub amount: Decimal,
}

impl Tally {
    fn add(&mut self, amount: Decimal) {
        self.count += 1;
        self.amount += amount;
    }
}

/// One person's month: entries by state; the confirmed amount is what counts.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PersonSummary {
    pub staff_id: i64,
    pub staff_name: String,
    pub pending: Tally,
    pub confirmed: Tally,
    pub waived: Tally,
    /// entries (any state) whose rule had no amount
    pub amount_unset: u32,
}

impl PersonSummary {
    pub fn entries(&self) -> u32 {
        self.pending.count + self.confirmed.count + self.waived.count
    }
}

/// What the summary needs of one entry.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SummaryItem<'a> {
    pub staff_id: i64,
    pub staff_name: &'a str,
    pub state: EntryState,
    pub amount: Decimal,
    pub amount_unset: bool,
}

/// Per person (in staff order) and the total line (`staff_id` 0, named 合计).
pub fn summarize<'a>(
    items: impl IntoIterator<Item = SummaryItem<'a>>,
) -> (Vec<PersonSummary>, PersonSummary) {
    let mut people: BTreeMap<i64, PersonSummary> = BTreeMap::new();
    let mut total = PersonSummary {
        staff_name: "合计".into(),
        ..Default::default()
    };
    for it in items {
        let p = people.entry(it.staff_id).or_insert_with(|| PersonSummary {
            staff_id: it.staff_id,
            staff_name: it.staff_name.to_string(),
            ..Default::default()
        });
        for s in [&mut *p, &mut total] {
            match it.state {
                EntryState::Pending => s.pending.add(it.amount),
                EntryState::Confirmed => s.confirmed.add(it.amount),
                EntryState::Waived => s.waived.add(it.amount),
            }
            if it.amount_unset {
                s.amount_unset += 1;
            }
        }
    }
    (people.into_values().collect(), total)
}
