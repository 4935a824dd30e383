//! The screening form: an XLSForm written from the screening questionnaire in force
//! (`passage-domain/questionnaires/`), so that the form and the definition cannot drift,
//! and its submissions read back by the same definition into the body
//! `POST /api/v1/persons/{id}/screenings` takes.
//!
//! Each question becomes a form question of the same name and its choices the same
//! choices, with the labels in every language of the definition; a condition on earlier
//! answers becomes `relevant`; a range becomes a `constraint`. The person is named by
//! registration number, and the questionnaire and its version travel in the submission.

use std::fmt::Write as _;

use passage_domain::protection::questionnaire::{
    self, AnswerType, Condition, Labels, Op, Question, Questionnaire, Status,
};
use passage_domain::protection::records::NewScreening;
use roxmltree::{Document, Node};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use utoipa::ToSchema;

/// The questionnaire the form asks.
pub const QUESTIONNAIRE: &str = "screening";
/// The XLSForm `form_id`.
pub const FORM_ID: &str = "passage_screening";
/// Revision of the way the form is written; raised when the writing changes, so that
/// devices see a new version even when the questionnaire did not change.
const LAYOUT: u32 = 1;
/// The languages of the form, as XLSForm names them, in the order of [`Labels`].
const LANGUAGES: [&str; 3] = ["English (en)", "Chinese (zh)", "Arabic (ar)"];
/// The choice list of yes/no questions.
const YES_NO: &str = "yes_no";

/// A screening read from the field: whom it is of, and what the API's screening route
/// takes.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct FieldScreening {
    /// The person's registration number, as on their card (`ACH-000123-7`).
    pub registration_number: String,
    pub screening: NewScreening,
}

/// The newest active version of the questionnaire the form asks.
pub fn current() -> Option<&'static Questionnaire> {
    questionnaire::shipped()
        .iter()
        .filter(|q| q.id == QUESTIONNAIRE && q.status == Status::Active)
        .max_by_key(|q| q.version)
}

/// The form's version for questionnaire `q`: its version, then the layout revision.
pub fn form_version(q: &Questionnaire) -> String {
    format!("{}.{LAYOUT}", q.version)
}

fn texts(l: &Labels) -> [&str; 3] {
    [&l.en, &l.zh, &l.ar]
}

/// A markdown table cell: one line, pipes escaped.
fn cell(s: &str) -> String {
    s.replace('\n', " ").replace('|', "\\|")
}

/// A string literal in XPath.
fn literal(s: &str) -> String {
    if !s.contains('\'') {
        format!("'{s}'")
    } else if !s.contains('"') {
        format!("\"{s}\"")
    } else {
        let parts: Vec<String> = s.split('\'').map(|p| format!("'{p}'")).collect();
        format!("concat({})", parts.join(", \"'\", "))
    }
}

/// The XPath value an answer of `kind` is compared with.
fn xpath_value(kind: AnswerType, v: &Value) -> String {
    match (kind, v) {
        (AnswerType::YesNo, Value::Bool(b)) => literal(if *b { "yes" } else { "no" }),
        (_, Value::Number(n)) => n.to_string(),
        (_, Value::String(s)) => literal(s),
        (_, other) => literal(&other.to_string()),
    }
}

/// `relevant` for a condition: an unanswered (or not asked) question satisfies no test,
/// as in the definition.
fn relevant(q: &Questionnaire, c: &Condition) -> String {
    match c {
        Condition::All { all } => join(q, all, " and "),
        Condition::Any { any } => join(q, any, " or "),
        Condition::Test {
            question,
            op,
            value,
        } => {
            let kind = q
                .question(question)
                .map_or(AnswerType::Text, |earlier| earlier.kind);
            let r = format!("${{{question}}}");
            let v = xpath_value(kind, value);
            match op {
                Op::Is => format!("{r} = {v}"),
                Op::IsNot => format!("({r} != '' and {r} != {v})"),
                Op::Below => format!("({r} != '' and {r} < {v})"),
                Op::AtLeast => format!("({r} != '' and {r} >= {v})"),
                Op::Includes => format!("selected({r}, {v})"),
            }
        }
    }
}

