//! The live index and a batch run agree: on the same records with the same model,
//! every pair the batch scores at or above the threshold is among the live candidates
//! of either record, with the same probability, and the live index finds no likely
//! pair the batch missed.

mod synthetic;

use std::collections::BTreeMap;

use passage_match::batch::{self, Options};
use passage_match::{Index, prepare};

#[test]
fn the_live_index_agrees_with_a_batch_run() {
    let fields = synthetic::population_fields();
    let records: Vec<_> = fields.iter().map(prepare).collect();
    let options = Options::default();
    let outcome = batch::run(&records, &options, &|_, _, _| {});
    let batch: BTreeMap<(u32, u32), f64> = outcome
        .pairs
        .iter()
        .filter(|p| p.probability >= options.threshold)
        .map(|p| ((p.a, p.b), p.probability))
        .collect();
    assert!(
        batch.len() >= 10,
        "too few pairs to compare: {}",
        batch.len()
    );

    let mut index = Index::new(outcome.model.clone());
    for (i, r) in records.iter().enumerate() {
        index.upsert(i as u32, r.clone());
    }
    let mut live: BTreeMap<(u32, u32), f64> = BTreeMap::new();
    for (i, r) in records.iter().enumerate() {
        let i = i as u32;
        for found in index.candidates(r, 10, |id| *id == i) {
            if found.scored.probability >= options.threshold {
                live.insert((i.min(found.id), i.max(found.id)), found.scored.probability);
            }
        }
    }
    assert_eq!(
        live.keys().collect::<Vec<_>>(),
        batch.keys().collect::<Vec<_>>()
    );
    for (pair, p) in &batch {
        assert!(
            (live[pair] - p).abs() < 1e-9,
            "{pair:?}: {} / {p}",
            live[pair]
        );
    }
}
