//! What the OpenAPI document derived from the handlers cannot say by itself.
//!
//! - The error answers: every operation lists the problems it can answer with, as
//!   `application/problem+json`, the media type the server sends them in. Some come from
//!   below the handler and are the same for every operation (a missing token, a role that
//!   may not, a malformed query, the database away); they are added here once rather than
//!   repeated on every route.
//! - A closed object flattened into a record (`#[serde(flatten)]` of a type that denies
//!   unknown fields) is open inside that record: the record's own fields sit beside it.

use utoipa::openapi::path::Operation;
use utoipa::openapi::schema::Schema;
use utoipa::openapi::{ContentBuilder, OpenApi, Ref, RefOr, Response, ResponseBuilder};

/// The media type of every error body.
pub const PROBLEM_JSON: &str = "application/problem+json";

/// What any operation can answer: the status and why.
const EVERY_OPERATION: &[(&str, &str)] = &[
    ("400", "The query, path or body could not be read"),
    ("401", "No valid session or API token"),
    ("403", "No role of the caller allows it"),
    (
        "404",
        "A record named in the path or the request was not found, or is not visible to the caller",
    ),
    ("422", "The input is invalid; `errors` names each field"),
    ("503", "The database cannot answer now"),
];

/// What an operation that changes something can also answer.
const CHANGES: &[(&str, &str)] = &[
    (
        "409",
        "A version conflict, or the record's state refuses the change",
    ),
    ("413", "The request body is larger than the limit"),
    (
        "415",
        "The request body is not of a media type the operation reads",
    ),
];

/// Completes `doc`: error answers documented, flattened objects opened.
pub fn complete(doc: &mut OpenApi) {
    document_problems(doc);
    open_flattened(doc);
}

/// Documents the problems of every operation of `doc` as `application/problem+json`.
fn document_problems(doc: &mut OpenApi) {
    for item in doc.paths.paths.values_mut() {
        let reads = item.get.iter_mut().map(|op| (op, false));
        let changes = [
            &mut item.post,
            &mut item.put,
            &mut item.patch,
            &mut item.delete,
        ]
        .into_iter()
        .flat_map(|op| op.as_mut())
        .map(|op| (op, true));
        for (op, changes) in reads.chain(changes) {
            document_operation(op, changes);
        }
    }
}

fn document_operation(op: &mut Operation, changes: bool) {
    let responses = &mut op.responses.responses;
    for (status, response) in responses.iter_mut() {
        if let (Some(b'4' | b'5'), RefOr::T(response)) = (status.as_bytes().first(), response) {
            as_problem(response);
        }
    }
    let extra = if changes { CHANGES } else { &[] };
    for (status, why) in EVERY_OPERATION.iter().chain(extra) {
        responses
            .entry((*status).to_owned())
            .or_insert_with(|| RefOr::T(problem(why)));
    }
}

/// Moves whatever a documented error response says it carries to the problem media type.
fn as_problem(response: &mut Response) {
    let content = std::mem::take(&mut response.content);
    let body = content
        .into_iter()
        .next()
        .map(|(_, content)| content)
        .unwrap_or_else(|| RefOr::T(problem_content()));
    response.content.insert(PROBLEM_JSON.to_owned(), body);
}

fn problem(why: &str) -> Response {
    ResponseBuilder::new()
        .description(why)
        .content(PROBLEM_JSON, problem_content())
        .build()
}

fn problem_content() -> utoipa::openapi::Content {
    ContentBuilder::new()
        .schema(Some(Ref::from_schema_name("Problem")))
        .build()
}

/// Opens each inline closed object that is one part of a component's `allOf`: the other
/// parts' fields are in the same JSON object, so "no other field" cannot hold for it.
fn open_flattened(doc: &mut OpenApi) {
    let Some(components) = doc.components.as_mut() else {
        return;
    };
    for schema in components.schemas.values_mut() {
        if let RefOr::T(Schema::AllOf(all)) = schema {
            for part in &mut all.items {
                if let RefOr::T(Schema::Object(object)) = part {
                    object.additional_properties = None;
                }
            }
        }
    }
}
