//! Assistance programmes (cash grants, kits, food) and their distributions: who is entitled
//! and how often. A refusal always names the rule that failed, so that a clerk can explain
//! it to the person in front of them.

use std::fmt;

use serde::{Deserialize, Serialize};
use time::format_description::well_known::Rfc3339;
use time::{Duration, OffsetDateTime};
use utoipa::ToSchema;
use uuid::Uuid;

use crate::data_protection::clean_text;
use crate::error::{Problems, ValidationErrors};
use crate::person::{PopulationType, ProfileFlag};
use crate::text::{self, MAX_TEXT};

coded! {
    /// Who a programme gives to: each person, or each household once.
    pub enum Beneficiary {
        Person => "person",
        Household => "household",
    }
}

coded! {
    /// Whether a programme depends on the recipient holding an identity document.
    #[derive(Default)]
    pub enum DocumentRule {
        #[default]
        Any => "any",
        Documented => "documented",
        Undocumented => "undocumented",
    }
}

/// How often one beneficiary may receive a programme.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Frequency {
    /// Once only, ever.
    Once,
    /// Again when `days` full days have passed since the last distribution.
    Every { days: u32 },
}

/// Longest period of a recurring programme: ten years.
pub const MAX_PERIOD_DAYS: u32 = 3650;

/// Who is entitled. Every condition given must hold; an empty list means no condition.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Entitlement {
    /// The recipient's population type is one of these; empty for any.
    #[serde(default)]
    pub population_types: Vec<PopulationType>,
    /// The recipient has every one of these profile flags.
    #[serde(default)]
    pub flags: Vec<ProfileFlag>,
    #[serde(default)]
    pub documents: DocumentRule,
    /// Distributed only at these sites; empty for any.
    #[serde(default)]
    pub sites: Vec<Uuid>,
}

/// What a client sends to create or replace an assistance programme.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ProgrammeDetails {
    /// Short code, 2 to 20 of A-Z, 0-9 and `-`; upper-cased.
    #[schema(example = "CASH-MPC-1")]
    pub code: String,
    #[schema(example = "Multi-purpose cash, first instalment")]
    pub name: String,
    /// What one distribution gives.
    #[schema(example = "USD 150 cash grant")]
    pub item: String,
    pub beneficiary: Beneficiary,
    pub frequency: Frequency,
    #[serde(default)]
    pub entitlement: Entitlement,
    /// A closed programme distributes nothing more.
    #[serde(default)]
    pub closed: bool,
}

fn required_text(p: &mut Problems, field: &str, v: &str) -> String {
    let v = text::clean(v).unwrap_or_default();
    if v.is_empty() {
        p.add(field, "is empty");
    } else if v.chars().count() > MAX_TEXT {
        p.add(field, format!("longer than {MAX_TEXT} characters"));
    }
    v
}

fn dedup<T: PartialEq>(v: Vec<T>) -> Vec<T> {
    let mut out = Vec::with_capacity(v.len());
    for x in v {
        if !out.contains(&x) {
            out.push(x);
        }
    }
    out
}

impl ProgrammeDetails {
    /// Cleans the texts, upper-cases the code, drops repeated conditions, and refuses a
    /// malformed code or a recurring programme without a period.
    pub fn validated(self) -> Result<Self, ValidationErrors> {
        let mut p = Problems::new();
        let code = self.code.trim().to_ascii_uppercase();
        let well_formed = (2..=20).contains(&code.len())
            && code
                .bytes()
                .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit() || b == b'-');
        if !well_formed {
            p.add(
                "code",
                format!("`{}` is not 2 to 20 of A-Z, 0-9 and -", self.code),
            );
        }
        let name = required_text(&mut p, "name", &self.name);
        let item = required_text(&mut p, "item", &self.item);
        if let Frequency::Every { days } = self.frequency
            && !(1..=MAX_PERIOD_DAYS).contains(&days)
        {
            p.add(
                "frequency.days",
                format!("{days} is outside 1..{MAX_PERIOD_DAYS}"),
            );
        }
        let mut flags = dedup(self.entitlement.flags);
        flags.sort();
        let entitlement = Entitlement {
            population_types: dedup(self.entitlement.population_types),
            flags,
            documents: self.entitlement.documents,
            sites: dedup(self.entitlement.sites),
        };
        p.finish(Self {
            code,
            name,
            item,
            entitlement,
            ..self
        })
    }
}

/// What is known of the recipient when checking eligibility.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Recipient {
    pub population_type: Option<PopulationType>,
    #[serde(default)]
    pub flags: Vec<ProfileFlag>,
    /// Holds an identity or travel document on record.
    pub documented: bool,
    /// Where the distribution takes place.
    pub site_id: Option<Uuid>,
}

/// Why a recipient may not receive a programme, in the words a clerk can repeat.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum NotEligible {
    #[error("the programme is closed")]
    Closed,
    #[error("{}", population_type(*.found, .expected))]
    PopulationType {
        found: Option<PopulationType>,
        expected: Vec<PopulationType>,
    },
    #[error("the programme is for people flagged {}, and this person is not", flag_code(*.missing))]
    Flag { missing: ProfileFlag },
    #[error("{}", documents(*.rule))]
    Documents { rule: DocumentRule },
    #[error("{}", site(*.found))]
    Site { found: Option<Uuid> },
}

impl NotEligible {
    /// The rule that failed, as a code: `closed`, `population_type`, `flag`, `documents`
    /// or `site`.
    pub fn code(&self) -> &'static str {
        match self {
            Self::Closed => "closed",
            Self::PopulationType { .. } => "population_type",
            Self::Flag { .. } => "flag",
            Self::Documents { .. } => "documents",
            Self::Site { .. } => "site",
        }
    }
}

