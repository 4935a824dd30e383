//! A person's documents: the list with each MRZ's verification, and the form that
//! checks a pasted MRZ (which fields agree with what the person declared, which check
//! digits fail) or records the document, through the API's document handlers.

use axum::Form;
use axum::Json;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use passage_domain::age::DobPrecision;
use passage_domain::document::{DocumentDetails, DocumentKind, MrzVerification};
use passage_domain::mrz::{CheckField, MismatchField};
use passage_domain::person::{PersonDetails, Sex};
use passage_domain::record::Document;
use passage_server::AppState;
use passage_server::api::documents::MrzCheck;
use passage_server::auth::Caller;
use passage_server::extract::{Body, Id};

use super::Fields;
use super::person::{gather, person_of};
use crate::form::Problems;
use crate::frame::{Chosen, User, failed, render};
use crate::i18n::Tr;

/// The document form as typed.
#[derive(Debug, Default)]
pub(crate) struct DocumentForm {
    pub kind: String,
    pub number: String,
    pub mrz: String,
    pub accept_damaged: bool,
}

/// One field of the declared identity against the document: (field, outcome class
/// `agrees`/`differs`/`undeclared`, outcome in words, what each says when they differ).
pub(crate) type Compared = (String, &'static str, String, String);

/// What reading an MRZ found, for the page.
pub(crate) struct VerificationView {
    pub format: String,
    /// Every check digit matched.
    pub valid: bool,
    /// The check digits that failed, in words.
    pub failed: Vec<String>,
    pub compared: Vec<Compared>,
    /// What the MRZ says: (field, value).
    pub read: Vec<(String, String)>,
}

/// A recorded document as the person page lists it.
pub(crate) struct DocumentRow {
    pub kind: String,
    pub number: String,
    pub issuing_state: String,
    pub expiry: String,
    pub verification: Option<VerificationView>,
}

/// The kinds of document: (code, words).
pub(crate) fn kinds(tr: Tr) -> Vec<(&'static str, String)> {
    DocumentKind::ALL
        .into_iter()
        .map(|k| (k.code(), kind_word(tr, k)))
        .collect()
}

fn kind_word(tr: Tr, k: DocumentKind) -> String {
    tr.t(&format!("reg-doc-{}", k.code().replace('_', "-")))
}

fn check_word(tr: Tr, c: CheckField) -> String {
    tr.t(match c {
        CheckField::DocumentNumber => "reg-check-number",
        CheckField::BirthDate => "reg-check-birth",
        CheckField::ExpiryDate => "reg-check-expiry",
        CheckField::OptionalData => "reg-check-optional",
        CheckField::Composite => "reg-check-composite",
    })
}

/// What reading the MRZ found, with each declared field set against the document's.
pub(crate) fn verification_view(
    tr: Tr,
    declared: &PersonDetails,
    v: &MrzVerification,
) -> VerificationView {
    let fields = [
        (
            MismatchField::FamilyName,
            "reg-family-name",
            declared.family_name.is_some(),
        ),
        (
            MismatchField::GivenName,
            "reg-given-name",
            declared.given_name.is_some(),
        ),
        (MismatchField::Sex, "reg-sex", declared.sex != Sex::U),
        (
            MismatchField::BirthDate,
            "reg-dob",
            declared
                .date_of_birth
                .is_some_and(|d| d.precision == DobPrecision::Exact),
        ),
        (
            MismatchField::Nationality,
            "reg-nationality",
            !declared.nationalities.is_empty(),
        ),
    ];
    let compared = fields
        .into_iter()
        .map(|(field, label, said)| {
            let differs = v.mismatches.iter().find(|m| m.field == field);
            let (class, words, detail) = match (differs, said) {
                (Some(m), _) => (
                    "differs",
                    tr.t("reg-mrz-differs"),
                    tr.with(
                        "reg-mrz-differs-detail",
                        &[
                            ("declared", m.declared.clone().into()),
                            ("document", m.document.clone().into()),
                        ],
                    ),
                ),
                (None, true) => ("agrees", tr.t("reg-mrz-agrees"), String::new()),
                (None, false) => ("undeclared", tr.t("reg-mrz-undeclared"), String::new()),
            };
            (tr.t(label), class, words, detail)
        })
        .collect();
    let names = format!("{} {}", v.secondary_identifier, v.primary_identifier);
    let mut read = vec![
        (tr.t("reg-doc-number"), v.document_number.clone()),
        (tr.t("reg-doc-state"), v.issuing_state.clone()),
        (tr.t("reg-nationality"), v.nationality.clone()),
        (tr.t("reg-name"), names.trim().to_owned()),
    ];
    if let Some(b) = v.birth_date {
        read.push((tr.t("reg-dob"), tr.date(b)));
    }
    if let Some(e) = v.expiry_date {
        read.push((tr.t("reg-doc-expiry"), tr.date(e)));
    }
    VerificationView {
        format: v.format.to_string(),
        valid: v.valid,
        failed: v.failed_checks.iter().map(|c| check_word(tr, *c)).collect(),
        compared,
        read,
    }
}

/// A recorded document for the list.
pub(crate) fn document_row(tr: Tr, declared: &PersonDetails, d: &Document) -> DocumentRow {
    DocumentRow {
        kind: kind_word(tr, d.details.kind),
        number: d.details.number.clone().unwrap_or_default(),
        issuing_state: d
            .details
            .issuing_state
            .as_ref()
            .map(|c| c.as_str().to_owned())
            .unwrap_or_default(),
        expiry: d
            .details
            .expiry_date
            .map(|e| tr.date(e))
            .unwrap_or_default(),
        verification: d
            .verification
            .as_ref()
            .map(|v| verification_view(tr, declared, v)),
    }
}

/// Checks a pasted MRZ (`action=check`) or records the document (`action=save`).
pub(crate) async fn add(
    State(app): State<AppState>,
    chosen: Chosen,
    user: User,
    Path(id): Path<String>,
    Form(fields): Form<Vec<(String, String)>>,
) -> Response {
    let fields = Fields(fields);
    if let Err(e) = user.check(fields.get("csrf")) {
        return failed(chosen, &user, e);
    }
    let person = match person_of(&app, &user, &id).await {
        Ok(p) => p,
        Err(e) => return failed(chosen, &user, e),
    };
    let tr = chosen.tr();
    let form = DocumentForm {
        kind: fields.get("kind").trim().to_owned(),
        number: fields.get("number").trim().to_owned(),
        mrz: fields.get("mrz").trim().to_owned(),
        accept_damaged: !fields.get("accept_damaged").is_empty(),
    };
    let mut problems = Problems::default();
    // What the MRZ says, whether the document is then saved or not.
    let mut verification = None;
    if !form.mrz.is_empty() {
        let check = MrzCheck {
            mrz: form.mrz.clone(),
            person_id: Some(person.meta.id),
        };
        match passage_server::api::documents::verify(
            State(app.clone()),
            Caller(user.p.clone()),
            Body(check),
        )
        .await
        {
            Ok(Json(v)) => verification = Some(verification_view(tr, &person.details, &v)),
            Err(e) => match Problems::of(e) {
                Ok(p) => problems = p,
                Err(e) => return failed(chosen, &user, e),
            },
        }
    }
    let kind = DocumentKind::from_code(&form.kind);
    if fields.get("action") != "check" && problems.is_empty() {
        match kind {
            None => problems
                .0
                .push(("kind".into(), tr.t("reg-problem-document-kind"))),
            Some(kind) => {
                let details = DocumentDetails {
                    kind,
                    number: crate::form::filled(Some(form.number.clone())),
                    issuing_state: None,
                    expiry_date: None,
                    mrz: crate::form::filled(Some(form.mrz.clone())),
                    accept_damaged_mrz: form.accept_damaged,
                };
                let done = passage_server::api::documents::create(
                    State(app.clone()),
                    Caller(user.p.clone()),
                    Id(person.meta.id),
                    Body(details),
                )
                .await;
                match done {
                    Ok(_) => {
                        let to = format!("/persons/{}#documents", person.meta.id);
                        return Redirect::to(&to).into_response();
                    }
                    Err(e) => match Problems::of(e) {
                        Ok(p) => problems = p,
                        Err(e) => return failed(chosen, &user, e),
                    },
                }
            }
        }
    }
    match gather(&app, chosen, &user, &person, form, verification, problems).await {
        Ok(page) => render(chosen, &page),
        Err(e) => failed(chosen, &user, e),
    }
}
