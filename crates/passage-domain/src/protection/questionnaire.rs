//! Screening questionnaires as data: versioned definition files in `questionnaires/`
//! (questions, answer types, conditions, translations, and what each answer means in the
//! standard codes). Changing a question is a new file with a new version, never an edit,
//! so every stored screening can be read against the version it was taken with.

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};
use serde_json::Value;
use time::Date;
use utoipa::ToSchema;

use super::needs::{NeedCode, code_list};
use super::screening::{ChildStatus, Element, Level, Polarity};
use crate::error::{Problems, ValidationErrors};
use crate::person::ProfileFlag;
use crate::text::{self, MAX_TEXT};

/// The definitions shipped with Passage, oldest first.
const SHIPPED: &[&str] = &[
    include_str!("../../questionnaires/screening-1.json"),
    include_str!("../../questionnaires/screening-2.json"),
];

/// Whether a version may still be used for new screenings.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    Active,
    /// Kept to read old screenings; new screenings are refused.
    Retired,
}

/// A text in every language of the user interface.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Labels {
    pub en: String,
    pub zh: String,
    pub ar: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum AnswerType {
    /// `true` or `false`.
    YesNo,
    /// A whole number, within `min` and `max`.
    Integer,
    /// One choice name.
    SelectOne,
    /// A list of choice names.
    SelectMany,
    /// Free text; kept with the screening, never exported.
    Text,
    /// `YYYY-MM-DD`.
    Date,
}

/// What a question's answer stands for beyond its effects.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Binding {
    /// The age the person states, in years.
    StatedAge,
}

/// A trafficking indicator, named as in HTCDS where a field exists.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct IndicatorDef {
    pub element: Element,
    /// The HTCDS field (`vic_MethodsOfControl`, `vic_MethodOfRecruitment`, …).
    pub field: String,
    /// The HTCDS value (`DebtBondage`, `WithholdsDocuments`, …).
    pub value: String,
}

/// A vulnerability factor an answer shows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct FactorDef {
    pub level: Level,
    pub polarity: Polarity,
    pub factor: String,
}

