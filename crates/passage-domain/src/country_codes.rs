//! ISO 3166-1 alpha-3 country codes, and the ICAO 9303 nationality codes that are not countries.
//!
//! [`ALPHA3`] is the list of officially assigned alpha-3 codes maintained by the ISO 3166
//! Maintenance Agency (249 codes, as published in 2024; checked against the Debian
//! `iso-codes` 4.15 data). Exceptionally reserved, transitionally reserved and user-assigned
//! codes are not in it: in particular `XKX` (used for Kosovo by the EU and others) is
//! user-assigned and is not an ISO country code.
//!
//! [`ICAO_SPECIAL`] lists the codes that ICAO Doc 9303 (Part 3) defines for the nationality
//! and issuing-state fields of travel documents when the holder has no nationality to state.

/// Every officially assigned ISO 3166-1 alpha-3 code, upper case, sorted ascending.
///
/// Source: ISO 3166 Maintenance Agency, state of 2024 (249 codes). The trailing comments give
/// the ISO English short name and are for the reader only.
pub const ALPHA3: &[&str] = &[
    "ABW", // Aruba
    "AFG", // Afghanistan
    "AGO", // Angola
    "AIA", // Anguilla
    "ALA", // Åland Islands
    "ALB", // Albania
    "AND", // Andorra
    "ARE", // United Arab Emirates
    "ARG", // Argentina
    "ARM", // Armenia
    "ASM", // American Samoa
    "ATA", // Antarctica
    "ATF", // French Southern Territories
    "ATG", // Antigua and Barbuda
    "AUS", // Australia
    "AUT", // Austria
    "AZE", // Azerbaijan
    "BDI", // Burundi
    "BEL", // Belgium
    "BEN", // Benin
    "BES", // Bonaire, Sint Eustatius and Saba
    "BFA", // Burkina Faso
    "BGD", // Bangladesh
    "BGR", // Bulgaria
    "BHR", // Bahrain
    "BHS", // Bahamas
    "BIH", // Bosnia and Herzegovina
    "BLM", // Saint Barthélemy
    "BLR", // Belarus
    "BLZ", // Belize
    "BMU", // Bermuda
    "BOL", // Bolivia, Plurinational State of
    "BRA", // Brazil
    "BRB", // Barbados
    "BRN", // Brunei Darussalam
    "BTN", // Bhutan
    "BVT", // Bouvet Island
    "BWA", // Botswana
    "CAF", // Central African Republic
    "CAN", // Canada
    "CCK", // Cocos (Keeling) Islands
    "CHE", // Switzerland
    "CHL", // Chile
    "CHN", // China
    "CIV", // Côte d'Ivoire
    "CMR", // Cameroon
    "COD", // Congo, The Democratic Republic of the
    "COG", // Congo
    "COK", // Cook Islands
    "COL", // Colombia
    "COM", // Comoros
    "CPV", // Cabo Verde
    "CRI", // Costa Rica
    "CUB", // Cuba
    "CUW", // Curaçao
    "CXR", // Christmas Island
    "CYM", // Cayman Islands
    "CYP", // Cyprus
    "CZE", // Czechia
    "DEU", // Germany
    "DJI", // Djibouti
    "DMA", // Dominica
    "DNK", // Denmark
    "DOM", // Dominican Republic
    "DZA", // Algeria
    "ECU", // Ecuador
    "EGY", // Egypt
    "ERI", // Eritrea
    "ESH", // Western Sahara
    "ESP", // Spain
    "EST", // Estonia
    "ETH", // Ethiopia
    "FIN", // Finland
    "FJI", // Fiji
    "FLK", // Falkland Islands (Malvinas)
    "FRA", // France
    "FRO", // Faroe Islands
    "FSM", // Micronesia, Federated States of
    "GAB", // Gabon
    "GBR", // United Kingdom
    "GEO", // Georgia
    "GGY", // Guernsey
    "GHA", // Ghana
    "GIB", // Gibraltar
    "GIN", // Guinea
    "GLP", // Guadeloupe
    "GMB", // Gambia
    "GNB", // Guinea-Bissau
    "GNQ", // Equatorial Guinea
    "GRC", // Greece
    "GRD", // Grenada
    "GRL", // Greenland
    "GTM", // Guatemala
    "GUF", // French Guiana
    "GUM", // Guam
    "GUY", // Guyana
    "HKG", // Hong Kong
    "HMD", // Heard Island and McDonald Islands
    "HND", // Honduras
    "HRV", // Croatia
    "HTI", // Haiti
    "HUN", // Hungary
    "IDN", // Indonesia
    "IMN", // Isle of Man
    "IND", // India
    "IOT", // British Indian Ocean Territory
    "IRL", // Ireland
    "IRN", // Iran, Islamic Republic of
    "IRQ", // Iraq
    "ISL", // Iceland
    "ISR", // Israel
    "ITA", // Italy
    "JAM", // Jamaica
    "JEY", // Jersey
    "JOR", // Jordan
    "JPN", // Japan
    "KAZ", // Kazakhstan
    "KEN", // Kenya
    "KGZ", // Kyrgyzstan
    "KHM", // Cambodia
    "KIR", // Kiribati
    "KNA", // Saint Kitts and Nevis
    "KOR", // Korea, Republic of
    "KWT", // Kuwait
    "LAO", // Lao People's Democratic Republic
    "LBN", // Lebanon
    "LBR", // Liberia
    "LBY", // Libya
    "LCA", // Saint Lucia
    "LIE", // Liechtenstein
    "LKA", // Sri Lanka
    "LSO", // Lesotho
    "LTU", // Lithuania
    "LUX", // Luxembourg
    "LVA", // Latvia
    "MAC", // Macao
    "MAF", // Saint Martin (French part)
    "MAR", // Morocco
    "MCO", // Monaco
    "MDA", // Moldova, Republic of
    "MDG", // Madagascar
    "MDV", // Maldives
    "MEX", // Mexico
    "MHL", // Marshall Islands
    "MKD", // North Macedonia
    "MLI", // Mali
    "MLT", // Malta
    "MMR", // Myanmar
    "MNE", // Montenegro
    "MNG", // Mongolia
    "MNP", // Northern Mariana Islands
    "MOZ", // Mozambique
    "MRT", // Mauritania
    "MSR", // Montserrat
    "MTQ", // Martinique
    "MUS", // Mauritius
    "MWI", // Malawi
    "MYS", // Malaysia
    "MYT", // Mayotte
    "NAM", // Namibia
    "NCL", // New Caledonia
    "NER", // Niger
    "NFK", // Norfolk Island
    "NGA", // Nigeria
    "NIC", // Nicaragua
    "NIU", // Niue
    "NLD", // Netherlands
    "NOR", // Norway
    "NPL", // Nepal
    "NRU", // Nauru
    "NZL", // New Zealand
    "OMN", // Oman
    "PAK", // Pakistan
    "PAN", // Panama
    "PCN", // Pitcairn
    "PER", // Peru
    "PHL", // Philippines
    "PLW", // Palau
    "PNG", // Papua New Guinea
    "POL", // Poland
    "PRI", // Puerto Rico
    "PRK", // Korea, Democratic People's Republic of
    "PRT", // Portugal
    "PRY", // Paraguay
    "PSE", // Palestine, State of
    "PYF", // French Polynesia
    "QAT", // Qatar
    "REU", // Réunion
    "ROU", // Romania
    "RUS", // Russian Federation
    "RWA", // Rwanda
    "SAU", // Saudi Arabia
    "SDN", // Sudan
    "SEN", // Senegal
    "SGP", // Singapore
    "SGS", // South Georgia and the South Sandwich Islands
    "SHN", // Saint Helena, Ascension and Tristan da Cunha
    "SJM", // Svalbard and Jan Mayen
    "SLB", // Solomon Islands
    "SLE", // Sierra Leone
    "SLV", // El Salvador
    "SMR", // San Marino
    "SOM", // Somalia
    "SPM", // Saint Pierre and Miquelon
    "SRB", // Serbia
    "SSD", // South Sudan
    "STP", // Sao Tome and Principe
    "SUR", // Suriname
    "SVK", // Slovakia
    "SVN", // Slovenia
    "SWE", // Sweden
    "SWZ", // Eswatini
    "SXM", // Sint Maarten (Dutch part)
    "SYC", // Seychelles
    "SYR", // Syrian Arab Republic
    "TCA", // Turks and Caicos Islands
    "TCD", // Chad
    "TGO", // Togo
    "THA", // Thailand
    "TJK", // Tajikistan
    "TKL", // Tokelau
    "TKM", // Turkmenistan
    "TLS", // Timor-Leste
    "TON", // Tonga
    "TTO", // Trinidad and Tobago
    "TUN", // Tunisia
    "TUR", // Türkiye
    "TUV", // Tuvalu
    "TWN", // Taiwan, Province of China
    "TZA", // Tanzania, United Republic of
    "UGA", // Uganda
    "UKR", // Ukraine
    "UMI", // United States Minor Outlying Islands
    "URY", // Uruguay
    "USA", // United States
    "UZB", // Uzbekistan
    "VAT", // Holy See (Vatican City State)
    "VCT", // Saint Vincent and the Grenadines
    "VEN", // Venezuela, Bolivarian Republic of
    "VGB", // Virgin Islands, British
    "VIR", // Virgin Islands, U.S.
    "VNM", // Viet Nam
    "VUT", // Vanuatu
    "WLF", // Wallis and Futuna
    "WSM", // Samoa
    "YEM", // Yemen
    "ZAF", // South Africa
    "ZMB", // Zambia
    "ZWE", // Zimbabwe
];

