//! What a stored submission becomes, through the API's own functions: a household by
//! `households::register` (validation, permission, duplicate guard), a screening by
//! `screenings::screen` (the questionnaire version's check, permission, the person's
//! visibility, the rules). What cannot be made waits in the review queue with the reasons,
//! each at its field of the draft.

use passage_domain::access::{Principal, Resource};
use passage_domain::document::DocumentDetails;
use passage_domain::error::{FieldError, Problems};
use passage_domain::household::HouseholdRegistration;
use passage_domain::regno::RegistrationNumber;
use passage_store::{Created, Outcome, Submission, SubmissionStatus};
use serde_json::Value;
use uuid::Uuid;

use super::mapping;
use super::screening::FieldScreening;
use crate::AppState;
use crate::api::{households, screenings};
use crate::problem::ApiError;

/// Where a refusal that names no field goes, by what the submission creates.
fn general_field(creates: Resource) -> &'static str {
    match creates {
        Resource::Screening => "screening",
        _ => "registration",
    }
}

/// Whether a refusal is the submission's (it waits for review, with these reasons and
/// candidates) or the server's (it stays received, and the device is told to try again).
fn reasons_of(creates: Resource, e: &ApiError) -> Option<(Vec<FieldError>, Value)> {
    let one = |field: &str, message: String| {
        vec![FieldError {
            field: field.to_owned(),
            message,
        }]
    };
    match e {
        ApiError::Invalid(v) => Some((v.0.clone(), serde_json::json!([]))),
        ApiError::LikelyDuplicate(message, candidates) => Some((
            one("not_duplicates", message.clone()),
            serde_json::to_value(candidates).unwrap_or_default(),
        )),
        ApiError::NotFound { .. } if creates == Resource::Screening => Some((
            one("registration_number", e.to_string()),
            serde_json::json!([]),
        )),
        ApiError::NotFound { .. } | ApiError::Refused(_) | ApiError::Conflict(..) => Some((
            one(general_field(creates), e.to_string()),
            serde_json::json!([]),
        )),
        _ => None,
    }
}

/// Every problem of two parts at once, or the first error that is not a problem list.
fn all_problems(errors: impl IntoIterator<Item = ApiError>) -> ApiError {
    let mut problems = Problems::new();
    for e in errors {
        match e {
            ApiError::Invalid(v) => {
                v.0.into_iter()
                    .for_each(|f| problems.add(f.field, f.message))
            }
            other => return other,
        }
    }
    problems
        .finish(())
        .err()
        .map_or(ApiError::Unavailable, ApiError::Invalid)
}

/// Registers the household of a draft, and the head's identity document with it: all
/// of it is checked before anything is saved, and every problem is named at once.
async fn household_of(app: &AppState, p: &Principal, draft: &Value) -> Result<Uuid, ApiError> {
    let today = app.clock.today();
    let mut body = draft.clone();
    let document = body
        .as_object_mut()
        .and_then(|o| o.remove(mapping::HEAD_DOCUMENT));
    let registration = crate::extract::from_value::<HouseholdRegistration>("", body);
    let details = document
        .map(|d| crate::extract::from_value::<DocumentDetails>(mapping::HEAD_DOCUMENT, d))
        .transpose();
    let (registration, details) = match (registration, details) {
        (Ok(r), Ok(d)) => (r, d),
        (r, d) => return Err(all_problems([r.err(), d.err()].into_iter().flatten())),
    };
    let document = match details {
        None => None,
        Some(details) => {
            let head = registration.head.clone().validated(today).ok();
            match details.validated(today, head.as_ref()) {
                Ok(valid) => Some(valid),
                Err(e) => {
                    let mut problems = Problems::new();
                    if let Err(r) = registration.validated(today) {
                        r.0.into_iter()
                            .for_each(|f| problems.add(f.field, f.message));
                    }
                    problems.nest(mapping::HEAD_DOCUMENT, e);
                    return Err(problems
                        .finish(())
                        .err()
                        .map_or(ApiError::Unavailable, ApiError::Invalid));
                }
            }
        }
    };
    let household = households::register(app, p, registration).await?;
    if let Some(valid) = document {
        app.store
            .add_document(p, household.head_person_id, valid)
            .await?;
    }
    Ok(household.meta.id)
}

/// Screens the person a draft names by registration number, as the API's screening
/// route does. A number that is malformed, or that names nobody the caller can see, is
/// a problem at `registration_number`, named together with the answers' problems.
async fn screening_of(app: &AppState, p: &Principal, draft: &Value) -> Result<Uuid, ApiError> {
    let field: FieldScreening = crate::extract::from_value("", draft.clone())?;
    let typed = field.registration_number.trim();
    let person = match RegistrationNumber::parse(typed) {
        Ok(number) => app
            .store
            .person_by_number(p, &number)
            .await?
            .ok_or_else(|| {
                ApiError::invalid(
                    "registration_number",
                    format!("nobody you can see is registered under {number}"),
                )
            }),
        Err(e) => Err(ApiError::invalid("registration_number", e.to_string())),
    };
    match person {
        Ok(person) => Ok(screenings::screen(app, p, person.meta.id, field.screening)
            .await?
            .meta
            .id),
        // The answers' problems too, so that the reviewer fixes everything at once.
        Err(e) => {
            let answers = screenings::check(&field.screening).err();
            Err(all_problems([Some(e), answers].into_iter().flatten()))
        }
    }
}

/// Makes the record of the draft read from submission `id` (which must be `received`, or
/// `accepted` by a reviewer) and records the outcome: the record, or review with the
/// reasons. Answers the submission and, when refused, why.
pub async fn settle(
    app: &AppState,
    p: &Principal,
    submission: &Submission,
    draft: Value,
    status: SubmissionStatus,
) -> Result<(Submission, Option<ApiError>), ApiError> {
    let creates = submission.creates;
    let made = match creates {
        Resource::Household => household_of(app, p, &draft).await.map(Created::Household),
        Resource::Screening => screening_of(app, p, &draft).await.map(Created::Screening),
        other => {
            return Err(ApiError::Refused(format!(
                "no form creates a {}",
                other.code()
            )));
        }
    };
    let id = submission.id;
    match made {
        Ok(record) => {
            let outcome = Outcome::Registered { record, status };
            Ok((app.store.settle_submission(p, id, outcome).await?, None))
        }
        Err(e) => {
            let Some((reasons, candidates)) = reasons_of(creates, &e) else {
                return Err(e);
            };
            let outcome = Outcome::Review {
                draft: Some(draft),
                reasons,
                candidates,
            };
            Ok((app.store.settle_submission(p, id, outcome).await?, Some(e)))
        }
    }
}
