//! The population counted in memory: one compact row per individually registered
//! person, kept current by the caller from a change feed, and counted by any breakdown
//! in one pass.
//!
//! A stock table over a million persons is a full scan whatever the database does; a
//! scan of packed rows in memory takes milliseconds where a `GROUP BY` over a table
//! takes seconds. The rows hold codes only (site, organisation, population type, sex,
//! nationality, the day age counts from, the time of registration): no name, no
//! document, nothing that identifies a person by itself.
//!
//! # Invariants
//!
//! - One row per id: [`PopulationIndex::upsert`] replaces, [`PopulationIndex::remove`]
//!   frees the row for the next person.
//! - A count is exact: every live row is counted once, in one group, whatever the
//!   breakdown.
//! - Age brackets are decided by day numbers the caller computes: a person is in bracket
//!   `i` when they were born after `cuts[i]` and on or before `cuts[i - 1]`.

use std::collections::{HashMap, HashSet};

/// Codes interned as small numbers, in the order first seen.
#[derive(Debug, Default)]
struct Interner {
    codes: Vec<String>,
    numbers: HashMap<String, u32>,
}

impl Interner {
    fn number(&mut self, code: &str) -> u32 {
        if let Some(n) = self.numbers.get(code) {
            return *n;
        }
        let n = u32::try_from(self.codes.len()).unwrap_or(u32::MAX);
        self.codes.push(code.to_owned());
        self.numbers.insert(code.to_owned(), n);
        n
    }

    fn find(&self, code: &str) -> Option<u32> {
        self.numbers.get(code).copied()
    }

    fn code(&self, n: u32) -> &str {
        self.codes.get(n as usize).map_or("", String::as_str)
    }

    fn len(&self) -> u64 {
        self.codes.len() as u64
    }
}

/// A person as the population table counts them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Counted<'a> {
    pub site: &'a str,
    pub organisation: Option<&'a str>,
    /// The population type's code; None when none is recorded.
    pub population_type: Option<&'a str>,
    pub sex: &'a str,
    /// The first nationality's code; None when none is recorded.
    pub nationality: Option<&'a str>,
    /// The day age counts from, as a day number (the caller's calendar); None when the
    /// date of birth is unknown.
    pub born_on: Option<i32>,
    /// When the person was registered, in seconds (the caller's epoch).
    pub registered_at: i64,
}

/// A packed row: interned codes (0 is "none"), day and time numbers.
#[derive(Debug, Clone, Copy)]
struct Row {
    site: u32,
    organisation: u32,
    population_type: u32,
    sex: u32,
    nationality: u32,
    born_on: i32,
    registered_at: i64,
}

/// Which dimensions to break the count down by; the others are summed over.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Breakdown {
    pub population_type: bool,
    pub sex: bool,
    pub age: bool,
    pub nationality: bool,
    pub disability: bool,
}

/// What to count.
#[derive(Debug, Clone, Copy)]
pub struct Question<'a> {
    /// Persons registered at or before this time.
    pub registered_by: i64,
    /// The reference day: someone born (as age counts from) after it is of unknown age.
    pub reference: i32,
    /// Bracket boundaries as day numbers, latest first: bracket `i` holds the people
    /// born after `cuts[i]` (and on or before `cuts[i - 1]`); people born on or before
    /// the last cut are in the last bracket, `cuts.len()`.
    pub cuts: &'a [i32],
    /// Only persons of these organisations; everyone when None.
    pub organisations: Option<&'a [&'a str]>,
    pub by: Breakdown,
    /// The ids of persons with a disability, when the breakdown asks for it.
    pub disabled: Option<&'a HashSet<u128>>,
}

/// One group of a count: the codes of its dimensions (None where the breakdown sums over
/// a dimension, or the value is not recorded) and how many persons.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Group {
    pub site: String,
    pub population_type: Option<String>,
    pub sex: Option<String>,
    /// The bracket's position in the cuts, or None for unknown age (or no age breakdown).
    pub bracket: Option<usize>,
    pub nationality: Option<String>,
    pub disability: Option<bool>,
    pub count: u64,
}

const UNKNOWN_BIRTH: i32 = i32::MIN;
/// The interned number of "not recorded".
const NONE: u32 = 0;

/// The codes of each dimension, numbered apart so that a breakdown's groups number no
/// more than the product of the dimensions' sizes.
#[derive(Debug)]
struct Codes {
    site: Interner,
    organisation: Interner,
    population_type: Interner,
    sex: Interner,
    nationality: Interner,
}

impl Default for Codes {
    fn default() -> Self {
        let none = || {
            let mut i = Interner::default();
            i.number("");
            i
        };
        Self {
            site: none(),
            organisation: none(),
            population_type: none(),
            sex: none(),
            nationality: none(),
        }
    }
}

