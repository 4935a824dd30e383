//! A person's fields, as any source has them, prepared once for matching: the
//! [`Candidate`] that scoring compares and the hashed blocking keys that find it.

use std::hash::{DefaultHasher, Hash, Hasher};

use crate::keys::{BlockKey, KeySource, keys_of, phone_key};
use crate::name::Name;
use crate::score::{BirthDate, Candidate, Sex, document_numbers};
use crate::translit::to_latin;

/// A person as a registration, a partner's list or a CSV file gives them. Every field
/// is optional; matching uses whatever is there.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct PersonFields {
    pub given: Option<String>,
    pub family: Option<String>,
    /// A full name in one string, where the source does not split it.
    pub full: Option<String>,
    /// The name in its original script.
    pub original: Option<String>,
    pub sex: Option<Sex>,
    pub birth: Option<BirthDate>,
    /// Nationality codes (ISO 3166-1 alpha-3, or any code used consistently).
    pub nationalities: Vec<String>,
    pub origin: Option<String>,
    pub documents: Vec<String>,
    pub phone: Option<String>,
    pub address: Option<String>,
}

/// A person ready for matching.
#[derive(Debug, Clone, PartialEq)]
pub struct Prepared {
    pub candidate: Candidate,
    /// Hashes of the blocking keys ([`key_hash`]), sorted, without duplicates.
    pub keys: Vec<u64>,
}

/// Bits of a key hash that carry the key's [`BlockKey::blocked_mask`].
const MASK_BITS: u32 = 8;

/// The hash a blocking key is indexed by: its low [`MASK_BITS`] bits are the fields the
/// key blocks on ([`blocked_mask`]), the rest a hash of the key. Stable within one
/// build of the program; a collision only adds a candidate, which scoring then rejects.
pub fn key_hash(key: &BlockKey) -> u64 {
    let mut h = DefaultHasher::new();
    key.hash(&mut h);
    (h.finish() << MASK_BITS) | u64::from(key.blocked_mask())
}

/// The fields blocked on by a key hash ([`key_hash`]), as a bit set over fields.
pub fn blocked_mask(hash: u64) -> u8 {
    (hash & ((1 << MASK_BITS) - 1)) as u8
}

/// The fields two records agree on because of the keys they share: the union of the
/// [`blocked_mask`]s of keys in both sorted lists.
pub fn shared_mask(a: &[u64], b: &[u64]) -> u8 {
    let (mut i, mut j, mut mask) = (0, 0, 0);
    while let (Some(x), Some(y)) = (a.get(i), b.get(j)) {
        match x.cmp(y) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                mask |= blocked_mask(*x);
                i += 1;
                j += 1;
            }
        }
    }
    mask
}

