//! Match keys: the consonant skeleton of a token, its phonetic code, its class key, and
//! the blocking keys of a person record.
//!
//! # The skeleton
//!
//! Arabic script writes consonants and long vowels only, so "محمد" is `mhmd` whatever
//! the Latin spelling of the same person says (Mohammed, Muhammad, Mohamad). The
//! skeleton brings every Latin spelling down to that: rules in order, each measured
//! against the variant classes and the per-script name tables (see `tests/measure.rs`):
//!
//! 1. Spelling alternations, each one letter of output:
//!    `dzh`, `dj`, `zh` → `j` (Dzhamal, Djamel, Jamal; Zhila, Jila);
//!    `kh` → `h` (Mukhammad = Muhammad: Russian х writes Arabic ح; Khalid = Halid);
//!    `x` → `h` (Somali: Maxamed = Mohamed, Xasan = Hassan);
//!    `gh` → `g` (Ghulam, Gulam); `ph` → `f` (Phatema, Fatema);
//!    `dh` → `d` (Ramadhan, Ramadan); `th` → `t` (Othman, Otman);
//!    `sh` → `s` (Shafiq, Safiq: Bengali শ is written both ways);
//!    `ch` → `c` (Chowdhury; Bengali চ); `ck`, `q`, `c` → `k` (Qasim = Kasim);
//!    `w` → `v` (Wahid = Vahid: Persian و is v).
//!    Not `ht` → `t` for Burmese (Htun = Tun): it breaks Arabic-script skeletons
//!    ("حسين" = `hsyn`, "حاتم" = `htm`); the variant classes carry Htun/Tun instead.
//! 2. Doubled letters collapse: Mohammed = Mohamed, Hassan = Hasan.
//! 3. Vowels go, except that a leading vowel becomes `a`: the script writes an initial
//!    alef or ayn (Ahmed: "احمد" → `ahmd`; Omar: "عمر" → `amr`), but which vowel is
//!    anyone's guess (Ibrahim, Ebrahim). Measured: keeping the marker beats dropping
//!    it (same recall, fewer false matches) and beats keeping the vowel (recall).
//! 4. `y`, `v` (and so `w`) go except at the start: in Arabic script they write long
//!    vowels (Hussein = "حسين" = `hsyn`; Yusuf = `ywsf`; Parviz = "پرویز" = `prwyz`).
//! 5. A final `h` goes: ta marbuta and Persian final he (Fatemeh = Fatima = "فاطمة";
//!    Aishah = Aisha).
//!
//! Vowel spellings (`ou`/`u`, `ee`/`i`, `ei`/`ai`/`ay`) need no rule: vowels go.
//!
//! Measured and left out: collapsing doubles a second time, after the vowels are gone
//! ("Nana" → `n`): no script pair gained, a few more different names merged.
//!
//! Known misses: a Latin spelling that writes a digraph where the script has two
//! letters (Adham "ادهم", Ishaq "اسحاق": `adm` / `adhm`), and Bengali জ in Arabic-origin
//! names (জিয়া Zia: `j` / `z`). Merging j and z would fix the second and merge Jamal
//! with Zamal, Jahid with Zahid.
//!
//! What it costs: Hassan and Hussein (`hsn`), Mohammed and Mahmud (`mhmd`) share a
//! skeleton. Blocking wants that (the script cannot tell them apart either); scoring
//! tells them apart with the variant classes.
//!
//! The phonetic code is Double Metaphone (rphonetic), kept for scoring; measured on the
//! same data it matches fewer script/Latin pairs than the skeleton (`tests/measure.rs`).

use std::collections::BTreeSet;
use std::fmt;
use std::sync::LazyLock;

use rphonetic::DoubleMetaphone;

use crate::name::Name;
use crate::score::Field;
use crate::variants::{self, ClassId};

/// What a leading vowel becomes in the skeleton.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LeadingVowel {
    Drop,
    /// Any leading vowel becomes `a`.
    Marker,
    Keep,
}

/// The skeleton rules, switchable one by one so that they can be measured.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SkeletonRules {
    pub alternations: bool,
    pub leading_vowel: LeadingVowel,
    /// Drop `y`, `w`, `v` except at the start.
    pub drop_semivowels: bool,
    pub drop_final_h: bool,
    pub collapse_after_vowels: bool,
}

