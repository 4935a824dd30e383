//! Care after arrival: shelter units and their occupancy ([`shelter`]), the proposal of who
//! sleeps where for an arriving group ([`allocation`]), assistance programmes, who is
//! entitled and how often ([`assistance`]), rescues, shipwrecks, deaths and disappearances
//! at sea or on the way ([`incident`]), anonymous counts of people passing a monitoring
//! point ([`flow`]), and the search for missing relatives ([`tracing`]).
//!
//! Pure like the rest of the domain: what depends on the date takes it as a parameter, and
//! occupancy is always computed from stays, never typed in.

pub mod allocation;
pub mod assistance;
pub mod flow;
pub mod incident;
pub mod records;
pub mod shelter;
pub mod tracing;