fn population_type(found: Option<PopulationType>, expected: &[PopulationType]) -> String {
    let expected = expected
        .iter()
        .map(|t| t.code())
        .collect::<Vec<_>>()
        .join(", ");
    match found {
        Some(t) => format!("population type {} is not one of {expected}", t.code()),
        None => format!("population type is not recorded; the programme is for {expected}"),
    }
}

/// The snake_case code of a profile flag, as it travels over the API.
fn flag_code(f: ProfileFlag) -> &'static str {
    match f {
        ProfileFlag::PresumedTraffickingVictim => "presumed_trafficking_victim",
        ProfileFlag::TraffickingVictim => "trafficking_victim",
        ProfileFlag::Smuggled => "smuggled",
        ProfileFlag::UnaccompaniedChild => "unaccompanied_child",
        ProfileFlag::SeparatedChild => "separated_child",
        ProfileFlag::Returnee => "returnee",
        ProfileFlag::EconomicMigrant => "economic_migrant",
        ProfileFlag::EnvironmentalMigrant => "environmental_migrant",
    }
}

fn documents(rule: DocumentRule) -> &'static str {
    match rule {
        DocumentRule::Documented => {
            "the programme is for people holding an identity document, and none is on record"
        }
        DocumentRule::Undocumented => {
            "the programme is for people without an identity document, and one is on record"
        }
        DocumentRule::Any => "the programme has no document condition",
    }
}

fn site(found: Option<Uuid>) -> String {
    match found {
        Some(_) => "the programme is not distributed at this site".to_owned(),
        None => "the programme is distributed only at its sites, and no site was given".to_owned(),
    }
}

/// Whether `r` may receive `p`: the first rule that fails, in the order closed, population
/// type, flags, documents, site.
pub fn eligible(p: &ProgrammeDetails, r: &Recipient) -> Result<(), NotEligible> {
    let e = &p.entitlement;
    if p.closed {
        return Err(NotEligible::Closed);
    }
    if !e.population_types.is_empty()
        && !r
            .population_type
            .is_some_and(|t| e.population_types.contains(&t))
    {
        return Err(NotEligible::PopulationType {
            found: r.population_type,
            expected: e.population_types.clone(),
        });
    }
    if let Some(&missing) = e.flags.iter().find(|f| !r.flags.contains(f)) {
        return Err(NotEligible::Flag { missing });
    }
    let documents_ok = match e.documents {
        DocumentRule::Any => true,
        DocumentRule::Documented => r.documented,
        DocumentRule::Undocumented => !r.documented,
    };
    if !documents_ok {
        return Err(NotEligible::Documents { rule: e.documents });
    }
    if !e.sites.is_empty() && !r.site_id.is_some_and(|s| e.sites.contains(&s)) {
        return Err(NotEligible::Site { found: r.site_id });
    }
    Ok(())
}

/// A distribution refused because the beneficiary already had theirs.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AlreadyReceived {
    #[error("already received on {} (once only)", When(*.at))]
    Once { at: OffsetDateTime },
    #[error("already received on {}; next possible from {}", When(*.last), When(*.next))]
    TooSoon {
        last: OffsetDateTime,
        next: OffsetDateTime,
    },
}

/// A time as RFC 3339, the way the API writes it.
struct When(OffsetDateTime);

impl fmt::Display for When {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0.format(&Rfc3339) {
            Ok(s) => f.write_str(&s),
            Err(_) => write!(f, "{}", self.0),
        }
    }
}

/// Refuses a second distribution of a one-off entitlement, or one inside the period of a
/// recurring one. `previous` = times of earlier distributions of this programme to this
/// beneficiary (not reversed).
///
/// A period counts both ways, so that a distribution recorded late (backdated) cannot fall
/// inside the period of one already made. Exactly one period after the last is allowed.
pub fn check_frequency(
    f: &Frequency,
    previous: &[OffsetDateTime],
    at: OffsetDateTime,
) -> Result<(), AlreadyReceived> {
    match *f {
        Frequency::Once => match previous.iter().min() {
            Some(&first) => Err(AlreadyReceived::Once { at: first }),
            None => Ok(()),
        },
        Frequency::Every { days } => {
            let period = Duration::days(i64::from(days));
            let clash = previous.iter().filter(|&&t| (at - t).abs() < period).max();
            match clash {
                Some(&last) => Err(AlreadyReceived::TooSoon {
                    last,
                    next: last.saturating_add(period),
                }),
                None => Ok(()),
            }
        }
    }
}

/// Largest quantity one distribution may record.
pub const MAX_QUANTITY: u32 = 1000;

/// What a client sends to record one distribution.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewDistribution {
    pub programme_id: Uuid,
    /// The person who received it; for a household programme any member, and the
    /// household is the beneficiary.
    pub person_id: Uuid,
    /// Where it was handed over.
    pub site_id: Uuid,
    /// How many items, when the programme counts them; 1 to 1000.
    pub quantity: Option<u32>,
    pub note: Option<String>,
}

impl NewDistribution {
    pub fn validated(self) -> Result<Self, ValidationErrors> {
        let mut p = Problems::new();
        if self
            .quantity
            .is_some_and(|q| !(1..=MAX_QUANTITY).contains(&q))
        {
            p.add(
                "quantity",
                format!(
                    "{} is outside 1..{MAX_QUANTITY}",
                    self.quantity.unwrap_or_default()
                ),
            );
        }
        let note = clean_text(&mut p, "note", self.note.as_deref());
        p.finish(Self { note, ..self })
    }
}

#[cfg(test)]
mod tests;
