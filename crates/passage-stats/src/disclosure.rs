//! Primary and secondary cell suppression for published count tables.
//!
//! A cell counting one to four people ("registered at this site, from this country,
//! aged 60 or over") can point at a person, so it is not published: primary
//! suppression. Passage publishes every margin as well, and a suppressed cell alone
//! in its row is the row total minus the rest; so more cells are suppressed, chosen
//! so that what is left says nothing exact about any suppressed cell: secondary
//! suppression.
//!
//! # Method (hypercubes, as in GHMITER)
//!
//! The table and all its margins are one lattice: each dimension gets its total as
//! one more category, and a margin cell is a cell with the total in some dimensions.
//! Margin cells are protected exactly as table cells are.
//!
//! 1. **Primary.** Every cell, of the table or of any margin, with
//!    `0 < count < threshold` is suppressed. Zeros are published: "nobody" is not
//!    protected, structural zeros included.
//! 2. **Secondary.** A hypercube through a cell takes, in every dimension, the
//!    cell's coordinate and one other (another category, or the total, or a category
//!    where the cell has the total). Its 2^d corners can each move by ±1 (the sign
//!    flips across two categories, not across a category and its total) with no
//!    other number of the lattice changing. Primary cells are taken coarsest first
//!    (most totals), then in lattice order; one already a corner of a chosen cube is
//!    skipped. For each other, the cube with no zero corner and the fewest people in
//!    corners not yet suppressed is chosen (ties: the first found) and all its
//!    corners are suppressed. The search tries the cheapest few partners per
//!    dimension (at most 4096 cubes per cell), plus those of a cube that always
//!    exists: through the first non-zero table cell counted in the cell, with the
//!    total wherever the cell has a category.
//! 3. **Rounding** (optional) of every published number, table and margins each on
//!    its own, to the nearest multiple of the base, halves up; a non-zero number is
//!    never published as 0.
//!
//! # What is guaranteed
//!
//! Every suppressed cell, in the table or in a margin, is a corner of a hypercube
//! whose corners are all suppressed (primaries get their own; secondaries are
//! corners of the cube that suppressed them; suppressing more never undoes a cube).
//! Moving the corners by ±1 changes no published number, so no suppressed cell is
//! determined by the linear equations a reader can write from what is published.
//! [`crate::audit::determined`] checks exactly that, independently of this method.
//!
//! Not guaranteed: counts are non-negative integers, so a reader can still bound a
//! suppressed cell (interval disclosure), and the width of those bounds is not
//! controlled. Nor are other tables about the same people published elsewhere or at
//! other times: differencing across publications needs them protected together.

use std::cmp::Reverse;
use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::hypercube;
use crate::lattice::Lattice;
use crate::table::{Dimension, Table};

/// What counts as small, and how published numbers are rounded.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Policy {
    /// Cells counting 1 to `threshold - 1` people are suppressed; 0 is published.
    pub threshold: u64,
    /// Round published numbers to a multiple of this base, e.g. 5. `None`, 0 and 1
    /// publish exact counts.
    pub rounding: Option<u64>,
}

impl Default for Policy {
    fn default() -> Self {
        Self {
            threshold: 5,
            rounding: None,
        }
    }
}

impl Policy {
    fn is_small(&self, count: u64) -> bool {
        count > 0 && count < self.threshold
    }

    /// The number published for `count`.
    fn round(&self, count: u64) -> u64 {
        match self.rounding {
            Some(base) if base > 1 && count > 0 => {
                let (q, r) = (count / base, count % base);
                let q = if r >= base - r { q + 1 } else { q };
                q.saturating_mul(base).max(base)
            }
            _ => count,
        }
    }
}

/// A published cell.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Cell {
    Value(u64),
    /// Not published. `primary` when the cell itself is below the threshold; for
    /// review only: publishing it would say which cells are small.
    Suppressed {
        primary: bool,
    },
}

impl Cell {
    /// What a reader sees: the number; `<threshold` for a cell below the threshold; `x`
    /// for a cell withheld only so that a small one cannot be worked back from the
    /// totals (it is not small, and saying `<5` of it would be false).
    pub fn display(&self, threshold: u64) -> String {
        match self {
            Cell::Value(n) => n.to_string(),
            Cell::Suppressed { primary: true } => format!("<{threshold}"),
            Cell::Suppressed { primary: false } => "x".to_owned(),
        }
    }

    pub fn is_suppressed(&self) -> bool {
        matches!(self, Cell::Suppressed { .. })
    }
}

/// One published margin: the table summed over the dimensions not in `keep`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PublishedMargin {
    /// The dimensions kept, ascending; empty for the grand total.
    pub keep: Vec<usize>,
    /// Row-major over the kept dimensions' categories.
    pub cells: Vec<Cell>,
}