/// Groups counted in an array when there are at most this many possible ones.
const DENSE: u64 = 1 << 22;

/// The population in memory.
#[derive(Debug, Default)]
pub struct PopulationIndex {
    codes: Codes,
    rows: Vec<Row>,
    ids: Vec<u128>,
    slots: HashMap<u128, usize>,
    free: Vec<usize>,
}

impl PopulationIndex {
    pub fn new() -> Self {
        Self::default()
    }

    /// The number of persons counted.
    pub fn len(&self) -> usize {
        self.slots.len()
    }

    pub fn is_empty(&self) -> bool {
        self.slots.is_empty()
    }

    /// Counts `id` as `p`, replacing what was counted for them before.
    pub fn upsert(&mut self, id: u128, p: &Counted<'_>) {
        let code = |i: &mut Interner, c: Option<&str>| c.map_or(NONE, |c| i.number(c));
        let c = &mut self.codes;
        let row = Row {
            site: code(&mut c.site, Some(p.site)),
            organisation: code(&mut c.organisation, p.organisation),
            population_type: code(&mut c.population_type, p.population_type),
            sex: code(&mut c.sex, Some(p.sex)),
            nationality: code(&mut c.nationality, p.nationality),
            born_on: p.born_on.unwrap_or(UNKNOWN_BIRTH),
            registered_at: p.registered_at,
        };
        match self.slots.get(&id) {
            Some(&slot) => self.rows[slot] = row,
            None => {
                let slot = match self.free.pop() {
                    Some(slot) => {
                        self.rows[slot] = row;
                        self.ids[slot] = id;
                        slot
                    }
                    None => {
                        self.rows.push(row);
                        self.ids.push(id);
                        self.rows.len() - 1
                    }
                };
                self.slots.insert(id, slot);
            }
        }
    }

    /// Stops counting `id` (merged away, anonymised, no longer counted one by one).
    pub fn remove(&mut self, id: u128) {
        if let Some(slot) = self.slots.remove(&id) {
            self.free.push(slot);
        }
    }

    /// Counts the persons `q` asks for, by site and the dimensions of its breakdown.
    /// Groups come in no particular order; empty groups are left out.
    pub fn count(&self, q: &Question<'_>) -> Vec<Group> {
        // Which interned codes are organisations asked for, by number.
        let allowed: Option<Vec<bool>> = q.organisations.map(|orgs| {
            let mut allowed = vec![false; self.codes.organisation.codes.len()];
            for n in orgs.iter().filter_map(|o| self.codes.organisation.find(o)) {
                allowed[n as usize] = true;
            }
            allowed
        });
        let live = self.live();
        let c = &self.codes;
        // Every group is a number in a mixed radix: site, type, sex, nationality take their
        // interned code (or 0), the bracket 0..=cuts+1 (the last is unknown age), the
        // disability 0 or 1.
        let brackets = q.cuts.len() as u64 + 2;
        let radix = [
            c.site.len(),
            if q.by.population_type {
                c.population_type.len()
            } else {
                1
            },
            if q.by.sex { c.sex.len() } else { 1 },
            if q.by.nationality {
                c.nationality.len()
            } else {
                1
            },
            if q.by.age { brackets } else { 1 },
            if q.by.disability { 2 } else { 1 },
        ];
        let groups = radix.iter().try_fold(1u64, |n, r| n.checked_mul(*r));
        let mut counts = match groups {
            Some(n) if n <= DENSE => Counts::Dense(vec![0; usize::try_from(n).unwrap_or(0)]),
            _ => Counts::Sparse(HashMap::new()),
        };
        for (slot, row) in self.rows.iter().enumerate() {
            if !live[slot]
                || row.registered_at > q.registered_by
                || allowed
                    .as_ref()
                    .is_some_and(|a| !a[row.organisation as usize])
            {
                continue;
            }
            let bracket = if row.born_on == UNKNOWN_BIRTH || row.born_on > q.reference {
                brackets - 1
            } else {
                q.cuts.iter().take_while(|c| row.born_on <= **c).count() as u64
            };
            let disabled = q
                .disabled
                .is_some_and(|d| d.contains(&self.ids[slot]))
                .into();
            let digits = [
                u64::from(row.site),
                if q.by.population_type {
                    u64::from(row.population_type)
                } else {
                    0
                },
                if q.by.sex { u64::from(row.sex) } else { 0 },
                if q.by.nationality {
                    u64::from(row.nationality)
                } else {
                    0
                },
                if q.by.age { bracket } else { 0 },
                if q.by.disability { disabled } else { 0 },
            ];
            let key = digits
                .iter()
                .zip(radix)
                .fold(0u64, |k, (d, r)| k.wrapping_mul(r).wrapping_add(*d));
            counts.add(key);
        }
        counts
            .groups()
            .map(|(key, count)| {
                let mut digits = [0u64; 6];
                let mut k = key;
                for (d, r) in digits.iter_mut().zip(radix).rev() {
                    *d = k % r;
                    k /= r;
                }
                let code = |i: &Interner, n: u64| {
                    let n = u32::try_from(n).unwrap_or(NONE);
                    (n != NONE).then(|| i.code(n).to_owned())
                };
                Group {
                    site: code(&c.site, digits[0]).unwrap_or_default(),
                    population_type: code(&c.population_type, digits[1]),
                    sex: code(&c.sex, digits[2]),
                    nationality: code(&c.nationality, digits[3]),
                    bracket: (q.by.age && digits[4] < brackets - 1)
                        .then(|| usize::try_from(digits[4]).unwrap_or(0)),
                    disability: q.by.disability.then_some(digits[5] == 1),
                    count,
                }
            })
            .collect()
    }