impl SkeletonRules {
    /// The rules [`skeleton`] uses.
    pub const CHOSEN: Self = Self {
        alternations: true,
        leading_vowel: LeadingVowel::Marker,
        drop_semivowels: true,
        drop_final_h: true,
        collapse_after_vowels: false,
    };
}

/// The consonant skeleton of a transliterated token ("mohammed" → `mhmd`).
pub fn skeleton(token: &str) -> String {
    skeleton_with(token, &SkeletonRules::CHOSEN)
}

/// The skeleton under the given rules. Non-letters are ignored; the skeleton of a token
/// with a letter is never empty (its first letter stays).
pub fn skeleton_with(token: &str, rules: &SkeletonRules) -> String {
    let s: Vec<u8> = token
        .bytes()
        .filter(u8::is_ascii_alphabetic)
        .map(|b| b.to_ascii_lowercase())
        .collect();
    // 1. Alternations.
    let mut mapped: Vec<u8> = Vec::with_capacity(s.len());
    let mut i = 0;
    while i < s.len() {
        let rest = &s[i..];
        let (out, used) = if !rules.alternations {
            (rest[0], 1)
        } else if rest.starts_with(b"dzh") {
            (b'j', 3)
        } else if rest.len() >= 2 {
            match (rest[0], rest[1]) {
                (b'd', b'j') | (b'z', b'h') => (b'j', 2),
                (b'k', b'h') => (b'h', 2),
                (b'g', b'h') => (b'g', 2),
                (b'p', b'h') => (b'f', 2),
                (b'd', b'h') => (b'd', 2),
                (b't', b'h') => (b't', 2),
                (b's', b'h') => (b's', 2),
                (b'c', b'h') => (b'c', 2),
                (b'c', b'k') => (b'k', 2),
                (c, _) => (single(c), 1),
            }
        } else {
            (single(rest[0]), 1)
        };
        mapped.push(out);
        i += used;
    }
    // 2. Collapse doubles.
    mapped.dedup();
    // 3-5. Vowels, semivowels, final h.
    let last = mapped.len().saturating_sub(1);
    let mut out: Vec<u8> = Vec::with_capacity(mapped.len());
    for (i, &c) in mapped.iter().enumerate() {
        let vowel = matches!(c, b'a' | b'e' | b'i' | b'o' | b'u');
        let keep = if i == 0 {
            match (vowel, rules.leading_vowel) {
                (true, LeadingVowel::Drop) => false,
                (true, LeadingVowel::Marker) => {
                    out.push(b'a');
                    continue;
                }
                _ => true,
            }
        } else if vowel || (rules.drop_semivowels && matches!(c, b'y' | b'w' | b'v')) {
            false
        } else {
            !(rules.drop_final_h && c == b'h' && i == last)
        };
        if keep {
            out.push(c);
        }
    }
    // 6. Collapse again.
    if rules.collapse_after_vowels {
        out.dedup();
    }
    if out.is_empty()
        && let Some(&first) = mapped.first()
    {
        out.push(first);
    }
    String::from_utf8(out).unwrap_or_default()
}

fn single(c: u8) -> u8 {
    match c {
        b'q' | b'c' => b'k',
        b'x' => b'h',
        b'w' => b'v',
        _ => c,
    }
}

static METAPHONE: LazyLock<DoubleMetaphone> = LazyLock::new(DoubleMetaphone::default);

/// The Double Metaphone codes (primary, alternate) of a transliterated token.
pub fn metaphone(token: &str) -> (String, String) {
    let result = METAPHONE.double_metaphone(token);
    (result.primary(), result.alternate())
}

/// One word of a name with its keys.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Token {
    /// Transliterated, lower-case ASCII ("muhammad", "mhmd").
    pub text: String,
    pub skeleton: String,
    /// The variant class the token is listed in.
    pub class: Option<ClassId>,
    /// The match key: the skeleton of the token's class (listed or implied by the
    /// skeleton), else its own skeleton. "mohd" → `mhmd`; "hossain" → `hsn`.
    pub key: String,
    /// A `keep` particle ("md", "khan", "begum").
    pub marked: bool,
}

impl Token {
    pub fn new(text: String, marked: bool) -> Self {
        let skeleton = skeleton(&text);
        let class = variants::class_of(&text);
        let key = class
            .or_else(|| variants::class_of_skeleton(&skeleton))
            .map_or_else(|| skeleton.clone(), |c| c.skeleton().to_owned());
        Self {
            text,
            skeleton,
            class,
            key,
            marked,
        }
    }