/// What an answer means: the codes, indicators, factors and facts it establishes.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Effects {
    #[serde(default)]
    pub needs: Vec<NeedCode>,
    #[serde(default)]
    pub indicators: Vec<IndicatorDef>,
    #[serde(default)]
    pub factors: Vec<FactorDef>,
    #[serde(default)]
    pub flags: Vec<ProfileFlag>,
    #[serde(default)]
    pub fear_of_return: bool,
    #[serde(default)]
    pub asylum_intention: bool,
    #[serde(default)]
    pub detained: bool,
    pub child_status: Option<ChildStatus>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Choice {
    pub name: String,
    pub label: Labels,
    #[serde(default)]
    pub effects: Effects,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Op {
    Is,
    IsNot,
    Below,
    AtLeast,
    Includes,
}

/// When a question is asked, from earlier answers. An unanswered question satisfies no
/// test.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(untagged)]
pub enum Condition {
    All {
        #[schema(no_recursion)]
        all: Vec<Condition>,
    },
    Any {
        #[schema(no_recursion)]
        any: Vec<Condition>,
    },
    Test {
        question: String,
        op: Op,
        value: Value,
    },
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Question {
    pub name: String,
    #[serde(rename = "type")]
    pub kind: AnswerType,
    pub label: Labels,
    #[serde(default)]
    pub required: bool,
    pub relevant: Option<Condition>,
    #[serde(default)]
    pub choices: Vec<Choice>,
    pub min: Option<i64>,
    pub max: Option<i64>,
    pub binding: Option<Binding>,
    /// For yes/no questions: what a yes means.
    #[serde(default)]
    pub if_yes: Effects,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Questionnaire {
    pub id: String,
    pub version: u32,
    pub status: Status,
    pub title: Labels,
    /// The specific-needs code list its codes come from.
    pub code_list: String,
    pub questions: Vec<Question>,
}

/// One checked answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(untagged)]
pub enum Answer {
    YesNo(bool),
    Integer(i64),
    Choices(Vec<String>),
    /// A choice name, free text or a date, as the question's type says.
    Text(String),
}

/// Checked answers by question name.
pub type Answers = BTreeMap<String, Answer>;

/// Why a definition file is refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DefinitionError {
    #[error("not a questionnaire definition: {0}")]
    Syntax(String),
    #[error("{0}")]
    Invalid(String),
}

impl Questionnaire {
    /// Reads and checks a definition: names unique, choices where the type needs them,
    /// conditions only on earlier questions, codes from the code list in force.
    pub fn from_json(text: &str) -> Result<Self, DefinitionError> {
        let q: Questionnaire =
            serde_json::from_str(text).map_err(|e| DefinitionError::Syntax(e.to_string()))?;
        q.check_definition()?;
        Ok(q)
    }

    fn check_definition(&self) -> Result<(), DefinitionError> {
        let bad = |m: String| {
            Err(DefinitionError::Invalid(format!(
                "{} v{}: {m}",
                self.id, self.version
            )))
        };
        if self.code_list != code_list().version {
            return bad(format!(
                "uses code list {}, Passage has {}",
                self.code_list,
                code_list().version
            ));
        }
        let mut seen: BTreeMap<&str, AnswerType> = BTreeMap::new();
        for q in &self.questions {
            if q.name.is_empty() || seen.contains_key(q.name.as_str()) {
                return bad(format!("question name `{}` is empty or repeated", q.name));
            }
            let selects = matches!(q.kind, AnswerType::SelectOne | AnswerType::SelectMany);
            if selects == q.choices.is_empty() {
                return bad(format!("`{}`: choices go with select types only", q.name));
            }
            let names: BTreeSet<&str> = q.choices.iter().map(|c| c.name.as_str()).collect();
            if names.len() != q.choices.len() {
                return bad(format!("`{}`: a choice name is repeated", q.name));
            }
            if q.if_yes != Effects::default() && q.kind != AnswerType::YesNo {
                return bad(format!("`{}`: if_yes goes with yes_no only", q.name));
            }
            if q.binding == Some(Binding::StatedAge) && q.kind != AnswerType::Integer {
                return bad(format!("`{}`: stated_age must be an integer", q.name));
            }
            if let Some(c) = &q.relevant
                && let Err(m) = check_condition(c, &seen)
            {
                return bad(format!("`{}`: {m}", q.name));
            }
            seen.insert(&q.name, q.kind);
        }
        Ok(())
    }

    pub fn question(&self, name: &str) -> Option<&Question> {
        self.questions.iter().find(|q| q.name == name)
    }

    /// Checks answers against this version: every name a question, every value of the
    /// question's type, nothing answered that was not asked, every required question that
    /// was asked answered. Every problem is reported at `answers.<name>`.
    pub fn check(
        &self,
        answers: &serde_json::Map<String, Value>,
    ) -> Result<Answers, ValidationErrors> {
        let mut p = Problems::new();
        for name in answers.keys() {
            if self.question(name).is_none() {
                p.add(
                    format!("answers.{name}"),
                    format!("{} v{} has no question `{name}`", self.id, self.version),
                );
            }
        }
        let mut out = Answers::new();
        for q in &self.questions {
            let field = format!("answers.{}", q.name);
            let asked = q.relevant.as_ref().is_none_or(|c| holds(c, &out));
            let given = answers.get(&q.name).filter(|v| !v.is_null());
            match (asked, given) {
                (false, Some(_)) => p.add(
                    field,
                    "was not asked: its condition does not hold for the earlier answers",
                ),
                (true, None) if q.required => p.add(field, "is required"),
                (true, Some(v)) => match answer(q, v) {
                    Ok(a) => {
                        out.insert(q.name.clone(), a);
                    }
                    Err(m) => p.add(field, m),
                },
                _ => {}
            }
        }
        p.finish(out)
    }
}

fn check_condition(c: &Condition, earlier: &BTreeMap<&str, AnswerType>) -> Result<(), String> {
    match c {
        Condition::All { all: cs } | Condition::Any { any: cs } => {
            cs.iter().try_for_each(|c| check_condition(c, earlier))
        }
        Condition::Test { question, op, .. } => {
            let Some(kind) = earlier.get(question.as_str()) else {
                return Err(format!(
                    "condition on `{question}`, which is not an earlier question"
                ));
            };
            let fits = match op {
                Op::Is | Op::IsNot => *kind != AnswerType::SelectMany,
                Op::Below | Op::AtLeast => *kind == AnswerType::Integer,
                Op::Includes => *kind == AnswerType::SelectMany,
            };
            if fits {
                Ok(())
            } else {
                Err(format!("condition {op:?} does not fit `{question}`"))
            }
        }
    }
}

/// Whether a condition holds for the answers so far.
pub fn holds(c: &Condition, answers: &Answers) -> bool {
    match c {
        Condition::All { all } => all.iter().all(|c| holds(c, answers)),
        Condition::Any { any } => any.iter().any(|c| holds(c, answers)),
        Condition::Test {
            question,
            op,
            value,
        } => {
            let Some(a) = answers.get(question) else {
                return false;
            };
            match (op, a) {
                (Op::Is, a) => same(a, value),
                (Op::IsNot, a) => !same(a, value),
                (Op::Below, Answer::Integer(n)) => value.as_i64().is_some_and(|v| *n < v),
                (Op::AtLeast, Answer::Integer(n)) => value.as_i64().is_some_and(|v| *n >= v),
                (Op::Includes, Answer::Choices(cs)) => {
                    value.as_str().is_some_and(|v| cs.iter().any(|c| c == v))
                }
                _ => false,
            }
        }
    }
}

fn same(a: &Answer, v: &Value) -> bool {
    match a {
        Answer::YesNo(b) => v.as_bool() == Some(*b),
        Answer::Integer(n) => v.as_i64() == Some(*n),
        Answer::Text(s) => v.as_str() == Some(s.as_str()),
        Answer::Choices(_) => false,
    }
}

fn choice_names(q: &Question) -> String {
    q.choices
        .iter()
        .map(|c| c.name.as_str())
        .collect::<Vec<_>>()
        .join(", ")
}

fn answer(q: &Question, v: &Value) -> Result<Answer, String> {
    match q.kind {
        AnswerType::YesNo => v
            .as_bool()
            .map(Answer::YesNo)
            .ok_or_else(|| "expected true or false".to_owned()),
        AnswerType::Integer => {
            let n = v
                .as_i64()
                .ok_or_else(|| "expected a whole number".to_owned())?;
            if q.min.is_some_and(|m| n < m) || q.max.is_some_and(|m| n > m) {
                return Err(format!(
                    "{n} is out of range {}..{}",
                    q.min.map(|m| m.to_string()).unwrap_or_default(),
                    q.max.map(|m| m.to_string()).unwrap_or_default()
                ));
            }
            Ok(Answer::Integer(n))
        }
        AnswerType::SelectOne => {
            let s = v
                .as_str()
                .ok_or_else(|| format!("expected one of: {}", choice_names(q)))?;
            if q.choices.iter().any(|c| c.name == s) {
                Ok(Answer::Text(s.to_owned()))
            } else {
                Err(format!(
                    "`{s}` is not a choice; expected one of: {}",
                    choice_names(q)
                ))
            }
        }
        AnswerType::SelectMany => {
            let list = v
                .as_array()
                .ok_or_else(|| format!("expected a list of: {}", choice_names(q)))?;
            let mut out: Vec<String> = Vec::new();
            for item in list {
                let s = item
                    .as_str()
                    .filter(|s| q.choices.iter().any(|c| c.name == *s));
                match s {
                    Some(s) if !out.iter().any(|o| o == s) => out.push(s.to_owned()),
                    Some(_) => {}
                    None => {
                        return Err(format!(
                            "{item} is not a choice; expected any of: {}",
                            choice_names(q)
                        ));
                    }
                }
            }
            Ok(Answer::Choices(out))
        }
        AnswerType::Text => {
            let s = v.as_str().ok_or_else(|| "expected text".to_owned())?;
            match text::clean(s) {
                Some(s) if s.chars().count() <= MAX_TEXT => Ok(Answer::Text(s)),
                Some(_) => Err(format!("longer than {MAX_TEXT} characters")),
                None => Err("is empty; leave it out instead".to_owned()),
            }
        }
        AnswerType::Date => {
            let s = v
                .as_str()
                .ok_or_else(|| "expected a date YYYY-MM-DD".to_owned())?;
            Date::parse(s, time::macros::format_description!("[year]-[month]-[day]"))
                .map(|_| Answer::Text(s.to_owned()))
                .map_err(|_| format!("`{s}` is not a date YYYY-MM-DD"))
        }
    }
}

/// Every questionnaire version Passage ships, checked. A definition that fails its checks
/// is left out (the test suite loads each one and fails on any error).
pub fn shipped() -> &'static [Questionnaire] {
    static ALL: std::sync::OnceLock<Vec<Questionnaire>> = std::sync::OnceLock::new();
    ALL.get_or_init(|| {
        SHIPPED
            .iter()
            .filter_map(|t| Questionnaire::from_json(t).ok())
            .collect()
    })
}

/// The shipped version `version` of questionnaire `id`.
pub fn find(id: &str, version: u32) -> Option<&'static Questionnaire> {
    shipped()
        .iter()
        .find(|q| q.id == id && q.version == version)
}
