//! A small seeded population with known duplicates: 180 people and 20 second
//! registrations carrying transliteration variants, typos, swapped or coarsened dates
//! and missing fields.

// Each test file that includes this module uses part of it.
#![allow(dead_code)]

use passage_match::{BirthDate, Candidate, PersonFields, Sex, SplitMix64};

/// Given names: a canonical spelling and the spellings of the same name. Mohammed is
/// listed three times, so it is common (frequency adjustment).
pub const GIVEN: &[&[&str]] = &[
    &["Mohammed", "Muhammad", "Mohamed", "Mohammad"],
    &["Mohammed", "Muhammad", "Mohamed", "Mohammad"],
    &["Mohammed", "Muhammad", "Mohamed", "Mohammad"],
    &["Ahmed", "Ahmad"],
    &["Hussein", "Husain", "Hossain"],
    &["Yusuf", "Yousef", "Youssef"],
    &["Omar", "Umar"],
    &["Fatima", "Fatma", "Fatemeh"],
    &["Abdullah", "Abdallah"],
    &["Ibrahim", "Ebrahim"],
    &["Zainab", "Zaynab"],
    &["Khadija", "Khadijah"],
    &["Aisha", "Aysha"],
    &["Rashid"],
    &["Karim"],
    &["Tariq"],
    &["Bilal"],
    &["Jamal"],
    &["Layla"],
    &["Nadia"],
    &["Amina"],
    &["Halima"],
    &["Idris"],
    &["Ismail"],
    &["Osman"],
    &["Abdi"],
    &["Aung"],
    &["Kyaw"],
    &["Thandar"],
    &["Mehret"],
    &["Senait"],
    &["Linh"],
];

pub const FAMILY: &[&str] = &[
    "Hassan",
    "Rahman",
    "Karimi",
    "Ahmadi",
    "Hosseini",
    "Begum",
    "Khatun",
    "Haidari",
    "Rezai",
    "Sultani",
    "Noori",
    "Mahmoud",
    "Warsame",
    "Tesfaye",
    "Gebremedhin",
    "Haile",
    "Tekle",
    "Kidane",
    "Nguyen",
    "Tran",
    "Jalali",
    "Barakzai",
    "Popalzai",
    "Yousufzai",
    "Chowdhury",
    "Sarkar",
    "Uddin",
    "Farah",
    "Jama",
    "Dirie",
];

pub const NATIONALITIES: &[&str] = &["AFG", "SYR", "IRQ", "SOM", "ERI", "MMR", "BGD", "VNM"];

pub const PLACES: &[&str] = &[
    "Kabul",
    "Herat",
    "Kandahar",
    "Aleppo",
    "Homs",
    "Mosul",
    "Mogadishu",
    "Kismayo",
    "Asmara",
    "Keren",
    "Maungdaw",
    "Buthidaung",
    "Cox's Bazar",
    "Sylhet",
    "Hue",
];

fn pick<'a, T>(rng: &mut SplitMix64, list: &'a [T]) -> &'a T {
    &list[rng.below(list.len())]
}

fn chance(rng: &mut SplitMix64, percent: usize) -> bool {
    rng.below(100) < percent
}

/// A raw record, before the names are prepared.
#[derive(Debug, Clone)]
struct Raw {
    given: usize,
    given_spelling: usize,
    family: String,
    birth: Option<BirthDate>,
    sex: Option<Sex>,
    nationality: Option<&'static str>,
    origin: Option<String>,
    document: Option<String>,
}

impl Raw {
    fn fields(&self) -> PersonFields {
        PersonFields {
            given: Some(GIVEN[self.given][self.given_spelling].to_owned()),
            family: Some(self.family.clone()),
            birth: self.birth,
            sex: self.sex,
            nationalities: self.nationality.iter().map(|n| n.to_string()).collect(),
            origin: self.origin.clone(),
            documents: self.document.iter().cloned().collect(),
            ..PersonFields::default()
        }
    }

    fn candidate(&self) -> Candidate {
        let given = GIVEN[self.given][self.given_spelling];
        let mut c = Candidate::named([format!("{given} {}", self.family).as_str()]);
        c.birth = self.birth;
        c.sex = self.sex;
        c.nationalities = self.nationality.iter().map(|n| n.to_string()).collect();
        c.origin = self.origin.clone();
        c.documents = self.document.iter().cloned().collect();
        c
    }
}

fn person(rng: &mut SplitMix64) -> Raw {
    let given = rng.below(GIVEN.len());
    let year = 1950 + rng.below(70) as i32;
    let full = chance(rng, 80);
    Raw {
        given,
        given_spelling: 0,
        family: pick(rng, FAMILY).to_string(),
        birth: Some(BirthDate {
            year: Some(year),
            month: full.then(|| 1 + rng.below(12) as u8),
            day: full.then(|| 1 + rng.below(28) as u8),
            estimated: !full && chance(rng, 50),
        }),
        sex: Some(if chance(rng, 50) {
            Sex::Male
        } else {
            Sex::Female
        }),
        nationality: chance(rng, 90).then(|| *pick(rng, NATIONALITIES)),
        origin: chance(rng, 70).then(|| pick(rng, PLACES).to_string()),
        document: chance(rng, 40).then(|| format!("P{:07}", rng.below(10_000_000))),
    }
}

/// Swaps two neighbouring letters.
fn typo(rng: &mut SplitMix64, s: &str) -> String {
    let mut chars: Vec<char> = s.chars().collect();
    if chars.len() > 3 {
        let i = 1 + rng.below(chars.len() - 2);
        chars.swap(i, i + 1);
    }
    chars.into_iter().collect()
}

/// A second registration of the same person, with two or three corruptions.
fn duplicate(rng: &mut SplitMix64, p: &Raw) -> Raw {
    let mut d = p.clone();
    for _ in 0..2 + rng.below(2) {
        match rng.below(7) {
            0 => d.given_spelling = rng.below(GIVEN[d.given].len()),
            1 => d.family = typo(rng, &d.family),
            2 => d.document = None,
            3 => d.nationality = None,
            4 => d.origin = d.origin.as_deref().map(|o| typo(rng, o)),
            5 => {
                if let Some(b) = &mut d.birth {
                    if let (Some(m), Some(day)) = (b.month, b.day) {
                        (b.month, b.day) = (Some(day.min(12)), Some(m));
                    } else {
                        b.year = b.year.map(|y| y + 1);
                        b.estimated = true;
                    }
                }
            }
            _ => {
                if let Some(b) = &mut d.birth {
                    (b.month, b.day, b.estimated) = (None, None, true);
                }
            }
        }
    }
    d
}

/// 180 people and 20 second registrations: (records, true pairs `(i, j)`, `i < j`).
pub fn population() -> (Vec<Candidate>, Vec<(usize, usize)>) {
    let (raw, truth) = raw_population();
    (raw.iter().map(Raw::candidate).collect(), truth)
}

/// [`population`] as a registration or a file gives it: fields, not prepared names.
pub fn population_fields() -> Vec<PersonFields> {
    raw_population().0.iter().map(Raw::fields).collect()
}

fn raw_population() -> (Vec<Raw>, Vec<(usize, usize)>) {
    let mut rng = SplitMix64::new(2026);
    let mut raw: Vec<Raw> = (0..180).map(|_| person(&mut rng)).collect();
    let mut truth = Vec::new();
    for i in 0..20 {
        let d = duplicate(&mut rng, &raw[i * 9]);
        truth.push((i * 9, raw.len()));
        raw.push(d);
    }
    (raw, truth)
}
