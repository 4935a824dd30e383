//! What an accepted referral shares with the receiving organisation: exactly the fields
//! its service needs ([`Service::shared_fields`]), nothing else.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

use super::needs::NeedCode;
use super::referral::{Service, SharedField};
use crate::age::DateOfBirth;
use crate::codes::{Language, Nationality};
use crate::person::{Contact, OriginalName, PersonDetails, Sex};

/// A person as a receiving organisation sees them through one referral. Fields the
/// service does not need are absent.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct SharedPerson {
    pub referral_id: Uuid,
    pub service: Service,
    pub fields: Vec<SharedField>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub given_name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub family_name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub original_name: Option<OriginalName>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sex: Option<Sex>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub date_of_birth: Option<DateOfBirth>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub nationalities: Option<Vec<Nationality>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub languages: Option<Vec<Language>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub place_of_origin: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub contact: Option<Contact>,
    #[serde(skip_serializing_if = "Vec::is_empty", default)]
    pub needs: Vec<NeedCode>,
}

/// The view of `person` and their active `needs` that `service` may have.
pub fn shared_view(
    referral_id: Uuid,
    service: Service,
    person: &PersonDetails,
    needs: &[NeedCode],
) -> SharedPerson {
    let fields = service.shared_fields();
    let has = |f: SharedField| fields.contains(&f);
    let names = has(SharedField::Names);
    SharedPerson {
        referral_id,
        service,
        fields: fields.to_vec(),
        given_name: names.then(|| person.given_name.clone()).flatten(),
        family_name: names.then(|| person.family_name.clone()).flatten(),
        original_name: names.then(|| person.original_name.clone()).flatten(),
        sex: has(SharedField::Sex).then_some(person.sex),
        date_of_birth: has(SharedField::DateOfBirth)
            .then_some(person.date_of_birth)
            .flatten(),
        nationalities: has(SharedField::Nationalities).then(|| person.nationalities.clone()),
        languages: has(SharedField::Languages).then(|| person.languages.clone()),
        place_of_origin: has(SharedField::PlaceOfOrigin)
            .then(|| person.place_of_origin.clone())
            .flatten(),
        contact: has(SharedField::Contact)
            .then(|| person.contact.clone())
            .flatten(),
        needs: needs
            .iter()
            .filter(|c| fields.iter().any(|f| f.carries(c)))
            .cloned()
            .collect(),
    }
}
