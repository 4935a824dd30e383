//! Count tables over named dimensions.
//!
//! Every statistic Passage publishes about people is a count in a cross-tabulation:
//! registrations by site, nationality, sex and age band. A [`Table`] holds one such
//! cross-tabulation with every combination of categories a cell, zeros included, so
//! that a cell's position says which people it counts and margins are plain sums.

use serde::{Deserialize, Serialize};

/// One dimension of a table: its name and its categories, in publication order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Dimension {
    pub name: String,
    pub categories: Vec<String>,
}

impl Dimension {
    pub fn new(name: &str, categories: &[&str]) -> Self {
        Self {
            name: name.to_owned(),
            categories: categories.iter().map(|&c| c.to_owned()).collect(),
        }
    }
}

/// A table of counts over named dimensions, every combination of categories a cell.
///
/// `counts` is row-major over the dimensions' categories: the last dimension varies
/// fastest. Its length is the product of the numbers of categories (1 for a table
/// without dimensions); [`Table::new`] and deserialisation keep it so.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "Unchecked")]
pub struct Table {
    pub dimensions: Vec<Dimension>,
    pub counts: Vec<u64>,
}

/// Why a table was not changed or not accepted.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TableError {
    #[error("a cell of this table has {expected} categories, one per dimension; got {got}")]
    Arity { expected: usize, got: usize },
    #[error("'{value}' is not a category of dimension '{dimension}'")]
    UnknownCategory { dimension: String, value: String },
    #[error("the count of a cell would exceed the largest count a table holds")]
    Overflow,
    #[error("the dimensions of this table make {expected} cells, but it has {got} counts")]
    Shape { expected: usize, got: usize },
}

/// A table as it arrives, before its counts are checked against its dimensions.
#[derive(Deserialize)]
struct Unchecked {
    dimensions: Vec<Dimension>,
    counts: Vec<u64>,
}

impl TryFrom<Unchecked> for Table {
    type Error = TableError;

    fn try_from(raw: Unchecked) -> Result<Self, TableError> {
        let expected = cells(&raw.dimensions);
        if raw.counts.len() != expected {
            return Err(TableError::Shape {
                expected,
                got: raw.counts.len(),
            });
        }
        Ok(Self {
            dimensions: raw.dimensions,
            counts: raw.counts,
        })
    }
}

/// The number of cells of a table over `dimensions`.
fn cells(dimensions: &[Dimension]) -> usize {
    dimensions.iter().map(|d| d.categories.len()).product()
}

impl Table {
    /// A table of zeros.
    pub fn new(dimensions: Vec<Dimension>) -> Self {
        let counts = vec![0; cells(&dimensions)];
        Self { dimensions, counts }
    }

    /// Counts `n` more in the cell with these categories, one per dimension.
    pub fn add(&mut self, categories: &[&str], n: u64) -> Result<(), TableError> {
        if categories.len() != self.dimensions.len() {
            return Err(TableError::Arity {
                expected: self.dimensions.len(),
                got: categories.len(),
            });
        }
        let mut index = Vec::with_capacity(categories.len());
        for (dimension, &value) in self.dimensions.iter().zip(categories) {
            let Some(i) = dimension.categories.iter().position(|c| c == value) else {
                return Err(TableError::UnknownCategory {
                    dimension: dimension.name.clone(),
                    value: value.to_owned(),
                });
            };
            index.push(i);
        }
        let flat = self.flat(&index);
        let shape = TableError::Shape {
            expected: cells(&self.dimensions),
            got: self.counts.len(),
        };
        let count = self.counts.get_mut(flat).ok_or(shape)?;
        *count = count.checked_add(n).ok_or(TableError::Overflow)?;
        Ok(())
    }

    /// The count at `index`, one category index per dimension; 0 for an index that
    /// names no cell of this table (wrong arity or a category out of range).
    pub fn get(&self, index: &[usize]) -> u64 {
        let inside = index.len() == self.dimensions.len()
            && index
                .iter()
                .zip(&self.dimensions)
                .all(|(&i, d)| i < d.categories.len());
        if !inside {
            return 0;
        }
        self.counts.get(self.flat(index)).copied().unwrap_or(0)
    }

    /// The number of cells.
    pub fn len(&self) -> usize {
        self.counts.len()
    }

    pub fn is_empty(&self) -> bool {
        self.counts.is_empty()
    }

