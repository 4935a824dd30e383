//! The screening interview: the questions of the current questionnaire version, each
//! drawn as the input its answer type needs, in the page's language. A question asked
//! only after certain earlier answers says so in words; with the page's script it also
//! hides until its condition holds. The answers go to the API's own handler, which checks
//! them against the version used and computes the outcome.

use askama::Template;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::response::Response;
use passage_domain::access::{Action, Resource};
use passage_domain::protection::questionnaire::{
    self, AnswerType, Condition, Labels, Question, Questionnaire, Status,
};
use passage_domain::protection::records::NewScreening;
use passage_domain::record::Person;
use passage_server::AppState;
use passage_server::api::screenings;
use passage_server::auth::Caller;
use passage_server::extract::{Body, Id};
use passage_server::problem::ApiError;
use serde::Deserialize;
use serde_json::{Map, Value};
use uuid::Uuid;

use super::{code_of, record_id, see};
use crate::form::Problems;
use crate::frame::{Chosen, Frame, User, failed, render};
use crate::i18n::{Lang, Tr};

/// One choice of a question, as a radio button or a checkbox.
pub struct ChoiceView {
    pub id: String,
    pub value: String,
    pub label: String,
    pub checked: bool,
}

/// One question, ready to draw.
pub struct QuestionView {
    pub name: String,
    /// `field`, `radio` or `check`.
    pub control: &'static str,
    /// For a field: `number`, `text`, `date` or `textarea`.
    pub input: &'static str,
    pub label: String,
    pub required: bool,
    /// When it is asked, in words.
    pub condition: Option<String>,
    /// The same condition as data, for the page's script.
    pub relevant: Option<String>,
    pub choices: Vec<ChoiceView>,
    pub value: String,
    pub min: String,
    pub max: String,
    pub problem: Option<String>,
}

#[derive(Template)]
#[template(path = "protection-screen.html")]
struct ScreenPage {
    frame: Frame,
    title: String,
    person_id: Uuid,
    person: String,
    /// Other active versions: (link, name, is this one).
    versions: Vec<(String, String, bool)>,
    questionnaire: String,
    version: u32,
    questions: Vec<QuestionView>,
    /// Problems not at any one question.
    general: Option<String>,
}

#[derive(Debug, Deserialize)]
pub(super) struct Pick {
    version: Option<String>,
}

fn label(l: &Labels, lang: Lang) -> String {
    match lang {
        Lang::En => l.en.clone(),
        Lang::Zh => l.zh.clone(),
        Lang::Ar => l.ar.clone(),
    }
}

/// The active versions, newest first.
fn active() -> Vec<&'static Questionnaire> {
    let mut found: Vec<&Questionnaire> = questionnaire::shipped()
        .iter()
        .filter(|q| q.status == Status::Active)
        .collect();
    found.sort_by(|a, b| (&b.id, b.version).cmp(&(&a.id, a.version)));
    found
}

/// The version asked for when it is active, otherwise the newest active one.
fn chosen_version(asked: Option<&str>) -> Option<&'static Questionnaire> {
    let all = active();
    let asked = asked.and_then(|v| v.trim().parse::<u32>().ok());
    all.iter()
        .find(|q| Some(q.version) == asked)
        .or_else(|| all.first())
        .copied()
}

/// An answer as the officer sees it written in a condition.
fn value_words(tr: Tr, q: &Questionnaire, question: &str, v: &Value) -> String {
    match v {
        Value::Bool(true) => tr.t("answer-yes"),
        Value::Bool(false) => tr.t("answer-no"),
        Value::Number(n) => n.to_string(),
        Value::String(s) => q
            .question(question)
            .and_then(|x| x.choices.iter().find(|c| &c.name == s))
            .map_or_else(|| s.clone(), |c| label(&c.label, tr.lang)),
        other => other.to_string(),
    }
}

/// A condition in words: `"How old are you?" is below 18`.
fn condition_words(tr: Tr, q: &Questionnaire, c: &Condition) -> String {
    match c {
        Condition::All { all } => all
            .iter()
            .map(|c| condition_words(tr, q, c))
            .collect::<Vec<_>>()
            .join(&format!(" {} ", tr.t("condition-and"))),
        Condition::Any { any } => any
            .iter()
            .map(|c| condition_words(tr, q, c))
            .collect::<Vec<_>>()
            .join(&format!(" {} ", tr.t("condition-or"))),
        Condition::Test {
            question,
            op,
            value,
        } => {
            let asked = q
                .question(question)
                .map_or_else(|| question.clone(), |x| label(&x.label, tr.lang));
            tr.with(
                &format!("condition-{}", code_of(op)),
                &[
                    ("question", asked.into()),
                    ("value", value_words(tr, q, question, value).into()),
                ],
            )
        }
    }
}

/// What the officer typed, by field name, in the order sent.
type Typed = Vec<(String, String)>;

