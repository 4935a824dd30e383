//! Transliteration of names to lower-case ASCII Latin, for keys and comparison.
//!
//! `any_ascii` does the general case (Latin with diacritics, Cyrillic, Ge'ez, and every
//! script we have no table for). Our own tables in `data/` do what names need more of:
//!
//! - Arabic script (Arabic, Persian/Dari, Pashto, Urdu): `data/arabic.txt`, one Latin
//!   value per letter, so the output is the consonant skeleton the script writes:
//!   "محمد حسين" → `mhmd hsyn`. The article ال is split off ("الحسن" → `al hsn`) except
//!   in the words of `data/arabic-article.txt` (Ilyas, Elham, …).
//! - Bengali: `data/bengali.txt` corrects the few letters where any_ascii is far from
//!   Bangladeshi spellings (ং → `ng`, শ → `sh`, চ → `ch`, …).
//! - Ge'ez: `data/geez.txt` for the Tigrinya fricatives (ኽ → `k`: "ተኽለ" Tekle).
//! - Burmese: `data/burmese.txt` and a syllable reader give the conventional spellings
//!   ("အောင်ဆန်းစုကြည်" → `aung san su kyi`), one word per syllable.
//!
//! Input should be [`crate::normalise::key_text`]; [`to_latin`] calls it itself.

mod burmese;

use std::collections::{HashMap, HashSet};
use std::sync::LazyLock;

use unicode_normalization::UnicodeNormalization;

use crate::data::{self, DataError};
use crate::normalise::key_text;
use crate::script::{Script, detect};

