//! Blocking keys: records of one person share a key whatever the script, spelling,
//! order or missing part; records of different people share none of the name keys.

use std::collections::BTreeSet;

use passage_match::variants::class_of;
use passage_match::{BlockKey, NameRecord, blocking_keys};

fn person(given: &str, family: &str, year: i32) -> NameRecord {
    NameRecord {
        given: Some(given.to_owned()),
        family: Some(family.to_owned()),
        birth_year: Some(year),
        nationality: Some("syr".to_owned()),
        ..NameRecord::default()
    }
}

fn keys(r: &NameRecord) -> BTreeSet<BlockKey> {
    blocking_keys(r).into_iter().collect()
}

fn shared(a: &NameRecord, b: &NameRecord) -> BTreeSet<BlockKey> {
    keys(a).intersection(&keys(b)).cloned().collect()
}

#[test]
fn one_person_in_four_spellings_and_two_scripts_shares_a_key() {
    let records = [
        person("Mohammed", "Hussein", 1990),
        NameRecord {
            original: Some("محمد حسين".to_owned()),
            birth_year: Some(1990),
            ..NameRecord::default()
        },
        person("Muhammad", "Husain", 1990),
        person("Mohd", "Hossain", 1990),
        NameRecord {
            original: Some("মোহাম্মদ হোসেন".to_owned()),
            ..NameRecord::default()
        },
    ];
    let mut common = keys(&records[0]);
    for r in &records[1..] {
        common = common.intersection(&keys(r)).cloned().collect();
    }
    assert!(
        common.contains(&BlockKey::SortedTokens("hsn mhmd".to_owned())),
        "{common:?}"
    );
    // With the year, the first four also share the name key.
    let mut with_year = keys(&records[0]);
    for r in &records[1..4] {
        with_year = with_year.intersection(&keys(r)).cloned().collect();
    }
    assert!(
        with_year.contains(&BlockKey::NameYear {
            name: "mhmdhsn".to_owned(),
            year: 1990
        }),
        "{with_year:?}"
    );
}

#[test]
fn swapped_given_and_family_names_share_the_sorted_token_key() {
    let shared = shared(
        &person("Mohammed", "Hussein", 1990),
        &person("Hussein", "Mohammed", 1990),
    );
    assert!(
        shared.contains(&BlockKey::SortedTokens("hsn mhmd".to_owned())),
        "{shared:?}"
    );
}

#[test]
fn a_missing_part_still_shares_a_pair_key() {
    let full = NameRecord {
        other: vec!["Ali".to_owned()],
        ..person("Mohammed", "Hussein", 1990)
    };
    let short = person("Muhammad", "Husain", 1991);
    assert!(shared(&full, &short).contains(&BlockKey::SortedTokens("hsn mhmd".to_owned())));
}

#[test]
fn a_wrong_year_still_shares_name_and_nationality() {
    let shared = shared(
        &person("Mohammed", "Hussein", 1990),
        &person("Muhammad", "Husain", 1985),
    );
    assert!(shared.contains(&BlockKey::NameNationality {
        name: "mhmdhsn".to_owned(),
        nationality: "SYR".to_owned()
    }));
}

#[test]
fn honorifics_and_abbreviations_do_not_split_blocks() {
    let a = NameRecord {
        given: Some("Md Rafiqul".to_owned()),
        family: Some("Islam".to_owned()),
        ..NameRecord::default()
    };
    let b = NameRecord {
        given: Some("Haji Rafiqul".to_owned()),
        family: Some("Islam".to_owned()),
        ..NameRecord::default()
    };
    let c = NameRecord {
        original: Some("রফিকুল ইসলাম".to_owned()),
        ..NameRecord::default()
    };
    assert!(!shared(&a, &b).is_empty());
    assert!(
        !shared(&b, &c).is_empty(),
        "{:?} / {:?}",
        keys(&b),
        keys(&c)
    );
    let d = NameRecord {
        given: Some("Daw Aung San".to_owned()),
        family: Some("Suu Kyi".to_owned()),
        ..NameRecord::default()
    };
    let e = NameRecord {
        original: Some("အောင်ဆန်းစုကြည်".to_owned()),
        ..NameRecord::default()
    };
    assert!(
        !shared(&d, &e).is_empty(),
        "{:?} / {:?}",
        keys(&d),
        keys(&e)
    );
}

#[test]
fn different_people_share_no_name_key() {
    let a = person("Fatima", "Begum", 1990);
    let b = person("Amina", "Khatun", 1990);
    assert!(shared(&a, &b).is_empty(), "{:?}", shared(&a, &b));
}

#[test]
fn documents_and_phones_block_whatever_the_names() {
    let a = NameRecord {
        given: Some("Nur".to_owned()),
        document_numbers: vec!["AB 123456".to_owned()],
        phone: Some("+880 1712 345678".to_owned()),
        ..NameRecord::default()
    };
    let b = NameRecord {
        given: Some("Rashida".to_owned()),
        document_numbers: vec!["ab-123456".to_owned()],
        phone: Some("01712-345678".to_owned()),
        ..NameRecord::default()
    };
    let shared = shared(&a, &b);
    assert!(shared.contains(&BlockKey::Document("AB123456".to_owned())));
    assert!(shared.contains(&BlockKey::Phone("712345678".to_owned())));
}

#[test]
fn mahmud_is_not_mohammed() {
    assert!(class_of("mohammed").is_some());
    assert_ne!(class_of("mahmud"), class_of("mohammed"));
    assert_eq!(class_of("mohd"), class_of("mohammed"));
}

#[test]
fn keys_are_sorted_and_display_as_text() {
    let k = blocking_keys(&person("Mohammed", "Hussein", 1990));
    let mut sorted = k.clone();
    sorted.sort();
    sorted.dedup();
    assert_eq!(k, sorted);
    let text: Vec<String> = k.iter().map(ToString::to_string).collect();
    assert!(text.contains(&"ny:mhmdhsn:1990".to_owned()), "{text:?}");
    assert!(text.contains(&"st:hsn mhmd".to_owned()), "{text:?}");
}
