//! Statistical disclosure control for what Passage publishes about people.
//!
//! Passage publishes counts: registrations by site, nationality, sex and age, for
//! planning and for donors. The people counted are often in danger from whoever might
//! read those numbers, and a count of two 70-year-old women from one country at one
//! site names them to anyone who knows the site. This crate decides what can be
//! published: which cells of a table are hidden so that none of the hidden ones can be
//! worked out from the rest, and whether a row-per-person export is k-anonymous.
//!
//! # Invariants
//!
//! - **Pure.** No I/O, no async, no clock, no randomness. Tables in, tables out.
//! - **Deterministic.** The same table and policy suppress the same cells, on every
//!   machine and every run.
//! - **What is published is all that is kept.** A [`disclosure::Protected`] table holds
//!   published numbers and suppression marks, never the counts it hides.
//! - **Audited, not trusted.** [`audit::determined`] checks a protected table from
//!   its published numbers alone; the tests run it on every table they protect.
//!
//! # Modules
//!
//! - [`table`]: count tables over named dimensions, and their margins.
//! - [`disclosure`]: primary and secondary suppression of a table and all its margins
//!   (hypercube method), optional rounding.
//! - [`audit`]: which suppressed cells the published numbers determine exactly.
//! - [`kanon`]: k-anonymity check for microdata exports.
//! - [`population`]: the registered population as packed rows in memory, counted by
//!   any breakdown in one pass.
//! - `lattice`, `hypercube`: the table with its margins as one table, and the
//!   suppression patterns that hide a cell in it.

mod hypercube;
mod lattice;

pub mod audit;
pub mod disclosure;
pub mod export;
pub mod kanon;
pub mod population;
pub mod table;

pub use audit::{AuditError, Determined, determined};
pub use disclosure::{Cell, Policy, Protected, PublishedMargin, protect};
pub use kanon::{RareCombination, TooRare};
pub use table::{Dimension, Table, TableError};
