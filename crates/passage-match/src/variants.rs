//! Name-variant equivalence classes (`data/variants.txt`): spellings of one name,
//! such as `mohammed muhammad mohamad mohamed … mohd md`.
//!
//! A class is looked up by a transliterated token. A token that is in no class but
//! whose consonant skeleton belongs to exactly one class (as "abdalrhmn" from
//! "عبد الرحمن" belongs to `abdulrahman`) is *implied* in that class; a skeleton
//! shared by two classes ("mhmd": Mohammed and Mahmud; "hsn": Hassan and Hussein)
//! implies nothing.

use std::collections::HashMap;
use std::fmt;
use std::sync::LazyLock;

use crate::data::{self, DataError};
use crate::keys::skeleton;

/// A variant class: its line among the classes of `data/variants.txt`, from 0.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ClassId(pub u16);

impl ClassId {
    /// The first token of the class, which names it ("mohammed").
    pub fn name(self) -> &'static str {
        VARIANTS
            .canonical
            .get(usize::from(self.0))
            .map_or("", |c| c.name.as_str())
    }

    /// The consonant skeleton of the class's first token: the key every member shares.
    pub fn skeleton(self) -> &'static str {
        VARIANTS
            .canonical
            .get(usize::from(self.0))
            .map_or("", |c| c.skeleton.as_str())
    }

    /// Every token of the class.
    pub fn members(self) -> Vec<&'static str> {
        let mut members: Vec<&'static str> = VARIANTS
            .by_token
            .iter()
            .filter(|(_, id)| **id == self)
            .map(|(t, _)| t.as_str())
            .collect();
        members.sort_unstable();
        members
    }
}

impl fmt::Display for ClassId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

#[derive(Debug, Default)]
struct Canonical {
    name: String,
    skeleton: String,
}

/// The class table.
#[derive(Debug, Default)]
pub struct Variants {
    by_token: HashMap<String, ClassId>,
    /// `None` where two classes share the skeleton.
    by_skeleton: HashMap<String, Option<ClassId>>,
    canonical: Vec<Canonical>,
}

static VARIANTS: LazyLock<Variants> = LazyLock::new(|| Variants::load().unwrap_or_default());

/// The class of a transliterated token ("muhammad" → `mohammed`).
pub fn class_of(token: &str) -> Option<ClassId> {
    VARIANTS.by_token.get(token).copied()
}

/// The class a consonant skeleton implies, if exactly one class has members with it.
pub fn class_of_skeleton(skeleton: &str) -> Option<ClassId> {
    VARIANTS.by_skeleton.get(skeleton).copied().flatten()
}

/// Every class, in file order.
pub fn classes() -> impl Iterator<Item = ClassId> {
    (0..VARIANTS.canonical.len()).filter_map(|i| u16::try_from(i).ok().map(ClassId))
}

impl Variants {
    pub(crate) fn load() -> Result<Self, Vec<DataError>> {
        let mut table = Self::default();
        let mut errors = Vec::new();
        for line in data::lines(data::VARIANTS) {
            let error = |message: String| DataError {
                file: "variants.txt",
                line: line.number,
                message,
            };
            let Ok(id) = u16::try_from(table.canonical.len()).map(ClassId) else {
                errors.push(error("too many classes".to_owned()));
                break;
            };
            if line.words.len() < 2 {
                errors.push(error("a class needs at least two spellings".to_owned()));
            }
            for token in &line.words {
                if !token.chars().all(|c| c.is_ascii_lowercase()) {
                    errors.push(error(format!(
                        "{token:?}: a token is lower-case ASCII letters"
                    )));
                } else if let Some(other) = table.by_token.insert((*token).to_owned(), id) {
                    let first = table
                        .canonical
                        .get(usize::from(other.0))
                        .map(|c| c.name.clone());
                    errors.push(error(format!(
                        "{token:?} is already in the class of {first:?}"
                    )));
                }
                let skel = skeleton(token);
                let slot = table.by_skeleton.entry(skel).or_insert(Some(id));
                if *slot != Some(id) {
                    *slot = None;
                }
            }
            let name = line.words.first().copied().unwrap_or_default().to_owned();
            table.canonical.push(Canonical {
                skeleton: skeleton(&name),
                name,
            });
        }
        if errors.is_empty() {
            Ok(table)
        } else {
            Err(errors)
        }
    }

    /// How many classes the table holds.
    pub fn class_count(&self) -> usize {
        self.canonical.len()
    }

    /// How many tokens, over all classes.
    pub fn token_count(&self) -> usize {
        self.by_token.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::translit::to_latin;

    #[test]
    fn classes_load_with_no_token_twice() {
        let table = Variants::load();
        assert!(table.is_ok(), "{:?}", table.err());
        let table = table.unwrap_or_default();
        assert!(table.class_count() >= 60, "{} classes", table.class_count());
    }

    #[test]
    fn spellings_of_mohammed_share_a_class_and_mahmud_does_not() {
        let mohammed = class_of("mohammed");
        assert!(mohammed.is_some());
        for t in [
            "muhammad", "mohamad", "mohamed", "mohammad", "mohd", "md", "maxamed",
        ] {
            assert_eq!(class_of(t), mohammed, "{t}");
        }
        for t in ["mahmud", "mahmood", "mahmoud", "mohamud"] {
            assert!(class_of(t).is_some());
            assert_ne!(class_of(t), mohammed, "{t}");
        }
        assert_eq!(mohammed.map(ClassId::name), Some("mohammed"));
        assert_eq!(mohammed.map(ClassId::skeleton), Some("mhmd"));
    }

    #[test]
    fn lookups_go_through_transliteration() {
        assert_eq!(class_of(&to_latin("Nguyễn")), class_of("nguyen"));
        assert_eq!(class_of(&to_latin("Hüseyin")), class_of("hussein"));
        assert!(class_of(&to_latin("Nguyễn")).is_some());
    }

    #[test]
    fn skeletons_imply_a_class_only_when_unambiguous() {
        assert_eq!(
            class_of_skeleton(&skeleton("abdalrhmn")),
            class_of("abdulrahman")
        );
        // Mohammed and Mahmud, Hassan and Hussein share a skeleton.
        assert_eq!(class_of_skeleton("mhmd"), None);
        assert_eq!(class_of_skeleton("hsn"), None);
    }
}
