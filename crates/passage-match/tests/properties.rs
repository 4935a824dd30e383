//! Properties that hold for any input.

mod common;

use passage_match::compare::{NameLevel, compare};
use passage_match::normalise::{for_storage, key_text};
use passage_match::particles::{Action, lookup};
use passage_match::translit::to_latin;
use passage_match::variants::{self, ClassId};
use passage_match::{Name, NameRecord, blocking_keys};
use proptest::prelude::*;

/// Name parts as the flows write them: variant spellings, script names, random Latin,
/// random Arabic, Bengali, Burmese and Ge'ez letters, particles.
fn part() -> impl Strategy<Value = String> {
    let spellings: Vec<String> = variants::classes()
        .flat_map(|c: ClassId| c.members())
        .map(str::to_owned)
        .collect();
    let script: Vec<String> = common::EXAMPLES
        .iter()
        .flat_map(|e| e.original.split(' '))
        .map(str::to_owned)
        .collect();
    prop_oneof![
        proptest::sample::select(spellings),
        proptest::sample::select(script),
        "[A-Za-z'-]{1,9}",
        "[\u{0621}-\u{064A}\u{067E}\u{0686}\u{06A9}\u{06AF}\u{06CC}\u{064B}-\u{0652}]{1,7}",
        "[\u{0985}-\u{09B9}\u{09BE}-\u{09CD}]{1,7}",
        "[\u{1000}-\u{1021}\u{102B}-\u{103E}]{1,7}",
        "[\u{1200}-\u{1357}]{1,5}",
        Just("al".to_owned()),
        Just("abdul".to_owned()),
        Just("Haji".to_owned()),
        Just("ur".to_owned()),
    ]
}

fn name() -> impl Strategy<Value = String> {
    proptest::collection::vec(part(), 1..5).prop_map(|parts| parts.join(" "))
}

/// A name with no particle that joins its neighbour: those depend on word order by
/// design ("Habib ur Rahman" is not "ur Rahman Habib").
fn unjoined_name() -> impl Strategy<Value = String> {
    name().prop_filter("no joining particle", |s| {
        to_latin(s).split(' ').all(|w| {
            !matches!(
                lookup(w),
                Some(Action::JoinNext | Action::JoinPrev | Action::Head | Action::Tail)
            )
        })
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn normalisation_is_idempotent(s in any::<String>()) {
        let once = key_text(&s);
        prop_assert_eq!(key_text(&once), once.clone());
        prop_assert_eq!(for_storage(&for_storage(&s)), for_storage(&s));
    }

    #[test]
    fn normalisation_of_names_is_idempotent(s in name()) {
        let once = key_text(&s);
        prop_assert_eq!(key_text(&once), once);
    }

    #[test]
    fn transliteration_gives_lower_case_ascii_words(s in any::<String>()) {
        let latin = to_latin(&s);
        prop_assert!(latin.chars().all(|c| c.is_ascii_lowercase() || c == ' '), "{:?}", latin);
        prop_assert!(!latin.contains("  ") && latin.trim() == latin);
    }

    #[test]
    fn a_name_matches_itself_at_the_best_level(s in name()) {
        let n = Name::parse(&s);
        let c = compare(&n, &n);
        if n.is_empty() {
            prop_assert_eq!(c.level, NameLevel::Missing);
        } else {
            prop_assert_eq!(c.level, NameLevel::Exact);
            prop_assert!((c.jaro_winkler - 1.0).abs() < 1e-9);
        }
    }

    #[test]
    fn comparison_is_symmetric(a in name(), b in name()) {
        let (x, y) = (Name::parse(&a), Name::parse(&b));
        prop_assert_eq!(compare(&x, &y), compare(&y, &x));
    }

    #[test]
    fn swapping_given_and_family_keeps_a_shared_key(a in unjoined_name(), b in unjoined_name()) {
        let r = |g: &str, f: &str| NameRecord {
            given: Some(g.to_owned()),
            family: Some(f.to_owned()),
            ..NameRecord::default()
        };
        let (k1, k2) = (blocking_keys(&r(&a, &b)), blocking_keys(&r(&b, &a)));
        if !k1.is_empty() {
            prop_assert!(k1.iter().any(|k| k2.contains(k)), "{:?} / {:?}", k1, k2);
        }
    }

    #[test]
    fn parsing_is_deterministic(s in name()) {
        prop_assert_eq!(Name::parse(&s), Name::parse(&s));
    }
}
