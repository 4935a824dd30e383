//! A seeded synthetic population for benchmarks: sites in three countries, arrivals over
//! two years, households of realistic sizes (a twentieth registered at level 1 only),
//! persons with the age, sex, nationality and population-type mix of a mixed movement,
//! and asylum and child-protection cases for some of them. Written through the store's
//! bulk registration, so every row is what a registration would write.

use anyhow::Context;
use indicatif::{ProgressBar, ProgressStyle};
use passage_domain::access::Principal;
use passage_domain::age::{DateOfBirth, DobPrecision};
use passage_domain::arrival::{ArrivalDetails, ArrivalMode};
use passage_domain::codes::{Country, Nationality};
use passage_domain::data_protection::{LegalBasis, Purpose};
use passage_domain::household::{
    Breakdown, GroupKind, MemberDetails, Relationship, ValidHousehold,
};
use passage_domain::person::{PersonDetails, PopulationType, Sex};
use passage_domain::protection::procedure::ProcedureKind;
use passage_domain::protection::records::NewCase;
use passage_domain::regno::SiteCode;
use passage_domain::site::{SiteDetails, SiteKind};
use passage_store::Store;
use time::{Date, Duration, OffsetDateTime};
use uuid::Uuid;

/// Where people land or cross: code, country, kind.
const SITES: &[(&str, &str, SiteKind)] = &[
    ("ACH", "IDN", SiteKind::LandingPoint),
    ("SMR", "IDN", SiteKind::LandingPoint),
    ("MDN", "IDN", SiteKind::ReceptionCentre),
    ("PKN", "IDN", SiteKind::ReceptionCentre),
    ("ENT", "IDN", SiteKind::BorderCrossingPoint),
    ("KNG", "MYS", SiteKind::LandingPoint),
    ("PNG", "MYS", SiteKind::ReceptionCentre),
    ("BKH", "MYS", SiteKind::BorderCrossingPoint),
    ("SNG", "THA", SiteKind::LandingPoint),
    ("RNG", "THA", SiteKind::ReceptionCentre),
    ("MSC", "THA", SiteKind::BorderCrossingPoint),
    ("TAK", "THA", SiteKind::ReceptionCentre),
];

/// Nationalities of the flow and their weights.
const NATIONALITIES: &[(&str, u32)] = &[
    ("MMR", 40),
    ("BGD", 14),
    ("AFG", 10),
    ("stateless", 9),
    ("PAK", 6),
    ("LKA", 5),
    ("SOM", 4),
    ("IRN", 3),
    ("YEM", 3),
    ("IRQ", 2),
    ("SDN", 2),
    ("ERI", 1),
    ("unknown", 1),
];

const GIVEN: &[&str] = &[
    "Nur", "Mohammed", "Fatema", "Rashid", "Ayesha", "Hamid", "Rahima", "Karim", "Salma", "Anwar",
    "Jamila", "Yusuf", "Hasina", "Imran", "Sultana", "Abdul", "Rokeya", "Faisal",
];
const FAMILY: &[&str] = &[
    "Begum", "Hossain", "Alam", "Khatun", "Rahman", "Islam", "Uddin", "Akter", "Karim", "Hussain",
    "Ahmed", "Bibi", "Miah", "Ullah", "Sultan", "Haque", "Noor", "Zaman",
];

/// How big a run to make.
#[derive(Debug, Clone, Copy)]
pub struct Size {
    pub persons: usize,
    pub seed: u64,
}

/// What was made.
#[derive(Debug, Clone, Copy, Default)]
pub struct Made {
    pub persons: usize,
    pub households: usize,
    pub arrivals: usize,
    pub cases: usize,
}

fn pick<'a, T>(rng: &mut fastrand::Rng, items: &'a [T]) -> &'a T {
    &items[rng.usize(..items.len())]
}

