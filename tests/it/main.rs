//! The integration tests, in one binary (one link instead of one per file): workflow tests
//! through `service`, whole-app UI tests with snapshots (`snapshots/it__<module>__*.snap`),
//! PDF text tests, and the command line and multi-process tests that run
//! `CARGO_BIN_EXE_stationdesk` or this test binary itself as a child (see `common::child_test`).
mod common;

mod areas;
mod assessment;
mod audit_views;
mod auditor;
mod auth;
mod backup;
mod billing_import;
mod calendar;
mod cases;
mod cli;
mod collection;
mod customers;
mod damaged;
mod day_end;
mod deadlines;
mod demo_billing;
mod fuzz;
mod handover;
mod meters;
mod orders;
mod payment_check;
mod payment_corrections;
mod payment_crash;
mod payments;
mod print_money;
mod print_pdf;
mod print_receipt;
mod print_slip;
mod readings;
mod receipt_numbers;
mod reports;
mod rotation;
mod search;
mod settings;
mod slips;
mod store;
mod tamper;
mod two_processes;
mod ui;
mod ui_assessment;
mod ui_audit;
mod ui_cases;
mod ui_deadlines;
mod ui_handover;
mod ui_meters;
mod ui_payments;
mod ui_readings;
mod ui_reports;
