//! The data files in `data/`, compiled in with `include_str!`, and their parser.
//!
//! Every file is UTF-8 text: `#` starts a comment, blank lines are skipped, `[name]`
//! starts a section. Tables are built once, on first use. A malformed line is a bug in
//! the repository, not in the input: [`check`] reports it (the tests call it), and the
//! lazily built tables skip it rather than panic.

use std::fmt;

pub(crate) const ARABIC: &str = include_str!("../data/arabic.txt");
pub(crate) const ARABIC_ARTICLE: &str = include_str!("../data/arabic-article.txt");
pub(crate) const BENGALI: &str = include_str!("../data/bengali.txt");
pub(crate) const GEEZ: &str = include_str!("../data/geez.txt");
pub(crate) const BURMESE: &str = include_str!("../data/burmese.txt");
pub(crate) const PARTICLES: &str = include_str!("../data/particles.txt");
pub(crate) const VARIANTS: &str = include_str!("../data/variants.txt");

/// A line of a data file that could not be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DataError {
    pub file: &'static str,
    /// 1-based.
    pub line: usize,
    pub message: String,
}

impl fmt::Display for DataError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "data/{}:{}: {}", self.file, self.line, self.message)
    }
}

impl std::error::Error for DataError {}

/// One meaningful line: its 1-based number, the section it is in, its words.
pub(crate) struct Line<'a> {
    pub number: usize,
    pub section: &'a str,
    pub words: Vec<&'a str>,
}

/// The meaningful lines of a data file.
pub(crate) fn lines(text: &str) -> Vec<Line<'_>> {
    let mut section = "";
    let mut out = Vec::new();
    for (i, raw) in text.lines().enumerate() {
        let content = raw.split('#').next().unwrap_or("").trim();
        if content.is_empty() {
            continue;
        }
        if let Some(name) = content.strip_prefix('[').and_then(|s| s.strip_suffix(']')) {
            section = name.trim();
            continue;
        }
        out.push(Line {
            number: i + 1,
            section,
            words: content.split_whitespace().collect(),
        });
    }
    out
}

/// `"-"` in a table means the empty string.
pub(crate) fn value(word: &str) -> &str {
    if word == "-" { "" } else { word }
}

/// Counts of what the data files hold, for reports and tests.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DataSummary {
    pub variant_classes: usize,
    pub variant_tokens: usize,
    pub particles: usize,
    pub arabic_letters: usize,
    pub bengali_overrides: usize,
    pub geez_overrides: usize,
    pub burmese_entries: usize,
}

/// Parses every data file strictly and returns what they hold, or every problem found.
pub fn check() -> Result<DataSummary, Vec<DataError>> {
    let mut errors = Vec::new();
    let translit = crate::translit::Tables::load()
        .map_err(|e| errors.extend(e))
        .ok();
    let particles = crate::particles::Particles::load()
        .map_err(|e| errors.extend(e))
        .ok();
    let variants = crate::variants::Variants::load()
        .map_err(|e| errors.extend(e))
        .ok();
    match (translit, particles, variants) {
        (Some(t), Some(p), Some(v)) if errors.is_empty() => Ok(DataSummary {
            variant_classes: v.class_count(),
            variant_tokens: v.token_count(),
            particles: p.len(),
            arabic_letters: t.arabic_len(),
            bengali_overrides: t.bengali_len(),
            geez_overrides: t.geez_len(),
            burmese_entries: t.burmese_len(),
        }),
        _ => Err(errors),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_data_file_parses() {
        let summary = check();
        assert!(summary.is_ok(), "{:?}", summary.err());
        let summary = summary.unwrap_or_else(|_| unreachable!());
        assert!(summary.variant_classes >= 60);
        assert!(summary.particles >= 100);
    }

    #[test]
    fn comments_sections_and_dashes() {
        let text = "# c\n[s]\na b # note\n\n- x\n";
        let lines = lines(text);
        assert_eq!(lines.len(), 2);
        assert_eq!(
            (lines[0].number, lines[0].section, lines[0].words.clone()),
            (3, "s", vec!["a", "b"])
        );
        assert_eq!(value(lines[1].words[0]), "");
    }
}
