//! A table and all its margins as one table.
//!
//! Give every dimension one more category after its own: its total. A cell whose
//! coordinates are all categories is a cell of the table; a cell with the total in
//! some dimensions is the margin cell that sums over those dimensions; the cell with
//! the total everywhere is the grand total. Passage publishes every margin, so this
//! is exactly what a reader sees, and every sum a reader can use is a line of it:
//! along any dimension, the total cell is the sum of the other cells of its line.
//! Suppression works on this one table, so a small margin cell is protected exactly
//! like a small table cell.

use crate::table::Table;

pub(crate) struct Lattice {
    /// The number of categories of each dimension, its total not counted. The total
    /// of dimension `k` is coordinate `categories[k]`.
    categories: Vec<usize>,
    /// Row-major strides over `categories[k] + 1` coordinates per dimension.
    strides: Vec<usize>,
    values: Vec<u64>,
}

impl Lattice {
    pub(crate) fn new(table: &Table) -> Self {
        let categories: Vec<usize> = table
            .dimensions
            .iter()
            .map(|d| d.categories.len())
            .collect();
        let mut strides = vec![1; categories.len()];
        for k in (0..categories.len().saturating_sub(1)).rev() {
            strides[k] = strides[k + 1] * (categories[k + 1] + 1);
        }
        let size: usize = categories.iter().map(|n| n + 1).product();
        let mut lattice = Self {
            categories,
            strides,
            values: vec![0; size],
        };
        let cells: usize = lattice.categories.iter().product();
        for (flat, &count) in table.counts.iter().take(cells).enumerate() {
            let at = lattice.flat(&table.index_of(flat));
            if let Some(v) = lattice.values.get_mut(at) {
                *v = count;
            }
        }
        // Dimension by dimension, each total is the sum of its line; a cell with
        // several totals sums cells whose earlier totals are already filled in.
        for k in 0..lattice.dimensions() {
            let (n, stride) = (lattice.categories[k], lattice.strides[k]);
            for flat in 0..size {
                if lattice.coordinate(flat, k) == n {
                    let base = flat - n * stride;
                    let sum = (0..n).fold(0u64, |s, c| {
                        s.saturating_add(lattice.values[base + c * stride])
                    });
                    lattice.values[flat] = sum;
                }
            }
        }
        lattice
    }

    pub(crate) fn dimensions(&self) -> usize {
        self.categories.len()
    }

    pub(crate) fn len(&self) -> usize {
        self.values.len()
    }

    /// The number of categories of dimension `k`, which is also the coordinate of its
    /// total.
    pub(crate) fn categories(&self, k: usize) -> usize {
        self.categories[k]
    }

    pub(crate) fn stride(&self, k: usize) -> usize {
        self.strides[k]
    }

    pub(crate) fn value(&self, flat: usize) -> u64 {
        self.values[flat]
    }

    pub(crate) fn coordinate(&self, flat: usize, k: usize) -> usize {
        (flat / self.strides[k]) % (self.categories[k] + 1)
    }

    pub(crate) fn coordinates(&self, flat: usize) -> Vec<usize> {
        (0..self.dimensions())
            .map(|k| self.coordinate(flat, k))
            .collect()
    }

    pub(crate) fn flat(&self, coordinates: &[usize]) -> usize {
        coordinates
            .iter()
            .zip(&self.strides)
            .map(|(c, s)| c * s)
            .sum()
    }

    /// How many dimensions this cell sums over: 0 for a table cell.
    pub(crate) fn totals(&self, flat: usize) -> usize {
        (0..self.dimensions())
            .filter(|&k| self.coordinate(flat, k) == self.categories[k])
            .count()
    }

    /// Where a cell is published: the dimensions it keeps (ascending; all of them for
    /// a table cell) and its row-major position in the table over those dimensions.
    pub(crate) fn place(&self, flat: usize) -> (Vec<usize>, usize) {
        let mut keep = Vec::new();
        let mut position = 0;
        for k in 0..self.dimensions() {
            let c = self.coordinate(flat, k);
            if c < self.categories[k] {
                keep.push(k);
                position = position * self.categories[k] + c;
            }
        }
        (keep, position)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::table::Dimension;

    #[test]
    fn totals_are_margins() {
        let mut t = Table::new(vec![
            Dimension::new("a", &["x", "y"]),
            Dimension::new("b", &["u", "v", "w"]),
        ]);
        t.counts = vec![1, 2, 3, 4, 5, 6];
        let l = Lattice::new(&t);
        assert_eq!(l.len(), 12);
        let row_totals = [l.value(l.flat(&[0, 3])), l.value(l.flat(&[1, 3]))];
        assert_eq!(row_totals, [6, 15]);
        assert_eq!(l.value(l.flat(&[2, 1])), 7);
        assert_eq!(l.value(l.flat(&[2, 3])), 21);
        assert_eq!(l.place(l.flat(&[2, 1])), (vec![1], 1));
        assert_eq!(l.place(l.flat(&[1, 2])), (vec![0, 1], 5));
        assert_eq!(l.totals(l.flat(&[2, 3])), 2);
        assert_eq!(l.coordinates(l.flat(&[1, 3])), vec![1, 3]);
    }
}