fn typed_values<'a>(typed: &'a Typed, name: &str) -> Vec<&'a str> {
    let field = format!("a.{name}");
    typed
        .iter()
        .filter(|(k, _)| *k == field)
        .map(|(_, v)| v.as_str())
        .collect()
}

fn view(
    tr: Tr,
    q: &Questionnaire,
    question: &Question,
    typed: &Typed,
    problems: &Problems,
) -> QuestionView {
    let name = question.name.clone();
    let given = typed_values(typed, &name);
    let first = given.first().copied().unwrap_or_default().to_owned();
    let choice = |value: &str, text: String| ChoiceView {
        id: format!("a-{name}-{}", if value.is_empty() { "none" } else { value }),
        value: value.to_owned(),
        label: text,
        checked: given.contains(&value),
    };
    let optional = !question.required || question.relevant.is_some();
    let (control, input, mut choices) = match question.kind {
        AnswerType::YesNo => (
            "radio",
            "",
            vec![
                choice("yes", tr.t("answer-yes")),
                choice("no", tr.t("answer-no")),
            ],
        ),
        AnswerType::SelectOne => (
            "radio",
            "",
            question
                .choices
                .iter()
                .map(|c| choice(&c.name, label(&c.label, tr.lang)))
                .collect(),
        ),
        AnswerType::SelectMany => (
            "check",
            "",
            question
                .choices
                .iter()
                .map(|c| choice(&c.name, label(&c.label, tr.lang)))
                .collect(),
        ),
        AnswerType::Integer => ("field", "number", Vec::new()),
        AnswerType::Text => ("field", "textarea", Vec::new()),
        AnswerType::Date => ("field", "date", Vec::new()),
    };
    if control == "radio" && optional {
        let mut none = choice("", tr.t("answer-none"));
        none.checked = given.iter().all(|v| v.is_empty());
        choices.push(none);
    }
    QuestionView {
        control,
        input,
        label: label(&question.label, tr.lang),
        required: question.required,
        condition: question.relevant.as_ref().map(|c| {
            tr.with(
                "condition-asked-when",
                &[("condition", condition_words(tr, q, c).into())],
            )
        }),
        relevant: question
            .relevant
            .as_ref()
            .and_then(|c| serde_json::to_string(c).ok()),
        choices,
        value: first,
        min: question.min.map(|m| m.to_string()).unwrap_or_default(),
        max: question.max.map(|m| m.to_string()).unwrap_or_default(),
        problem: problems.at(&format!("answers.{name}")),
        name,
    }
}

fn person_line(tr: Tr, person: &Person) -> String {
    tr.with(
        "screen-person",
        &[
            ("name", person.details.display_name().into()),
            ("number", person.registration_number.to_string().into()),
        ],
    )
}

async fn draw(
    app: &AppState,
    chosen: Chosen,
    user: &User,
    person_id: Uuid,
    q: &'static Questionnaire,
    typed: &Typed,
    problems: &Problems,
) -> Result<Response, ApiError> {
    let tr = chosen.tr();
    let person = app
        .store
        .person(&user.p, person_id)
        .await?
        .ok_or_else(|| ApiError::not_found(format!("person {person_id}")))?;
    let all = active();
    let versions = if all.len() > 1 {
        all.iter()
            .map(|x| {
                (
                    format!("/persons/{person_id}/screen?version={}", x.version),
                    tr.with(
                        "screen-version",
                        &[
                            ("title", label(&x.title, tr.lang).into()),
                            ("version", x.version.into()),
                        ],
                    ),
                    x.version == q.version && x.id == q.id,
                )
            })
            .collect()
    } else {
        Vec::new()
    };
    let questions: Vec<QuestionView> = q
        .questions
        .iter()
        .map(|question| view(tr, q, question, typed, problems))
        .collect();
    let general: Vec<&str> = problems
        .0
        .iter()
        .filter(|(f, _)| !f.starts_with("answers."))
        .map(|(_, m)| m.as_str())
        .collect();
    let page = ScreenPage {
        frame: Frame::new(
            chosen,
            user,
            format!("/persons/{person_id}/screen?version={}", q.version),
        ),
        title: label(&q.title, tr.lang),
        person_id,
        person: person_line(tr, &person),
        versions,
        questionnaire: q.id.clone(),
        version: q.version,
        questions,
        general: (!general.is_empty()).then(|| general.join("; ")),
    };
    Ok(render(chosen, &page))
}

/// `GET /persons/{id}/screen`: the interview, in the current questionnaire version (or
/// the one picked among several active).
pub(super) async fn form(
    State(app): State<AppState>,
    chosen: Chosen,
    user: User,
    Path(id): Path<String>,
    Query(pick): Query<Pick>,
) -> Response {
    let shown = async {
        user.p.require(Action::Create, Resource::Screening)?;
        let person_id = record_id(&id, "person")?;
        let q = chosen_version(pick.version.as_deref())
            .ok_or_else(|| ApiError::not_found("an active screening questionnaire"))?;
        draw(
            &app,
            chosen,
            &user,
            person_id,
            q,
            &Vec::new(),
            &Problems::default(),
        )
        .await
    };
    match shown.await {
        Ok(r) => r,
        Err(e) => failed(chosen, &user, e),
    }
}

