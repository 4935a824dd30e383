//! Hypercubes: the pattern of suppressions that hides a cell.
//!
//! In every dimension of the [`Lattice`], take the cell's own coordinate and one other
//! (another category, or the total, or a category where the cell has the total). The
//! 2^d cells so chosen are the corners of a hypercube. Now add 1 to the cell and ±1
//! to the other corners: the sign flips across a pair of categories and does not flip
//! across a category and its total. Every line of the lattice through a corner holds
//! exactly two corners, and their changes keep the line's sum right (two categories
//! cancel; a category and the total it is part of move together), while lines through
//! no corner do not change. So if every corner is suppressed, a reader sees the same
//! published numbers whichever of the two tables is true, and no corner can be worked
//! out from them.
//!
//! Zeros are published, so no corner may be zero: a cube with a zero corner would
//! move a published number (and a zero cannot move down).

use crate::lattice::Lattice;

/// The number of hypercubes [`cheapest`] considers at most for one cell. The width
/// of the search per dimension follows from it; tables with many dimensions look at
/// fewer partners per dimension.
const LEAVES: usize = 4096;

/// The cheapest hypercube with `cell` as a corner and no zero corner: the fewest
/// people in corners not yet `suppressed`. Partners are searched among the cheapest
/// few per dimension (by the cost of the corner next to `cell`), plus the partner of
/// the [`anchor`] cube, so a cube is always found; branches that cannot beat the best
/// cube so far are cut, and among cubes of equal cost the first in that order wins.
/// Returns the corners, `cell` first; `None` only for a zero cell, which is never
/// suppressed.
pub(crate) fn cheapest(lattice: &Lattice, suppressed: &[bool], cell: usize) -> Option<Vec<usize>> {
    let anchor = anchor(lattice, cell)?;
    let width = breadth(lattice.dimensions());
    let cost = |corner: usize| {
        if suppressed[corner] {
            0
        } else {
            lattice.value(corner)
        }
    };
    let mut candidates = Vec::with_capacity(lattice.dimensions());
    for (k, &partner) in anchor.iter().enumerate() {
        let stride = lattice.stride(k);
        let from = lattice.coordinate(cell, k) * stride;
        let mut list: Vec<Partner> = (0..=lattice.categories(k))
            .map(|p| p * stride)
            .filter(|&to| to != from)
            .filter_map(|to| {
                let next = cell - from + to;
                (lattice.value(next) > 0).then(|| Partner {
                    from,
                    to,
                    cost: cost(next),
                })
            })
            .collect();
        list.sort_by_key(|p| (p.cost, p.to));
        if list.len() > width {
            let kept = list[width..]
                .iter()
                .copied()
                .find(|p| p.to == partner * stride);
            list.truncate(width);
            list.extend(kept);
        }
        candidates.push(list);
    }
    let mut floor = vec![0u64; candidates.len() + 1];
    for k in (0..candidates.len()).rev() {
        let least = candidates[k].first().map_or(0, |p| p.cost);
        floor[k] = floor[k + 1].saturating_add(least);
    }
    let mut search = Search {
        lattice,
        suppressed,
        candidates,
        floor,
        best: None,
    };
    let mut corners = vec![cell];
    search.run(0, &mut corners, 0);
    search.best.map(|(_, corners)| corners)
}

/// The partners, one coordinate per dimension, of a hypercube that exists for every
/// non-zero cell. Take the first non-zero table cell counted in `cell` (row-major);
/// where `cell` has the total, the partner is that table cell's category, and where
/// `cell` has a category, the partner is the total. Every corner is then a sum that
/// counts that table cell, so none is zero. For a table cell: the total everywhere.
/// `None` for a zero cell.
fn anchor(lattice: &Lattice, cell: usize) -> Option<Vec<usize>> {
    let own = lattice.coordinates(cell);
    let summed: Vec<usize> = (0..lattice.dimensions())
        .filter(|&k| own[k] == lattice.categories(k))
        .collect();
    let mut at = own.clone();
    for &k in &summed {
        at[k] = 0;
    }
    while lattice.value(lattice.flat(&at)) == 0 {
        // The next table cell counted in `cell`, row-major over the summed dimensions.
        let mut wrapped = true;
        for &k in summed.iter().rev() {
            at[k] += 1;
            if at[k] < lattice.categories(k) {
                wrapped = false;
                break;
            }
            at[k] = 0;
        }
        if wrapped {
            return None;
        }
    }
    Some(
        (0..own.len())
            .map(|k| {
                if summed.contains(&k) {
                    at[k]
                } else {
                    lattice.categories(k)
                }
            })
            .collect(),
    )
}

/// How many partners per dimension [`cheapest`] tries, so that a search visits at
/// most about [`LEAVES`] cubes; never fewer than 2.
fn breadth(dimensions: usize) -> usize {
    let d = u32::try_from(dimensions).unwrap_or(u32::MAX);
    let mut width = 2;
    while width < LEAVES && (width + 1).checked_pow(d).is_some_and(|n| n <= LEAVES) {
        width += 1;
    }
    width
}

