//! From a registration form's submission XML to the body `POST /api/v1/households` takes.
//!
//! The XML is read as it is; values are carried as text where the API expects text, so
//! that a wrong value is reported by the same validation as the API's, at its field
//! (`head.nationalities[0]`). Empty elements (questions not asked or left blank) are
//! left out.

use roxmltree::{Document, Node};
use serde_json::{Map, Value, json};

/// The form's fields for a person, as the XLSForms in `forms/` name them (level 2
/// prefixes a member's with `member_`).
const BREAKDOWN: [&str; 13] = [
    "f_0_4", "f_5_11", "f_12_17", "f_18_59", "f_60", "f_other", "m_0_4", "m_5_11", "m_12_17",
    "m_18_59", "m_60", "m_other", "x_total",
];

/// What identifies a submission: the form, its version, the instance.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Header {
    pub form_id: String,
    pub version: String,
    pub instance_id: String,
}

/// Why a submission cannot be read at all.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum XmlError {
    #[error("the submission is not well-formed XML: {0}")]
    Syntax(String),
    #[error("the submission's root element has no `id` attribute naming its form")]
    NoFormId,
    #[error("the submission has no meta/instanceID")]
    NoInstanceId,
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

/// Parses the XML and reads its form id, version and instance id.
pub fn parse(xml: &str) -> Result<(Document<'_>, Header), XmlError> {
    let doc = Document::parse(xml).map_err(|e| XmlError::Syntax(e.to_string()))?;
    let root = doc.root_element();
    let form_id = root
        .attribute("id")
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .ok_or(XmlError::NoFormId)?
        .to_owned();
    let version = root.attribute("version").unwrap_or("").trim().to_owned();
    let instance_id = child(root, "meta")
        .and_then(|m| text_of(m, "instanceID"))
        .ok_or(XmlError::NoInstanceId)?;
    Ok((
        doc,
        Header {
            form_id,
            version,
            instance_id,
        },
    ))
}

/// A whole number as a JSON number; anything else as the text it is, for validation to
/// name.
fn number(text: String) -> Value {
    text.parse::<u64>()
        .map(Value::from)
        .unwrap_or(Value::String(text))
}

/// A person from a group or repeat of the form, its fields named `prefix` + the name.
fn person(node: Node, prefix: &str) -> Value {
    let field = |name: &str| text_of(node, &format!("{prefix}{name}"));
    let mut p = Map::new();
    for name in ["given_name", "family_name", "place_of_origin"] {
        if let Some(v) = field(name) {
            p.insert(name.to_owned(), Value::String(v));
        }
    }
    if let Some(text) = field("original_name") {
        p.insert(
            "original_name".to_owned(),
            json!({"text": text, "script": field("original_script")}),
        );
    }
    if let Some(sex) = field("sex") {
        p.insert("sex".to_owned(), Value::String(sex));
    }
    let precision = field("dob_precision");
    let date = match precision.as_deref() {
        Some("year_only") => field("birth_year").map(|y| format!("{y}-01-01")),
        _ => field("dob"),
    };
    if let Some(date) = date {
        p.insert(
            "date_of_birth".to_owned(),
            json!({"date": date, "precision": precision}),
        );
    }
    let nationalities: Vec<String> = [field("nationality"), field("other_nationality")]
        .into_iter()
        .flatten()
        .collect();
    if !nationalities.is_empty() {
        p.insert("nationalities".to_owned(), json!(nationalities));
    }
    if let Some(languages) = field("languages") {
        let codes: Vec<&str> = languages.split_whitespace().collect();
        p.insert("languages".to_owned(), json!(codes));
    }
    if let Some(phone) = field("phone") {
        p.insert("contact".to_owned(), json!({"phone": phone}));
    }
    Value::Object(p)
}

/// The key of the draft that holds the head's identity document.
pub const HEAD_DOCUMENT: &str = "head_document";

/// The identity document of a person's group, when its kind was given.
fn document(node: Node) -> Option<Value> {
    let kind = text_of(node, "doc_kind")?;
    let mut d = Map::new();
    d.insert("kind".to_owned(), Value::String(kind));
    for (field, key) in [
        ("doc_number", "number"),
        ("doc_issuing_state", "issuing_state"),
        ("doc_expiry", "expiry_date"),
    ] {
        if let Some(v) = text_of(node, field) {
            d.insert(key.to_owned(), Value::String(v));
        }
    }
    Some(Value::Object(d))
}

