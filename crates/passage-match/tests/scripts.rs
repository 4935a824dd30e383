//! Transliteration tables per script, with real names: the Latin form we give, and the
//! keys it shares with the usual Latin spelling.

mod common;

use common::EXAMPLES;
use passage_match::translit::to_latin;
use passage_match::{Name, Script, script};

#[test]
fn every_script_has_at_least_four_real_names() {
    for s in [
        "arabic", "persian", "pashto", "urdu", "bengali", "burmese", "cyrillic", "geez",
    ] {
        let n = EXAMPLES.iter().filter(|e| e.script == s).count();
        assert!(n >= 4, "{s}: {n} names");
    }
}

#[test]
fn transliteration_gives_the_expected_latin() {
    let wrong: Vec<String> = EXAMPLES
        .iter()
        .filter(|e| to_latin(e.original) != e.translit)
        .map(|e| {
            format!(
                "{} {}: got {:?}, expected {:?}",
                e.script,
                e.original,
                to_latin(e.original),
                e.translit
            )
        })
        .collect();
    assert!(wrong.is_empty(), "\n{}", wrong.join("\n"));
}

#[test]
fn script_and_latin_spellings_share_their_keys() {
    let wrong: Vec<String> = EXAMPLES
        .iter()
        .filter(|e| Name::parse(e.original).keys() != Name::parse(e.latin).keys())
        .map(|e| {
            format!(
                "{} {} = {}: {:?} vs {:?}",
                e.script,
                e.original,
                e.latin,
                Name::parse(e.original).keys(),
                Name::parse(e.latin).keys()
            )
        })
        .collect();
    assert!(wrong.is_empty(), "\n{}", wrong.join("\n"));
}

#[test]
fn scripts_are_detected() {
    let expected = |s: &str| match s {
        "arabic" | "persian" | "pashto" | "urdu" => Script::Arabic,
        "bengali" => Script::Bengali,
        "burmese" => Script::Myanmar,
        "cyrillic" => Script::Cyrillic,
        "geez" => Script::Ethiopic,
        _ => Script::Other,
    };
    for e in EXAMPLES {
        assert_eq!(
            script::detect(e.original),
            expected(e.script),
            "{}",
            e.original
        );
        assert_eq!(script::detect(e.latin), Script::Latin, "{}", e.latin);
    }
}
