//! Duplicate detection for Passage: the foundations.
//!
//! A person registered twice is paid twice and counted twice; a child re-registered
//! under a new name disappears from their case. This crate finds the same person across
//! spellings and scripts: Mohammed, Muhammad, Mohd and "محمد" are one name; "حسين" has no
//! written short vowels; given and family names swap; parts go missing.
//!
//! # Invariants
//!
//! - **Pure.** No I/O, no async, never reads the clock, no randomness
//!   ([`em`] samples pairs with a seeded generator). Callers hand in
//!   strings and records; functions hand back values.
//! - **Deterministic.** The same input gives the same keys and levels, on every machine
//!   and every run (no hash-order dependence in any output).
//! - **Data in the repository.** Transliteration tables, particles and variant classes
//!   are text files in `data/`, compiled in with `include_str!`, reviewed like code.
//!   [`data::check`] parses them strictly; the tests fail on a malformed line.
//! - **Storage keeps what was typed** (NFC, [`normalise::for_storage`]); everything
//!   else here is a key derived from it and never stored as the name.
//!
//! # Pipeline
//!
//! raw name → [`normalise::key_text`] (NFKC, case folding, separators, Arabic letter
//! variants) → [`translit`] (Latin ASCII per word, per script) → [`particles`] (drop
//! honorifics, join "Abdul Rahman") → [`keys::Token`] (skeleton, variant class, key) →
//! [`name::Name`]. Records give [`keys::blocking_keys`]; pairs of names give a
//! [`compare::NameLevel`] with an explanation.
//!
//! # Modules
//!
//! - [`normalise`]: NFC for storage; the key form of a name.
//! - [`script`]: the dominant script of a string.
//! - [`translit`]: to Latin: any_ascii, plus our tables for Arabic script, Bengali and
//!   Burmese.
//! - [`particles`]: honorifics, articles, compound prefixes (`data/particles.txt`).
//! - [`variants`]: name-variant classes (`data/variants.txt`).
//! - [`keys`]: consonant skeleton (rules documented there), Double Metaphone, token keys,
//!   [`keys::NameRecord`] and its blocking keys.
//! - [`name`]: a name prepared for matching.
//! - [`compare`]: name comparison levels.
//! - [`field_levels`]: the comparison level of each field of a pair, with explanations.
//! - [`score`]: candidates, fields, Fellegi–Sunter weights, name and place frequency
//!   adjustments, scores with explanations.
//! - [`em`]: u from seeded random pairs, m and λ by EM, name-token frequencies.
//! - [`data`]: the data files and their checker.
//! - [`prepare`]: a person's fields as any source has them, prepared once: the
//!   candidate and its hashed blocking keys.
//! - [`index`]: the live candidate index a server keeps current on every write.
//! - [`batch`]: deduplication of a whole population: blocking, training, scoring,
//!   clustering, on every core.
//! - [`cluster`]: complete-linkage clusters that do not chain.

/// `format!` when `$explain` is set, else an empty string: the arguments are not even
/// evaluated. Levels never depend on it; only explanations do.
macro_rules! say {
    ($explain:expr, $($arg:tt)*) => {
        if $explain { format!($($arg)*) } else { String::new() }
    };
}

pub mod batch;
pub mod cluster;
pub mod compare;
pub mod data;
pub mod em;
pub mod field_levels;
pub mod index;
pub mod keys;
pub mod name;
pub mod normalise;
pub mod particles;
pub mod prepare;
pub mod score;
pub mod script;
pub mod translit;
pub mod variants;

pub use compare::{NameComparison, NameLevel, compare, compare_names};
pub use em::{NameFrequencies, SplitMix64, estimate_m, estimate_u};
pub use index::{Found, Index};
pub use keys::{BlockKey, NameRecord, blocking_keys, skeleton};
pub use name::Name;
pub use prepare::{PersonFields, Prepared, prepare};
pub use score::{BirthDate, Candidate, Field, FieldContribution, Model, Scored, Sex, Weights};
pub use script::Script;