fn weighted(rng: &mut fastrand::Rng, items: &[(&'static str, u32)]) -> &'static str {
    let total: u32 = items.iter().map(|(_, w)| w).sum();
    let mut n = rng.u32(..total);
    for (item, w) in items {
        if n < *w {
            return item;
        }
        n -= w;
    }
    items[0].0
}

/// An age with the shape of a displaced population: many children, few old people.
fn age(rng: &mut fastrand::Rng) -> i64 {
    match rng.u32(..100) {
        0..=14 => rng.i64(0..5),
        15..=32 => rng.i64(5..12),
        33..=44 => rng.i64(12..18),
        45..=95 => rng.i64(18..60),
        _ => rng.i64(60..90),
    }
}

fn person(rng: &mut fastrand::Rng, today: Date, adult: bool) -> PersonDetails {
    let years = if adult { rng.i64(18..70) } else { age(rng) };
    let born = today - Duration::days(years * 365 + rng.i64(0..365));
    let precision = match rng.u32(..20) {
        0 => None,
        1..=3 => Some(DobPrecision::YearOnly),
        4..=6 => Some(DobPrecision::Estimated),
        _ => Some(DobPrecision::Exact),
    };
    let population_type = match rng.u32(..100) {
        0..=44 => Some(PopulationType::ASY),
        45..=64 => Some(PopulationType::REF),
        65..=69 => Some(PopulationType::OIP),
        70..=77 => Some(PopulationType::STA),
        78..=84 => Some(PopulationType::RET),
        85..=89 => Some(PopulationType::OOC),
        _ => None,
    };
    let nationality = weighted(rng, NATIONALITIES);
    let sex = match rng.u32(..100) {
        0..=48 => Sex::F,
        49..=98 => Sex::M,
        _ => Sex::U,
    };
    let given: &str = pick::<&str>(rng, GIVEN);
    let mut p = PersonDetails::named(given, sex);
    p.family_name = Some((*pick(rng, FAMILY)).to_owned());
    p.date_of_birth = precision.map(|precision| DateOfBirth {
        date: match precision {
            DobPrecision::YearOnly => {
                Date::from_calendar_date(born.year(), time::Month::January, 1).unwrap_or(born)
            }
            _ => born,
        },
        precision,
    });
    p.nationalities = Nationality::try_from(nationality.to_owned())
        .into_iter()
        .collect();
    p.population_type = population_type;
    p
}

fn household(
    rng: &mut fastrand::Rng,
    arrival_id: Uuid,
    today: Date,
    persons_left: usize,
) -> ValidHousehold {
    let head = person(rng, today, true);
    let size = (1 + rng.usize(..6)).min(persons_left.max(1));
    let level_one = rng.u32(..20) == 0;
    let members: Vec<MemberDetails> = if level_one {
        Vec::new()
    } else {
        (1..size)
            .map(|_| {
                let mut p = person(rng, today, false);
                p.family_name.clone_from(&head.family_name);
                p.nationalities.clone_from(&head.nationalities);
                p.population_type = head.population_type;
                MemberDetails {
                    relationship: if rng.bool() {
                        Relationship::Child
                    } else {
                        Relationship::Spouse
                    },
                    person: p,
                }
            })
            .collect()
    };
    let mut breakdown = Breakdown::default();
    if level_one {
        breakdown.f_18_59 = u32::from(head.sex == Sex::F);
        breakdown.m_18_59 = u32::from(head.sex != Sex::F);
        breakdown.f_5_11 = u32::try_from(size.saturating_sub(1)).unwrap_or(0);
    }
    ValidHousehold {
        arrival_id,
        kind: GroupKind::Family,
        size: u32::try_from(size).unwrap_or(1),
        breakdown,
        head,
        members,
        legal_basis: LegalBasis::Mandate,
        purposes: vec![Purpose::Registration],
    }
}

/// Fills `store` (freshly migrated) with about `size.persons` persons, the households
/// registered by `registrar` (at the time of each registration); shows progress.
pub async fn generate(
    store: &Store,
    size: Size,
    now: OffsetDateTime,
    registrar: &Principal,
) -> anyhow::Result<Made> {
    let mut rng = fastrand::Rng::with_seed(size.seed);
    let start = now - Duration::days(730);
    let mut sites = Vec::new();
    for (code, country, kind) in SITES {
        let site = store
            .create_site(
                &Principal::operator(start),
                SiteDetails {
                    code: SiteCode::try_from((*code).to_owned()).map_err(anyhow::Error::msg)?,
                    name: format!("Synthetic {code}"),
                    kind: *kind,
                    country: Country::try_from((*country).to_owned())
                        .map_err(anyhow::Error::msg)?,
                    admin_pcode: None,
                    coordinates: None,
                    capacity: 0,
                    closed: false,
                },
            )
            .await
            .context("creating the synthetic sites")?;
        sites.push(site.meta.id);
    }
    let bar = ProgressBar::new(size.persons as u64).with_style(
        ProgressStyle::with_template(
            "{spinner} generating {pos}/{len} persons [{bar:30}] {per_sec} eta {eta}",
        )
        .unwrap_or_else(|_| ProgressStyle::default_bar()),
    );
    let mut made = Made::default();
    // An arrival every few hours over two years; each lands about 250 people.
    let arrivals = (size.persons / 250).max(1);
    for a in 0..arrivals {
        let at = start + Duration::minutes((730 * 24 * 60) * a as i64 / arrivals as i64);
        let site_id = *pick(&mut rng, &sites);
        let arrival = store
            .create_arrival(
                &Principal::operator(at),
                ArrivalDetails {
                    site_id,
                    mode: pick(
                        &mut rng,
                        &[ArrivalMode::Sea, ArrivalMode::Land, ArrivalMode::Air],
                    )
                    .to_owned(),
                    arrived_at: at,
                    route: Some(
                        (*pick(&mut rng, &["Andaman Sea", "Strait of Malacca", "Overland"]))
                            .to_owned(),
                    ),
                    origin: None,
                    origin_country: Country::try_from(
                        (*pick(&mut rng, &["MMR", "BGD", "AFG"])).to_owned(),
                    )
                    .ok(),
                    persons_reported: None,
                    incident_id: None,
                    notes: None,
                },
            )
            .await?;
        made.arrivals += 1;
        let target = size.persons * (a + 1) / arrivals;
        let mut batch = Vec::new();
        let mut in_batch = 0;
        while made.persons + in_batch < target {
            let h = household(
                &mut rng,
                arrival.meta.id,
                at.date(),
                target - made.persons - in_batch,
            );
            in_batch += usize::try_from(h.size).unwrap_or(1);
            batch.push(h);
        }
        let registered_at = (at + Duration::hours(rng.i64(1..48))).min(now);
        let by = Principal {
            at: registered_at,
            ..registrar.clone()
        };
        let households = store.register_households(&by, batch).await?;
        made.households += households.len();
        made.persons += in_batch;
        bar.set_position(made.persons as u64);
        // One person in a hundred has a case open: an asylum claim, or child protection.
        for h in &households {
            if rng.u32(..100) >= 3 {
                continue;
            }
            let kind = if rng.u32(..4) == 0 {
                ProcedureKind::ChildProtection
            } else {
                ProcedureKind::Asylum
            };
            store
                .open_case(
                    &Principal::operator((registered_at + Duration::days(rng.i64(1..30))).min(now)),
                    h.head_person_id,
                    NewCase {
                        kind,
                        pathway: None,
                        voluntary: None,
                        reason: "synthetic".into(),
                    },
                )
                .await?;
            made.cases += 1;
        }
    }
    bar.finish_and_clear();
    Ok(made)
}
