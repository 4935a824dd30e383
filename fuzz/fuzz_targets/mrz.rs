//! The MRZ reader on any text a scanner or a clerk may give: it never panics, every check
//! digit it reports is the one ICAO's rule gives, and the document always agrees with a
//! declaration read off itself. Text after a `|` (never part of an MRZ) is a declared
//! family name and given name, compared with the document.
#![no_main]

use libfuzzer_sys::fuzz_target;
use passage_domain::mrz::{self, CheckField, Declared, MrzFormat};
use time::macros::date;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let mut parts = text.split('|');
    let zone = parts.next().unwrap_or_default();
    let declared_family = parts.next();
    let declared_given = parts.next();
    let Ok(read) = mrz::parse(zone, date!(2026 - 01 - 15)) else {
        return;
    };
    let expected_checks = match (read.format, read.document_code.starts_with('V')) {
        (MrzFormat::Td1, _) => 4,
        (_, true) => 3,
        (MrzFormat::Td2, false) => 4,
        (MrzFormat::Td3, false) => 5,
    };
    assert_eq!(read.checks.len(), expected_checks, "{read:?}");
    assert_eq!(
        read.checks.first().map(|c| c.field),
        Some(CheckField::DocumentNumber)
    );
    for check in &read.checks {
        assert!(check.expected.is_ascii_digit(), "{check:?}");
        assert!(check.found == '<' || check.found.is_ascii_alphanumeric());
        if check.found == check.expected {
            assert!(check.valid, "{check:?}");
        }
    }
    assert_eq!(read.is_valid(), read.failed_checks().is_empty());
    for name in [&read.primary_identifier, &read.secondary_identifier] {
        assert!(!name.starts_with(' ') && !name.ends_with(' ') && !name.contains("  "));
    }
    // What the document says of itself is never a mismatch.
    let sex = read.sex.letter();
    let own = Declared {
        family_name: Some(&read.primary_identifier),
        given_name: Some(&read.secondary_identifier),
        sex: Some(sex),
        birth_date: read.birth_date,
        nationality: Some(&read.nationality),
    };
    assert_eq!(mrz::compare(&read, &own), Vec::new(), "{read:?}");
    // A declaration in any script is compared without panicking, and only the names
    // it gives can disagree.
    let typed = Declared {
        family_name: declared_family,
        given_name: declared_given,
        ..Declared::default()
    };
    assert!(mrz::compare(&read, &typed).len() <= 2);
});