/// Whether `code` is an officially assigned ISO 3166-1 alpha-3 code.
///
/// Exact match: `code` must already be upper case and trimmed.
pub fn is_assigned(code: &str) -> bool {
    ALPHA3.binary_search(&code).is_ok()
}

/// Codes that ICAO Doc 9303 (Part 3, in its table of nationality codes) reserves for travel documents of people without a nationality to state.
/// None of them is an ISO 3166-1 code. Sorted by code.
///
/// Only these four are listed. ICAO also defines codes for organisations (`UNO`, `UNA`, `UNK`,
/// `EUE`, `XOM`, `XPO`, ...), and German documents print `D` (not `DEU`) in the machine-readable
/// zone; those are handled where MRZs are read, not here.
pub const ICAO_SPECIAL: &[(&str, &str)] = &[
    // 1954 Convention relating to the Status of Stateless Persons, Article 1.
    ("XXA", "stateless person"),
    // 1951 Convention relating to the Status of Refugees, Article 1 (with the 1967 Protocol).
    ("XXB", "refugee (1951 Convention)"),
    // Refugee other than under XXB.
    ("XXC", "refugee (other)"),
    ("XXX", "person of unspecified nationality"),
];

/// What an ICAO 9303 special nationality code stands for, or `None` if `code` is not one.
pub fn icao_special(code: &str) -> Option<&'static str> {
    ICAO_SPECIAL
        .iter()
        .find(|(c, _)| *c == code)
        .map(|(_, meaning)| *meaning)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn country_list_is_sorted_and_unique() {
        assert!(ALPHA3.windows(2).all(|w| w[0] < w[1]));
    }

    #[test]
    fn country_list_has_249_codes_of_three_upper_case_letters() {
        assert_eq!(ALPHA3.len(), 249);
        assert!(
            ALPHA3
                .iter()
                .all(|c| c.len() == 3 && c.bytes().all(|b| b.is_ascii_uppercase()))
        );
    }

    #[test]
    fn country_list_contains_expected_codes() {
        for code in [
            "AFG", "MMR", "BGD", "IDN", "SYR", "ERI", "SOM", "VNM", "SSD", "MYS", "ALA", "ZWE",
            "CUW", "SXM", "BES", "BLM", "MAF", "PSE",
        ] {
            assert!(is_assigned(code), "{code} should be assigned");
        }
    }

    #[test]
    fn country_list_excludes_non_iso_codes() {
        for code in [
            "XKX", "XXA", "XXB", "XXC", "XXX", "UTO", "D", "afg", "", "AFGH",
        ] {
            assert!(!is_assigned(code), "{code} should not be assigned");
        }
    }

    #[test]
    fn icao_special_codes() {
        assert!(ICAO_SPECIAL.windows(2).all(|w| w[0].0 < w[1].0));
        assert_eq!(icao_special("XXA"), Some("stateless person"));
        assert_eq!(icao_special("XXB"), Some("refugee (1951 Convention)"));
        assert_eq!(icao_special("XXC"), Some("refugee (other)"));
        assert_eq!(
            icao_special("XXX"),
            Some("person of unspecified nationality")
        );
        assert_eq!(icao_special("AFG"), None);
        assert_eq!(icao_special("D"), None);
        assert!(ICAO_SPECIAL.iter().all(|(c, _)| !is_assigned(c)));
    }
}
