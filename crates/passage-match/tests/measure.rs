//! Measures the keys against each other: skeleton rule variants, our token key, Double
//! Metaphone, Beider–Morse. Run with `--nocapture` to see the table.
//!
//! Data: (1) every pair of spellings within a variant class ("same name"); (2) every
//! token of the per-script examples against the usual Latin spelling ("script");
//! (3) the first spellings of every two different classes ("different names").
//! Recall is the share of (1) and (2) whose keys are equal; false matches the share
//! of (3). Codes with alternatives (Double Metaphone, Beider–Morse) count as equal
//! when any alternative is shared.

mod common;

use std::collections::BTreeSet;

use passage_match::keys::{LeadingVowel, SkeletonRules, metaphone, skeleton, skeleton_with};
use passage_match::variants::{self, ClassId};
use passage_match::{Name, translit};
use rphonetic::{BeiderMorseBuilder, ConfigFiles, Encoder, NameType, RuleType};

struct Data {
    same: Vec<(String, String)>,
    script: Vec<(String, String)>,
    different: Vec<(String, String)>,
}

fn data() -> Data {
    let classes: Vec<ClassId> = variants::classes().collect();
    let mut same = Vec::new();
    for c in &classes {
        let members = c.members();
        for (i, a) in members.iter().enumerate() {
            for b in &members[i + 1..] {
                same.push(((*a).to_owned(), (*b).to_owned()));
            }
        }
    }
    let mut script = Vec::new();
    for e in common::EXAMPLES {
        let (o, l) = (Name::parse(e.original), Name::parse(e.latin));
        if o.tokens().len() == l.tokens().len() {
            for (a, b) in o.tokens().iter().zip(l.tokens()) {
                script.push((a.text.clone(), b.text.clone()));
            }
        }
    }
    let mut different = Vec::new();
    for (i, a) in classes.iter().enumerate() {
        for b in &classes[i + 1..] {
            different.push((a.name().to_owned(), b.name().to_owned()));
        }
    }
    Data {
        same,
        script,
        different,
    }
}

struct Score {
    same: f64,
    script: f64,
    different: f64,
}

fn score(data: &Data, agree: &dyn Fn(&str, &str) -> bool) -> Score {
    let share = |pairs: &[(String, String)]| {
        let n = pairs.iter().filter(|(a, b)| agree(a, b)).count();
        n as f64 / pairs.len().max(1) as f64
    };
    Score {
        same: share(&data.same),
        script: share(&data.script),
        different: share(&data.different),
    }
}

fn print(name: &str, s: &Score) {
    println!(
        "{name:<44} {:>6.3} {:>7.3} {:>9.4}",
        s.same, s.script, s.different
    );
}

fn alternatives(code: &str) -> BTreeSet<String> {
    code.split(|c: char| !c.is_ascii_alphabetic())
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
        .collect()
}