/// A partner coordinate in one dimension, as offsets into the lattice: a corner moves
/// from the cell's coordinate to the partner's by subtracting `from`, adding `to`.
#[derive(Debug, Clone, Copy)]
struct Partner {
    from: usize,
    to: usize,
    /// The cost of the corner next to the cell in this dimension.
    cost: u64,
}

struct Search<'a> {
    lattice: &'a Lattice,
    suppressed: &'a [bool],
    candidates: Vec<Vec<Partner>>,
    /// `floor[k]`: the least the dimensions from `k` on can add, the sum of their
    /// cheapest neighbouring corners (distinct corners of any completed cube).
    floor: Vec<u64>,
    best: Option<(u64, Vec<usize>)>,
}

impl Search<'_> {
    /// Extends the cube whose corners so far span dimensions `..k` and cost `cost`.
    fn run(&mut self, k: usize, corners: &mut Vec<usize>, cost: u64) {
        if k == self.candidates.len() {
            if self.best.as_ref().is_none_or(|(best, _)| cost < *best) {
                self.best = Some((cost, corners.clone()));
            }
            return;
        }
        let half = corners.len();
        for i in 0..self.candidates[k].len() {
            let Partner { from, to, .. } = self.candidates[k][i];
            let mut added = 0u64;
            let mut usable = true;
            for j in 0..half {
                let corner = corners[j] - from + to;
                let value = self.lattice.value(corner);
                if value == 0 {
                    usable = false;
                    break;
                }
                if !self.suppressed[corner] {
                    added = added.saturating_add(value);
                }
                corners.push(corner);
            }
            let cost = cost.saturating_add(added);
            let bound = cost.saturating_add(self.floor[k + 1]);
            if usable && self.best.as_ref().is_none_or(|(best, _)| bound < *best) {
                self.run(k + 1, corners, cost);
            }
            corners.truncate(half);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::table::{Dimension, Table};

    fn lattice(rows: usize, cols: usize, counts: &[u64]) -> Lattice {
        let names: Vec<String> = (0..rows.max(cols)).map(|i| format!("c{i}")).collect();
        let cats = |n: usize| names[..n].iter().map(String::as_str).collect::<Vec<_>>();
        let mut t = Table::new(vec![
            Dimension::new("r", &cats(rows)),
            Dimension::new("c", &cats(cols)),
        ]);
        t.counts = counts.to_vec();
        Lattice::new(&t)
    }

    #[test]
    fn widths_shrink_with_dimensions() {
        assert_eq!(breadth(2), 64);
        assert_eq!(breadth(3), 16);
        assert_eq!(breadth(5), 5);
        assert_eq!(breadth(20), 2);
    }

    #[test]
    fn the_cheapest_cube_avoids_zeros_and_large_cells() {
        // 2 0 30 | 32
        // 10 12 15 | 37
        // 20 25 40 | 85
        let l = lattice(3, 3, &[2, 0, 30, 10, 12, 15, 20, 25, 40]);
        let suppressed: Vec<bool> = (0..l.len()).map(|f| l.value(f) == 2).collect();
        let cell = l.flat(&[0, 0]);
        let mut cube = cheapest(&l, &suppressed, cell).unwrap();
        cube.sort_unstable();
        let mut expected = [[0, 0], [0, 2], [1, 0], [1, 2]]
            .map(|c| l.flat(&c))
            .to_vec();
        expected.sort_unstable();
        assert_eq!(cube, expected);
    }

    #[test]
    fn the_anchor_of_a_margin_cell_is_a_table_cell_beneath_it() {
        let l = lattice(2, 3, &[0, 0, 3, 7, 8, 9]);
        assert_eq!(anchor(&l, l.flat(&[0, 3])), Some(vec![2, 2]));
        assert_eq!(anchor(&l, l.flat(&[1, 1])), Some(vec![2, 3]));
        assert_eq!(anchor(&l, l.flat(&[0, 0])), None);
    }

    #[test]
    fn the_anchor_is_searched_when_the_width_leaves_it_out() {
        // Row 0 and column 0 hold ones, everything else is zero. Each dimension has 65
        // partners of cost 0, of which the search keeps 64, leaving out the total; any
        // two of them make a zero corner. Only the anchor's total gives cubes.
        let n = 66;
        let mut counts = vec![0u64; n * n];
        for i in 0..n {
            counts[i] = 1;
            counts[i * n] = 1;
        }
        let l = lattice(n, n, &counts);
        let suppressed: Vec<bool> = (0..l.len()).map(|f| l.value(f) == 1).collect();
        let cube = cheapest(&l, &suppressed, l.flat(&[0, 0])).unwrap();
        let expected = [[0, 0], [1, 0], [0, n], [1, n]].map(|c| l.flat(&c));
        assert_eq!(cube, expected.to_vec());
    }
}
