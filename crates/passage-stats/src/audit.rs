//! Which suppressed numbers a reader can work out exactly from a published table.
//!
//! This audit reads only what is published ([`Protected`]), and does not trust the
//! method that produced it. The unknowns are the suppressed cells of the table. Each
//! published margin cell is an equation: the sum of the suppressed table cells it
//! counts equals its value minus its published table cells. A suppressed number, a
//! table cell or a margin cell (a sum of table cells), is determined exactly when its
//! coefficients over the unknowns are a linear combination of the equations.
//!
//! Only the pattern of suppression matters, not the values, so rounding changes
//! nothing here (rounded margins are treated as exact, the stricter reading). Exact
//! determination is all that is audited: the bounds a reader gets from counts being
//! non-negative integers are not.
//!
//! The row space is computed exactly by fraction-free Gauss–Jordan elimination over
//! `i128`, each row divided by the gcd of its entries. That is quadratic in the
//! number of cells: meant for tables of a few thousand cells.

use crate::disclosure::Protected;

/// A suppressed number that the published numbers determine.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Determined {
    /// A cell of the table, by its row-major position.
    Cell(usize),
    /// A cell of the margin that keeps these dimensions, by its row-major position.
    Margin { keep: Vec<usize>, cell: usize },
}

/// Why a published table could not be audited.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AuditError {
    #[error(
        "the margin keeping dimensions {keep:?} has {got} cells; its dimensions make {expected}"
    )]
    Shape {
        keep: Vec<usize>,
        expected: usize,
        got: usize,
    },
    #[error("exact elimination outgrew 128-bit integers")]
    Overflow,
}

/// Every suppressed cell, of the table and of the margins, that the published cells
/// and margins determine exactly; table cells first, then margins in order.
pub fn determined(p: &Protected) -> Result<Vec<Determined>, AuditError> {
    let sizes: Vec<usize> = p.dimensions.iter().map(|d| d.categories.len()).collect();
    let all: Vec<usize> = (0..sizes.len()).collect();
    check_shape(&sizes, &all, p.cells.len())?;
    let mut unknowns = Vec::new();
    for (i, cell) in p.cells.iter().enumerate() {
        if cell.is_suppressed() {
            unknowns.push(coordinates(&sizes, i));
        }
    }
    let width = unknowns.len();
    // For every margin cell, the unknowns it counts.
    let mut counted: Vec<Vec<Vec<usize>>> = Vec::with_capacity(p.margins.len());
    for margin in &p.margins {
        check_shape(&sizes, &margin.keep, margin.cells.len())?;
        let mut lists = vec![Vec::new(); margin.cells.len()];
        for (u, at) in unknowns.iter().enumerate() {
            let position = margin.keep.iter().fold(0, |pos, &k| pos * sizes[k] + at[k]);
            lists[position].push(u);
        }
        counted.push(lists);
    }
    let mut equations = Vec::new();
    for (margin, lists) in p.margins.iter().zip(&counted) {
        for (cell, list) in margin.cells.iter().zip(lists) {
            if !cell.is_suppressed() && !list.is_empty() {
                equations.push(row(width, list));
            }
        }
    }
    let space = RowSpace::new(equations, width)?;
    let mut found = Vec::new();
    for (u, at) in unknowns.iter().enumerate() {
        if space.contains(row(width, &[u]))? {
            found.push(Determined::Cell(flat(&sizes, at)));
        }
    }
    for (margin, lists) in p.margins.iter().zip(&counted) {
        for (cell, (published, list)) in margin.cells.iter().zip(lists).enumerate() {
            if published.is_suppressed() && space.contains(row(width, list))? {
                found.push(Determined::Margin {
                    keep: margin.keep.clone(),
                    cell,
                });
            }
        }
    }
    Ok(found)
}

fn check_shape(sizes: &[usize], keep: &[usize], got: usize) -> Result<(), AuditError> {
    let mut seen = Vec::new();
    let mut expected = 1usize;
    for &k in keep {
        match sizes.get(k) {
            Some(&n) if !seen.contains(&k) => expected = expected.saturating_mul(n),
            _ => expected = usize::MAX,
        }
        seen.push(k);
    }
    if expected == got {
        Ok(())
    } else {
        Err(AuditError::Shape {
            keep: keep.to_vec(),
            expected,
            got,
        })
    }
}

fn coordinates(sizes: &[usize], flat: usize) -> Vec<usize> {
    let mut at = vec![0; sizes.len()];
    let mut rest = flat;
    for (slot, &n) in at.iter_mut().zip(sizes).rev() {
        *slot = rest % n.max(1);
        rest /= n.max(1);
    }
    at
}

fn flat(sizes: &[usize], at: &[usize]) -> usize {
    at.iter().zip(sizes).fold(0, |pos, (&c, &n)| pos * n + c)
}

/// A 0/1 row with ones at `ones`.
fn row(width: usize, ones: &[usize]) -> Vec<i128> {
    let mut r = vec![0; width];
    for &i in ones {
        r[i] = 1;
    }
    r
}

/// The row space of a set of equations, in reduced row echelon form: each pivot
/// column is zero in every row but its own.
struct RowSpace {
    /// (pivot column, row)
    rows: Vec<(usize, Vec<i128>)>,
}