#[test]
fn keys_measured_against_each_other() {
    let data = data();
    println!(
        "\n{} same-name pairs, {} script/Latin token pairs, {} different-name pairs",
        data.same.len(),
        data.script.len(),
        data.different.len()
    );
    println!(
        "{:<44} {:>6} {:>7} {:>9}",
        "key", "same", "script", "different"
    );

    let chosen = SkeletonRules::CHOSEN;
    let variants: Vec<(&str, SkeletonRules)> = vec![
        ("skeleton (chosen rules)", chosen),
        (
            "  without alternations",
            SkeletonRules {
                alternations: false,
                ..chosen
            },
        ),
        (
            "  leading vowel dropped",
            SkeletonRules {
                leading_vowel: LeadingVowel::Drop,
                ..chosen
            },
        ),
        (
            "  leading vowel kept as is",
            SkeletonRules {
                leading_vowel: LeadingVowel::Keep,
                ..chosen
            },
        ),
        (
            "  y w v kept",
            SkeletonRules {
                drop_semivowels: false,
                ..chosen
            },
        ),
        (
            "  final h kept",
            SkeletonRules {
                drop_final_h: false,
                ..chosen
            },
        ),
        (
            "  doubles collapsed again after vowels",
            SkeletonRules {
                collapse_after_vowels: true,
                ..chosen
            },
        ),
    ];
    let mut scores = Vec::new();
    for (name, rules) in &variants {
        let s = score(&data, &|a, b| {
            skeleton_with(a, rules) == skeleton_with(b, rules)
        });
        print(name, &s);
        scores.push(s);
    }

    let key = |t: &str| passage_match::keys::Token::new(t.to_owned(), false).key;
    let ours = score(&data, &|a, b| key(a) == key(b));
    print("token key (class, else skeleton)", &ours);

    let dm = score(&data, &|a, b| {
        let (x, y) = (metaphone(a), metaphone(b));
        x.0 == y.0 || x.0 == y.1 || x.1 == y.0
    });
    print("Double Metaphone (primary or alternate)", &dm);

    let config = ConfigFiles::default();
    let bm = BeiderMorseBuilder::new(&config)
        .name_type(NameType::Generic)
        .rule_type(RuleType::Approx)
        .build();
    let bm_score = score(&data, &|a, b| {
        !alternatives(&bm.encode(a)).is_disjoint(&alternatives(&bm.encode(b)))
    });
    print("Beider-Morse (generic, approx, any shared)", &bm_score);

    // The chosen rules bridge scripts at least as well as any single rule switched off
    // and as the phonetic codes, and the full token key never does worse than them.
    for (s, (name, _)) in scores.iter().zip(&variants).skip(1) {
        assert!(
            scores[0].script >= s.script,
            "{name} bridges more script pairs"
        );
    }
    assert!(scores[0].script >= dm.script && scores[0].script >= bm_score.script);
    assert!(ours.same >= scores[0].same && ours.script >= scores[0].script);
    assert!(
        scores[0].different < 0.02,
        "skeleton false matches: {}",
        scores[0].different
    );
}

/// Script/Latin pairs written after the rules were chosen, so not tuned to them.
const HELD_OUT: &[(&str, &str)] = &[
    ("سعيد", "Saeed"),
    ("وليد", "Walid"),
    ("جميلة", "Jamila"),
    ("ليلى", "Layla"),
    ("رشيد", "Rashid"),
    ("نبيل", "Nabil"),
    ("هشام", "Hisham"),
    ("زياد", "Ziad"),
    ("أسامة", "Osama"),
    ("حمزة", "Hamza"),
    ("طارق", "Tariq"),
    ("بلال", "Bilal"),
    ("سلمى", "Salma"),
    ("هدى", "Huda"),
    ("منى", "Mona"),
    ("إيمان", "Iman"),
    ("عادل", "Adel"),
    ("ماجد", "Majid"),
    ("قاسم", "Qasim"),
    ("جعفر", "Jafar"),
    ("مهدی", "Mehdi"),
    ("جواد", "Javad"),
    ("وحید", "Vahid"),
    ("شیرین", "Shirin"),
    ("پروین", "Parvin"),
    ("فرهاد", "Farhad"),
    ("رستم", "Rostam"),
    ("داوود", "Davood"),
    ("سهراب", "Sohrab"),
    ("تهمینه", "Tahmina"),
    ("ابراهیم", "Ebrahim"),
    ("اسماعیل", "Esmail"),
    ("ګل", "Gul"),
    ("غلام", "Ghulam"),
    ("میرویس", "Mirwais"),
    ("زرمینه", "Zarmina"),
    ("وزیر", "Wazir"),
    ("خان", "Khan"),
    ("شکریه", "Shukria"),
    ("ثناء", "Sana"),
    ("حیدر", "Haider"),
    ("رضا", "Raza"),
    ("عثمان", "Usman"),
    ("بلقیس", "Bilqis"),
    ("کاشف", "Kashif"),
    ("রাশেদ", "Rashed"),
    ("কামাল", "Kamal"),
    ("জামাল", "Jamal"),
    ("সুলতানা", "Sultana"),
    ("নাসরিন", "Nasrin"),
    ("রোকেয়া", "Rokeya"),
    ("হাসিনা", "Hasina"),
    ("শাহানা", "Shahana"),
    ("আক্তার", "Akter"),
    ("ইয়াসমিন", "Yasmin"),
    ("ထက်", "Htet"),
    ("ဖြိုး", "Phyo"),
    ("မိုး", "Moe"),
    ("စိုး", "Soe"),
    ("ဇော်", "Zaw"),
    ("ဟိန်း", "Hein"),
    ("လွင်", "Lwin"),
    ("ရွှေ", "Shwe"),
    ("ချစ်", "Chit"),
    ("ငြိမ်း", "Nyein"),
    ("Сергей", "Sergei"),
    ("Наталья", "Natalia"),
    ("Андрей", "Andrei"),
    ("Ольга", "Olga"),
    ("Фаррух", "Farrukh"),
    ("Шахноза", "Shahnoza"),
    ("Джамшед", "Jamshed"),
    ("Зарина", "Zarina"),
    ("Гульнара", "Gulnara"),
    ("ፍሰሃ", "Fisseha"),
    ("ገብረሂወት", "Gebrehiwet"),
    ("ሙሉጌታ", "Mulugeta"),
    ("ሃጎስ", "Hagos"),
    ("ተኽለ", "Tekle"),
    ("ሳምሶን", "Samson"),
    ("ሄኖክ", "Henok"),
    ("ፊልሞን", "Filmon"),
    ("ዳዊት", "Dawit"),
    ("ብርሃኑ", "Birhanu"),
    ("ሙሴ", "Musie"),
    ("ግርማይ", "Girmay"),
];

