//! What a screening establishes, computed from the answers by fixed rules: specific needs,
//! vulnerability factors, trafficking indicators and the presumed-victim rule, child status
//! and age, fear of return, and the population type and flags to propose. The officer
//! confirms or corrects the proposal; nothing here changes a record by itself.

use serde::{Deserialize, Serialize};
use time::Date;
use utoipa::ToSchema;

use super::needs::NeedCode;
use super::questionnaire::{Answer, AnswerType, Answers, Binding, Effects, Questionnaire};
use super::referral::{ProposedReferral, propose};
use crate::age::DateOfBirth;
use crate::codes::Nationality;
use crate::data_protection::clean_text;
use crate::error::{Problems, ValidationErrors};
use crate::person::{PopulationType, ProfileFlag};

/// Adulthood, in years.
pub const ADULT_AGE: u8 = 18;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ChildStatus {
    /// Separated from both parents and from every other relative, with no adult caring
    /// for the child by law or custom.
    Unaccompanied,
    /// Separated from both parents or their usual caregiver, but not from other relatives.
    Separated,
    WithFamily,
}

/// The elements of trafficking in the Palermo Protocol.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, ToSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum Element {
    Act,
    Means,
    Purpose,
}

/// The four levels of IOM's determinants of migrant vulnerability.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, ToSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum Level {
    Individual,
    Household,
    /// Attaches to a place or context, not to the person.
    Community,
    /// Attaches to a place or context, not to the person.
    Structural,
}

#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, ToSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum Polarity {
    Risk,
    Protective,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum AgeMethod {
    /// Identity or civil documents.
    Documentary,
    /// A holistic, multidisciplinary interview.
    Interview,
    Psychosocial,
    PhysicalDevelopment,
    DentalXray,
    BoneXray,
    Other,
}

/// An age assessment: how, and the range of ages it found.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AgeAssessment {
    pub method: AgeMethod,
    pub minimum_age: u8,
    pub maximum_age: u8,
    pub note: Option<String>,
}

impl AgeAssessment {
    pub fn validated(self) -> Result<Self, ValidationErrors> {
        let mut p = Problems::new();
        let note = clean_text(&mut p, "age_assessment.note", self.note.as_deref());
        if self.maximum_age > 120 {
            p.add("age_assessment.maximum_age", "is more than 120");
        }
        if self.minimum_age > self.maximum_age {
            p.add("age_assessment.minimum_age", "is above maximum_age");
        }
        p.finish(Self { note, ..self })
    }
}

/// The age-assessment result as the screening uses it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct AgeResult {
    pub method: AgeMethod,
    pub minimum_age: u8,
    pub maximum_age: u8,
    /// Width of the range, in years.
    pub uncertainty_years: u8,
    /// The range straddles 18, so the person is treated as a child.
    pub benefit_of_the_doubt: bool,
}