impl RowSpace {
    fn new(mut rows: Vec<Vec<i128>>, width: usize) -> Result<Self, AuditError> {
        let mut pivots = Vec::new();
        for col in 0..width {
            let next = pivots.len();
            let Some(r) = (next..rows.len()).find(|&r| rows[r][col] != 0) else {
                continue;
            };
            rows.swap(next, r);
            let pivot = rows[next].clone();
            for (q, row) in rows.iter_mut().enumerate() {
                if q != next && row[col] != 0 {
                    let reduced = eliminate(row, &pivot, col)?;
                    *row = reduced;
                }
            }
            pivots.push(col);
        }
        rows.truncate(pivots.len());
        Ok(Self {
            rows: pivots.into_iter().zip(rows).collect(),
        })
    }

    fn contains(&self, mut v: Vec<i128>) -> Result<bool, AuditError> {
        for (col, row) in &self.rows {
            if v[*col] != 0 {
                v = eliminate(&v, row, *col)?;
            }
        }
        Ok(v.iter().all(|&x| x == 0))
    }
}

/// `v` with column `col` cleared by a multiple of `pivot`, divided by the gcd of its
/// entries: `pivot[col] * v - v[col] * pivot`, exact.
fn eliminate(v: &[i128], pivot: &[i128], col: usize) -> Result<Vec<i128>, AuditError> {
    let (a, b) = (pivot[col], v[col]);
    let mut out = Vec::with_capacity(v.len());
    for (&x, &y) in v.iter().zip(pivot) {
        let ax = a.checked_mul(x).ok_or(AuditError::Overflow)?;
        let by = b.checked_mul(y).ok_or(AuditError::Overflow)?;
        out.push(ax.checked_sub(by).ok_or(AuditError::Overflow)?);
    }
    let mut g = 0u128;
    for &x in &out {
        g = gcd(g, x.unsigned_abs());
        if g == 1 {
            return Ok(out);
        }
    }
    if g > 1 {
        let g = i128::try_from(g).map_err(|_| AuditError::Overflow)?;
        for x in &mut out {
            *x /= g;
        }
    }
    Ok(out)
}

fn gcd(mut a: u128, mut b: u128) -> u128 {
    while b != 0 {
        (a, b) = (b, a % b);
    }
    a
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::disclosure::{Cell, PublishedMargin};
    use crate::table::Dimension;

    fn two_by_two(cells: [Cell; 4], rows: [Cell; 2], cols: [Cell; 2]) -> Protected {
        Protected {
            dimensions: vec![
                Dimension::new("a", &["x", "y"]),
                Dimension::new("b", &["u", "v"]),
            ],
            cells: cells.to_vec(),
            margins: vec![
                PublishedMargin {
                    keep: vec![],
                    cells: vec![Cell::Value(40)],
                },
                PublishedMargin {
                    keep: vec![0],
                    cells: rows.to_vec(),
                },
                PublishedMargin {
                    keep: vec![1],
                    cells: cols.to_vec(),
                },
            ],
            primary: 0,
            secondary: 0,
        }
    }

    const S: Cell = Cell::Suppressed { primary: true };
    const V: Cell = Cell::Value(10);

    #[test]
    fn a_cell_alone_in_its_row_is_determined() {
        let p = two_by_two([S, V, V, V], [V, V], [V, V]);
        let found = determined(&p).unwrap();
        assert_eq!(found, vec![Determined::Cell(0)]);
    }

    #[test]
    fn four_corners_are_not() {
        let p = two_by_two([S, S, S, S], [V, V], [V, V]);
        assert_eq!(determined(&p).unwrap(), vec![]);
    }

    #[test]
    fn a_suppressed_margin_over_published_cells_is_determined() {
        let p = two_by_two([S, S, V, V], [S, V], [V, V]);
        // Row x is suppressed, but it is the grand total minus row y.
        let found = determined(&p).unwrap();
        assert!(found.contains(&Determined::Margin {
            keep: vec![0],
            cell: 0
        }));
        // Cells x·u and x·v: column totals minus the published row y.
        assert!(found.contains(&Determined::Cell(0)));
        assert!(found.contains(&Determined::Cell(1)));
    }

    #[test]
    fn refuses_a_malformed_table() {
        let mut p = two_by_two([S, S, S, S], [V, V], [V, V]);
        p.margins[1].cells.pop();
        assert!(matches!(determined(&p), Err(AuditError::Shape { .. })));
    }

    #[test]
    fn elimination_is_exact() {
        // x + y, y + z, x + z span e_x (half their alternating sum); x + y, z do not.
        let space =
            RowSpace::new(vec![row(3, &[0, 1]), row(3, &[1, 2]), row(3, &[0, 2])], 3).unwrap();
        assert!(space.contains(row(3, &[0])).unwrap());
        let space = RowSpace::new(vec![row(3, &[0, 1]), row(3, &[2])], 3).unwrap();
        assert!(!space.contains(row(3, &[0])).unwrap());
        assert!(space.contains(row(3, &[0, 1, 2])).unwrap());
    }
}
