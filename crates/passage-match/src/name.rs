//! A name prepared for matching: normalised, transliterated, particles handled, every
//! token keyed. Prepare once, compare many times.

use crate::keys::Token;
use crate::normalise::key_text;
use crate::particles;
use crate::script::{Script, detect};
use crate::translit::latin_words;

/// A prepared name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Name {
    script: Script,
    tokens: Vec<Token>,
    /// The transliterated tokens, separated by one space.
    latin: String,
}

impl Name {
    /// Prepares a name written in any script (or several).
    pub fn parse(raw: &str) -> Self {
        let key = key_text(raw);
        let words = latin_words(&key);
        let tokens: Vec<Token> = particles::apply(&words)
            .into_iter()
            .map(|w| Token::new(w.text, w.marked))
            .collect();
        let latin = tokens
            .iter()
            .map(|t| t.text.as_str())
            .collect::<Vec<_>>()
            .join(" ");
        Self {
            script: detect(&key),
            tokens,
            latin,
        }
    }

    /// The dominant script of the name as written.
    pub fn script(&self) -> Script {
        self.script
    }

    pub fn tokens(&self) -> &[Token] {
        &self.tokens
    }

    /// No token: the name was empty, or only punctuation.
    pub fn is_empty(&self) -> bool {
        self.tokens.is_empty()
    }

    /// The transliterated tokens, separated by one space ("muhammad husain").
    pub fn latin(&self) -> &str {
        &self.latin
    }

    /// The token keys, separated by one space ("mhmd hsn").
    pub fn keys(&self) -> String {
        self.tokens
            .iter()
            .map(|t| t.key.as_str())
            .collect::<Vec<_>>()
            .join(" ")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scripts_meet_in_the_keys() {
        let names = [
            "Mohammed Hussein",
            "محمد حسين",
            "Muhammad Husain",
            "Mohd Hossain",
            "মোহাম্মদ হোসেন",
        ];
        for n in names {
            assert_eq!(Name::parse(n).keys(), "mhmd hsn", "{n}");
        }
        assert_eq!(
            Name::parse("Haji Abdul-Rahman AL HASSAN").latin(),
            "abdulrahman hassan"
        );
        assert!(Name::parse(" -- ").is_empty());
    }
}
