//! Name data for the `passage demo` scenario: a night-time sea landing of about 600 people in
//! Aceh, Indonesia (mostly Rohingya, also Bangladeshi, Afghan, Somali and a few other Myanmar
//! nationals), and the Entikong land border post in West Kalimantan receiving Indonesian migrant
//! workers returned from Malaysia.
//!
//! Only constants, no logic, no dependency on other modules. The names are real, common names of
//! each group, with the Latin spellings that registration staff actually meet, variants included,
//! because the demo exercises duplicate detection.
//!
//! Original script, where the group writes one and the spelling is certain; otherwise `None`:
//! - Rohingya: Perso-Arabic, in the Urdu/Persian letter forms (ی, ک, ه) that Rohingya Arabic-script
//!   writing follows. The Hanifi Rohingya script (ISO 15924 `Rohg`) is not given.
//! - Afghan: Dari/Pashto Perso-Arabic, same letter forms.
//! - Bangladeshi: Bengali script. Myanmar: Burmese script (Unicode, not Zawgyi).
//! - Somali and Indonesian: Latin only.
//!
//! Every `original` is NFC. Word division in Perso-Arabic compounds varies in practice (a space,
//! a zero-width non-joiner or nothing before الله); the forms here put a plain space before الله
//! and join the `al-` compounds after عبد, ابو and نور (عبدالکریم, نورالاسلام), so matching should
//! ignore spaces and ZWNJ, and fold Arabic ي/ك/ة to Persian ی/ک/ه.

mod afghan;
mod bangladeshi;
mod indonesian;
mod myanmar;
mod rohingya;
mod somali;

use afghan::AFGHAN;
use bangladeshi::BANGLADESHI;
use indonesian::INDONESIAN;
use myanmar::MYANMAR;
use rohingya::ROHINGYA;
use somali::SOMALI;

/// One name as people of a population write it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NameForm {
    /// As written in Latin letters, in documents and by registration staff.
    pub latin: &'static str,
    /// As written in the population's own script, when it has one and the spelling is certain.
    pub original: Option<&'static str>,
    /// ISO 15924 code of `original` ("Arab", "Beng", "Mymr"); `Some` exactly when `original` is.
    pub script: Option<&'static str>,
}

/// A population met in the demo scenario, with the names its people carry.
#[derive(Debug, Clone, Copy)]
pub struct Population {
    /// "rohingya", "bangladeshi", "afghan", "somali", "indonesian" or "myanmar".
    pub key: &'static str,
    /// ISO 3166-1 alpha-3 code; `None` for the Rohingya, whom Myanmar denies citizenship.
    pub nationality: Option<&'static str>,
    /// ISO 639-3 codes of the languages spoken, the main one first.
    pub languages: &'static [&'static str],
    /// Places of origin or of last residence.
    pub origins: &'static [&'static str],
    /// Male given names (for some groups, the whole name).
    pub male_given: &'static [NameForm],
    /// Female given names (for some groups, the whole name).
    pub female_given: &'static [NameForm],
    /// Family names; empty where the group has none (Rohingya, Myanmar, Somali).
    pub family: &'static [NameForm],
}

/// Every population of the scenario, the largest group first.
pub const POPULATIONS: &[Population] =
    &[ROHINGYA, BANGLADESHI, AFGHAN, SOMALI, INDONESIAN, MYANMAR];

const fn latin(latin: &'static str) -> NameForm {
    NameForm {
        latin,
        original: None,
        script: None,
    }
}

const fn arab(latin: &'static str, original: &'static str) -> NameForm {
    NameForm {
        latin,
        original: Some(original),
        script: Some("Arab"),
    }
}

const fn beng(latin: &'static str, original: &'static str) -> NameForm {
    NameForm {
        latin,
        original: Some(original),
        script: Some("Beng"),
    }
}

const fn mymr(latin: &'static str, original: &'static str) -> NameForm {
    NameForm {
        latin,
        original: Some(original),
        script: Some("Mymr"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn all_names(p: &Population) -> impl Iterator<Item = &'static NameForm> {
        p.male_given
            .iter()
            .chain(p.female_given.iter())
            .chain(p.family.iter())
    }

    #[test]
    fn every_population_has_given_names() {
        for p in POPULATIONS {
            assert!(!p.male_given.is_empty(), "{}: no male given names", p.key);
            assert!(
                !p.female_given.is_empty(),
                "{}: no female given names",
                p.key
            );
        }
    }

    #[test]
    fn enough_names_for_the_scenario() {
        for p in POPULATIONS {
            let min_given = match p.key {
                "somali" | "myanmar" => 15,
                _ => 30,
            };
            assert!(p.male_given.len() >= min_given, "{}", p.key);
            assert!(p.female_given.len() >= min_given, "{}", p.key);
            match p.key {
                "rohingya" | "myanmar" | "somali" => assert!(p.family.is_empty(), "{}", p.key),
                _ => assert!(p.family.len() >= 30, "{}", p.key),
            }
        }
    }

    #[test]
    fn script_is_given_exactly_with_original() {
        for p in POPULATIONS {
            for n in all_names(p) {
                assert_eq!(n.original.is_some(), n.script.is_some(), "{}", n.latin);
            }
        }
    }

    #[test]
    fn scripts_match_their_text() {
        for p in POPULATIONS {
            for n in all_names(p) {
                let (Some(original), Some(script)) = (n.original, n.script) else {
                    continue;
                };
                let range = match script {
                    "Arab" => '\u{0600}'..='\u{06FF}',
                    "Beng" => '\u{0980}'..='\u{09FF}',
                    "Mymr" => '\u{1000}'..='\u{109F}',
                    other => panic!("{}: unexpected script {other}", n.latin),
                };
                assert!(
                    original.chars().all(|c| c == ' ' || range.contains(&c)),
                    "{}: {original} is not all {script}",
                    n.latin
                );
            }
        }
    }

    #[test]
    fn latin_forms_are_clean_and_unique_per_list() {
        for p in POPULATIONS {
            for list in [p.male_given, p.female_given, p.family] {
                for (i, n) in list.iter().enumerate() {
                    assert!(
                        !n.latin.is_empty() && n.latin.trim() == n.latin,
                        "{:?}",
                        n.latin
                    );
                    assert!(
                        n.latin
                            .chars()
                            .all(|c| c.is_ascii_alphabetic() || c == ' ' || c == '\''),
                        "{:?}",
                        n.latin
                    );
                    assert!(
                        list[..i].iter().all(|m| m.latin != n.latin),
                        "{}: {} twice",
                        p.key,
                        n.latin
                    );
                }
            }
        }
    }

    #[test]
    fn codes_are_well_formed() {
        for p in POPULATIONS {
            assert!(!p.languages.is_empty(), "{}", p.key);
            for l in p.languages {
                assert!(
                    l.len() == 3 && l.bytes().all(|b| b.is_ascii_lowercase()),
                    "{}: language {l}",
                    p.key
                );
            }
            if let Some(c) = p.nationality {
                assert!(
                    c.len() == 3 && c.bytes().all(|b| b.is_ascii_uppercase()),
                    "{c}"
                );
            }
            assert!(!p.origins.is_empty(), "{}", p.key);
        }
    }

    #[test]
    fn keys_are_unique_and_only_rohingya_are_stateless() {
        let keys: Vec<&str> = POPULATIONS.iter().map(|p| p.key).collect();
        for (i, k) in keys.iter().enumerate() {
            assert!(!keys[..i].contains(k), "{k} twice");
        }
        for p in POPULATIONS {
            assert_eq!(p.nationality.is_none(), p.key == "rohingya", "{}", p.key);
        }
    }
}
