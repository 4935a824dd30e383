//! Pure types and rules of Passage: sites, arrivals, households, persons, documents and
//! their machine-readable zones, registration numbers; protection; care after arrival
//! (shelter, assistance, incidents, flows, tracing).
//!
//! This crate does no I/O, has no async, and never reads the clock: whatever depends on
//! the date takes `today` or `now` as a parameter.

/// Declares the OpenAPI schema of a type that travels as a plain string.
#[macro_export]
macro_rules! string_schema {
    ($ty:ty, $description:expr, $example:expr) => {
        impl utoipa::PartialSchema for $ty {
            fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
                utoipa::openapi::ObjectBuilder::new()
                    .schema_type(utoipa::openapi::schema::Type::String)
                    .description(Some($description))
                    .examples([serde_json::json!($example)])
                    .into()
            }
        }

        impl utoipa::ToSchema for $ty {}
    };
}

pub mod access;
pub mod age;
pub mod arrival;
pub mod codes;
pub mod country_codes;
#[macro_use]
pub mod data_protection;

// After `data_protection`: uses its `coded!` macro, which is in scope only below it.
pub mod care;

pub mod document;
pub mod duplicates;
pub mod error;
pub mod household;
pub mod mrz;
pub mod person;
pub mod protection;
pub mod record;
pub mod regno;
pub mod site;
pub mod text;