/// All transliteration tables, parsed from the data files.
#[derive(Debug, Default)]
pub(crate) struct Tables {
    arabic: HashMap<char, &'static str>,
    article_exceptions: HashSet<String>,
    /// Keys NFC-normalised; longest first.
    bengali: Vec<(String, &'static str)>,
    geez: Vec<(String, &'static str)>,
    burmese: burmese::Burmese,
}

static TABLES: LazyLock<Tables> = LazyLock::new(|| Tables::load().unwrap_or_default());

impl Tables {
    pub(crate) fn load() -> Result<Self, Vec<DataError>> {
        let mut errors = Vec::new();
        let mut arabic = HashMap::new();
        for line in data::lines(data::ARABIC) {
            match (
                line.words.as_slice(),
                single_char(line.words.first().copied()),
            ) {
                ([_, latin], Some(c)) => {
                    if arabic.insert(c, data::value(latin)).is_some() {
                        errors.push(err("arabic.txt", line.number, "letter listed twice"));
                    }
                }
                _ => errors.push(err("arabic.txt", line.number, "expected: letter latin")),
            }
        }
        let mut article_exceptions = HashSet::new();
        for line in data::lines(data::ARABIC_ARTICLE) {
            match line.words.as_slice() {
                [word] => {
                    article_exceptions.insert(key_text(word));
                }
                _ => errors.push(err("arabic-article.txt", line.number, "expected one word")),
            }
        }
        let bengali = overrides("bengali.txt", data::BENGALI, &mut errors);
        let geez = overrides("geez.txt", data::GEEZ, &mut errors);
        let burmese = burmese::Burmese::load()
            .map_err(|e| errors.extend(e))
            .unwrap_or_default();
        if errors.is_empty() {
            Ok(Self {
                arabic,
                article_exceptions,
                bengali,
                geez,
                burmese,
            })
        } else {
            Err(errors)
        }
    }

    pub(crate) fn arabic_len(&self) -> usize {
        self.arabic.len()
    }

    pub(crate) fn bengali_len(&self) -> usize {
        self.bengali.len()
    }

    pub(crate) fn geez_len(&self) -> usize {
        self.geez.len()
    }

    pub(crate) fn burmese_len(&self) -> usize {
        self.burmese.len()
    }
}

/// An override table: letters (NFC) to Latin, longest first.
fn overrides(
    file: &'static str,
    text: &'static str,
    errors: &mut Vec<DataError>,
) -> Vec<(String, &'static str)> {
    let mut table: Vec<(String, &'static str)> = Vec::new();
    for line in data::lines(text) {
        match line.words.as_slice() {
            [letters, latin] => table.push((letters.nfc().collect(), data::value(latin))),
            _ => errors.push(err(file, line.number, "expected: letters latin")),
        }
    }
    table.sort_by_key(|(letters, _)| std::cmp::Reverse(letters.chars().count()));
    table
}

fn err(file: &'static str, line: usize, message: &str) -> DataError {
    DataError {
        file,
        line,
        message: message.to_owned(),
    }
}

fn single_char(word: Option<&str>) -> Option<char> {
    let mut chars = word?.chars();
    let c = chars.next()?;
    chars.next().is_none().then_some(c)
}

/// A whole name in any script (or several) to lower-case ASCII words separated by one
/// space. Each word is read in its own script.
pub fn to_latin(name: &str) -> String {
    latin_words(&key_text(name)).join(" ")
}

/// The Latin words of a name already in key form ([`key_text`]). One source word can
/// give several (a Burmese word gives one per syllable; an Arabic word its article),
/// or none (a word of punctuation).
pub fn latin_words(key: &str) -> Vec<String> {
    let mut out = Vec::new();
    for word in key.split(' ').filter(|w| !w.is_empty()) {
        word_to_latin(word, &mut out);
    }
    out
}

fn word_to_latin(word: &str, out: &mut Vec<String>) {
    let tables = &*TABLES;
    match detect(word) {
        Script::Arabic => arabic(tables, word, out),
        Script::Bengali => push_ascii(&letters(&tables.bengali, word, Some(BENGALI_VIRAMA)), out),
        // A Ge'ez letter carries its vowel; one with none (sixth order) has none to
        // insert, and Latin spellings write the digraph ("ገብረመድህን" Gebremedhin).
        Script::Ethiopic => push_ascii(&letters(&tables.geez, word, None), out),
        Script::Myanmar => {
            for syllable in tables.burmese.syllables(word) {
                push_ascii(&syllable, out);
            }
        }
        Script::Latin | Script::Cyrillic | Script::Other => {
            push_ascii(&any_ascii::any_ascii(word), out);
        }
    }
}

/// Keeps the ASCII letters, lower-cased; whitespace splits words; apostrophes and other
/// signs (any_ascii writes ayn and glottal stops as `` ` `` and `'`) disappear.
fn push_ascii(s: &str, out: &mut Vec<String>) {
    for part in s.split_whitespace() {
        let word: String = part
            .chars()
            .filter(char::is_ascii_alphabetic)
            .map(|c| c.to_ascii_lowercase())
            .collect();
        if !word.is_empty() {
            out.push(word);
        }
    }
}

fn arabic(tables: &Tables, word: &str, out: &mut Vec<String>) {
    let mut rest = word;
    if let Some(after) = word.strip_prefix("ال")
        && after.chars().count() >= 2
        && !tables.article_exceptions.contains(word)
    {
        out.push("al".to_owned());
        rest = after;
    }
    let mut latin = String::with_capacity(rest.len() * 2);
    for c in rest.chars() {
        let value = tables
            .arabic
            .get(&c)
            .copied()
            .unwrap_or_else(|| any_ascii::any_ascii_char(c));
        push_letter(&mut latin, value);
    }
    push_ascii(&latin, out);
}

/// Appends the Latin of one letter. Two letters of the script must not read as one
/// Latin digraph: "زهرا" is Zahra, not "zhra" (which reads ژ, zh); "سهیل" is Sohail, not
/// "shyl". Where they would, a vowel goes between, as the spoken name has one.
fn push_letter(latin: &mut String, value: &str) {
    let false_digraph = matches!(
        (latin.as_bytes().last(), value.as_bytes().first()),
        (
            Some(b'z' | b'k' | b'g' | b'p' | b'd' | b't' | b's' | b'c'),
            Some(b'h')
        ) | (Some(b'd'), Some(b'j'))
    );
    if false_digraph {
        latin.push('a');
    }
    latin.push_str(value);
}

/// Letter by letter: the override table where it has the letters (longest match),
/// any_ascii elsewhere. With a virama (Bengali), letters are kept from reading as a
/// digraph as in Arabic script, except after the virama, where there is no vowel and
/// a digraph is real; without one (Ge'ez), never.
fn letters(table: &[(String, &'static str)], word: &str, virama: Option<char>) -> String {
    let mut latin = String::with_capacity(word.len() * 2);
    let mut rest = word;
    let mut after_virama = virama.is_none();
    'outer: while let Some(c) = rest.chars().next() {
        for (letters, value) in table {
            if let Some(after) = rest.strip_prefix(letters.as_str()) {
                if after_virama {
                    latin.push_str(value);
                } else {
                    push_letter(&mut latin, value);
                }
                after_virama = virama.is_none();
                rest = after;
                continue 'outer;
            }
        }
        if Some(c) == virama {
            // No vowel between the letters it joins: a digraph there is real.
            after_virama = true;
        } else {
            let value = any_ascii::any_ascii_char(c);
            if after_virama {
                latin.push_str(value);
            } else {
                push_letter(&mut latin, value);
            }
            after_virama = virama.is_none();
        }
        rest = &rest[c.len_utf8()..];
    }
    latin
}

const BENGALI_VIRAMA: char = '\u{09CD}';

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tables_load() {
        let tables = Tables::load().map_err(|e| format!("{e:?}"));
        assert!(tables.is_ok(), "{tables:?}");
    }

    #[test]
    fn arabic_script_gives_the_consonant_skeleton() {
        assert_eq!(to_latin("محمد حسين"), "mhmd hsyn");
        assert_eq!(to_latin("مُحَمَّد حُسَيْن"), "mhmd hsyn");
        assert_eq!(to_latin("الحسن"), "al hsn");
        assert_eq!(to_latin("الیاس"), "alyas");
        assert_eq!(to_latin("عبد الرحمن"), "abd al rhmn");
        assert_eq!(to_latin("نجیب‌الله"), "njyballh");
        // Two letters never read as one digraph.
        assert_eq!(to_latin("زهرا سهیل"), "zahra sahyl");
        assert_eq!(to_latin("ژیلا"), "zhyla");
    }

    #[test]
    fn latin_passes_through_lower_case_ascii() {
        assert_eq!(to_latin("Nguyễn Thị Hằng"), "nguyen thi hang");
        assert_eq!(to_latin("Ma'moun  AL-Ḥusayn"), "mamoun al husayn");
        assert_eq!(to_latin("-- 12 --"), "");
    }
}