fn join(q: &Questionnaire, cs: &[Condition], with: &str) -> String {
    let parts: Vec<String> = cs.iter().map(|c| relevant(q, c)).collect();
    format!("({})", parts.join(with))
}

/// The XLSForm type of a question.
fn form_type(question: &Question) -> String {
    match question.kind {
        AnswerType::YesNo => format!("select_one {YES_NO}"),
        AnswerType::Integer => "integer".to_owned(),
        AnswerType::SelectOne => format!("select_one {}", question.name),
        AnswerType::SelectMany => format!("select_multiple {}", question.name),
        AnswerType::Text => "text".to_owned(),
        AnswerType::Date => "date".to_owned(),
    }
}

/// The constraint of an integer question's range, and its message in every language.
fn range(question: &Question) -> Option<(String, [String; 3])> {
    let (min, max) = (question.min, question.max);
    let constraint = match (min, max) {
        (Some(a), Some(b)) => format!(". >= {a} and . <= {b}"),
        (Some(a), None) => format!(". >= {a}"),
        (None, Some(b)) => format!(". <= {b}"),
        (None, None) => return None,
    };
    let show = |n: Option<i64>| n.map(|n| n.to_string()).unwrap_or_default();
    let (a, b) = (show(min), show(max));
    let messages = match (min, max) {
        (Some(_), Some(_)) => [
            format!("From {a} to {b}"),
            format!("从 {a} 到 {b}"),
            format!("من {a} إلى {b}"),
        ],
        (Some(_), None) => [
            format!("At least {a}"),
            format!("至少 {a}"),
            format!("{a} على الأقل"),
        ],
        _ => [
            format!("At most {b}"),
            format!("最多 {b}"),
            format!("{b} على الأكثر"),
        ],
    };
    Some((constraint, messages))
}

/// One survey row: type, name, labels, hints, required, relevant, constraint, its
/// messages, calculation.
struct Row {
    kind: String,
    name: String,
    label: [String; 3],
    hint: [String; 3],
    required: bool,
    relevant: String,
    constraint: String,
    message: [String; 3],
    calculation: String,
}

impl Row {
    fn new(kind: &str, name: &str) -> Self {
        Self {
            kind: kind.to_owned(),
            name: name.to_owned(),
            label: Default::default(),
            hint: Default::default(),
            required: false,
            relevant: String::new(),
            constraint: String::new(),
            message: Default::default(),
            calculation: String::new(),
        }
    }

    fn cells(&self) -> Vec<String> {
        let mut c = vec![self.kind.clone(), self.name.clone()];
        c.extend(self.label.iter().cloned());
        c.extend(self.hint.iter().cloned());
        c.push(if self.required { "yes" } else { "" }.to_owned());
        c.push(self.relevant.clone());
        c.push(self.constraint.clone());
        c.extend(self.message.iter().cloned());
        c.push(self.calculation.clone());
        c
    }
}

fn owned(l: [&str; 3]) -> [String; 3] {
    l.map(str::to_owned)
}

/// The rows that name the person and carry the questionnaire version.
fn header_rows(q: &Questionnaire) -> Vec<Row> {
    let mut number = Row::new("text", "registration_number");
    number.label = owned(["Registration number", "登记号", "رقم التسجيل"]);
    number.hint = owned([
        "As printed on the person's card, e.g. ACH-000123-7",
        "与本人卡片上所印相同，例如 ACH-000123-7",
        "كما هو مطبوع على بطاقة الشخص، مثل ACH-000123-7",
    ]);
    number.required = true;
    number.constraint = "regex(., '^ *[A-Za-z]{2,5}-[0-9A-Za-z]+-[0-9A-Za-z] *$')".to_owned();
    number.message = owned([
        "Site, number and check character, as on the card",
        "站点、编号和校验字符，与卡片相同",
        "الموقع والرقم وحرف التحقق، كما على البطاقة",
    ]);
    let mut id = Row::new("calculate", "questionnaire");
    id.calculation = literal(&q.id);
    let mut version = Row::new("calculate", "questionnaire_version");
    version.calculation = q.version.to_string();
    vec![number, id, version]
}

