//! Requests as ODK Collect sends them: Basic authentication, multipart submissions of
//! the registration forms' XML.

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use base64::Engine;
use serde_json::Value;

use super::{App, PASSWORD};

pub const BOUNDARY: &str = "ac8f1e3b-6d52-4c11-9b0e-3f6c2a0d4e57";
pub const USER_AGENT: &str =
    "org.odk.collect.android/v2024.3.2 okhttp/4.12.0 Dalvik/2.1.0 (Linux; U; Android 13)";

pub fn basic(user: &str, password: &str) -> String {
    let b = base64::engine::general_purpose::STANDARD.encode(format!("{user}:{password}"));
    format!("Basic {b}")
}

pub fn clerk(org: &str) -> String {
    basic(&format!("registration_clerk.{org}"), PASSWORD)
}

/// A level-1 registration as Collect writes the instance of `forms/registration-level-1`,
/// without an identity document.
pub fn level_one_xml(
    instance: &str,
    arrival: &str,
    given: &str,
    family: &str,
    nationality: &str,
) -> String {
    format!(
        r#"<?xml version='1.0' ?><data id="passage_registration_l1" version="2026112702" xmlns:h="http://www.w3.org/1999/xhtml" xmlns:jr="http://openrosa.org/javarosa" xmlns:orx="http://openrosa.org/xforms" xmlns:odk="http://www.opendatakit.org/xforms"><arrival>{arrival}</arrival><kind>family</kind><head><given_name>{given}</given_name><family_name>{family}</family_name><original_name>محمد ایوب</original_name><original_script>Arab</original_script><sex>M</sex><dob_precision>year_only</dob_precision><birth_year>1988</birth_year><nationality>{nationality}</nationality><other_nationality /><languages>rhg</languages><place_of_origin /><phone /><doc_kind /><doc_number /><doc_issuing_state /><doc_expiry /></head><size>5</size><breakdown><f_0_4>0</f_0_4><f_5_11>1</f_5_11><f_12_17>0</f_12_17><f_18_59>1</f_18_59><f_60>0</f_60><f_other>0</f_other><m_0_4>2</m_0_4><m_5_11>0</m_5_11><m_12_17>0</m_12_17><m_18_59>1</m_18_59><m_60>0</m_60><m_other>0</m_other><x_total>0</x_total></breakdown><meta><instanceID>{instance}</instanceID><instanceName>{family} {given} +5</instanceName></meta></data>"#
    )
}

/// The same submission with the head's identity document.
pub fn with_document(xml: &str, kind: &str, number: &str) -> String {
    xml.replace(
        "<doc_kind /><doc_number />",
        &format!("<doc_kind>{kind}</doc_kind><doc_number>{number}</doc_number>"),
    )
}

/// A part of a multipart body: name, file name, content type, bytes.
pub type Part<'a> = (&'a str, Option<&'a str>, &'a str, &'a [u8]);

/// The body Collect's HTTP client (okhttp) sends.
pub fn multipart(parts: &[Part]) -> Vec<u8> {
    let mut body = Vec::new();
    for (name, file, ctype, bytes) in parts {
        body.extend_from_slice(format!("--{BOUNDARY}\r\n").as_bytes());
        let disposition = match file {
            Some(f) => {
                format!("Content-Disposition: form-data; name=\"{name}\"; filename=\"{f}\"\r\n")
            }
            None => format!("Content-Disposition: form-data; name=\"{name}\"\r\n"),
        };
        body.extend_from_slice(disposition.as_bytes());
        body.extend_from_slice(
            format!(
                "Content-Type: {ctype}\r\nContent-Length: {}\r\n\r\n",
                bytes.len()
            )
            .as_bytes(),
        );
        body.extend_from_slice(bytes);
        body.extend_from_slice(b"\r\n");
    }
    body.extend_from_slice(format!("--{BOUNDARY}--\r\n").as_bytes());
    body
}

/// The photo sent with each submission made for review.
pub const PHOTO: &str = "1764237600000.jpg";

/// A level-1 submission by `org`'s registration clerk, with a photo, that waits for
/// review (its nationality is no country), as the reviewers' list gives it.
pub async fn submission_in_review(app: &App, org: &'static str, arrival: &str, n: usize) -> Value {
    let instance = format!("uuid:00000000-0000-4000-8000-{n:012}");
    let xml = level_one_xml(&instance, arrival, "Halima", &format!("Review{n}"), "XYZ");
    let file = format!("{n}.xml");
    let body = multipart(&[
        (
            "xml_submission_file",
            Some(&file),
            "text/xml",
            xml.as_bytes(),
        ),
        (PHOTO, Some(PHOTO), "image/jpeg", b"\xff\xd8\xff\xe0"),
    ]);
    let req = Request::post("/submission")
        .header(header::AUTHORIZATION, clerk(org))
        .header("X-OpenRosa-Version", "1.0")
        .header(
            header::CONTENT_TYPE,
            format!("multipart/form-data; boundary={BOUNDARY}"),
        )
        .body(Body::from(body))
        .unwrap();
    let (status, _, answer) = app.request(req).await;
    assert_eq!(status, StatusCode::CREATED, "{answer}");
    let token = app.token_of(org, passage_domain::access::Role::RegistrationClerk);
    let (_, list) = app.get_as(&token, "/api/v1/submissions").await;
    list["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["instance_id"] == instance.as_str())
        .cloned()
        .unwrap()
}

/// A screening as Collect writes the instance of `forms/screening`: every question of the
/// questionnaire in force in order, those in `answers` filled with the text the form
/// writes (`yes`/`no`, choice names separated by spaces), the others empty.
pub fn screening_xml(
    instance: &str,
    registration_number: &str,
    answers: &[(&str, &str)],
) -> String {
    let q = passage_server::openrosa::screening::current().unwrap();
    let mut fields = String::new();
    for question in &q.questions {
        match answers.iter().find(|(name, _)| *name == question.name) {
            Some((name, text)) => fields.push_str(&format!("<{name}>{text}</{name}>")),
            None => fields.push_str(&format!("<{} />", question.name)),
        }
    }
    format!(
        r#"<?xml version='1.0' ?><data id="passage_screening" version="{version}" xmlns:h="http://www.w3.org/1999/xhtml" xmlns:jr="http://openrosa.org/javarosa" xmlns:orx="http://openrosa.org/xforms" xmlns:odk="http://www.opendatakit.org/xforms"><registration_number>{registration_number}</registration_number><questionnaire>{id}</questionnaire><questionnaire_version>{qv}</questionnaire_version>{fields}<meta><instanceID>{instance}</instanceID><instanceName>Screening {registration_number}</instanceName></meta></data>"#,
        version = passage_server::openrosa::screening::form_version(q),
        id = q.id,
        qv = q.version,
    )
}

/// `parts` posted to `/submission` as Collect does, with Basic `auth`: the status and
/// the OpenRosa message.
pub async fn post_submission(app: &App, auth: &str, parts: &[Part<'_>]) -> (StatusCode, String) {
    let req = Request::post("/submission")
        .header(header::AUTHORIZATION, auth)
        .header(header::HOST, "passage.test")
        .header("X-OpenRosa-Version", "1.0")
        .header(header::USER_AGENT, USER_AGENT)
        .header(
            header::CONTENT_TYPE,
            format!("multipart/form-data; boundary={BOUNDARY}"),
        )
        .body(Body::from(multipart(parts)))
        .unwrap();
    let (status, _, answer) = app.request(req).await;
    (status, answer.as_str().unwrap_or_default().to_owned())
}
