//! Printing: view models rendered to PDF, written to the print folder, sent to a printer.
//!
//! The pipeline: a view model (pure data, e.g. [`TestPageView`]) → a render function that
//! lays it out on a [`Doc`] → PDF bytes (fonts subset and embedded) → a [`Printer`]
//! ([`FolderPrinter`] in tests, [`SystemPrinter`] at the counter). See `docs/printing.md`.

mod assessment;
mod audit_report;
mod case_docs;
mod collection_docs;
mod day_end;
mod error;
pub mod font;
mod key_sheet;
mod layout;
mod money_views;
mod pairs;
mod paper;
mod pdf;
mod printer;
mod receipt;
mod rotation_list;
mod rules;
mod slip;
mod style;
mod swap_slip;
mod system;
mod table;
mod test_page;
mod wrap;

pub use assessment::{
    ASSESSMENT_SIGNATURE_LINE, AssessmentDetailLine, AssessmentSummaryView,
    render_assessment_summary,
};
pub use audit_report::{
    AUDIT_REPORT_SIGNATURE_LINE, AuditReportView, FindingLine, render_audit_report,
};
pub use case_docs::{
    CASE_REPORT_TITLE, CaseReportView, DUTY_LOG_TITLE, DutyLine, DutyLogView, render_case_report,
    render_duty_log,
};
pub use collection_docs::{
    DISCONNECT_TITLE, DisconnectNoticeView, NoticeBill, NoticeCustomer, REMINDER_TITLE,
    ReminderView, render_disconnect_notice, render_reminders,
};
pub use day_end::{
    CASHIER_SIGNATURE, CHIEF_SIGNATURE, DAY_END_DATE_FORMAT, DAY_END_TITLE, audit_head_line,
    batch_word, difference_wording, render_day_end,
};
pub use error::PrintError;
pub use font::{FontFace, FontSet, MM_PER_PT, stand_in, stand_in_note};
pub use key_sheet::{KEY_SHEET_TITLE, KeySheetView, render_key_sheet};
pub use layout::{Doc, line_height_mm};
pub use money_views::{
    DayEndItem, DayEndView, Denomination, MethodTotal, ReceiptLine, ReceiptView, VoidMark,
};
pub use paper::{Margins, Paper};
pub use printer::{
    FolderPrinter, PrintJob, PrintOutcome, Printer, SystemPrinter, sanitize_stem, write_file_at,
};
pub use receipt::{
    ANCHOR_CHARS, CAPITAL_PREFIX, RECEIPT_DATE_TIME_FORMAT, RECEIPT_TITLE, REVERSAL_TITLE,
    VOID_MARK, VOID_NOTE, anchor_line, capital_line, render_receipt, yuan_figure,
};
pub use rotation_list::{WORK_LIST_TITLE, WorkLine, WorkListView, render_work_list};
pub use slip::{
    DATE_PENDING, SIGNATURE_DATE_LINE, SIGNATURE_LINE, SLIP_DATE_FORMAT, SLIP_DATE_TIME_FORMAT,
    SlipView, render_slip, reprint_mark,
};
pub use style::{Align, TextStyle};
pub use swap_slip::{SWAP_SLIP_TITLE, SwapSlipView, render_swap_slip};
pub use system::send_to_printer;
pub use table::{Column, Table};
pub use test_page::{
    DATE_TIME_FORMAT, MIXED_LINE, RARE_LINE, TestPageView, render_test_page, render_test_page_with,
};
pub use wrap::wrap_text;
