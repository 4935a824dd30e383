//! Text as it is stored (NFC) and as it is keyed (NFKC, case-folded, diacritics and
//! spelling variants folded away).
//!
//! The key form keeps the original script: `key_text("Muḥammad AL-Ḥusayn")` is
//! `"muhammad al husayn"` and `key_text("مُحَمَّد حُسَيْن")` is `"محمد حسین"`. Transliteration
//! to Latin comes after, in [`crate::translit`].

use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::{decompose_canonical, is_combining_mark};

use crate::script::{Script, char_script};

/// The stored form of a name: trimmed, NFC. Nothing else changes, so what a clerk typed
/// is what a reader sees.
pub fn for_storage(s: &str) -> String {
    s.trim().nfc().collect()
}

/// The key form of a name: NFKC, case-folded, Latin diacritics stripped, separators
/// unified, Arabic-script letter variants folded and short-vowel marks removed, words
/// separated by one space. Idempotent: `key_text(&key_text(s)) == key_text(s)`.
pub fn key_text(s: &str) -> String {
    // NFKC first (presentation forms, full-width letters, ligatures), then case folding,
    // then NFKC again because lower-casing can leave a decomposed sequence ("İ" → "i̇").
    let folded: String = s
        .nfkc()
        .flat_map(fold_case)
        .collect::<String>()
        .nfkc()
        .collect();
    let mut out = String::with_capacity(folded.len());
    let mut pending_space = false;
    // The script of the base letter the next mark would attach to: none at the start
    // of a word, so a word never starts with a mark.
    let mut last_base: Option<Script> = None;
    for c in folded.chars() {
        let class = match classify(c) {
            // Some combining marks are Alphabetic (Other_Alphabetic); they still need a base.
            Class::Letter if is_combining_mark(c) => Class::Mark,
            class => class,
        };
        match class {
            Class::Separator => {
                pending_space = true;
                last_base = None;
            }
            Class::Joiner => {}
            Class::Mark => {
                // A mark left over after a Latin letter is a diacritic (a sequence NFKC
                // could not compose); elsewhere it is part of the letter (Bengali,
                // Myanmar vowel signs) and stays.
                if last_base.is_some_and(|s| s != Script::Latin) {
                    out.push(c);
                }
            }
            Class::Letter => {
                if pending_space && !out.is_empty() {
                    out.push(' ');
                }
                pending_space = false;
                let script = char_script(c);
                last_base = Some(script);
                match script {
                    Script::Latin => strip_diacritics(c, &mut out),
                    Script::Arabic => out.push(fold_arabic(c)),
                    Script::Cyrillic => out.push(fold_cyrillic(c)),
                    _ => out.push(c),
                }
            }
        }
    }
    out.nfc().collect()
}

/// Case folding as far as names need it: lower case, plus `ß` → `ss` (the full folding
/// Rust's `to_lowercase` does not do).
fn fold_case(c: char) -> impl Iterator<Item = char> {
    let special: Option<&'static str> = match c {
        'ß' | 'ẞ' => Some("ss"),
        'ς' => Some("σ"),
        _ => None,
    };
    let lower = special.is_none().then(|| c.to_lowercase());
    special
        .into_iter()
        .flat_map(str::chars)
        .chain(lower.into_iter().flatten())
}

enum Class {
    Letter,
    Mark,
    /// Splits words: spaces, hyphens, dots, commas, ZWSP, the Ethiopic wordspace.
    Separator,
    /// Removed inside a word: apostrophes, ZWNJ/ZWJ, tatweel, soft hyphen, Arabic harakat.
    Joiner,
}

fn classify(c: char) -> Class {
    match c {
        // Apostrophes and ayn/hamza signs written in Latin: "Ma'moun" = "Mamoun".
        '\'' | '`' | '´' | '\u{2018}' | '\u{2019}' | '\u{201B}' | '\u{2032}' | '\u{02BB}'
        | '\u{02BC}' | '\u{02BE}' | '\u{02BF}' | '\u{02C8}' => Class::Joiner,
        // ZWNJ and ZWJ (Persian "نجیب‌الله"), tatweel (ـ), soft hyphen, BOM.
        '\u{200C}' | '\u{200D}' | '\u{0640}' | '\u{00AD}' | '\u{FEFF}' | '\u{2060}' => {
            Class::Joiner
        }
        // Arabic short vowels, tanwin, shadda, sukun, superscript alef, Quranic marks.
        '\u{064B}'..='\u{065F}'
        | '\u{0670}'
        | '\u{06D6}'..='\u{06DC}'
        | '\u{06DF}'..='\u{06E8}'
        | '\u{06EA}'..='\u{06ED}'
        | '\u{08D3}'..='\u{08FF}' => Class::Joiner,
        // Burmese (and Bengali) vowel signs, virama, asat and tone marks are not all
        // Alphabetic in Unicode, but they are part of the syllable.
        '\u{0980}'..='\u{09FF}' | '\u{1000}'..='\u{109F}' if !is_script_punctuation(c) => {
            if c.is_alphabetic() {
                Class::Letter
            } else {
                Class::Mark
            }
        }
        _ if c.is_alphabetic() => Class::Letter,
        _ if is_combining_mark(c) => Class::Mark,
        // Hyphens, dots (Latin, Urdu), commas, slashes, ZWSP, the Ethiopic wordspace,
        // digits and everything else: a word boundary.
        _ => Class::Separator,
    }
}

