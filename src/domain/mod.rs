//! Pure business rules: no rusqlite, no ratatui, no clock reads, no I/O.
pub mod assessment;
pub mod billing;
pub mod calendar;
pub mod capital;
pub mod clock;
pub mod customer;
pub mod customer_file;
pub mod deadline;
pub mod file_change;
pub mod idcheck;
pub mod money;
pub mod pinyin;
pub mod role;
pub mod search;
pub mod settings;
pub mod validate;
pub mod work_order;
