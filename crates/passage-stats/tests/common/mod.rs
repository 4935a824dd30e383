//! Helpers shared by the disclosure tests: tables from counts, and the checks every
//! protected table must pass besides the audit.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use passage_stats::{Cell, Dimension, Policy, Protected, Table};

/// A table with dimensions `d0`, `d1`, … of the given sizes, categories `c0`, `c1`, ….
pub fn make(sizes: &[usize], counts: &[u64]) -> Table {
    let dimensions = sizes
        .iter()
        .enumerate()
        .map(|(k, &n)| Dimension {
            name: format!("d{k}"),
            categories: (0..n).map(|c| format!("c{c}")).collect(),
        })
        .collect();
    let mut table = Table::new(dimensions);
    assert_eq!(table.len(), counts.len());
    table.counts = counts.to_vec();
    table
}

/// The number published for `count`: the nearest multiple of the base, halves up,
/// never 0 for a non-zero count.
pub fn rounded(count: u64, policy: &Policy) -> u64 {
    match policy.rounding {
        Some(base) if base > 1 && count > 0 => {
            let nearest = (2 * count + base) / (2 * base) * base;
            nearest.max(base)
        }
        _ => count,
    }
}

/// Every proper subset of `0..d`, by size then lexicographically.
fn proper_subsets(d: usize) -> Vec<Vec<usize>> {
    let mut all: Vec<Vec<usize>> = (0u32..(1 << d) - 1)
        .map(|mask| (0..d).filter(|&k| mask & (1 << k) != 0).collect())
        .collect();
    all.sort_by(|a: &Vec<usize>, b| a.len().cmp(&b.len()).then_with(|| a.cmp(b)));
    all
}

/// Checks one published table (cells or a margin) against the true counts.
fn check_cells(cells: &[Cell], truth: &[u64], policy: &Policy) -> (usize, usize) {
    assert_eq!(cells.len(), truth.len());
    let (mut primary, mut secondary) = (0, 0);
    for (cell, &count) in cells.iter().zip(truth) {
        let small = count > 0 && count < policy.threshold;
        match *cell {
            Cell::Value(v) => {
                assert!(!small, "a small count {count} is published");
                assert_eq!(v, rounded(count, policy));
            }
            Cell::Suppressed { primary: true } => {
                assert!(small, "{count} is marked primary");
                primary += 1;
            }
            Cell::Suppressed { primary: false } => {
                assert!(count >= policy.threshold, "{count} is marked secondary");
                secondary += 1;
            }
        }
    }
    (primary, secondary)
}

/// Everything but the audit: every small cell suppressed as primary, zeros and
/// everything else published as its (rounded) count, every margin present and right,
/// and the counts of suppressions.
pub fn verify(table: &Table, policy: &Policy, p: &Protected) {
    assert_eq!(p.dimensions, table.dimensions);
    let (mut primary, mut secondary) = check_cells(&p.cells, &table.counts, policy);
    let keeps: Vec<Vec<usize>> = p.margins.iter().map(|m| m.keep.clone()).collect();
    assert_eq!(keeps, proper_subsets(table.dimensions.len()));
    for margin in &p.margins {
        let truth = table.margin(&margin.keep);
        let (a, b) = check_cells(&margin.cells, &truth.counts, policy);
        primary += a;
        secondary += b;
    }
    assert_eq!((p.primary, p.secondary), (primary, secondary));
}

/// Only primary suppression: `protect`, with every secondary suppression published
/// again. What a table without secondary suppression would give away.
pub fn primary_only(table: &Table, policy: &Policy) -> Protected {
    let mut p = passage_stats::protect(table, policy);
    let reveal = |cells: &mut [Cell], truth: &[u64]| {
        for (cell, &count) in cells.iter_mut().zip(truth) {
            if *cell == (Cell::Suppressed { primary: false }) {
                *cell = Cell::Value(count);
            }
        }
    };
    reveal(&mut p.cells, &table.counts);
    for margin in &mut p.margins {
        reveal(&mut margin.cells, &table.margin(&margin.keep).counts);
    }
    p.secondary = 0;
    p
}
