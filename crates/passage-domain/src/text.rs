//! Text as people type it: trimmed, NFC for storage, and a folded key for simple search.

use unicode_normalization::UnicodeNormalization;

/// Longest free-text value Passage keeps in one field (names, places, notes).
pub const MAX_TEXT: usize = 500;

/// Trims and NFC-normalises; `None` for an empty value.
pub fn clean(s: &str) -> Option<String> {
    let t: String = s.trim().nfc().collect();
    (!t.is_empty()).then_some(t)
}

/// A search key: NFKC, lower case, letters and digits only, words separated by one space.
pub fn fold(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.nfkc().flat_map(char::to_lowercase) {
        if c.is_alphanumeric() {
            out.push(c);
        } else if !out.is_empty() && !out.ends_with(' ') {
            out.push(' ');
        }
    }
    let len = out.trim_end().len();
    out.truncate(len);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fold_makes_a_search_key() {
        assert_eq!(fold("  Nur  AL-Islam "), "nur al islam");
        assert_eq!(fold("ＭＯＨＡＭＭＥＤ"), "mohammed");
        assert_eq!(fold("محمد حسين"), "محمد حسين");
    }

    #[test]
    fn clean_normalises_to_nfc() {
        assert_eq!(clean(" e\u{301}lise ").as_deref(), Some("\u{e9}lise"));
        assert_eq!(clean("   "), None);
    }
}
