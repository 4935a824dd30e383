//! Which column of a file holds which Passage field: given as JSON, saved by name, or
//! found from the header (Passage's own field names) or from an HXL hashtag row.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// A Passage field a column can hold.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, ToSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum Field {
    /// Rows with the same value form one household (together, one after another).
    Household,
    /// The member's relationship to the head (`head` or empty for the head).
    Relationship,
    /// `family` or `group`, read from the head's row.
    Kind,
    GivenName,
    FamilyName,
    OriginalName,
    OriginalScript,
    Sex,
    DateOfBirth,
    DobPrecision,
    BirthYear,
    Nationality,
    OtherNationality,
    Languages,
    PlaceOfOrigin,
    Phone,
}

impl Field {
    pub const ALL: [Self; 16] = [
        Self::Household,
        Self::Relationship,
        Self::Kind,
        Self::GivenName,
        Self::FamilyName,
        Self::OriginalName,
        Self::OriginalScript,
        Self::Sex,
        Self::DateOfBirth,
        Self::DobPrecision,
        Self::BirthYear,
        Self::Nationality,
        Self::OtherNationality,
        Self::Languages,
        Self::PlaceOfOrigin,
        Self::Phone,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Self::Household => "household",
            Self::Relationship => "relationship",
            Self::Kind => "kind",
            Self::GivenName => "given_name",
            Self::FamilyName => "family_name",
            Self::OriginalName => "original_name",
            Self::OriginalScript => "original_script",
            Self::Sex => "sex",
            Self::DateOfBirth => "date_of_birth",
            Self::DobPrecision => "dob_precision",
            Self::BirthYear => "birth_year",
            Self::Nationality => "nationality",
            Self::OtherNationality => "other_nationality",
            Self::Languages => "languages",
            Self::PlaceOfOrigin => "place_of_origin",
            Self::Phone => "phone",
        }
    }

    /// The field an HXL hashtag with attributes stands for, if any. Attribute order does
    /// not matter; the tag and attributes are compared in lower case.
    pub fn of_hxl(tag: &str) -> Option<Self> {
        let lower = tag.trim().to_ascii_lowercase();
        let mut parts = lower.split('+').map(str::trim);
        let hashtag = parts.next()?;
        let attrs: Vec<&str> = parts.collect();
        let has = |a: &str| attrs.contains(&a);
        Some(match hashtag {
            "#household" | "#hh" => Self::Household,
            "#group" if has("id") || has("code") => Self::Household,
            "#name" if has("first") || has("given") => Self::GivenName,
            "#name" if has("last") || has("family") || has("surname") => Self::FamilyName,
            "#name" if has("native") || has("original") => Self::OriginalName,
            "#name" => Self::GivenName,
            "#sex" | "#gender" => Self::Sex,
            "#date" if has("birth") || has("dob") => Self::DateOfBirth,
            "#date" if has("year") => Self::BirthYear,
            "#country" | "#nationality" if has("nationality") || hashtag == "#nationality" => {
                if has("other") || has("second") {
                    Self::OtherNationality
                } else {
                    Self::Nationality
                }
            }
            "#country" if has("origin") => Self::Nationality,
            "#language" => Self::Languages,
            "#loc" | "#adm1" | "#adm2" if has("origin") => Self::PlaceOfOrigin,
            "#contact" if has("phone") => Self::Phone,
            "#relationship" => Self::Relationship,
            _ => return None,
        })
    }

    fn of_header(name: &str) -> Option<Self> {
        let key: String = name
            .trim()
            .to_ascii_lowercase()
            .chars()
            .map(|c| if c.is_alphanumeric() { c } else { '_' })
            .collect();
        Self::ALL.into_iter().find(|f| f.code() == key)
    }
}

/// File column (by header) → field, as saved and shared.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Mapping {
    pub columns: BTreeMap<String, Field>,
}

/// A mapping resolved against a file's header: the column index of each field.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Columns {
    index: BTreeMap<Field, usize>,
    names: Vec<String>,
}

