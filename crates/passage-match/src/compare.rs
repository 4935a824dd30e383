//! Comparison levels for names, each with an explanation a clerk can read.
//!
//! The levels partition every pair of names; weights for each level (Fellegi–Sunter,
//! learned by EM) come later and live elsewhere. Comparison is symmetric: the pair is
//! put in a fixed order first, so level, similarity and explanation do not depend on
//! which name came first.

use std::fmt;

use crate::keys::Token;
use crate::name::Name;

/// Jaro-Winkler bands, on the transliterated names.
pub const JW_HIGH: f64 = 0.94;
pub const JW_MEDIUM: f64 = 0.88;
pub const JW_LOW: f64 = 0.80;

/// How far two names agree, best first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum NameLevel {
    /// The same tokens after normalisation, transliteration and particles (spacing
    /// ignored): "ABDUL-RAHMAN Hassan" = "Abdulrahman Hassan".
    Exact,
    /// Every token, in order, is the same or a listed variant: "Mohammed Hussein" and
    /// "Muhammad Husain".
    Variant,
    /// Every token, in order, has the same consonant skeleton: "محمد حسين" and
    /// "Mohammed Hussein".
    Skeleton,
    /// The same tokens (at skeleton level) in another order: swapped given and family
    /// names.
    Reordered,
    /// Jaro-Winkler ≥ [`JW_HIGH`].
    JaroWinklerHigh,
    /// Every token of the shorter name agrees with one of the longer: a part missing.
    Partial,
    /// Jaro-Winkler ≥ [`JW_MEDIUM`].
    JaroWinklerMedium,
    /// Jaro-Winkler ≥ [`JW_LOW`].
    JaroWinklerLow,
    Different,
    /// One name (or both) has no token: nothing to compare.
    Missing,
}

impl fmt::Display for NameLevel {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::Exact => "exact",
            Self::Variant => "variant",
            Self::Skeleton => "skeleton",
            Self::Reordered => "reordered",
            Self::JaroWinklerHigh => "jaro-winkler-high",
            Self::Partial => "partial",
            Self::JaroWinklerMedium => "jaro-winkler-medium",
            Self::JaroWinklerLow => "jaro-winkler-low",
            Self::Different => "different",
            Self::Missing => "missing",
        })
    }
}

/// The outcome of comparing two names.
#[derive(Debug, Clone, PartialEq)]
pub struct NameComparison {
    pub level: NameLevel,
    /// Jaro-Winkler similarity of the transliterated names (0 when one is missing).
    pub jaro_winkler: f64,
    /// Why, in words: which parts agreed and how.
    pub explanation: String,
}

/// Compares two names written in any script.
pub fn compare_names(a: &str, b: &str) -> NameComparison {
    compare(&Name::parse(a), &Name::parse(b))
}

/// Compares two prepared names.
pub fn compare(a: &Name, b: &Name) -> NameComparison {
    compare_with(a, b, true)
}

/// The level only, without building the explanation: what batch scoring runs millions
/// of times. Always the level [`compare`] gives.
pub fn level(a: &Name, b: &Name) -> NameLevel {
    compare_with(a, b, false).level
}

