//! The script a name is written in, from Unicode block ranges.
//!
//! Only the scripts of the populations Passage registers are told apart; everything else
//! is [`Script::Other`] and goes through the general transliterator.

/// A writing system, as far as transliteration needs to know.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Script {
    Latin,
    /// Arabic script, covering Arabic, Persian/Dari, Pashto, Urdu, Sindhi.
    Arabic,
    Bengali,
    Myanmar,
    Cyrillic,
    /// Ge'ez: Tigrinya, Amharic, Tigre.
    Ethiopic,
    /// Any other script, and strings with no letter at all.
    Other,
}

impl Script {
    /// The ISO 15924 code.
    pub fn iso15924(self) -> &'static str {
        match self {
            Self::Latin => "Latn",
            Self::Arabic => "Arab",
            Self::Bengali => "Beng",
            Self::Myanmar => "Mymr",
            Self::Cyrillic => "Cyrl",
            Self::Ethiopic => "Ethi",
            Self::Other => "Zyyy",
        }
    }
}

/// The script of one character (by block; digits and punctuation of a block count too,
/// so callers that care look only at letters).
pub fn char_script(c: char) -> Script {
    match c {
        'A'..='Z'
        | 'a'..='z'
        | '\u{00C0}'..='\u{00D6}'
        | '\u{00D8}'..='\u{00F6}'
        | '\u{00F8}'..='\u{02AF}'
        | '\u{1E00}'..='\u{1EFF}'
        | '\u{2C60}'..='\u{2C7F}'
        | '\u{A720}'..='\u{A7FF}'
        | '\u{AB30}'..='\u{AB6F}'
        | '\u{FB00}'..='\u{FB06}'
        | '\u{FF21}'..='\u{FF3A}'
        | '\u{FF41}'..='\u{FF5A}' => Script::Latin,
        '\u{0600}'..='\u{06FF}'
        | '\u{0750}'..='\u{077F}'
        | '\u{0870}'..='\u{08FF}'
        | '\u{FB50}'..='\u{FDFF}'
        | '\u{FE70}'..='\u{FEFF}' => Script::Arabic,
        '\u{0980}'..='\u{09FF}' => Script::Bengali,
        '\u{1000}'..='\u{109F}' | '\u{A9E0}'..='\u{A9FF}' | '\u{AA60}'..='\u{AA7F}' => {
            Script::Myanmar
        }
        '\u{0400}'..='\u{052F}'
        | '\u{1C80}'..='\u{1C8F}'
        | '\u{2DE0}'..='\u{2DFF}'
        | '\u{A640}'..='\u{A69F}' => Script::Cyrillic,
        '\u{1200}'..='\u{139F}'
        | '\u{2D80}'..='\u{2DDF}'
        | '\u{AB00}'..='\u{AB2F}'
        | '\u{1E7E0}'..='\u{1E7FF}' => Script::Ethiopic,
        _ => Script::Other,
    }
}

/// The dominant script of a string: the one with the most letters (ties go to the
/// script whose first letter comes first). `Other` when there is no letter.
pub fn detect(s: &str) -> Script {
    const ALL: [Script; 7] = [
        Script::Latin,
        Script::Arabic,
        Script::Bengali,
        Script::Myanmar,
        Script::Cyrillic,
        Script::Ethiopic,
        Script::Other,
    ];
    let mut counts = [0usize; 7];
    let mut first_seen = [usize::MAX; 7];
    for (i, c) in s.chars().filter(|c| c.is_alphabetic()).enumerate() {
        let script = char_script(c);
        if let Some(slot) = ALL.iter().position(|&s| s == script) {
            counts[slot] += 1;
            first_seen[slot] = first_seen[slot].min(i);
        }
    }
    (0..ALL.len())
        .filter(|&i| counts[i] > 0)
        .max_by(|&a, &b| {
            counts[a]
                .cmp(&counts[b])
                .then(first_seen[b].cmp(&first_seen[a]))
        })
        .map_or(Script::Other, |i| ALL[i])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn detects_the_scripts_of_the_flows() {
        assert_eq!(detect("Mohammed Hussein"), Script::Latin);
        assert_eq!(detect("Nguyễn Thị Hằng"), Script::Latin);
        assert_eq!(detect("محمد حسين"), Script::Arabic); // Arabic
        assert_eq!(detect("فاطمه حسینی"), Script::Arabic); // Persian/Dari
        assert_eq!(detect("ګلالۍ ځلمی"), Script::Arabic); // Pashto
        assert_eq!(detect("عمران شاہد"), Script::Arabic); // Urdu
        assert_eq!(detect("মোহাম্মদ হোসেন"), Script::Bengali);
        assert_eq!(detect("အောင်ဆန်းစုကြည်"), Script::Myanmar);
        assert_eq!(detect("Олександр Шевченко"), Script::Cyrillic);
        assert_eq!(detect("ሰላም ተስፋዬ"), Script::Ethiopic);
        assert_eq!(detect("张伟"), Script::Other);
        assert_eq!(detect("123 --"), Script::Other);
        assert_eq!(detect(""), Script::Other);
    }

    #[test]
    fn the_majority_wins_and_ties_go_to_the_first() {
        assert_eq!(detect("Ali محمد حسين"), Script::Arabic);
        assert_eq!(detect("ab аб"), Script::Latin);
        assert_eq!(detect("аб ab"), Script::Cyrillic);
    }
}
