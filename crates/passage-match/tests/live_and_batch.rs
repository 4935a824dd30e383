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

/// A population registered with care holds no duplicates: EM then learns a match prior
/// near zero. The next registration of someone already there must still be likely.
#[test]
fn an_exact_copy_is_likely_in_a_population_without_duplicates() {
    use passage_match::PersonFields;
    use passage_match::score::{BirthDate, Sex};
    let syllables = [
        "ba", "ko", "mi", "tu", "se", "ra", "lo", "ne", "di", "fa", "gu", "zo",
    ];
    let mut rng = passage_match::SplitMix64::new(11);
    let mut pick = |n: u64| (rng.next_u64() % n) as usize;
    let fields: Vec<PersonFields> = (0..3_000)
        .map(|_| {
            let mut name =
                |k: usize| -> String { (0..k).map(|_| syllables[pick(12)]).collect::<String>() };
            let (given, family) = (name(3), name(4));
            PersonFields {
                given: Some(given),
                family: Some(family),
                sex: Some(if pick(2) == 0 { Sex::Female } else { Sex::Male }),
                birth: Some(BirthDate {
                    year: Some(1940 + pick(70) as i32),
                    month: Some(1 + pick(12) as u8),
                    day: Some(1 + pick(28) as u8),
                    estimated: false,
                }),
                nationalities: vec![["SDN", "ERI", "SOM"][pick(3)].to_owned()],
                ..PersonFields::default()
            }
        })
        .collect();
    assert!(fields.len() >= passage_match::em::MIN_LEARNING_POPULATION);
    let records: Vec<_> = fields.iter().map(prepare).collect();
    let model = batch::learn(&records, &Options::default());
    let mut index = Index::new(model);
    for (i, r) in records.iter().enumerate() {
        index.upsert(i as u32, r.clone());
    }
    for k in [0, 1_234, 2_999] {
        let copy = prepare(&fields[k]);
        let found = index.candidates(&copy, 1, |_| false);
        assert_eq!(found.first().map(|f| f.id), Some(k as u32));
        assert!(
            found[0].scored.probability >= 0.9,
            "an exact copy of record {k} scores {}",
            found[0].scored.probability
        );
    }
}