    /// Which slots hold a person now.
    fn live(&self) -> Vec<bool> {
        let mut live = vec![true; self.rows.len()];
        for slot in &self.free {
            live[*slot] = false;
        }
        live
    }
}

/// Counts by group number: an array when the groups are few enough, else a map.
enum Counts {
    Dense(Vec<u64>),
    Sparse(HashMap<u64, u64>),
}

impl Counts {
    fn add(&mut self, key: u64) {
        match self {
            Self::Dense(v) => {
                if let Some(n) = usize::try_from(key).ok().and_then(|k| v.get_mut(k)) {
                    *n += 1;
                }
            }
            Self::Sparse(m) => *m.entry(key).or_default() += 1,
        }
    }

    /// The groups with at least one person.
    fn groups(self) -> Box<dyn Iterator<Item = (u64, u64)>> {
        match self {
            Self::Dense(v) => Box::new(
                v.into_iter()
                    .enumerate()
                    .filter(|(_, n)| *n > 0)
                    .map(|(k, n)| (k as u64, n)),
            ),
            Self::Sparse(m) => Box::new(m.into_iter()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn person<'a>(site: &'a str, sex: &'a str, born_on: Option<i32>) -> Counted<'a> {
        Counted {
            site,
            organisation: Some("org-a"),
            population_type: Some("ASY"),
            sex,
            nationality: Some("AFG"),
            born_on,
            registered_at: 100,
        }
    }

    fn question(by: Breakdown) -> Question<'static> {
        Question {
            registered_by: 1_000,
            reference: 90,
            cuts: &[50, 20],
            organisations: None,
            by,
            disabled: None,
        }
    }

    fn sorted(mut g: Vec<Group>) -> Vec<(String, Option<String>, Option<usize>, u64)> {
        let mut out: Vec<_> = g
            .drain(..)
            .map(|g| (g.site, g.sex, g.bracket, g.count))
            .collect();
        out.sort();
        out
    }

    #[test]
    fn counts_each_person_once_by_bracket_and_sex() {
        let mut ix = PopulationIndex::new();
        ix.upsert(1, &person("PDE", "F", Some(60)));
        ix.upsert(2, &person("PDE", "F", Some(50)));
        ix.upsert(3, &person("PDE", "M", Some(10)));
        ix.upsert(4, &person("PDE", "M", None));
        ix.upsert(5, &person("ENT", "M", Some(30)));
        let by = Breakdown {
            sex: true,
            age: true,
            ..Breakdown::default()
        };
        assert_eq!(
            sorted(ix.count(&question(by))),
            vec![
                ("ENT".into(), Some("M".into()), Some(1), 1),
                ("PDE".into(), Some("F".into()), Some(0), 1),
                ("PDE".into(), Some("F".into()), Some(1), 1),
                ("PDE".into(), Some("M".into()), None, 1),
                ("PDE".into(), Some("M".into()), Some(2), 1),
            ]
        );
    }

    #[test]
    fn a_replaced_or_removed_person_is_counted_as_they_are_now() {
        let mut ix = PopulationIndex::new();
        ix.upsert(1, &person("PDE", "F", Some(60)));
        ix.upsert(2, &person("PDE", "F", Some(60)));
        ix.upsert(1, &person("ENT", "F", Some(60)));
        ix.remove(2);
        ix.upsert(3, &person("PDE", "M", Some(60)));
        assert_eq!(ix.len(), 2);
        let groups = sorted(ix.count(&question(Breakdown::default())));
        assert_eq!(
            groups,
            vec![("ENT".into(), None, None, 1), ("PDE".into(), None, None, 1)]
        );
    }

    #[test]
    fn later_registrations_and_other_organisations_are_left_out() {
        let mut ix = PopulationIndex::new();
        ix.upsert(1, &person("PDE", "F", Some(60)));
        let mut late = person("PDE", "F", Some(60));
        late.registered_at = 2_000;
        ix.upsert(2, &late);
        let mut other = person("PDE", "F", Some(60));
        other.organisation = Some("org-b");
        ix.upsert(3, &other);
        let mut q = question(Breakdown::default());
        assert_eq!(ix.count(&q)[0].count, 2);
        q.organisations = Some(&["org-b"]);
        assert_eq!(ix.count(&q)[0].count, 1);
        q.organisations = Some(&["org-a", "org-b"]);
        assert_eq!(ix.count(&q)[0].count, 2);
        q.organisations = Some(&["org-nobody"]);
        assert!(ix.count(&q).is_empty());
    }

    proptest::proptest! {
        /// Whatever the breakdown, every live person registered by the time asked is
        /// counted exactly once, and each in the bracket its day number falls in.
        #[test]
        fn every_person_is_counted_once(
            people in proptest::collection::vec(
                (0u128..40, 0u8..3, 0u8..3, proptest::option::of(0i32..100), 0i64..20),
                0..80,
            ),
            removed in proptest::collection::vec(0u128..40, 0..10),
            by in (proptest::bool::ANY, proptest::bool::ANY, proptest::bool::ANY),
        ) {
            let sites = ["A", "B", "C"];
            let sexes = ["F", "M", "U"];
            let mut ix = PopulationIndex::new();
            let mut truth: HashMap<u128, (usize, Option<i32>, i64)> = HashMap::new();
            for (id, site, sex, born, at) in &people {
                let mut p = person(sites[*site as usize], sexes[*sex as usize], *born);
                p.registered_at = *at;
                ix.upsert(*id, &p);
                truth.insert(*id, (*site as usize, *born, *at));
            }
            for id in &removed {
                ix.remove(*id);
                truth.remove(id);
            }
            let cuts = [70, 30];
            let q = Question {
                registered_by: 10,
                reference: 100,
                cuts: &cuts,
                organisations: None,
                by: Breakdown { sex: by.0, age: by.1, nationality: by.2, ..Breakdown::default() },
                disabled: None,
            };
            let groups = ix.count(&q);
            let expected = truth.values().filter(|(_, _, at)| *at <= 10).count() as u64;
            proptest::prop_assert_eq!(groups.iter().map(|g| g.count).sum::<u64>(), expected);
            if by.1 {
                for (bracket, want) in [(Some(0), 71..100), (Some(1), 31..71), (Some(2), 0..31)] {
                    let got: u64 = groups.iter().filter(|g| g.bracket == bracket).map(|g| g.count).sum();
                    let n = truth.values().filter(|(_, b, at)| *at <= 10 && b.is_some_and(|b| want.contains(&b))).count() as u64;
                    proptest::prop_assert_eq!(got, n);
                }
            }
        }
    }

    #[test]
    fn someone_born_after_the_reference_day_is_of_unknown_age() {
        let mut ix = PopulationIndex::new();
        ix.upsert(1, &person("PDE", "F", Some(95)));
        let by = Breakdown {
            age: true,
            ..Breakdown::default()
        };
        assert_eq!(ix.count(&question(by))[0].bracket, None);
    }

    #[test]
    fn dense_and_sparse_counts_agree() {
        let keys = [3u64, 0, 3, 7, 3, 0];
        let mut dense = Counts::Dense(vec![0; 8]);
        let mut sparse = Counts::Sparse(HashMap::new());
        for k in keys {
            dense.add(k);
            sparse.add(k);
        }
        let mut a: Vec<_> = dense.groups().collect();
        let mut b: Vec<_> = sparse.groups().collect();
        a.sort_unstable();
        b.sort_unstable();
        assert_eq!(a, vec![(0, 2), (3, 3), (7, 1)]);
        assert_eq!(a, b);
    }

    #[test]
    fn disability_splits_by_the_ids_given() {
        let mut ix = PopulationIndex::new();
        ix.upsert(1, &person("PDE", "F", Some(60)));
        ix.upsert(2, &person("PDE", "F", Some(60)));
        let disabled = HashSet::from([2u128]);
        let mut q = question(Breakdown {
            disability: true,
            ..Breakdown::default()
        });
        q.disabled = Some(&disabled);
        let mut got: Vec<(Option<bool>, u64)> = ix
            .count(&q)
            .into_iter()
            .map(|g| (g.disability, g.count))
            .collect();
        got.sort();
        assert_eq!(got, vec![(Some(false), 1), (Some(true), 1)]);
    }
}