fn question_row(q: &Questionnaire, question: &Question) -> Row {
    let mut row = Row::new(&form_type(question), &question.name);
    row.label = texts(&question.label).map(cell);
    row.required = question.required;
    if let Some(c) = &question.relevant {
        row.relevant = relevant(q, c);
    }
    if question.kind == AnswerType::Integer
        && let Some((constraint, message)) = range(question)
    {
        row.constraint = constraint;
        row.message = message;
    }
    row
}

fn table(out: &mut String, sheet: &str, header: &[String], rows: &[Vec<String>]) {
    let line = |out: &mut String, first: &str, cells: &[String]| {
        let _ = write!(out, "| {first} |");
        for c in cells {
            let _ = write!(out, " {} |", cell(c));
        }
        out.push('\n');
    };
    let _ = writeln!(out, "| {sheet} |");
    line(out, "", header);
    for r in rows {
        line(out, "", r);
    }
    out.push('\n');
}

fn localised(column: &str) -> Vec<String> {
    LANGUAGES.iter().map(|l| format!("{column}::{l}")).collect()
}

/// The XLSForm (pyxform markdown) of questionnaire `q`.
pub fn xlsform(q: &Questionnaire) -> String {
    let mut out = format!(
        "# Written by Passage from questionnaire {} version {}; do not edit by hand:\n\
         # PASSAGE_WRITE_FORMS=1 cargo test -p passage-server --lib screening writes it again.\n\n",
        q.id, q.version
    );
    let mut survey_header = vec!["type".to_owned(), "name".to_owned()];
    survey_header.extend(localised("label"));
    survey_header.extend(localised("hint"));
    survey_header.extend(["required", "relevant", "constraint"].map(str::to_owned));
    survey_header.extend(localised("constraint_message"));
    survey_header.push("calculation".to_owned());
    let mut rows = header_rows(q);
    rows.extend(q.questions.iter().map(|question| question_row(q, question)));
    let survey: Vec<Vec<String>> = rows.iter().map(Row::cells).collect();
    table(&mut out, "survey", &survey_header, &survey);

    let mut choices_header = vec!["list_name".to_owned(), "name".to_owned()];
    choices_header.extend(localised("label"));
    let mut choices: Vec<Vec<String>> = Vec::new();
    if q.questions.iter().any(|x| x.kind == AnswerType::YesNo) {
        for (name, labels) in [("yes", ["Yes", "是", "نعم"]), ("no", ["No", "否", "لا"])] {
            let mut row = vec![YES_NO.to_owned(), name.to_owned()];
            row.extend(owned(labels));
            choices.push(row);
        }
    }
    for question in &q.questions {
        for c in &question.choices {
            let mut row = vec![question.name.clone(), c.name.clone()];
            row.extend(texts(&c.label).map(str::to_owned));
            choices.push(row);
        }
    }
    table(&mut out, "choices", &choices_header, &choices);

    let settings_header = [
        "form_title",
        "form_id",
        "version",
        "default_language",
        "instance_name",
    ]
    .map(str::to_owned);
    let settings = vec![vec![
        format!("Passage {}", q.title.en.to_lowercase()),
        FORM_ID.to_owned(),
        form_version(q),
        LANGUAGES[0].to_owned(),
        "concat('Screening ', ${registration_number})".to_owned(),
    ]];
    table(&mut out, "settings", &settings_header, &settings);
    out.truncate(out.trim_end().len());
    out.push('\n');
    out
}

fn child<'a, 'i>(node: Node<'a, 'i>, name: &str) -> Option<Node<'a, 'i>> {
    node.children()
        .find(|c| c.is_element() && c.tag_name().name() == name)
}

fn text_of(node: Node, name: &str) -> Option<String> {
    child(node, name)
        .and_then(|c| c.text())
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .map(str::to_owned)
}

/// An answer as the API takes it, from the text the form wrote; text that does not fit
/// the question's type is kept as text, for the questionnaire's check to name.
fn answer(kind: AnswerType, text: String) -> Value {
    match kind {
        AnswerType::YesNo => match text.as_str() {
            "yes" => Value::Bool(true),
            "no" => Value::Bool(false),
            _ => Value::String(text),
        },
        AnswerType::Integer => text
            .parse::<i64>()
            .map(Value::from)
            .unwrap_or(Value::String(text)),
        AnswerType::SelectMany => Value::Array(
            text.split_whitespace()
                .map(|s| Value::String(s.to_owned()))
                .collect(),
        ),
        AnswerType::SelectOne | AnswerType::Text | AnswerType::Date => Value::String(text),
    }
}