/// An address for comparison: ASCII letters and digits, lower-case, single spaces. Unlike
/// names, the digits stay: house numbers and postcodes tell addresses apart.
pub fn address_text(s: &str) -> String {
    let ascii = any_ascii::any_ascii(&key_digits(s));
    ascii
        .to_lowercase()
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

/// NFKC, so full-width and other compatibility digits become ASCII ones.
fn key_digits(s: &str) -> String {
    use unicode_normalization::UnicodeNormalization;
    s.nfkc().collect()
}

fn present(s: &Option<String>) -> Option<&str> {
    s.as_deref().map(str::trim).filter(|s| !s.is_empty())
}

/// Prepares a person: names parsed (the Latin name from given and family names, the
/// full name, the original-script name, each a writing of the same name), codes and
/// numbers normalised, places transliterated, blocking keys computed.
pub fn prepare(fields: &PersonFields) -> Prepared {
    let split: Vec<&str> = [present(&fields.given), present(&fields.family)]
        .into_iter()
        .flatten()
        .collect();
    let mut writings: Vec<String> = Vec::new();
    if !split.is_empty() {
        writings.push(split.join(" "));
    }
    writings.extend(present(&fields.full).map(str::to_owned));
    writings.extend(present(&fields.original).map(str::to_owned));
    let mut names: Vec<Name> = Vec::new();
    for w in &writings {
        let name = Name::parse(w);
        if !name.is_empty() && !names.iter().any(|n| n.latin() == name.latin()) {
            names.push(name);
        }
    }
    let mut nationalities: Vec<String> = fields
        .nationalities
        .iter()
        .map(|n| n.trim().to_uppercase())
        .filter(|n| !n.is_empty())
        .collect();
    nationalities.sort_unstable();
    nationalities.dedup();
    let documents = document_numbers(&fields.documents);
    let place = |s: &Option<String>| present(s).map(to_latin).filter(|s| !s.is_empty());
    // The day and month of an estimated date are no information (undocumented arrivals
    // are often given 1 January): only its year is compared.
    let birth = fields.birth.map(|b| {
        if b.estimated {
            BirthDate {
                month: None,
                day: None,
                ..b
            }
        } else {
            b
        }
    });
    let phones: Vec<String> = present(&fields.phone)
        .and_then(phone_key)
        .into_iter()
        .collect();
    let address = present(&fields.address)
        .map(address_text)
        .filter(|a| !a.is_empty());
    let keys = keys_of(&KeySource {
        names: &names,
        birth_year: birth.and_then(|b| b.year),
        birth_date: birth.and_then(|b| Some((b.year?, b.month?, b.day?))),
        nationalities: &nationalities,
        documents: &documents,
        phone: present(&fields.phone),
        address: address.as_deref(),
    });
    let mut keys: Vec<u64> = keys.iter().map(key_hash).collect();
    keys.sort_unstable();
    keys.dedup();
    Prepared {
        candidate: Candidate {
            names,
            birth,
            sex: fields.sex,
            nationalities,
            origin: place(&fields.origin),
            documents,
            address,
            phones,
        },
        keys,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writings_of_one_name_meet_in_one_candidate() {
        let p = prepare(&PersonFields {
            given: Some(" Mohammed ".into()),
            family: Some("Hussein".into()),
            full: Some("Mohammed Hussein".into()),
            original: Some("محمد حسين".into()),
            nationalities: vec!["syr".into(), "SYR".into()],
            origin: Some("Dayr az-Zawr".into()),
            documents: vec!["n-123 456".into()],
            ..PersonFields::default()
        });
        let names: Vec<&str> = p.candidate.names.iter().map(Name::latin).collect();
        assert_eq!(names.len(), 2, "{names:?}");
        assert_eq!(names[0], "mohammed hussein");
        assert_eq!(p.candidate.nationalities, vec!["SYR".to_owned()]);
        assert_eq!(p.candidate.documents, vec!["N123456".to_owned()]);
        assert_eq!(p.candidate.origin.as_deref(), Some("dayr az zawr"));
        assert!(p.keys.windows(2).all(|w| w[0] < w[1]));
        assert!(!p.keys.is_empty());
    }

    #[test]
    fn addresses_keep_their_numbers_and_find_a_person_whose_names_all_changed() {
        assert_eq!(
            address_text("12, Jalan Merdeka — Banda Aceh ２３１１"),
            "12 jalan merdeka banda aceh 2311"
        );
        let person = |given: &str, family: &str| {
            prepare(&PersonFields {
                given: Some(given.into()),
                family: Some(family.into()),
                birth: Some(BirthDate {
                    year: Some(1900),
                    month: Some(1),
                    day: Some(3),
                    estimated: false,
                }),
                address: Some("16 Solly Place, Strathbogie 2327".into()),
                ..PersonFields::default()
            })
        };
        let (a, b) = (person("Leah", "Reecs"), person("Lukar", "Rees"));
        assert!(a.keys.iter().any(|k| b.keys.contains(k)), "no shared key");
        assert_ne!(shared_mask(&a.keys, &b.keys), 0);
    }

    #[test]
    fn an_empty_person_has_no_keys() {
        let p = prepare(&PersonFields::default());
        assert!(p.keys.is_empty());
        assert!(p.candidate.names.is_empty());
    }
}
