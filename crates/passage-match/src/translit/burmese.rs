//! Burmese syllables to conventional Latin spellings (`data/burmese.txt`).
//!
//! A syllable is an onset (a consonant or an independent vowel), medials (ျ ြ ွ ှ), vowel
//! signs, an optional final consonant killed by asat (်), and tone marks. Conventional
//! spellings write the onset with its medials ("ky", "my", "hl", "sh"), then the rime
//! ("aung", "ein", "in", …).

use std::collections::HashMap;

use unicode_normalization::UnicodeNormalization;

use crate::data::{self, DataError};

const ASAT: char = '\u{103A}';
const VIRAMA: char = '\u{1039}';
const DOT_BELOW: char = '\u{1037}';
const VISARGA: char = '\u{1038}';
const MEDIAL_YA: char = '\u{103B}';
const MEDIAL_RA: char = '\u{103C}';
const MEDIAL_WA: char = '\u{103D}';
const MEDIAL_HA: char = '\u{103E}';

#[derive(Debug, Default)]
pub(crate) struct Burmese {
    onsets: HashMap<char, &'static str>,
    vowels: HashMap<String, &'static str>,
    rimes: HashMap<String, &'static str>,
    finals: HashMap<char, &'static str>,
}

impl Burmese {
    pub(crate) fn load() -> Result<Self, Vec<DataError>> {
        let mut table = Self::default();
        let mut errors = Vec::new();
        for line in data::lines(data::BURMESE) {
            let error = |message: &str| DataError {
                file: "burmese.txt",
                line: line.number,
                message: message.to_owned(),
            };
            let [key, latin] = line.words.as_slice() else {
                errors.push(error("expected: letters latin"));
                continue;
            };
            let latin = data::value(latin);
            let key: String = data::value(key).nfc().collect();
            let single = {
                let mut cs = key.chars();
                cs.next().filter(|_| cs.next().is_none())
            };
            let duplicate = match (line.section, single) {
                ("onsets", Some(c)) => table.onsets.insert(c, latin).is_some(),
                ("finals", Some(c)) => table.finals.insert(c, latin).is_some(),
                ("vowels", _) => table.vowels.insert(key, latin).is_some(),
                ("rimes", _) => table.rimes.insert(key, latin).is_some(),
                _ => {
                    errors.push(error("unknown section, or more than one letter"));
                    false
                }
            };
            if duplicate {
                errors.push(error("listed twice"));
            }
        }
        if errors.is_empty() {
            Ok(table)
        } else {
            Err(errors)
        }
    }

    pub(crate) fn len(&self) -> usize {
        self.onsets.len() + self.vowels.len() + self.rimes.len() + self.finals.len()
    }

    /// The Latin spelling of each syllable of a word.
    pub(crate) fn syllables(&self, word: &str) -> Vec<String> {
        let cs: Vec<char> = word.chars().collect();
        let mut out = Vec::new();
        let mut i = 0;
        while i < cs.len() {
            let onset = cs[i];
            i += 1;
            let Some(&onset_latin) = self.onsets.get(&onset) else {
                // A stray sign, or a letter we have no row for.
                out.push(any_ascii::any_ascii_char(onset).to_owned());
                continue;
            };
            let mut syllable = Syllable {
                onset,
                onset_latin,
                ..Syllable::default()
            };
            while let Some(&c) = cs.get(i).filter(|c| is_medial(**c)) {
                syllable.medials.push(c);
                i += 1;
            }
            while let Some(&c) = cs.get(i) {
                match c {
                    DOT_BELOW => syllable.creaky = true,
                    VISARGA | ASAT => {}
                    _ if is_vowel_sign(c) => syllable.vowels.push(c),
                    _ => break,
                }
                i += 1;
            }
            // A final consonant: a consonant killed by asat (tone marks may come between),
            // or the upper half of a stacked pair (consonant + virama).
            if let Some(&c) = cs.get(i).filter(|c| self.finals.contains_key(c)) {
                let mut j = i + 1;
                let mut creaky = false;
                while cs.get(j) == Some(&DOT_BELOW) {
                    creaky = true;
                    j += 1;
                }
                if cs.get(j) == Some(&ASAT) || cs.get(i + 1) == Some(&VIRAMA) {
                    syllable.final_consonant = Some(c);
                    syllable.creaky |= creaky;
                    i = j + 1;
                }
            }
            while let Some(&c) = cs
                .get(i)
                .filter(|c| matches!(**c, DOT_BELOW | VISARGA | ASAT | VIRAMA))
            {
                syllable.creaky |= c == DOT_BELOW;
                i += 1;
            }
            out.push(self.spell(&syllable));
        }
        out
    }