    /// Same listed class, or the same key where the two are not listed in two
    /// different classes (Mohd and Mahmud share a key but not a class: no agreement).
    pub fn agrees_with(&self, other: &Self) -> bool {
        self.text == other.text
            || match (self.class, other.class) {
                (Some(a), Some(b)) => a == b,
                _ => self.key == other.key,
            }
    }
}

/// What blocking needs to know of a person. Every field is optional: keys come from
/// whatever is there.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct NameRecord {
    pub given: Option<String>,
    pub family: Option<String>,
    pub other: Vec<String>,
    /// The name in its original script ("محمد حسين"), if recorded.
    pub original: Option<String>,
    pub birth_year: Option<i32>,
    /// ISO 3166-1 alpha-3, or any code the caller uses consistently.
    pub nationality: Option<String>,
    pub document_numbers: Vec<String>,
    pub phone: Option<String>,
}

/// A blocking key: two records are compared only if they share one.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum BlockKey {
    /// The name key (token keys in order, spacing ignored) and the birth year.
    NameYear { name: String, year: i32 },
    /// The name key and the nationality.
    NameNationality { name: String, nationality: String },
    /// Token keys sorted: survives swapped given and family names; with three tokens
    /// or more also every pair, which survives a missing part.
    SortedTokens(String),
    /// The sorted token keys and the birth year: swapped names of a common name, whose
    /// bare sorted key is too common to use.
    SortedYear { tokens: String, year: i32 },
    /// One name token's key and the full date of birth: survives a typo or a change in
    /// any other name part.
    TokenBirth { token: String, birth: String },
    /// One name token's key and a number of the address (postcode, house number): a
    /// name part with a typo elsewhere, at the same address.
    TokenPlace { token: String, number: String },
    /// The full date of birth and a number of the address: every name part mistyped
    /// or changed, the same person at the same address.
    DatePlace { birth: String, number: String },
    /// A document number, upper-case letters and digits only.
    Document(String),
    /// A document number with one character deleted, for every character: two numbers
    /// one substitution, insertion, deletion or adjacent swap apart share one.
    DocumentNear(String),
    /// The last nine digits of a phone number (country code and trunk 0 ignored).
    Phone(String),
}

impl BlockKey {
    /// The fields two records sharing this key agree on because they share it: they
    /// say nothing about whether the pair is one person, so learning leaves them out.
    pub fn blocked_fields(&self) -> &'static [Field] {
        match self {
            Self::NameYear { .. } | Self::SortedYear { .. } | Self::TokenBirth { .. } => {
                &[Field::Name, Field::BirthDate]
            }
            Self::NameNationality { .. } => &[Field::Name, Field::Nationality],
            Self::TokenPlace { .. } => &[Field::Name, Field::Address],
            Self::DatePlace { .. } => &[Field::BirthDate, Field::Address],
            Self::SortedTokens(_) => &[Field::Name],
            Self::Document(_) | Self::DocumentNear(_) => &[Field::Document],
            Self::Phone(_) => &[Field::Phone],
        }
    }

    /// [`BlockKey::blocked_fields`] as a bit set over [`Field`]s.
    pub fn blocked_mask(&self) -> u8 {
        self.blocked_fields()
            .iter()
            .fold(0, |mask, f| mask | (1 << *f as u8))
    }
}

impl fmt::Display for BlockKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::NameYear { name, year } => write!(f, "ny:{name}:{year}"),
            Self::NameNationality { name, nationality } => write!(f, "nn:{name}:{nationality}"),
            Self::SortedTokens(s) => write!(f, "st:{s}"),
            Self::SortedYear { tokens, year } => write!(f, "sy:{tokens}:{year}"),
            Self::TokenBirth { token, birth } => write!(f, "tb:{token}:{birth}"),
            Self::TokenPlace { token, number } => write!(f, "tp:{token}:{number}"),
            Self::DatePlace { birth, number } => write!(f, "dp:{birth}:{number}"),
            Self::Document(d) => write!(f, "doc:{d}"),
            Self::DocumentNear(d) => write!(f, "doc~:{d}"),
            Self::Phone(p) => write!(f, "tel:{p}"),
        }
    }
}

/// Shortest document number that gets [`BlockKey::DocumentNear`] keys.
pub const DOCUMENT_NEAR_MIN_LEN: usize = 6;

/// Most tokens of one name that pair keys are made from.
const MAX_PAIR_TOKENS: usize = 5;

