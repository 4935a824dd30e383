//! The live candidate index: every known person, prepared, found by blocking key.
//!
//! A registration asks for the people most like the one being registered
//! ([`Index::candidates`]); every write keeps the index current ([`Index::upsert`],
//! [`Index::remove`]). The index holds no lock of its own: the server keeps it behind
//! a read-write lock, so a query sees one consistent state.
//!
//! # Invariants
//!
//! - An id is in the index at most once; [`Index::upsert`] replaces its record and
//!   keys.
//! - A posting list longer than [`MAX_LIVE_BLOCK`] is not read at query time (a key
//!   that common, "Mohammed" alone, says nothing); the record's other keys still find
//!   it. At most about [`MAX_SCORED`] persons are scored per query, most specific keys
//!   first.
//! - The scores returned are [`Model::score`]'s, explanations included; ranking uses
//!   [`Model::total`], which gives the same totals.

use std::collections::HashMap;
use std::hash::Hash;

use crate::prepare::Prepared;
use crate::score::{Adjustment, Candidate, Model, Scored};

/// Posting lists longer than this are skipped at query time.
pub const MAX_LIVE_BLOCK: usize = 2_000;

/// Persons scored for one query at most: posting lists are read shortest (most
/// specific key) first, and a list that would pass this is left out (the first one
/// always counts). Keeps the slowest registrations fast when a name is common.
pub const MAX_SCORED: usize = 1_000;

#[derive(Debug, Clone)]
struct Entry<Id> {
    id: Id,
    candidate: Candidate,
    keys: Vec<u64>,
    adjustment: Adjustment,
}

/// A person found for a probe, with the score and its explanation.
#[derive(Debug, Clone, PartialEq)]
pub struct Found<Id> {
    pub id: Id,
    pub scored: Scored,
}

/// The live index over persons identified by `Id`.
#[derive(Debug, Clone)]
pub struct Index<Id> {
    model: Model,
    entries: Vec<Option<Entry<Id>>>,
    free: Vec<u32>,
    postings: HashMap<u64, Vec<u32>>,
    by_id: HashMap<Id, u32>,
}

impl<Id: Clone + Eq + Hash> Index<Id> {
    pub fn new(model: Model) -> Self {
        Self {
            model,
            entries: Vec::new(),
            free: Vec::new(),
            postings: HashMap::new(),
            by_id: HashMap::new(),
        }
    }

    pub fn model(&self) -> &Model {
        &self.model
    }

    /// The number of persons in the index.
    pub fn len(&self) -> usize {
        self.by_id.len()
    }

    pub fn is_empty(&self) -> bool {
        self.by_id.is_empty()
    }

    pub fn contains(&self, id: &Id) -> bool {
        self.by_id.contains_key(id)
    }

    /// Adds a person, or replaces what the index knew of them.
    pub fn upsert(&mut self, id: Id, person: Prepared) {
        self.remove(&id);
        let slot = match self.free.pop() {
            Some(s) => s,
            None => {
                self.entries.push(None);
                u32::try_from(self.entries.len() - 1).unwrap_or(u32::MAX)
            }
        };
        for k in &person.keys {
            self.postings.entry(*k).or_default().push(slot);
        }
        let adjustment = self.model.adjustment_of(&person.candidate);
        if let Some(e) = self.entries.get_mut(slot as usize) {
            *e = Some(Entry {
                id: id.clone(),
                candidate: person.candidate,
                keys: person.keys,
                adjustment,
            });
        }
        self.by_id.insert(id, slot);
    }

    /// Forgets a person (erased, merged away). Unknown ids are ignored.
    pub fn remove(&mut self, id: &Id) {
        let Some(slot) = self.by_id.remove(id) else {
            return;
        };
        if let Some(entry) = self.entries.get_mut(slot as usize).and_then(Option::take) {
            for k in &entry.keys {
                if let Some(list) = self.postings.get_mut(k) {
                    list.retain(|&s| s != slot);
                    if list.is_empty() {
                        self.postings.remove(k);
                    }
                }
            }
        }
        self.free.push(slot);
    }

    /// The score of two indexed persons; None when either is not in the index.
    pub fn score(&self, a: &Id, b: &Id) -> Option<Scored> {
        let entry = |id: &Id| {
            let slot = *self.by_id.get(id)?;
            self.entries.get(slot as usize)?.as_ref()
        };
        let (x, y) = (entry(a)?, entry(b)?);
        Some(self.model.score(&x.candidate, &y.candidate))
    }

    /// The `limit` persons most like `probe`, best first, each with its explanation.
    /// `skip` leaves persons out (the probe itself, people the caller may not see).
    pub fn candidates(
        &self,
        probe: &Prepared,
        limit: usize,
        skip: impl Fn(&Id) -> bool,
    ) -> Vec<Found<Id>> {
        // The most specific keys first, until the budget of persons to score is spent.
        let mut lists: Vec<&Vec<u32>> = probe
            .keys
            .iter()
            .filter_map(|k| self.postings.get(k))
            .filter(|list| list.len() <= MAX_LIVE_BLOCK)
            .collect();
        lists.sort_by_key(|l| l.len());
        let mut slots: Vec<u32> = Vec::new();
        for list in lists {
            if !slots.is_empty() && slots.len() + list.len() > MAX_SCORED {
                break;
            }
            slots.extend_from_slice(list);
        }
        slots.sort_unstable();
        slots.dedup();
        let adjustment = self.model.adjustment_of(&probe.candidate);
        let mut ranked: Vec<(f64, u32)> = slots
            .into_iter()
            .filter_map(|s| {
                let e = self.entries.get(s as usize)?.as_ref()?;
                if skip(&e.id) {
                    return None;
                }
                let total =
                    self.model
                        .total(&probe.candidate, adjustment, &e.candidate, e.adjustment);
                Some((total, s))
            })
            .collect();
        ranked.sort_by(|x, y| y.0.total_cmp(&x.0).then(x.1.cmp(&y.1)));
        ranked.truncate(limit);
        ranked
            .into_iter()
            .filter_map(|(_, s)| {
                let e = self.entries.get(s as usize)?.as_ref()?;
                Some(Found {
                    id: e.id.clone(),
                    scored: self.model.score(&probe.candidate, &e.candidate),
                })
            })
            .collect()
    }
}