    fn spell(&self, s: &Syllable) -> String {
        let has = |m: char| s.medials.contains(&m);
        let mut wa = has(MEDIAL_WA);
        let rime = match s.final_consonant {
            Some(f) => {
                let key = format!("{}{f}{ASAT}", s.vowels);
                let with_wa = format!("{MEDIAL_WA}{key}");
                if let Some(r) = self.rimes.get(&with_wa).filter(|_| wa) {
                    wa = false;
                    (*r).to_owned()
                } else if let Some(r) = self.rimes.get(&key) {
                    (*r).to_owned()
                } else if !s.vowels.is_empty() {
                    self.vowel(&s.vowels)
                } else {
                    self.finals.get(&f).copied().unwrap_or_default().to_owned()
                }
            }
            // An independent vowel carries its own vowel.
            None if s.vowels.is_empty() && s.onset_latin.starts_with(is_latin_vowel) => {
                String::new()
            }
            None => self.vowel(&s.vowels),
        };
        let nasal = matches!(s.final_consonant, Some('င' | 'ဉ' | 'ည' | 'န' | 'မ' | 'ဏ'))
            || s.vowels.contains('ံ');
        let mut out = String::with_capacity(8);
        // ha-hto: ရှ, ယှ, လျှ are "sh"; elsewhere an "h" before the consonant ("Hla", "Hnin").
        if has(MEDIAL_HA) && (matches!(s.onset, 'ရ' | 'ယ') || (s.onset == 'လ' && has(MEDIAL_YA)))
        {
            out.push_str("sh");
        } else {
            if has(MEDIAL_HA) {
                out.push('h');
            }
            if s.onset == 'ခ' && (has(MEDIAL_YA) || has(MEDIAL_RA)) {
                out.push_str("ch");
            } else if s.onset == 'င' && (has(MEDIAL_YA) || has(MEDIAL_RA)) {
                out.push_str("ny");
            } else {
                out.push_str(s.onset_latin);
                if has(MEDIAL_YA) || has(MEDIAL_RA) {
                    out.push('y');
                }
            }
        }
        if wa {
            out.push('w');
        }
        out.push_str(&rime);
        if s.creaky && nasal {
            out.push('t');
        }
        out
    }

    fn vowel(&self, signs: &str) -> String {
        if let Some(v) = self.vowels.get(signs) {
            return (*v).to_owned();
        }
        signs
            .chars()
            .map(|c| {
                self.vowels
                    .get(c.to_string().as_str())
                    .copied()
                    .unwrap_or("")
            })
            .collect()
    }
}

#[derive(Debug, Default)]
struct Syllable {
    onset: char,
    onset_latin: &'static str,
    medials: Vec<char>,
    vowels: String,
    final_consonant: Option<char>,
    creaky: bool,
}

fn is_medial(c: char) -> bool {
    matches!(c, MEDIAL_YA | MEDIAL_RA | MEDIAL_WA | MEDIAL_HA)
}

fn is_vowel_sign(c: char) -> bool {
    matches!(c, '\u{102B}'..='\u{1032}' | '\u{1036}')
}

fn is_latin_vowel(c: char) -> bool {
    matches!(c, 'a' | 'e' | 'i' | 'o' | 'u')
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spell(word: &str) -> String {
        let table = Burmese::load().unwrap_or_default();
        let word: String = word.nfc().collect();
        table.syllables(&word).join(" ")
    }

    #[test]
    fn conventional_spellings() {
        assert_eq!(spell("အောင်ဆန်းစုကြည်"), "aung san su kyi");
        assert_eq!(spell("ကျော်ဇော်ထွန်း"), "kyaw zaw htun");
        assert_eq!(spell("မြင့်"), "myint");
        assert_eq!(spell("သန့်"), "thant");
        assert_eq!(spell("သိန်း"), "thein");
        assert_eq!(spell("နိုင်"), "naing");
        assert_eq!(spell("လှ"), "hla");
        assert_eq!(spell("ရွှေ"), "shwe");
        assert_eq!(spell("ဦး"), "u");
        assert_eq!(spell("ဒေါ်"), "daw");
        assert_eq!(spell("ချစ်"), "chit");
        assert_eq!(spell("ငြိမ်း"), "nyein");
        assert_eq!(spell("ထက်"), "htet");
        assert_eq!(spell("ဖြိုး"), "phyo");
        assert_eq!(spell("အေး"), "e");
    }
}