#[test]
fn held_out_script_pairs() {
    let config = ConfigFiles::default();
    let bm = BeiderMorseBuilder::new(&config)
        .name_type(NameType::Generic)
        .rule_type(RuleType::Approx)
        .build();
    let (mut ours, mut skel, mut dm, mut bms) = (0, 0, 0, 0);
    for (script, latin) in HELD_OUT {
        let (x, y) = (Name::parse(script), Name::parse(latin));
        let (a, b) = (x.latin(), y.latin());
        if x.keys() == y.keys() {
            ours += 1;
        } else {
            println!(
                "missed: {script} / {latin}: {a} / {b}: keys {} / {}",
                x.keys(),
                y.keys()
            );
        }
        skel += usize::from(skeleton(a) == skeleton(b));
        let (m, n) = (metaphone(a), metaphone(b));
        dm += usize::from(m.0 == n.0 || m.0 == n.1 || m.1 == n.0);
        bms += usize::from(!alternatives(&bm.encode(a)).is_disjoint(&alternatives(&bm.encode(b))));
    }
    let n = HELD_OUT.len();
    println!("held-out script/Latin pairs: {n}");
    println!("  token key {ours}, skeleton {skel}, Double Metaphone {dm}, Beider-Morse {bms}");
    assert!(ours >= skel && skel >= dm && skel >= bms);
    assert!(ours * 10 >= n * 8, "token key bridges only {ours} of {n}");
}

/// Pairs that our keys do not bridge yet, printed so that the next change can aim at
/// them. Not a failure: each is a choice or a limit (see the crate report).
#[test]
fn known_misses() {
    let pairs = [
        ("জিয়া", "Zia"),    // Bengali জ is j, but Arabic-origin names are spelled z
        ("Adham", "ادهم"), // the Latin writes a digraph the script does not have
        ("Ishaq", "اسحاق"),
        ("Aung", "Ong"),           // Burmese romanisation outside the tables
        ("Alexander", "Iskandar"), // one name, different forms: a class would be wrong here
        ("Tun", "ထွန်း"),
        ("Sahar", "سحر"),
    ];
    for (a, b) in pairs {
        let (x, y) = (Name::parse(a), Name::parse(b));
        println!(
            "{a} / {b}: {:?} {:?} keys {} / {} -> {}",
            translit::to_latin(a),
            translit::to_latin(b),
            x.keys(),
            y.keys(),
            if x.keys() == y.keys() {
                "bridged"
            } else {
                "missed"
            }
        );
    }
    assert_eq!(skeleton("sahar"), Name::parse("سحر").keys());
}