/// The blocking keys of a record, sorted, without duplicates.
pub fn blocking_keys(record: &NameRecord) -> Vec<BlockKey> {
    let latin: Vec<&str> = record
        .given
        .iter()
        .chain(record.family.iter())
        .chain(record.other.iter())
        .map(String::as_str)
        .collect();
    let sources = [
        Name::parse(&latin.join(" ")),
        Name::parse(record.original.as_deref().unwrap_or("")),
    ];
    keys_of(&KeySource {
        names: &sources,
        birth_year: record.birth_year,
        birth_date: None,
        address: None,
        nationalities: record.nationality.as_slice(),
        documents: &record.document_numbers,
        phone: record.phone.as_deref(),
    })
}

/// What blocking keys are made from, with the names already prepared.
#[derive(Debug, Clone, Copy)]
pub struct KeySource<'a> {
    pub names: &'a [Name],
    pub birth_year: Option<i32>,
    /// The full date of birth (year, month, day), where known.
    pub birth_date: Option<(i32, u8, u8)>,
    pub nationalities: &'a [String],
    pub documents: &'a [String],
    pub phone: Option<&'a str>,
    /// The address as [`crate::prepare::address_text`] gives it.
    pub address: Option<&'a str>,
}

/// The blocking keys of prepared names and fields, sorted, without duplicates.
pub fn keys_of(source: &KeySource<'_>) -> Vec<BlockKey> {
    let mut keys = BTreeSet::new();
    let mut nationalities: Vec<String> = source
        .nationalities
        .iter()
        .map(|n| n.trim().to_uppercase())
        .filter(|n| !n.is_empty())
        .collect();
    nationalities.sort_unstable();
    nationalities.dedup();
    for name in source.names.iter().filter(|n| !n.is_empty()) {
        let all: Vec<&Token> = name.tokens().iter().collect();
        let unmarked: Vec<&Token> = all.iter().copied().filter(|t| !t.marked).collect();
        for tokens in [&all, &unmarked] {
            if tokens.is_empty() {
                continue;
            }
            let name_key = name_key(tokens);
            if let Some(year) = source.birth_year {
                keys.insert(BlockKey::NameYear {
                    name: name_key.clone(),
                    year,
                });
            }
            for n in &nationalities {
                keys.insert(BlockKey::NameNationality {
                    name: name_key.clone(),
                    nationality: n.clone(),
                });
            }
            // A full date only: a name part with a birth year alone ("Mohammed" born
            // 1990) finds thousands in a large population.
            let birth = source
                .birth_date
                .map(|(y, m, d)| format!("{y}-{m:02}-{d:02}"));
            if let Some(birth) = birth {
                for t in tokens.iter().filter(|t| t.key.len() >= 2) {
                    keys.insert(BlockKey::TokenBirth {
                        token: t.key.clone(),
                        birth: birth.clone(),
                    });
                }
            }
            let numbers = source
                .address
                .into_iter()
                .flat_map(|a| a.split(' '))
                .filter(|w| w.len() >= 2 && w.bytes().all(|b| b.is_ascii_digit()));
            for number in numbers {
                for t in tokens.iter().filter(|t| t.key.len() >= 2) {
                    keys.insert(BlockKey::TokenPlace {
                        token: t.key.clone(),
                        number: number.to_owned(),
                    });
                }
            }
            let mut sorted: Vec<&str> = tokens.iter().map(|t| t.key.as_str()).collect();
            sorted.sort_unstable();
            sorted.dedup();
            let sorted_key = sorted.join(" ");
            if let Some(year) = source.birth_year {
                keys.insert(BlockKey::SortedYear {
                    tokens: sorted_key.clone(),
                    year,
                });
            }
            keys.insert(BlockKey::SortedTokens(sorted_key));
            if sorted.len() >= 3 {
                let firsts: Vec<&str> = tokens
                    .iter()
                    .take(MAX_PAIR_TOKENS)
                    .map(|t| t.key.as_str())
                    .collect();
                for (i, a) in firsts.iter().enumerate() {
                    for b in &firsts[i + 1..] {
                        if a != b {
                            let (x, y) = if a < b { (a, b) } else { (b, a) };
                            keys.insert(BlockKey::SortedTokens(format!("{x} {y}")));
                        }
                    }
                }
            }
        }
    }
    if let Some((y, m, d)) = source.birth_date {
        let numbers = source
            .address
            .into_iter()
            .flat_map(|a| a.split(' '))
            .filter(|w| w.len() >= 2 && w.bytes().all(|b| b.is_ascii_digit()));
        for number in numbers {
            keys.insert(BlockKey::DatePlace {
                birth: format!("{y}-{m:02}-{d:02}"),
                number: number.to_owned(),
            });
        }
    }
    for d in crate::score::document_numbers(source.documents) {
        if d.len() >= 4 {
            if d.len() >= DOCUMENT_NEAR_MIN_LEN {
                for i in 0..d.len() {
                    let mut near = d.clone();
                    near.remove(i);
                    keys.insert(BlockKey::DocumentNear(near));
                }
            }
            keys.insert(BlockKey::Document(d));
        }
    }
    if let Some(phone) = source.phone.and_then(phone_key) {
        keys.insert(BlockKey::Phone(phone));
    }
    keys.into_iter().collect()
}

