//! stationdesk: the service counter of a rural power-supply station (供电所营业厅).
//!
//! Layers (dependencies point one way): `ui → service → (domain, store, print, export)`,
//! `export → print`,
//! `store → domain`. `domain` is pure: no SQL, no terminal, no clock reads, no I/O.
#![cfg_attr(not(test), deny(clippy::unwrap_used, clippy::expect_used))]

pub mod bench;
pub mod demo;
pub mod domain;
pub mod export;
pub mod platform;
pub mod print;
pub mod service;
pub mod store;
pub mod ui;
