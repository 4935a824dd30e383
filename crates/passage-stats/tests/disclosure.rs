#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
//! Suppression with published margins, checked by the audit: whatever the table, no
//! suppressed number can be worked out from what is published.

mod common;

use common::{make, primary_only, rounded, verify};
use passage_stats::{Cell, Determined, Policy, determined, protect};
use proptest::prelude::*;

/// Counts as registration tables have them: many zeros, many small cells, many more.
fn mixed() -> impl Strategy<Value = u64> + Clone {
    prop_oneof![3 => Just(0u64), 3 => 1..5u64, 3 => 5..60u64]
}

/// Counts for a sparse table, where margins are small too.
fn sparse() -> impl Strategy<Value = u64> + Clone {
    prop_oneof![5 => Just(0u64), 4 => 1..5u64, 1 => 5..20u64]
}

fn tables(
    dims: std::ops::RangeInclusive<usize>,
    categories: std::ops::RangeInclusive<usize>,
    count: impl Strategy<Value = u64> + Clone,
) -> impl Strategy<Value = passage_stats::Table> {
    prop::collection::vec(categories, dims)
        .prop_flat_map(move |sizes| {
            let n: usize = sizes.iter().product();
            (Just(sizes), prop::collection::vec(count.clone(), n))
        })
        .prop_map(|(sizes, counts)| make(&sizes, &counts))
}

fn policies() -> impl Strategy<Value = Policy> {
    (
        prop_oneof![Just(5u64), 2..11u64],
        prop_oneof![Just(None), Just(Some(5u64)), Just(Some(3u64))],
    )
        .prop_map(|(threshold, rounding)| Policy {
            threshold,
            rounding,
        })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn nothing_suppressed_is_determined(table in tables(2..=3, 2..=6, mixed())) {
        let policy = Policy::default();
        let p = protect(&table, &policy);
        verify(&table, &policy, &p);
        prop_assert_eq!(determined(&p).unwrap(), vec![]);
        prop_assert_eq!(protect(&table, &policy), p);
    }

    #[test]
    fn any_policy(table in tables(2..=3, 2..=6, mixed()), policy in policies()) {
        let p = protect(&table, &policy);
        verify(&table, &policy, &p);
        prop_assert_eq!(determined(&p).unwrap(), vec![]);
    }

    #[test]
    fn sparse_tables_with_small_margins(table in tables(2..=3, 2..=6, sparse())) {
        let policy = Policy::default();
        let p = protect(&table, &policy);
        verify(&table, &policy, &p);
        prop_assert_eq!(determined(&p).unwrap(), vec![]);
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn four_dimensions(table in tables(4..=4, 2..=3, mixed())) {
        let policy = Policy::default();
        let p = protect(&table, &policy);
        verify(&table, &policy, &p);
        prop_assert_eq!(determined(&p).unwrap(), vec![]);
    }
}

const S: Cell = Cell::Suppressed { primary: false };
const P: Cell = Cell::Suppressed { primary: true };

#[test]
fn one_small_cell_in_two_by_two_takes_all_four() {
    let t = make(&[2, 2], &[3, 10, 12, 20]);
    let p = protect(&t, &Policy::default());
    assert_eq!(p.cells, vec![P, S, S, S]);
    assert!(
        p.margins
            .iter()
            .all(|m| !m.cells.iter().any(Cell::is_suppressed))
    );
    assert_eq!((p.primary, p.secondary), (1, 3));
    assert_eq!(determined(&p).unwrap(), vec![]);
}

#[test]
fn a_zero_is_never_a_complement() {
    // 2  0 30
    // 10 12 15
    // 20 25 40
    let t = make(&[3, 3], &[2, 0, 30, 10, 12, 15, 20, 25, 40]);
    let p = protect(&t, &Policy::default());
    let v = Cell::Value;
    #[rustfmt::skip]
    let expected = vec![
        P, v(0), S,
        S, v(12), S,
        v(20), v(25), v(40),
    ];
    assert_eq!(p.cells, expected);
    assert_eq!(determined(&p).unwrap(), vec![]);
}

#[test]
fn three_dimensions() {
    let t = make(&[2, 2, 2], &[2, 10, 11, 12, 13, 14, 15, 16]);
    let p = protect(&t, &Policy::default());
    assert!(p.cells.iter().all(Cell::is_suppressed));
    assert_eq!((p.primary, p.secondary), (1, 7));
    assert_eq!(determined(&p).unwrap(), vec![]);

    // A small cell in a bigger cube takes one other category in each dimension.
    let mut counts: Vec<u64> = (0..27).map(|i| 20 + i).collect();
    counts[13] = 1;
    let t = make(&[3, 3, 3], &counts);
    let p = protect(&t, &Policy::default());
    let suppressed = p.cells.iter().filter(|c| c.is_suppressed()).count();
    assert_eq!(suppressed, 8);
    assert_eq!(determined(&p).unwrap(), vec![]);
}

#[test]
fn a_small_margin_is_protected_like_a_cell() {
    // Row 0 counts three people; its total is small, and so are its cells.
    let t = make(&[2, 3], &[1, 2, 0, 10, 20, 30]);
    let p = protect(&t, &Policy::default());
    let rows = p.margins.iter().find(|m| m.keep == vec![0]).unwrap();
    assert_eq!(rows.cells[0], P);
    assert_eq!(p.cells[2], Cell::Value(0));
    verify(&t, &Policy::default(), &p);
    assert_eq!(determined(&p).unwrap(), vec![]);
}

#[test]
fn primary_suppression_alone_gives_cells_away() {
    let t = make(&[2, 2], &[3, 10, 12, 20]);
    let p = primary_only(&t, &Policy::default());
    assert_eq!(p.cells[0], P);
    assert_eq!(determined(&p).unwrap(), vec![Determined::Cell(0)]);

    // A small row total with its cells: the audit finds the margin and the cells.
    let t = make(&[2, 3], &[1, 2, 0, 10, 20, 30]);
    let found = determined(&primary_only(&t, &Policy::default())).unwrap();
    assert!(found.contains(&Determined::Margin {
        keep: vec![0],
        cell: 0
    }));
    assert!(found.contains(&Determined::Cell(0)));
}

#[test]
fn rounding_publishes_multiples_and_no_false_zero() {
    let policy = Policy {
        threshold: 3,
        rounding: Some(5),
    };
    let t = make(&[2, 3], &[3, 7, 0, 12, 40, 9]);
    let p = protect(&t, &policy);
    for (cell, &count) in p.cells.iter().zip(&t.counts) {
        if let Cell::Value(v) = cell {
            assert_eq!(*v, rounded(count, &policy));
            assert_eq!(v % 5, 0);
            assert_eq!(*v == 0, count == 0);
        }
    }
    assert_eq!(p.cells[0], Cell::Value(5));
    verify(&t, &policy, &p);
}

#[test]
fn a_table_without_dimensions_is_one_number() {
    let t = make(&[], &[3]);
    let p = protect(&t, &Policy::default());
    assert_eq!(p.cells, vec![P]);
    assert!(p.margins.is_empty());
    verify(&t, &Policy::default(), &p);
    assert_eq!(determined(&p).unwrap(), vec![]);
}

#[test]
fn a_table_with_nothing_small_publishes_everything() {
    let t = make(&[3, 2], &[5, 0, 9, 14, 6, 100]);
    let p = protect(&t, &Policy::default());
    assert_eq!((p.primary, p.secondary), (0, 0));
    let published: Vec<Cell> = t.counts.iter().map(|&c| Cell::Value(c)).collect();
    assert_eq!(p.cells, published);
}