/// The answers of a submitted form, as the API takes them: yes and no as true and false,
/// numbers as numbers (anything else is sent as typed, for the API to refuse at its
/// question), several choices as a list; what was left empty is not answered.
fn answers(q: &Questionnaire, typed: &Typed) -> Map<String, Value> {
    let mut out = Map::new();
    for question in &q.questions {
        let given: Vec<&str> = typed_values(typed, &question.name)
            .into_iter()
            .map(str::trim)
            .filter(|v| !v.is_empty())
            .collect();
        let Some(first) = given.first().copied() else {
            continue;
        };
        let value = match question.kind {
            AnswerType::YesNo => match first {
                "yes" => Value::Bool(true),
                "no" => Value::Bool(false),
                other => Value::String(other.to_owned()),
            },
            AnswerType::Integer => first
                .parse::<i64>()
                .map_or_else(|_| Value::String(first.to_owned()), Value::from),
            AnswerType::SelectMany => Value::Array(
                given
                    .iter()
                    .map(|v| Value::String((*v).to_owned()))
                    .collect(),
            ),
            AnswerType::SelectOne | AnswerType::Text | AnswerType::Date => {
                Value::String(first.to_owned())
            }
        };
        out.insert(question.name.clone(), value);
    }
    out
}

fn field<'a>(typed: &'a Typed, name: &str) -> &'a str {
    typed
        .iter()
        .find(|(k, _)| k == name)
        .map_or("", |(_, v)| v.as_str())
}

/// `POST /persons/{id}/screen`: records the screening through the API, then shows its
/// outcome; refused answers come back beside their questions with everything typed.
pub(super) async fn submit(
    State(app): State<AppState>,
    chosen: Chosen,
    user: User,
    Path(id): Path<String>,
    Form(typed): Form<Typed>,
) -> Response {
    let done = async {
        user.check(field(&typed, "csrf"))?;
        let person_id = record_id(&id, "person")?;
        let Some(q) = questionnaire::shipped().iter().find(|q| {
            q.id == field(&typed, "questionnaire")
                && q.version.to_string() == field(&typed, "version")
        }) else {
            return Err(ApiError::invalid(
                "questionnaire_version",
                "this questionnaire version is not known",
            ));
        };
        let new = NewScreening {
            questionnaire: q.id.clone(),
            questionnaire_version: q.version,
            answers: answers(q, &typed),
            age_assessment: None,
        };
        let created = screenings::create(
            State(app.clone()),
            Caller(user.p.clone()),
            Id(person_id),
            Body(new),
        )
        .await;
        match created {
            Ok((_, _, axum::Json(s))) => Ok(see(format!("/screenings/{}", s.meta.id))),
            Err(e) => {
                let problems = Problems::of(e)?;
                draw(&app, chosen, &user, person_id, q, &typed, &problems).await
            }
        }
    };
    match done.await {
        Ok(r) => r,
        Err(e) => failed(chosen, &user, e),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn typed_answers_become_what_the_api_takes() {
        let q = questionnaire::find("screening", 2).expect("shipped");
        let typed: Typed = [
            ("csrf", "x"),
            ("a.stated_age", " 13 "),
            ("a.travelling_with", "alone"),
            ("a.reasons_for_leaving", "conflict"),
            ("a.reasons_for_leaving", "family"),
            ("a.fear_of_return", "no"),
            ("a.wants_asylum", ""),
            ("a.notes", "  "),
            ("a.detained", "maybe"),
        ]
        .iter()
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
        .collect();
        let a = answers(q, &typed);
        assert_eq!(a.get("stated_age"), Some(&Value::from(13)));
        assert_eq!(a.get("travelling_with"), Some(&Value::from("alone")));
        assert_eq!(
            a.get("reasons_for_leaving"),
            Some(&serde_json::json!(["conflict", "family"]))
        );
        assert_eq!(a.get("fear_of_return"), Some(&Value::Bool(false)));
        assert!(!a.contains_key("wants_asylum") && !a.contains_key("notes"));
        // Not yes or no: sent as typed, for the API to refuse at its question.
        assert_eq!(a.get("detained"), Some(&Value::from("maybe")));
        let refused = q.check(&a).expect_err("a word is not yes or no");
        assert!(refused.0.iter().any(|e| e.field == "answers.detained"));
    }

    #[test]
    fn conditions_read_in_words_with_the_choices_named() {
        let q = questionnaire::find("screening", 2).expect("shipped");
        let asked = q
            .question("travelling_with")
            .and_then(|x| x.relevant.as_ref());
        let words = condition_words(Tr { lang: Lang::En }, q, asked.expect("a condition"));
        assert!(
            words.contains("How old are you?") && words.contains("below"),
            "{words}"
        );
    }
}