    /// The category index in each dimension of the cell at row-major position `flat`.
    pub fn index_of(&self, flat: usize) -> Vec<usize> {
        let mut index = vec![0; self.dimensions.len()];
        let mut rest = flat;
        for (slot, dimension) in index.iter_mut().zip(&self.dimensions).rev() {
            let n = dimension.categories.len().max(1);
            *slot = rest % n;
            rest /= n;
        }
        index
    }

    /// The row-major position of the cell at `index`, one category index per
    /// dimension. Indices are not checked; [`Table::get`] checks them.
    pub fn flat(&self, index: &[usize]) -> usize {
        index
            .iter()
            .zip(&self.dimensions)
            .fold(0, |flat, (&i, d)| flat * d.categories.len() + i)
    }

    /// The sum of all counts.
    pub fn total(&self) -> u64 {
        self.counts.iter().fold(0, |sum, &c| sum.saturating_add(c))
    }

    /// Sum over the dimensions NOT in `keep` (keep = indices of dimensions kept): the
    /// margin table, its dimensions in the order `keep` lists them. An index that is
    /// out of range or repeated is skipped; `keep = []` gives the grand total.
    pub fn margin(&self, keep: &[usize]) -> Table {
        let mut kept: Vec<usize> = Vec::with_capacity(keep.len());
        for &k in keep {
            if k < self.dimensions.len() && !kept.contains(&k) {
                kept.push(k);
            }
        }
        let dimensions = kept.iter().map(|&k| self.dimensions[k].clone()).collect();
        let mut margin = Table::new(dimensions);
        for (flat, &count) in self.counts.iter().enumerate() {
            let index = self.index_of(flat);
            let at: Vec<usize> = kept.iter().map(|&k| index[k]).collect();
            let to = margin.flat(&at);
            if let Some(cell) = margin.counts.get_mut(to) {
                *cell = cell.saturating_add(count);
            }
        }
        margin
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sex_by_age() -> Table {
        Table::new(vec![
            Dimension::new("sex", &["female", "male"]),
            Dimension::new("age", &["0-17", "18-59", "60+"]),
        ])
    }

    #[test]
    fn adds_and_sums() {
        let mut t = sex_by_age();
        t.add(&["female", "0-17"], 3).unwrap();
        t.add(&["male", "60+"], 4).unwrap();
        t.add(&["male", "60+"], 1).unwrap();
        assert_eq!(t.len(), 6);
        assert_eq!(t.get(&[0, 0]), 3);
        assert_eq!(t.get(&[1, 2]), 5);
        assert_eq!(t.get(&[1, 3]), 0);
        assert_eq!(t.total(), 8);
        assert_eq!(t.margin(&[0]).counts, vec![3, 5]);
        assert_eq!(t.margin(&[1]).counts, vec![3, 0, 5]);
        assert_eq!(t.margin(&[]).counts, vec![8]);
        assert_eq!(t.margin(&[1, 0]).counts, vec![3, 0, 0, 0, 0, 5]);
    }

    #[test]
    fn index_and_flat_agree() {
        let t = sex_by_age();
        for flat in 0..t.len() {
            assert_eq!(t.flat(&t.index_of(flat)), flat);
        }
        assert_eq!(t.index_of(4), vec![1, 1]);
    }

    #[test]
    fn refuses_what_is_not_a_cell() {
        let mut t = sex_by_age();
        assert_eq!(
            t.add(&["female"], 1),
            Err(TableError::Arity {
                expected: 2,
                got: 1
            })
        );
        let err = t.add(&["female", "adult"], 1).unwrap_err();
        assert_eq!(
            err.to_string(),
            "'adult' is not a category of dimension 'age'"
        );
        t.add(&["male", "60+"], u64::MAX).unwrap();
        assert_eq!(t.add(&["male", "60+"], 1), Err(TableError::Overflow));
    }

    #[test]
    fn counts_must_fit_the_dimensions() {
        let raw = |counts: Vec<u64>| Unchecked {
            dimensions: sex_by_age().dimensions,
            counts,
        };
        assert!(Table::try_from(raw(vec![0; 6])).is_ok());
        assert_eq!(
            Table::try_from(raw(vec![0; 5])),
            Err(TableError::Shape {
                expected: 6,
                got: 5
            })
        );
    }

    #[test]
    fn a_table_without_dimensions_is_one_cell() {
        let t = Table::new(vec![]);
        assert_eq!(t.len(), 1);
        assert!(!t.is_empty());
        assert!(Table::new(vec![Dimension::new("site", &[])]).is_empty());
    }
}