/// The registration body read from a registration form's submission (level 1 with its
/// size and breakdown, level 2 with its `member` repeats).
pub fn registration(doc: &Document) -> Value {
    let root = doc.root_element();
    let mut r = Map::new();
    if let Some(arrival) = text_of(root, "arrival") {
        r.insert("arrival_id".to_owned(), Value::String(arrival));
    }
    if let Some(kind) = text_of(root, "kind") {
        r.insert("kind".to_owned(), Value::String(kind));
    }
    if let Some(size) = text_of(root, "size") {
        r.insert("size".to_owned(), number(size));
    }
    if let Some(b) = child(root, "breakdown") {
        let counts: Map<String, Value> = BREAKDOWN
            .iter()
            .filter_map(|name| text_of(b, name).map(|v| ((*name).to_owned(), number(v))))
            .collect();
        r.insert("breakdown".to_owned(), Value::Object(counts));
    }
    let head = child(root, "head");
    r.insert(
        "head".to_owned(),
        head.map_or_else(|| json!({}), |h| person(h, "")),
    );
    if let Some(d) = head.and_then(document) {
        r.insert(HEAD_DOCUMENT.to_owned(), d);
    }
    let members: Vec<Value> = root
        .children()
        .filter(|c| c.is_element() && c.tag_name().name() == "member")
        .map(|m| {
            json!({
                "relationship": text_of(m, "member_relationship"),
                "person": person(m, "member_"),
            })
        })
        .collect();
    if !members.is_empty() {
        r.insert("members".to_owned(), Value::Array(members));
    }
    Value::Object(r)
}

#[cfg(test)]
mod tests {
    use super::*;

    const LEVEL_ONE: &str = r#"<?xml version="1.0"?>
<data xmlns:jr="http://openrosa.org/javarosa" xmlns:orx="http://openrosa.org/xforms" id="passage_registration_l1" version="2026112701">
  <arrival>0193a1b2-0000-7000-8000-000000000001</arrival><kind>family</kind>
  <head><given_name>Nur</given_name><family_name>Begum</family_name><original_name>نور بیگم</original_name>
    <original_script>Arab</original_script><sex>F</sex><dob_precision>year_only</dob_precision><dob/>
    <birth_year>1991</birth_year><nationality>stateless</nationality><other_nationality/>
    <languages>rhg  ben</languages><place_of_origin/><phone/>
    <doc_kind>refugee_id_card</doc_kind><doc_number>ab 123</doc_number><doc_issuing_state/><doc_expiry>2028-01-31</doc_expiry></head>
  <size>3</size>
  <breakdown><f_0_4>1</f_0_4><f_18_59>1</f_18_59><m_5_11>1</m_5_11><x_total>0</x_total></breakdown>
  <meta><instanceID>uuid:6f1c2d3e-1111-4222-8333-444455556666</instanceID><instanceName>Begum Nur +3</instanceName></meta>
</data>"#;

    #[test]
    fn reads_the_form_version_and_instance() {
        let (_, h) = parse(LEVEL_ONE).unwrap();
        assert_eq!(h.form_id, "passage_registration_l1");
        assert_eq!(h.version, "2026112701");
        assert_eq!(h.instance_id, "uuid:6f1c2d3e-1111-4222-8333-444455556666");
    }

    #[test]
    fn a_level_one_submission_becomes_the_api_body() {
        let (doc, _) = parse(LEVEL_ONE).unwrap();
        let r = registration(&doc);
        assert_eq!(r["arrival_id"], "0193a1b2-0000-7000-8000-000000000001");
        assert_eq!(r["size"], 3);
        assert_eq!(r["breakdown"]["m_5_11"], 1);
        assert_eq!(r["head"]["original_name"]["script"], "Arab");
        assert_eq!(
            r["head"]["date_of_birth"],
            json!({"date": "1991-01-01", "precision": "year_only"})
        );
        assert_eq!(r["head"]["languages"], json!(["rhg", "ben"]));
        assert!(r["head"].get("contact").is_none());
        assert!(r.get("members").is_none());
        assert_eq!(
            r[HEAD_DOCUMENT],
            json!({"kind": "refugee_id_card", "number": "ab 123", "expiry_date": "2028-01-31"})
        );
    }

    #[test]
    fn level_two_members_come_from_the_repeat() {
        let xml = r#"<data id="passage_registration_l2" version="1"><arrival>a</arrival>
          <head><given_name>Ali</given_name><sex>M</sex></head>
          <member><member_relationship>child</member_relationship><member_given_name>Sara</member_given_name>
            <member_sex>F</member_sex><member_dob_precision>exact</member_dob_precision><member_dob>2019-05-02</member_dob></member>
          <meta><instanceID>uuid:1</instanceID></meta></data>"#;
        let (doc, _) = parse(xml).unwrap();
        let r = registration(&doc);
        assert!(
            r.get(HEAD_DOCUMENT).is_none(),
            "no document kind, no document"
        );
        assert_eq!(r["members"][0]["relationship"], "child");
        assert_eq!(r["members"][0]["person"]["given_name"], "Sara");
        assert_eq!(
            r["members"][0]["person"]["date_of_birth"]["date"],
            "2019-05-02"
        );
    }

    #[test]
    fn unreadable_submissions_say_why() {
        assert!(matches!(parse("<data"), Err(XmlError::Syntax(_))));
        assert_eq!(
            parse("<data><meta><instanceID>x</instanceID></meta></data>").unwrap_err(),
            XmlError::NoFormId
        );
        assert_eq!(
            parse(r#"<data id="f"><meta/></data>"#).unwrap_err(),
            XmlError::NoInstanceId
        );
    }

    #[test]
    fn a_count_that_is_not_a_number_stays_text_for_validation_to_name() {
        assert_eq!(number("two".into()), json!("two"));
        assert_eq!(number("2".into()), json!(2));
    }
}