/// Digits and punctuation inside the Bengali and Myanmar blocks.
fn is_script_punctuation(c: char) -> bool {
    matches!(c, '\u{09E4}'..='\u{09EF}' | '\u{09F2}'..='\u{09FB}' | '\u{1040}'..='\u{104F}')
}

fn strip_diacritics(c: char, out: &mut String) {
    decompose_canonical(c, |d| {
        if !is_combining_mark(d) {
            out.push(d);
        }
    });
}

/// Arabic-script letters that people write for one another, folded to one form: the
/// Persian yeh and keheh (the forms Dari, Pashto and Urdu use), heh for teh marbuta,
/// bare alef for hamza and madda forms.
pub fn fold_arabic(c: char) -> char {
    match c {
        // ي ى ئ, Pashto ې ۍ, Urdu ے ۓ → ی
        '\u{064A}' | '\u{0649}' | '\u{0626}' | '\u{06D0}' | '\u{06CD}' | '\u{06D2}'
        | '\u{06D3}' | '\u{06CC}' => '\u{06CC}',
        // ك ڪ → ک
        '\u{0643}' | '\u{06AA}' => '\u{06A9}',
        // ة ۃ, Urdu ہ ھ, ۀ ۂ → ه
        '\u{0629}' | '\u{06C3}' | '\u{06C1}' | '\u{06BE}' | '\u{06C0}' | '\u{06C2}' => '\u{0647}',
        // أ إ آ ٱ ٲ ٳ → ا
        '\u{0623}' | '\u{0625}' | '\u{0622}' | '\u{0671}' | '\u{0672}' | '\u{0673}' => '\u{0627}',
        // ؤ → و
        '\u{0624}' => '\u{0648}',
        _ => c,
    }
}

/// `ё` is written `е` in most Russian documents.
fn fold_cyrillic(c: char) -> char {
    match c {
        'ё' => 'е',
        _ => c,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn latin_keys_fold_case_diacritics_and_separators() {
        assert_eq!(key_text("  Muḥammad AL-Ḥusayn "), "muhammad al husayn");
        assert_eq!(key_text("Nguyễn Thị Hằng"), "nguyen thi hang");
        assert_eq!(key_text("Ma'moun  O’Neil"), "mamoun oneil");
        assert_eq!(key_text("Md.Rafiqul"), "md rafiqul");
        assert_eq!(key_text("ＭＯＨＡＭＭＥＤ"), "mohammed");
        assert_eq!(key_text("STRAßE İsmail"), "strasse ismail");
        assert_eq!(key_text("Abdul–Rahman/Ali_Khan"), "abdul rahman ali khan");
    }

    #[test]
    fn arabic_keys_fold_letter_variants_and_drop_harakat() {
        assert_eq!(key_text("مُحَمَّد حُسَيْن"), "محمد حسین");
        assert_eq!(key_text("علي"), "علی");
        assert_eq!(key_text("مصطفى"), "مصطفی");
        assert_eq!(key_text("فاطمة"), "فاطمه");
        assert_eq!(key_text("أحمد إبراهيم آمنة"), "احمد ابراهیم امنه");
        assert_eq!(key_text("مؤمن عائشة"), "مومن عایشه");
        assert_eq!(key_text("كريم"), "کریم");
        // ZWNJ and tatweel join; the Urdu full stop separates.
        assert_eq!(key_text("نجیب\u{200C}الله"), "نجیبالله");
        assert_eq!(key_text("محـــمد۔علی"), "محمد علی");
        // Presentation forms become letters.
        assert_eq!(key_text("\u{FEE3}\u{FEA4}\u{FEE4}\u{FEAA}"), "محمد");
    }

    #[test]
    fn other_scripts_keep_their_marks() {
        assert_eq!(key_text("মোহাম্মদ  হোসেন"), "মোহাম্মদ হোসেন");
        assert_eq!(key_text("အောင်ဆန်း\u{200B}စုကြည်"), "အောင်ဆန်း စုကြည်");
        assert_eq!(key_text("ሰላም፡ተስፋዬ"), "ሰላም ተስፋዬ");
        assert_eq!(key_text("Фёдор Сергей"), "федор сергей");
    }

    #[test]
    fn storage_is_nfc_and_trimmed() {
        assert_eq!(for_storage(" e\u{301}lise "), "\u{e9}lise");
        assert_eq!(for_storage("محمد"), "محمد");
    }
}