/// The last nine digits of a phone number, so that one number written with or without
/// its country code or trunk 0 gives one key; None below seven digits.
pub fn phone_key(phone: &str) -> Option<String> {
    let digits: String = phone.chars().filter(char::is_ascii_digit).collect();
    (digits.len() >= 7).then(|| digits[digits.len().saturating_sub(9)..].to_owned())
}

/// The token keys in order, concatenated, doubles at the joins collapsed: spacing does
/// not matter ("Nasir ud Din" = "Nasiruddin").
fn name_key(tokens: &[&Token]) -> String {
    let mut key: Vec<u8> = tokens.iter().flat_map(|t| t.key.bytes()).collect();
    key.dedup();
    String::from_utf8(key).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn skeleton_examples() {
        let cases = [
            ("mohammed", "mhmd"),
            ("muhammad", "mhmd"),
            ("mhmd", "mhmd"),
            ("mukhammad", "mhmd"),
            ("maxamed", "mhmd"),
            ("hussein", "hsn"),
            ("hsyn", "hsn"),
            ("ahmed", "ahmd"),
            ("ahmd", "ahmd"),
            ("omar", "amr"),
            ("fatemeh", "ftm"),
            ("ftmh", "ftm"),
            ("yusuf", "ysf"),
            ("ywsf", "ysf"),
            ("parviz", "prz"),
            ("prwyz", "prz"),
            ("wahid", "vhd"),
            ("vahid", "vhd"),
            ("qasim", "ksm"),
            ("chowdhury", "cdr"),
            ("htun", "htn"),
            ("abdullah", "abdl"),
            ("aye", "a"),
            ("h", "h"),
        ];
        for (token, expected) in cases {
            assert_eq!(skeleton(token), expected, "{token}");
        }
    }

    #[test]
    fn tokens_take_their_class_key() {
        assert_eq!(Token::new("mohd".into(), true).key, "mhmd");
        assert_eq!(Token::new("hossain".into(), false).key, "hsn");
        assert_eq!(
            Token::new("abdalrhmn".into(), false).key,
            skeleton("abdulrahman")
        );
        let (mohd, mahmud) = (
            Token::new("mohd".into(), true),
            Token::new("mahmud".into(), false),
        );
        assert_eq!(mohd.key, mahmud.key);
        assert!(!mohd.agrees_with(&mahmud));
        assert!(Token::new("mhmd".into(), false).agrees_with(&mohd));
    }

    #[test]
    fn metaphone_codes() {
        assert_eq!(metaphone("mohammed").0, metaphone("muhammad").0);
    }

    #[test]
    fn documents_and_phones_are_normalised() {
        let record = NameRecord {
            document_numbers: vec!["ab 123-456".into(), "x1".into()],
            phone: Some("+880 1712-345678".into()),
            ..NameRecord::default()
        };
        let keys = blocking_keys(&record);
        assert!(keys.contains(&BlockKey::Document("AB123456".into())));
        assert!(keys.contains(&BlockKey::Phone("712345678".into())));
        // One key per deleted character: a typo in the number still meets the original.
        assert!(keys.contains(&BlockKey::DocumentNear("B123456".into())));
        assert!(keys.contains(&BlockKey::DocumentNear("AB12456".into())));
        let typo = NameRecord {
            document_numbers: vec!["AB124356".into()],
            ..NameRecord::default()
        };
        assert!(blocking_keys(&typo).iter().any(|k| keys.contains(k)));
        assert!(
            !keys
                .iter()
                .any(|k| matches!(k, BlockKey::Document(d) if d == "X1"))
        );
    }
}