/// Why a mapping does not fit a file.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MappingError {
    #[error("the mapping names column '{0}', which the file does not have")]
    MissingColumn(String),
    #[error("columns '{0}' and '{1}' are both mapped to {2}")]
    Twice(String, String, &'static str),
    #[error("no column is mapped to {0}, which every row needs")]
    Required(&'static str),
}

/// Whether the second row of a file is HXL hashtags: every non-empty cell is one and at
/// least one is.
pub fn is_hxl_row(cells: &[Option<&str>]) -> bool {
    let mut any = false;
    for c in cells.iter().flatten() {
        if !c.starts_with('#') {
            return false;
        }
        any = true;
    }
    any
}

impl Columns {
    /// The column of each field in a file with `header` (and its HXL row, if it has one):
    /// by `mapping` when given, else by header names equal to field names and HXL tags.
    pub fn resolve(
        header: &[String],
        hxl: Option<&[String]>,
        mapping: Option<&Mapping>,
    ) -> Result<Self, MappingError> {
        let mut index: BTreeMap<Field, usize> = BTreeMap::new();
        let mut put = |field: Field, i: usize| -> Result<(), MappingError> {
            if let Some(&j) = index.get(&field)
                && j != i
            {
                return Err(MappingError::Twice(
                    header.get(j).cloned().unwrap_or_default(),
                    header.get(i).cloned().unwrap_or_default(),
                    field.code(),
                ));
            }
            index.insert(field, i);
            Ok(())
        };
        match mapping {
            Some(m) => {
                for (column, field) in &m.columns {
                    let i = header
                        .iter()
                        .position(|h| h.trim() == column.trim())
                        .or_else(|| {
                            hxl.and_then(|t| t.iter().position(|h| h.trim() == column.trim()))
                        })
                        .ok_or_else(|| MappingError::MissingColumn(column.clone()))?;
                    put(*field, i)?;
                }
            }
            None => {
                for (i, name) in header.iter().enumerate() {
                    let by_tag = hxl.and_then(|t| t.get(i)).and_then(|t| Field::of_hxl(t));
                    if let Some(f) = by_tag.or_else(|| Field::of_header(name)) {
                        put(f, i)?;
                    }
                }
            }
        }
        if !index.contains_key(&Field::Sex) {
            return Err(MappingError::Required("sex"));
        }
        Ok(Self {
            index,
            names: header.to_vec(),
        })
    }

    pub fn get(&self, field: Field) -> Option<usize> {
        self.index.get(&field).copied()
    }

    /// The header of the column holding `field` (its field name when unmapped).
    pub fn name_of(&self, field: Field) -> String {
        self.get(field)
            .map_or_else(|| field.code().to_owned(), |i| self.name_at(i))
    }

    /// The header of column `i`, or `column N` when its header is empty or unreadable.
    pub fn name_at(&self, i: usize) -> String {
        self.names
            .get(i)
            .map(|name| name.trim())
            .filter(|name| !name.is_empty())
            .map_or_else(|| format!("column {}", i + 1), str::to_owned)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn strings(v: &[&str]) -> Vec<String> {
        v.iter().map(|s| (*s).to_owned()).collect()
    }

    #[test]
    fn hxl_tags_map_whatever_the_attribute_order() {
        assert_eq!(Field::of_hxl("#name+first"), Some(Field::GivenName));
        assert_eq!(Field::of_hxl("#name +family"), Some(Field::FamilyName));
        assert_eq!(Field::of_hxl("#date+birth"), Some(Field::DateOfBirth));
        assert_eq!(
            Field::of_hxl("#Country+Code+Nationality"),
            Some(Field::Nationality)
        );
        assert_eq!(Field::of_hxl("#household+id"), Some(Field::Household));
        assert_eq!(Field::of_hxl("#affected+f+adult"), None);
        assert!(is_hxl_row(&[Some("#name"), None, Some("#sex")]));
        assert!(!is_hxl_row(&[Some("#name"), Some("Ali")]));
        assert!(!is_hxl_row(&[None]));
    }

    #[test]
    fn a_header_maps_by_field_names_and_a_mapping_by_columns() {
        let header = strings(&["Given name", "Sex", "HH"]);
        let auto = Columns::resolve(&header, None, None).unwrap();
        assert_eq!(auto.get(Field::GivenName), Some(0));
        assert_eq!(auto.get(Field::Household), None);
        let mapping: Mapping =
            serde_json::from_str(r#"{"columns": {"HH": "household", "Sex": "sex"}}"#).unwrap();
        let mapped = Columns::resolve(&header, None, Some(&mapping)).unwrap();
        assert_eq!(mapped.get(Field::Household), Some(2));
        let wrong: Mapping = serde_json::from_str(r#"{"columns": {"Gender": "sex"}}"#).unwrap();
        assert_eq!(
            Columns::resolve(&header, None, Some(&wrong)),
            Err(MappingError::MissingColumn("Gender".to_owned()))
        );
        assert_eq!(
            Columns::resolve(&strings(&["name"]), None, None),
            Err(MappingError::Required("sex"))
        );
    }
}