/// A table as published: no counts but those published.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Protected {
    /// The table's dimensions. The table's counts are not kept here.
    pub dimensions: Vec<Dimension>,
    /// Row-major, as [`Table::counts`].
    pub cells: Vec<Cell>,
    /// Every margin over a proper subset of the dimensions, the grand total included;
    /// by the number of dimensions kept, then by the dimensions.
    pub margins: Vec<PublishedMargin>,
    /// Suppressed cells below the threshold, in the table and in margins.
    pub primary: usize,
    /// Cells suppressed to protect them, in the table and in margins.
    pub secondary: usize,
}

/// The table and all its margins, with enough suppressed that no suppressed cell can
/// be worked out exactly from the rest (see the module documentation).
pub fn protect(table: &Table, policy: &Policy) -> Protected {
    let lattice = Lattice::new(table);
    let primary: Vec<bool> = (0..lattice.len())
        .map(|f| policy.is_small(lattice.value(f)))
        .collect();
    let mut suppressed = primary.clone();
    let mut covered = vec![false; lattice.len()];
    let mut order: Vec<usize> = (0..lattice.len()).filter(|&f| primary[f]).collect();
    order.sort_by_key(|&f| (Reverse(lattice.totals(f)), f));
    for cell in order {
        if covered[cell] {
            continue;
        }
        // Always a cube: a primary cell is not zero.
        let cube = hypercube::cheapest(&lattice, &suppressed, cell);
        for corner in cube.into_iter().flatten() {
            suppressed[corner] = true;
            covered[corner] = true;
        }
    }
    publish(table, &lattice, &primary, &suppressed, policy)
}

/// Every proper subset of `0..d`, as ascending lists, by size then lexicographically.
fn proper_subsets(d: usize) -> Vec<Vec<usize>> {
    let mut all: Vec<Vec<usize>> = vec![Vec::new()];
    for k in 0..d {
        let with: Vec<Vec<usize>> = all
            .iter()
            .map(|s| s.iter().copied().chain([k]).collect())
            .collect();
        all.extend(with);
    }
    all.retain(|s| s.len() < d);
    all.sort_by(|a, b| a.len().cmp(&b.len()).then_with(|| a.cmp(b)));
    all
}

fn publish(
    table: &Table,
    lattice: &Lattice,
    primary: &[bool],
    suppressed: &[bool],
    policy: &Policy,
) -> Protected {
    let d = table.dimensions.len();
    let size = |keep: &[usize]| -> usize {
        keep.iter()
            .map(|&k| table.dimensions[k].categories.len())
            .product()
    };
    let all: Vec<usize> = (0..d).collect();
    let mut cells = vec![Cell::Value(0); size(&all)];
    let mut margins: Vec<PublishedMargin> = proper_subsets(d)
        .into_iter()
        .map(|keep| PublishedMargin {
            cells: vec![Cell::Value(0); size(&keep)],
            keep,
        })
        .collect();
    let position: BTreeMap<Vec<usize>, usize> = margins
        .iter()
        .enumerate()
        .map(|(i, m)| (m.keep.clone(), i))
        .collect();
    let (mut primaries, mut secondaries) = (0, 0);
    for flat in 0..lattice.len() {
        let cell = if suppressed[flat] {
            if primary[flat] {
                primaries += 1;
            } else {
                secondaries += 1;
            }
            Cell::Suppressed {
                primary: primary[flat],
            }
        } else {
            Cell::Value(policy.round(lattice.value(flat)))
        };
        let (keep, at) = lattice.place(flat);
        let slot = if keep.len() == d {
            cells.get_mut(at)
        } else {
            position
                .get(&keep)
                .and_then(|&m| margins[m].cells.get_mut(at))
        };
        if let Some(slot) = slot {
            *slot = cell;
        }
    }
    Protected {
        dimensions: table.dimensions.clone(),
        cells,
        margins,
        primary: primaries,
        secondary: secondaries,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rounds_to_the_nearest_multiple_halves_up() {
        let p = Policy {
            threshold: 5,
            rounding: Some(5),
        };
        let rounded: Vec<u64> = [0, 1, 2, 3, 7, 8, 12, 13].map(|n| p.round(n)).to_vec();
        assert_eq!(rounded, vec![0, 5, 5, 5, 5, 10, 10, 15]);
        let ten = Policy {
            rounding: Some(10),
            ..p
        };
        assert_eq!([14, 15, 16].map(|n| ten.round(n)), [10, 20, 20]);
        assert_eq!(Policy::default().round(13), 13);
    }

    #[test]
    fn subsets_coarsest_first() {
        assert_eq!(
            proper_subsets(3),
            vec![
                vec![],
                vec![0],
                vec![1],
                vec![2],
                vec![0, 1],
                vec![0, 2],
                vec![1, 2]
            ]
        );
        assert!(proper_subsets(0).is_empty());
    }

    #[test]
    fn display_hides_which_suppression() {
        assert_eq!(Cell::Value(12).display(5), "12");
        assert_eq!(Cell::Suppressed { primary: true }.display(5), "<5");
        assert_eq!(Cell::Suppressed { primary: false }.display(5), "x");
    }
}