fn compare_with(a: &Name, b: &Name, explain: bool) -> NameComparison {
    if a.is_empty() || b.is_empty() {
        return NameComparison {
            level: NameLevel::Missing,
            jaro_winkler: 0.0,
            explanation: say!(explain, "a name is missing on one side"),
        };
    }
    let (a, b) = if a.latin() <= b.latin() {
        (a, b)
    } else {
        (b, a)
    };
    let (la, lb) = (a.latin(), b.latin());
    // Jaro-Winkler is most of the cost of a comparison: computed up front only for an
    // explanation, else when a band needs it.
    let early = if explain { jaro_winkler(la, lb) } else { 0.0 };
    let (ta, tb) = (a.tokens(), b.tokens());
    let result = |level: NameLevel, explanation: String| NameComparison {
        level,
        jaro_winkler: early,
        explanation,
    };

    if la == lb {
        return result(NameLevel::Exact, say!(explain, "same name: {la}"));
    }
    let unspaced = |s: &str| s.bytes().filter(|&c| c != b' ').collect::<Vec<u8>>();
    if la.len() != lb.len() && unspaced(la) == unspaced(lb) {
        return result(
            NameLevel::Exact,
            say!(
                explain,
                "same name, written with other word breaks: {la} / {lb}"
            ),
        );
    }
    if ta.len() == tb.len() {
        let pairs: Vec<(&Token, &Token)> = ta.iter().zip(tb).collect();
        if pairs.iter().all(|(x, y)| same_variant(x, y)) {
            return result(
                NameLevel::Variant,
                say!(
                    explain,
                    "same name parts, spelled differently: {}",
                    differing(&pairs, |x, y| match x.class.or(y.class) {
                        Some(c) => format!("{} ~ {} (spellings of {c})", x.text, y.text),
                        None => format!("{} ~ {}", x.text, y.text),
                    })
                ),
            );
        }
        if pairs.iter().all(|(x, y)| x.agrees_with(y)) {
            return result(
                NameLevel::Skeleton,
                say!(
                    explain,
                    "same consonant skeleton in every part: {}",
                    differing(&pairs, |x, y| format!(
                        "{} ~ {} ({})",
                        x.text, y.text, x.key
                    ))
                ),
            );
        }
    }
    if ta.len() != tb.len() && joined_keys(ta) == joined_keys(tb) {
        return result(
            NameLevel::Skeleton,
            say!(
                explain,
                "same consonant skeleton, other word breaks: {la} / {lb} ({})",
                joined_keys(ta)
            ),
        );
    }
    let matched = max_matching(ta, tb);
    if matched == ta.len() && matched == tb.len() {
        return result(
            NameLevel::Reordered,
            say!(explain, "same name parts in another order: {la} / {lb}"),
        );
    }
    let jw = if explain { early } else { jaro_winkler(la, lb) };
    let result = |level: NameLevel, explanation: String| NameComparison {
        level,
        jaro_winkler: jw,
        explanation,
    };
    if jw >= JW_HIGH {
        return result(
            NameLevel::JaroWinklerHigh,
            say!(
                explain,
                "very similar spelling (Jaro-Winkler {jw:.2}): {la} / {lb}"
            ),
        );
    }
    let (short, long) = if ta.len() <= tb.len() {
        (ta, tb)
    } else {
        (tb, ta)
    };
    if matched == short.len() {
        return result(
            NameLevel::Partial,
            say!(
                explain,
                "{matched} of {} name parts agree; not on the other side: {}",
                long.len(),
                long.iter()
                    .filter(|t| !short.iter().any(|s| s.agrees_with(t)))
                    .map(|t| t.text.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        );
    }
    let (level, what) = if jw >= JW_MEDIUM {
        (NameLevel::JaroWinklerMedium, "similar spelling")
    } else if jw >= JW_LOW {
        (NameLevel::JaroWinklerLow, "somewhat similar spelling")
    } else {
        (NameLevel::Different, "different names")
    };
    let agree = if matched > 0 {
        say!(explain, "; {matched} part(s) agree")
    } else {
        String::new()
    };
    result(
        level,
        say!(explain, "{what} (Jaro-Winkler {jw:.2}{agree}): {la} / {lb}"),
    )
}

/// The pairs of differing tokens, described, comma-separated.
fn differing(pairs: &[(&Token, &Token)], describe: impl Fn(&Token, &Token) -> String) -> String {
    pairs
        .iter()
        .filter(|(x, y)| x.text != y.text)
        .map(|(x, y)| describe(x, y))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Jaro-Winkler similarity of two names already in Latin ASCII, byte by byte.
pub fn jaro_winkler(a: &str, b: &str) -> f64 {
    rapidfuzz::distance::jaro_winkler::similarity(a.bytes(), b.bytes())
}

fn same_variant(x: &Token, y: &Token) -> bool {
    x.text == y.text || x.class.is_some_and(|c| y.class == Some(c))
}

fn joined_keys(tokens: &[Token]) -> String {
    let mut key: Vec<u8> = tokens.iter().flat_map(|t| t.key.bytes()).collect();
    key.dedup();
    String::from_utf8(key).unwrap_or_default()
}

/// The size of a maximum matching between the tokens of two names, a token agreeing
/// with a token when [`Token::agrees_with`] says so. Names have a handful of tokens, so
/// plain augmenting paths are enough.
fn max_matching(a: &[Token], b: &[Token]) -> usize {
    fn augment(
        i: usize,
        a: &[Token],
        b: &[Token],
        seen: &mut [bool],
        owner: &mut [Option<usize>],
    ) -> bool {
        for j in 0..b.len() {
            if !seen[j] && a[i].agrees_with(&b[j]) {
                seen[j] = true;
                if owner[j].is_none_or(|k| augment(k, a, b, seen, owner)) {
                    owner[j] = Some(i);
                    return true;
                }
            }
        }
        false
    }
    let mut owner = vec![None; b.len()];
    (0..a.len())
        .filter(|&i| {
            let mut seen = vec![false; b.len()];
            augment(i, a, b, &mut seen, &mut owner)
        })
        .count()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn level(a: &str, b: &str) -> NameLevel {
        compare_names(a, b).level
    }

    #[test]
    fn levels() {
        assert_eq!(
            level("Mohammed Hussein", "MOHAMMED  hussein"),
            NameLevel::Exact
        );
        assert_eq!(level("Abdul Rahman", "Abdulrahman"), NameLevel::Exact);
        assert_eq!(level("Haji Mohammed Ali", "Mohammed Ali"), NameLevel::Exact);
        assert_eq!(
            level("Mohammed Hussein", "Muhammad Husain"),
            NameLevel::Variant
        );
        assert_eq!(
            level("Mohammed Hussein", "Mohd Hossain"),
            NameLevel::Variant
        );
        assert_eq!(level("Mohammed Hussein", "محمد حسين"), NameLevel::Skeleton);
        assert_eq!(level("Nasir ud Din", "Nasiruddin"), NameLevel::Exact);
        assert_eq!(level("Nasir ud Deen", "Nasiruddin"), NameLevel::Skeleton);
        assert_eq!(
            level("Hussein Mohammed", "Mohammed Hussein"),
            NameLevel::Reordered
        );
        assert_eq!(
            level("Mohammed Ali Hussein", "Mohammed Hussein"),
            NameLevel::Partial
        );
        assert_eq!(
            level("Mohammed Hussein", "Mahmud Hussein"),
            NameLevel::JaroWinklerLow
        );
        assert_eq!(level("Fatima Begum", "Zainab Khatun"), NameLevel::Different);
        assert_eq!(level("", "Mohammed"), NameLevel::Missing);
    }

    #[test]
    fn explanations_name_what_agreed() {
        let c = compare_names("Mohammed Hussein", "Muhammad Husain");
        assert!(
            c.explanation.contains("spellings of mohammed"),
            "{}",
            c.explanation
        );
        let c = compare_names("Mohammed Ali Hussein", "Mohammed Hussein");
        assert!(
            c.explanation.contains("2 of 3") && c.explanation.ends_with("ali"),
            "{}",
            c.explanation
        );
    }
}