/// Where the screening took the age from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum AgeBasis {
    AgeAssessment,
    DateOfBirth,
    Stated,
    Unknown,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct ChildAssessment {
    pub treated_as_child: bool,
    pub age_basis: AgeBasis,
    /// Only for a child: unaccompanied, separated or with family.
    pub child_status: Option<ChildStatus>,
    pub age_assessment: Option<AgeResult>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct Indicator {
    pub element: Element,
    /// HTCDS field.
    pub field: String,
    /// HTCDS value.
    pub value: String,
    /// The question that showed it.
    pub evidence: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct TraffickingAssessment {
    pub indicators: Vec<Indicator>,
    pub act: bool,
    pub means: bool,
    pub purpose: bool,
    /// Act, means and purpose for an adult; act and purpose for a child (means are not
    /// required). Unlocks protection without any cooperation with law enforcement.
    pub presumed_victim: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct VulnerabilityFactor {
    pub level: Level,
    pub polarity: Polarity,
    pub factor: String,
    /// The question and answer it rests on.
    pub evidence: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct ProposedNeed {
    pub code: NeedCode,
    pub label: String,
    /// The question that showed it.
    pub evidence: String,
}

/// Everything a screening computes, for the officer to confirm.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct Outcome {
    pub needs: Vec<ProposedNeed>,
    pub vulnerability: Vec<VulnerabilityFactor>,
    pub trafficking: TraffickingAssessment,
    pub child: ChildAssessment,
    pub fear_of_return: bool,
    pub asylum_intention: bool,
    /// Recorded as held in immigration detention.
    pub detained: bool,
    pub stateless: bool,
    pub proposed_population_type: Option<PopulationType>,
    pub proposed_flags: Vec<ProfileFlag>,
    pub proposed_referrals: Vec<ProposedReferral>,
}

/// What the screening knows of the person from registration.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Subject {
    pub date_of_birth: Option<DateOfBirth>,
    pub nationalities: Vec<Nationality>,
    pub population_type: Option<PopulationType>,
    pub profile_flags: Vec<ProfileFlag>,
}

/// Computes the outcome of a screening from checked answers.
pub fn evaluate(
    q: &Questionnaire,
    answers: &Answers,
    age_assessment: Option<&AgeAssessment>,
    subject: &Subject,
    today: Date,
) -> Outcome {
    let mut effects: Vec<(String, &Effects)> = Vec::new();
    let mut stated_age = None;
    for question in &q.questions {
        let Some(a) = answers.get(&question.name) else {
            continue;
        };
        if question.binding == Some(Binding::StatedAge)
            && let Answer::Integer(n) = a
        {
            stated_age = Some(*n);
        }
        match (question.kind, a) {
            (AnswerType::YesNo, Answer::YesNo(true)) => {
                effects.push((format!("{}: yes", question.name), &question.if_yes));
            }
            (AnswerType::SelectOne, Answer::Text(choice)) => {
                effects.extend(
                    question
                        .choices
                        .iter()
                        .filter(|c| &c.name == choice)
                        .map(|c| (format!("{}: {}", question.name, c.name), &c.effects)),
                );
            }
            (AnswerType::SelectMany, Answer::Choices(chosen)) => {
                effects.extend(
                    question
                        .choices
                        .iter()
                        .filter(|c| chosen.contains(&c.name))
                        .map(|c| (format!("{}: {}", question.name, c.name), &c.effects)),
                );
            }
            _ => {}
        }
    }

    let age_result = age_assessment.map(|a| AgeResult {
        method: a.method,
        minimum_age: a.minimum_age,
        maximum_age: a.maximum_age,
        uncertainty_years: a.maximum_age - a.minimum_age,
        benefit_of_the_doubt: a.minimum_age < ADULT_AGE && a.maximum_age >= ADULT_AGE,
    });
    let (treated_as_child, age_basis) = match (&age_result, subject.date_of_birth, stated_age) {
        (Some(r), _, _) => (r.minimum_age < ADULT_AGE, AgeBasis::AgeAssessment),
        (None, Some(born), _) => (
            born.age_at(today).is_some_and(|a| a < u32::from(ADULT_AGE)),
            AgeBasis::DateOfBirth,
        ),
        (None, None, Some(n)) => (n < i64::from(ADULT_AGE), AgeBasis::Stated),
        (None, None, None) => (false, AgeBasis::Unknown),
    };
    let child_status = treated_as_child
        .then(|| effects.iter().find_map(|(_, e)| e.child_status))
        .flatten();

    let mut needs: Vec<ProposedNeed> = Vec::new();
    let mut add_need = |code: NeedCode, evidence: &str| {
        if !needs.iter().any(|n| n.code == code) {
            needs.push(ProposedNeed {
                label: code.label().to_owned(),
                code,
                evidence: evidence.to_owned(),
            });
        }
    };
    for (evidence, e) in &effects {
        for code in &e.needs {
            add_need(code.clone(), evidence);
        }
    }
    let status_code = match child_status {
        Some(ChildStatus::Unaccompanied) => NeedCode::parse("SC-UC"),
        Some(ChildStatus::Separated) => NeedCode::parse("SC-SC"),
        _ => None,
    };
    if let Some(code) = status_code {
        add_need(code, "child status");
    }
    needs.sort_by(|a, b| a.code.cmp(&b.code));

    let indicators: Vec<Indicator> = effects
        .iter()
        .flat_map(|(evidence, e)| {
            e.indicators.iter().map(|i| Indicator {
                element: i.element,
                field: i.field.clone(),
                value: i.value.clone(),
                evidence: evidence.clone(),
            })
        })
        .collect();
    let has = |el: Element| indicators.iter().any(|i| i.element == el);
    let (act, means, purpose) = (
        has(Element::Act),
        has(Element::Means),
        has(Element::Purpose),
    );
    let presumed_victim = act && purpose && (means || treated_as_child);

    let vulnerability = effects
        .iter()
        .flat_map(|(evidence, e)| {
            e.factors.iter().map(|f| VulnerabilityFactor {
                level: f.level,
                polarity: f.polarity,
                factor: f.factor.clone(),
                evidence: evidence.clone(),
            })
        })
        .collect();

    let fear_of_return = effects.iter().any(|(_, e)| e.fear_of_return);
    let asylum_intention = effects.iter().any(|(_, e)| e.asylum_intention);
    let detained = effects.iter().any(|(_, e)| e.detained);
    let stateless = subject.nationalities.contains(&Nationality::Stateless);

    let protected = matches!(
        subject.population_type,
        Some(PopulationType::REF | PopulationType::OIP)
    );
    let proposed_population_type = if !protected && (fear_of_return || asylum_intention) {
        Some(PopulationType::ASY)
    } else {
        subject.population_type
    };
    let mut proposed_flags: Vec<ProfileFlag> = subject.profile_flags.clone();
    proposed_flags.extend(effects.iter().flat_map(|(_, e)| e.flags.iter().copied()));
    match child_status {
        Some(ChildStatus::Unaccompanied) => proposed_flags.push(ProfileFlag::UnaccompaniedChild),
        Some(ChildStatus::Separated) => proposed_flags.push(ProfileFlag::SeparatedChild),
        _ => {}
    }
    if presumed_victim {
        proposed_flags.push(ProfileFlag::PresumedTraffickingVictim);
    }
    proposed_flags.sort();
    proposed_flags.dedup();

    let mut outcome = Outcome {
        needs,
        vulnerability,
        trafficking: TraffickingAssessment {
            indicators,
            act,
            means,
            purpose,
            presumed_victim,
        },
        child: ChildAssessment {
            treated_as_child,
            age_basis,
            child_status,
            age_assessment: age_result,
        },
        fear_of_return,
        asylum_intention,
        detained,
        stateless,
        proposed_population_type,
        proposed_flags,
        proposed_referrals: Vec::new(),
    };
    outcome.proposed_referrals = propose(&outcome);
    outcome
}