/// The draft read from a submission of the screening form: a [`FieldScreening`] in JSON,
/// its answers read by the questionnaire version the submission names (the current one
/// when it names none Passage has). Questions left empty are left out.
pub fn draft(doc: &Document) -> Value {
    let root = doc.root_element();
    let id = text_of(root, "questionnaire").unwrap_or_else(|| QUESTIONNAIRE.to_owned());
    let version = text_of(root, "questionnaire_version");
    let named = version
        .as_deref()
        .and_then(|v| v.parse::<u32>().ok())
        .and_then(|v| questionnaire::find(&id, v));
    let mut answers = Map::new();
    if let Some(q) = named.or_else(current) {
        for question in &q.questions {
            if let Some(text) = text_of(root, &question.name) {
                answers.insert(question.name.clone(), answer(question.kind, text));
            }
        }
    }
    let version = version.map_or(Value::Null, |v| {
        v.parse::<u32>()
            .map(Value::from)
            .unwrap_or(Value::String(v))
    });
    serde_json::json!({
        "registration_number": text_of(root, "registration_number").unwrap_or_default(),
        "screening": {
            "questionnaire": id,
            "questionnaire_version": version,
            "answers": answers,
        },
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const FORM_MD: &str = include_str!("../../../../forms/screening.md");
    const FORM_XML: &str = include_str!("../../../../forms/screening.xml");

    /// The committed form is the one written from the questionnaire in force; with
    /// `PASSAGE_WRITE_FORMS=1` it is written again (then run xls2xform for the XForm).
    #[test]
    fn the_form_is_written_from_the_questionnaire_in_force() {
        let q = current().expect("an active screening questionnaire");
        let written = xlsform(q);
        if std::env::var_os("PASSAGE_WRITE_FORMS").is_some() {
            let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../../forms/screening.md");
            std::fs::write(path, &written).expect("forms/screening.md written");
            return;
        }
        assert!(
            FORM_MD == written,
            "forms/screening.md is not the form of {} v{}: run \
             PASSAGE_WRITE_FORMS=1 cargo test -p passage-server --lib screening, then \
             .venv/bin/xls2xform forms/screening.md forms/screening.xml",
            q.id,
            q.version
        );
    }

    /// The XForm pyxform made has every question and choice of the questionnaire, and
    /// nothing the questionnaire does not have.
    #[test]
    fn the_xform_asks_exactly_the_questionnaire() {
        let q = current().unwrap();
        let doc = Document::parse(FORM_XML).unwrap();
        let data = doc
            .descendants()
            .find(|n| n.tag_name().name() == "data" && n.attribute("id") == Some(FORM_ID))
            .expect("the instance's root");
        assert_eq!(data.attribute("version"), Some(form_version(q).as_str()));
        let fields: Vec<&str> = data
            .children()
            .filter(|n| n.is_element() && n.tag_name().name() != "meta")
            .map(|n| n.tag_name().name())
            .collect();
        let mut expected = vec![
            "registration_number",
            "questionnaire",
            "questionnaire_version",
        ];
        expected.extend(q.questions.iter().map(|x| x.name.as_str()));
        assert_eq!(fields, expected);
        for question in &q.questions {
            let nodeset = format!("/data/{}", question.name);
            let bind = doc
                .descendants()
                .find(|n| n.tag_name().name() == "bind" && n.attribute("nodeset") == Some(&nodeset))
                .unwrap_or_else(|| panic!("no bind for {}", question.name));
            assert_eq!(
                bind.attribute("required") == Some("true()"),
                question.required,
                "{}",
                question.name
            );
            assert_eq!(
                bind.attribute("relevant").is_some(),
                question.relevant.is_some(),
                "{}",
                question.name
            );
            let body = doc
                .descendants()
                .find(|n| n.attribute("ref") == Some(&nodeset))
                .unwrap_or_else(|| panic!("{} is not asked", question.name));
            // Choices are a secondary instance the question's itemset names.
            let list = body
                .descendants()
                .find(|n| n.tag_name().name() == "itemset")
                .and_then(|n| n.attribute("nodeset"))
                .and_then(|n| n.strip_prefix("instance('"))
                .and_then(|n| n.split_once('\''))
                .map(|(id, _)| id);
            let values: Vec<&str> = list
                .and_then(|id| {
                    doc.descendants().find(|n| {
                        n.tag_name().name() == "instance" && n.attribute("id") == Some(id)
                    })
                })
                .map(|instance| {
                    instance
                        .descendants()
                        .filter(|n| n.tag_name().name() == "name")
                        .filter_map(|n| n.text())
                        .collect()
                })
                .unwrap_or_default();
            let names: Vec<&str> = match question.kind {
                AnswerType::YesNo => vec!["yes", "no"],
                _ => question.choices.iter().map(|c| c.name.as_str()).collect(),
            };
            assert_eq!(values, names, "{}", question.name);
        }
        let calc = |name: &str| {
            let nodeset = format!("/data/{name}");
            doc.descendants()
                .find(|n| n.tag_name().name() == "bind" && n.attribute("nodeset") == Some(&nodeset))
                .and_then(|n| n.attribute("calculate"))
                .map(str::to_owned)
        };
        assert_eq!(calc("questionnaire"), Some(literal(&q.id)));
        assert_eq!(calc("questionnaire_version"), Some(q.version.to_string()));
    }

    #[test]
    fn conditions_become_relevant_as_the_definition_reads_them() {
        let q = current().unwrap();
        let t = |question: &str, op: Op, value: Value| Condition::Test {
            question: question.to_owned(),
            op,
            value,
        };
        assert_eq!(
            relevant(q, &t("stated_age", Op::Below, 18.into())),
            "(${stated_age} != '' and ${stated_age} < 18)"
        );
        assert_eq!(
            relevant(q, &t("fear_of_return", Op::Is, true.into())),
            "${fear_of_return} = 'yes'"
        );
        assert_eq!(
            relevant(
                q,
                &Condition::Any {
                    any: vec![
                        t("reasons_for_leaving", Op::Includes, "conflict".into()),
                        t("travelling_with", Op::IsNot, "parents".into()),
                    ]
                }
            ),
            "(selected(${reasons_for_leaving}, 'conflict') or \
             (${travelling_with} != '' and ${travelling_with} != 'parents'))"
        );
        assert_eq!(literal("it's"), "\"it's\"");
        assert_eq!(literal("it's \"x\""), "concat('it', \"'\", 's \"x\"')");
    }

    #[test]
    fn a_submission_becomes_the_api_body() {
        let xml = r#"<data id="passage_screening" version="2.1"><registration_number>ACH-000001-X</registration_number>
          <questionnaire>screening</questionnaire><questionnaire_version>2</questionnaire_version>
          <stated_age>16</stated_age><travelling_with>alone</travelling_with>
          <reasons_for_leaving>conflict persecution</reasons_for_leaving><fear_of_return>yes</fear_of_return>
          <wants_asylum>no</wants_asylum><paid_to_cross/><notes> met at the quay </notes>
          <meta><instanceID>uuid:1</instanceID></meta></data>"#;
        let doc = Document::parse(xml).unwrap();
        let d = draft(&doc);
        assert_eq!(d["registration_number"], "ACH-000001-X");
        let s = &d["screening"];
        assert_eq!(s["questionnaire_version"], 2);
        assert_eq!(s["answers"]["stated_age"], 16);
        assert_eq!(
            s["answers"]["reasons_for_leaving"],
            serde_json::json!(["conflict", "persecution"])
        );
        assert_eq!(s["answers"]["fear_of_return"], true);
        assert_eq!(s["answers"]["wants_asylum"], false);
        assert!(s["answers"].get("paid_to_cross").is_none());
        assert_eq!(s["answers"]["notes"], "met at the quay");
        let parsed: FieldScreening = serde_json::from_value(d).unwrap();
        assert_eq!(parsed.screening.questionnaire, "screening");
    }

    #[test]
    fn answers_that_do_not_fit_stay_text_for_the_check_to_name() {
        assert_eq!(answer(AnswerType::Integer, "sixteen".into()), "sixteen");
        assert_eq!(answer(AnswerType::YesNo, "maybe".into()), "maybe");
    }
}
