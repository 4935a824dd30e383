//! Names in any script, through normalisation, transliteration, comparison and scoring.
//! The input is two lines, each a person's name (and, for the first, the rest of a
//! person's fields). Checked: the stored and key forms are stable under a second pass,
//! transliteration gives lower-case ASCII words and is stable too, a name matches itself
//! exactly, comparison and scores are symmetric, and a record scores highest against
//! itself.
#![no_main]

use libfuzzer_sys::fuzz_target;
use passage_match::em::reference_model;
use passage_match::normalise::{for_storage, key_text};
use passage_match::translit::to_latin;
use passage_match::{Name, NameFrequencies, NameLevel, PersonFields, compare, prepare};

fn single_spaced(s: &str) -> bool {
    !s.starts_with(' ') && !s.ends_with(' ') && !s.contains("  ")
}

fn person(line: &str) -> PersonFields {
    let mut words = line.splitn(2, ' ');
    PersonFields {
        given: words.next().map(str::to_owned),
        family: words.next().map(str::to_owned),
        full: Some(line.to_owned()),
        original: Some(line.to_owned()),
        nationalities: vec![line.to_owned()],
        origin: Some(line.to_owned()),
        documents: vec![line.to_owned()],
        phone: Some(line.to_owned()),
        address: Some(line.to_owned()),
        ..PersonFields::default()
    }
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let (first, second) = text.split_once('\n').unwrap_or((text, ""));

    let stored = for_storage(first);
    assert_eq!(for_storage(&stored), stored, "{first:?}");
    let key = key_text(first);
    assert_eq!(key_text(&key), key, "{first:?}");
    assert!(single_spaced(&key), "{first:?} -> {key:?}");
    let latin = to_latin(first);
    assert!(
        latin.bytes().all(|b| b == b' ' || b.is_ascii_lowercase()),
        "{first:?} -> {latin:?}"
    );
    assert!(single_spaced(&latin), "{first:?} -> {latin:?}");
    assert_eq!(to_latin(&latin), latin, "{first:?}");

    let (a, b) = (Name::parse(first), Name::parse(second));
    let own = compare(&a, &a);
    if a.is_empty() {
        assert_eq!(own.level, NameLevel::Missing);
    } else {
        assert_eq!(own.level, NameLevel::Exact, "{first:?}");
    }
    assert_eq!(compare(&a, &b), compare(&b, &a), "{first:?} / {second:?}");

    let (x, y) = (prepare(&person(first)), prepare(&person(second)));
    assert!(x.keys.windows(2).all(|w| w[0] < w[1]));
    let model = reference_model(NameFrequencies::from_records(&[
        x.candidate.clone(),
        y.candidate.clone(),
    ]));
    let (xy, yx) = (
        model.score(&x.candidate, &y.candidate),
        model.score(&y.candidate, &x.candidate),
    );
    assert_eq!(xy.total, yx.total, "{first:?} / {second:?}");
    assert!((0.0..=1.0).contains(&xy.probability));
    let itself = model.score(&x.candidate, &x.candidate).total;
    assert!(xy.total <= itself + 1e-9, "{first:?} / {second:?}");
});
