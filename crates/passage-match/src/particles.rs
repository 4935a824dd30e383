//! Name particles and honorifics (`data/particles.txt`): which words to drop, which to
//! join to their neighbour, which to keep but mark.
//!
//! Works on transliterated words (lower-case ASCII), so one table serves every script:
//! "Abdul Rahman", "Abd al-Rahman" and "عبد الرحمن" all come out as one word.

use std::collections::{HashMap, HashSet};
use std::sync::LazyLock;

use crate::data::{self, DataError};
use crate::keys::skeleton;

/// What a particle does to a name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Action {
    /// An honorific, title or connector: left out of keys ("Haji", "al", "bin", "Daw").
    Drop,
    /// Joined to the next word ("Abdul" + "Rahman" → "abdulrahman").
    JoinNext,
    /// Joined to the previous word ("Habib" + "ur" → "habibur").
    JoinPrev,
    /// A name part often added or left out ("Md", "Khan", "Begum"): kept, marked.
    Keep,
    /// The first half of a Ge'ez compound ("Gebre" in "Gebre Medhin").
    Head,
    /// The second half of a Ge'ez compound ("Medhin", "Mariam").
    Tail,
}

impl Action {
    fn parse(s: &str) -> Option<Self> {
        Some(match s {
            "drop" => Self::Drop,
            "join-next" => Self::JoinNext,
            "join-prev" => Self::JoinPrev,
            "keep" => Self::Keep,
            "head" => Self::Head,
            "tail" => Self::Tail,
            _ => return None,
        })
    }
}

/// The particle table.
#[derive(Debug, Default)]
pub struct Particles {
    actions: HashMap<String, Action>,
    /// Skeletons of the tails, so that "medhn" (any_ascii of መድህን) is a tail too.
    tail_skeletons: HashSet<String>,
}

static PARTICLES: LazyLock<Particles> = LazyLock::new(|| Particles::load().unwrap_or_default());

/// The action of a particle, if the word is one.
pub fn lookup(word: &str) -> Option<Action> {
    PARTICLES.actions.get(word).copied()
}

impl Particles {
    pub(crate) fn load() -> Result<Self, Vec<DataError>> {
        let mut table = Self::default();
        let mut errors = Vec::new();
        for line in data::lines(data::PARTICLES) {
            let error = |message: &str| DataError {
                file: "particles.txt",
                line: line.number,
                message: message.to_owned(),
            };
            let (Some(word), Some(action)) = (line.words.first(), line.words.get(1)) else {
                errors.push(error("expected: token action [note]"));
                continue;
            };
            let Some(action) = Action::parse(action) else {
                errors.push(error("unknown action"));
                continue;
            };
            if !word.chars().all(|c| c.is_ascii_lowercase()) {
                errors.push(error("a token is lower-case ASCII letters"));
                continue;
            }
            if action == Action::Tail {
                table.tail_skeletons.insert(skeleton(word));
            }
            if table.actions.insert((*word).to_owned(), action).is_some() {
                errors.push(error("token listed twice"));
            }
        }
        if errors.is_empty() {
            Ok(table)
        } else {
            Err(errors)
        }
    }

    /// How many particles the table holds.
    pub fn len(&self) -> usize {
        self.actions.len()
    }

    /// Whether the table is empty (only if the data file failed to load).
    pub fn is_empty(&self) -> bool {
        self.actions.is_empty()
    }

    fn is_tail(&self, word: &str) -> bool {
        self.actions.get(word) == Some(&Action::Tail)
            || self.tail_skeletons.contains(&skeleton(word))
    }
}

/// A word of a name after particles are handled.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Word {
    pub text: String,
    /// A `keep` particle ("md", "khan", "begum"): a real part that is often missing.
    pub marked: bool,
}

/// Applies the particle table to the transliterated words of one name.
pub fn apply(words: &[String]) -> Vec<Word> {
    let table = &*PARTICLES;
    let action = |w: &str| table.actions.get(w).copied();
    let mut out: Vec<Word> = Vec::with_capacity(words.len());
    let mut i = 0;
    while i < words.len() {
        let word = &words[i];
        let next = words.get(i + 1);
        match action(word) {
            Some(Action::Head) if next.is_some_and(|n| table.is_tail(n)) => {
                out.push(Word {
                    text: format!("{word}{}", words[i + 1]),
                    marked: false,
                });
                i += 2;
            }
            Some(Action::JoinNext) if next.is_some() => {
                // Absorb the articles in between ("abd al rahman"), then the next word.
                let mut joined = word.clone();
                let mut j = i + 1;
                while j + 1 < words.len() && matches!(words[j].as_str(), "al" | "el") {
                    joined.push_str(&words[j]);
                    j += 1;
                }
                joined.push_str(&words[j]);
                out.push(Word {
                    text: joined,
                    marked: false,
                });
                i = j + 1;
            }
            Some(Action::JoinPrev) if !out.is_empty() => {
                if let Some(last) = out.last_mut() {
                    last.text.push_str(word);
                    last.marked = false;
                }
                i += 1;
            }
            Some(Action::Drop) => i += 1,
            other => {
                out.push(Word {
                    text: word.clone(),
                    marked: other == Some(Action::Keep),
                });
                i += 1;
            }
        }
    }
    if out.is_empty() {
        // Every word was an honorific ("Maung Maung", "Ma Ma"): then they are the name.
        return words
            .iter()
            .map(|w| Word {
                text: w.clone(),
                marked: false,
            })
            .collect();
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(name: &str) -> String {
        let words: Vec<String> = name.split(' ').map(str::to_owned).collect();
        apply(&words)
            .into_iter()
            .map(|w| w.text)
            .collect::<Vec<_>>()
            .join(" ")
    }

    #[test]
    fn table_loads() {
        let table = Particles::load().map_err(|e| format!("{e:?}"));
        assert!(table.as_ref().is_ok_and(|t| t.len() > 100), "{table:?}");
    }

    #[test]
    fn joins_and_drops() {
        assert_eq!(run("abdul rahman"), "abdulrahman");
        assert_eq!(run("abd al rahman"), "abdalrahman");
        assert_eq!(run("abdur rahman"), "abdurrahman");
        assert_eq!(run("abu bakr siddiq"), "abubakr siddiq");
        assert_eq!(run("haji mohammed al hassan"), "mohammed hassan");
        assert_eq!(run("habib ur rahman"), "habibur rahman");
        assert_eq!(run("najib ullah"), "najibullah");
        assert_eq!(run("ahmad bin ismail"), "ahmad ismail");
        assert_eq!(run("daw aung san su kyi"), "aung san su kyi");
        assert_eq!(run("maung maung"), "maung maung");
        assert_eq!(run("ghulam rasul"), "ghulamrasul");
        assert_eq!(run("abd"), "abd");
        assert_eq!(run("ul haq"), "ul haq");
    }

    #[test]
    fn geez_compounds_join_only_head_and_tail() {
        assert_eq!(run("yonas gebre medhin"), "yonas gebremedhin");
        assert_eq!(run("gebre medhn"), "gebremedhn");
        assert_eq!(run("haile mariam"), "hailemariam");
        assert_eq!(run("haile gebrselassie"), "haile gebrselassie");
        assert_eq!(run("mariam tesfay"), "mariam tesfay");
    }

    #[test]
    fn keep_particles_are_marked() {
        let words: Vec<String> = ["md", "rafiqul", "islam"].map(str::to_owned).to_vec();
        let out = apply(&words);
        assert!(out[0].marked);
        assert!(!out[1].marked);
    }
}
