#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
//! A table the size of a real publication: site × sex × age band × nationality ×
//! month, 9 × 3 × 6 × 50 × 10 = 81,000 cells, about 30% of them small.
//!
//! The exact audit is quadratic in the number of cells and does not run here. What
//! runs instead: every check but the audit (every small cell suppressed, every
//! published number right, every margin present), and the audit's most common
//! finding, checked on every line of the table and its margins: a line (a total and
//! the cells it sums) with exactly one suppressed number gives that number away.

mod common;

use std::time::Instant;

use common::{make, verify};
use passage_stats::{Cell, Policy, Protected, protect};

/// A fixed stream of pseudo-random numbers (SplitMix64), so the table is the same on
/// every run.
struct Stream(u64);

impl Stream {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
}

/// Whether each number of the table and its margins is suppressed, indexed like the
/// table with one more coordinate per dimension, its total.
fn suppressed_everywhere(p: &Protected, sizes: &[usize]) -> (Vec<bool>, Vec<usize>) {
    let mut strides = vec![1; sizes.len()];
    for k in (0..sizes.len() - 1).rev() {
        strides[k] = strides[k + 1] * (sizes[k + 1] + 1);
    }
    let mut marks = vec![false; sizes.iter().map(|n| n + 1).product()];
    let all: Vec<usize> = (0..sizes.len()).collect();
    let published =
        std::iter::once((&all, &p.cells)).chain(p.margins.iter().map(|m| (&m.keep, &m.cells)));
    for (keep, cells) in published {
        for (position, cell) in cells.iter().enumerate() {
            // Coordinates: kept dimensions from the position, the total elsewhere.
            let mut at: Vec<usize> = sizes.to_vec();
            let mut rest = position;
            for &k in keep.iter().rev() {
                at[k] = rest % sizes[k];
                rest /= sizes[k];
            }
            let flat: usize = at.iter().zip(&strides).map(|(c, s)| c * s).sum();
            marks[flat] = cell.is_suppressed();
        }
    }
    (marks, strides)
}

#[test]
fn a_publication_sized_table() {
    let sizes = [9, 3, 6, 50, 10];
    let mut stream = Stream(2024);
    let counts: Vec<u64> = (0..sizes.iter().product::<usize>())
        .map(|_| match stream.next() % 100 {
            0..20 => 0,
            20..50 => 1 + stream.next() % 4,
            _ => 5 + stream.next() % 200,
        })
        .collect();
    let table = make(&sizes, &counts);
    let policy = Policy::default();

    let started = Instant::now();
    let p = protect(&table, &policy);
    eprintln!(
        "protected {} cells in {:?}: {} primary, {} secondary suppressions",
        table.len(),
        started.elapsed(),
        p.primary,
        p.secondary
    );

    let tc = p.cells.iter().filter(|c| c.is_suppressed()).count();
    let mc: usize = p
        .margins
        .iter()
        .map(|m| m.cells.iter().filter(|c| c.is_suppressed()).count())
        .sum();
    eprintln!("table cells suppressed {tc}, margin cells {mc}");
    verify(&table, &policy, &p);
    let small = counts.iter().filter(|&&c| c > 0 && c < 5).count();
    assert!(small > 20_000);
    let grand = p.margins.iter().find(|m| m.keep.is_empty()).unwrap();
    assert_eq!(grand.cells, vec![Cell::Value(table.total())]);

    let (marks, strides) = suppressed_everywhere(&p, &sizes);
    let mut lines = 0;
    for (k, &n) in sizes.iter().enumerate() {
        for flat in 0..marks.len() {
            if (flat / strides[k]) % (n + 1) != n {
                continue;
            }
            // `flat` is the total of a line along dimension k.
            let first = flat - n * strides[k];
            let hidden = (0..=n).filter(|&c| marks[first + c * strides[k]]).count();
            assert_ne!(hidden, 1, "one suppressed number alone on a line");
            lines += 1;
        }
    }
    assert!(lines > 60_000);
}
