//! Reading: layouts, check digits, long document numbers, errors that say where.

use super::*;

#[test]
fn check_digit_follows_icao() {
    assert_eq!(check_digit("L898902C3"), Some('6'));
    assert_eq!(check_digit("740812"), Some('2'));
    assert_eq!(check_digit("120415"), Some('9'));
    assert_eq!(check_digit("ZE184226B<<<<<"), Some('1'));
    assert_eq!(check_digit("D23145890734"), Some('9'));
    assert_eq!(check_digit("<<<<<<"), Some('0'));
    assert_eq!(check_digit(""), Some('0'));
    assert_eq!(check_digit("l898902C3"), None);
    assert_eq!(check_digit("AB C"), None);
    assert_eq!(check_digit("É"), None);
}

#[test]
fn td3_specimen_reads_and_verifies() {
    let mrz = read(&TD3);
    assert_eq!(mrz.format, MrzFormat::Td3);
    assert_eq!(mrz.document_code, "P");
    assert_eq!(mrz.issuing_state, "UTO");
    assert_eq!(mrz.document_number, "L898902C3");
    assert_eq!(mrz.primary_identifier, "ERIKSSON");
    assert_eq!(mrz.secondary_identifier, "ANNA MARIA");
    assert!(!mrz.name_truncated);
    assert_eq!(mrz.nationality, "UTO");
    assert_eq!(mrz.birth_date, Some(date!(1974 - 08 - 12)));
    assert_eq!(mrz.sex, MrzSex::Female);
    assert_eq!(mrz.expiry_date, Some(date!(2012 - 04 - 15)));
    assert_eq!(mrz.optional_data, "ZE184226B");
    assert_eq!(mrz.optional_data_2, "");
    assert_eq!(
        all_fields(&mrz.checks),
        [
            CheckField::DocumentNumber,
            CheckField::BirthDate,
            CheckField::ExpiryDate,
            CheckField::OptionalData,
            CheckField::Composite
        ]
    );
    assert!(mrz.is_valid());
    assert!(mrz.failed_checks().is_empty());
    let found: String = mrz.checks.iter().map(|check| check.found).collect();
    let expected: String = mrz.checks.iter().map(|check| check.expected).collect();
    assert_eq!((found.as_str(), expected.as_str()), ("62910", "62910"));
}

#[test]
fn td1_specimen_reads_and_verifies() {
    let mrz = read(&TD1);
    assert_eq!(mrz.format, MrzFormat::Td1);
    assert_eq!(mrz.document_code, "I");
    assert_eq!(mrz.issuing_state, "UTO");
    assert_eq!(mrz.document_number, "D23145890");
    assert_eq!(mrz.primary_identifier, "ERIKSSON");
    assert_eq!(mrz.secondary_identifier, "ANNA MARIA");
    assert_eq!(mrz.nationality, "UTO");
    assert_eq!(mrz.birth_date, Some(date!(1974 - 08 - 12)));
    assert_eq!(mrz.sex, MrzSex::Female);
    assert_eq!(mrz.expiry_date, Some(date!(2012 - 04 - 15)));
    assert_eq!(
        (mrz.optional_data.as_str(), mrz.optional_data_2.as_str()),
        ("", "")
    );
    assert_eq!(
        all_fields(&mrz.checks),
        [
            CheckField::DocumentNumber,
            CheckField::BirthDate,
            CheckField::ExpiryDate,
            CheckField::Composite
        ]
    );
    assert!(mrz.is_valid(), "{:?}", mrz.checks);
}

#[test]
fn td2_specimen_reads_and_verifies() {
    let mrz = read(&TD2);
    assert_eq!(mrz.format, MrzFormat::Td2);
    assert_eq!(mrz.document_code, "I");
    assert_eq!(mrz.document_number, "D23145890");
    assert_eq!(mrz.primary_identifier, "ERIKSSON");
    assert_eq!(mrz.secondary_identifier, "ANNA MARIA");
    assert_eq!(mrz.nationality, "UTO");
    assert_eq!(mrz.birth_date, Some(date!(1974 - 08 - 12)));
    assert_eq!(mrz.expiry_date, Some(date!(2012 - 04 - 15)));
    assert_eq!(mrz.optional_data, "");
    assert_eq!(
        all_fields(&mrz.checks),
        [
            CheckField::DocumentNumber,
            CheckField::BirthDate,
            CheckField::ExpiryDate,
            CheckField::Composite
        ]
    );
    assert!(mrz.is_valid(), "{:?}", mrz.checks);
}

#[test]
fn visa_has_no_composite_check() {
    let mrz = read(&MRV_A);
    assert_eq!(mrz.format, MrzFormat::Td3);
    assert_eq!(mrz.document_code, "V");
    assert_eq!(mrz.document_number, "L8988901C");
    assert_eq!(mrz.nationality, "XXX");
    assert_eq!(mrz.birth_date, Some(date!(1940 - 09 - 07)));
    assert_eq!(mrz.expiry_date, Some(date!(1996 - 12 - 10)));
    assert_eq!(mrz.optional_data, "6ZE184226B");
    assert_eq!(
        all_fields(&mrz.checks),
        [
            CheckField::DocumentNumber,
            CheckField::BirthDate,
            CheckField::ExpiryDate
        ]
    );
    assert!(mrz.is_valid(), "{:?}", mrz.checks);
}

/// Alters one character per case and expects exactly the listed failed checks.
fn assert_alterations(lines: &[&str], cases: &[(usize, usize, char, &[CheckField])]) {
    for &(line, column, c, expected) in cases {
        let mrz = read(&altered(lines, line, column, c));
        assert_eq!(
            mrz.failed_checks(),
            expected,
            "line {line} column {column} -> {c}"
        );
        assert_eq!(mrz.is_valid(), expected.is_empty());
    }
}

#[test]
fn td3_alterations_fail_the_right_checks() {
    use CheckField::*;
    assert_alterations(
        &TD3,
        &[
            (2, 3, '0', &[DocumentNumber, Composite]),
            (2, 10, '5', &[DocumentNumber, Composite]),
            (2, 15, '5', &[BirthDate, Composite]),
            (2, 20, '3', &[BirthDate, Composite]),
            (2, 24, '1', &[ExpiryDate, Composite]),
            (2, 28, '8', &[ExpiryDate, Composite]),
            (2, 30, 'F', &[OptionalData, Composite]),
            (2, 43, '2', &[OptionalData, Composite]),
            (2, 44, '1', &[Composite]),
            // Nationality, sex and names are not protected by any check digit.
            (2, 12, 'X', &[]),
            (2, 21, 'M', &[]),
            (1, 7, 'X', &[]),
        ],
    );
}

#[test]
fn td1_alterations_fail_the_right_checks() {
    use CheckField::*;
    assert_alterations(
        &TD1,
        &[
            (1, 7, '3', &[DocumentNumber, Composite]),
            (1, 15, '8', &[DocumentNumber, Composite]),
            (1, 20, 'B', &[Composite]),
            (2, 2, '5', &[BirthDate, Composite]),
            (2, 7, '3', &[BirthDate, Composite]),
            (2, 10, '3', &[ExpiryDate, Composite]),
            (2, 15, '8', &[ExpiryDate, Composite]),
            (2, 20, 'B', &[Composite]),
            (2, 30, '7', &[Composite]),
            (2, 17, 'X', &[]),
            (3, 2, 'X', &[]),
        ],
    );
}

#[test]
fn td2_alterations_fail_the_right_checks() {
    use CheckField::*;
    assert_alterations(
        &TD2,
        &[
            (2, 2, '3', &[DocumentNumber, Composite]),
            (2, 15, '5', &[BirthDate, Composite]),
            (2, 23, '3', &[ExpiryDate, Composite]),
            (2, 30, 'B', &[Composite]),
            (2, 36, '7', &[Composite]),
            (2, 12, 'X', &[]),
        ],
    );
}

#[test]
fn failed_check_reports_field_and_digits() {
    let mrz = read(&altered(&TD3, 2, 3, '0'));
    let check = &mrz.checks[0];
    assert_eq!(check.field, CheckField::DocumentNumber);
    assert_eq!(check.found, '6');
    assert_eq!(check.expected, cd("L808902C3"));
    assert!(!check.valid);
    assert_eq!(CheckField::DocumentNumber.to_string(), "document number");
}

#[test]
fn filler_check_digit_is_valid_only_over_fillers() {
    // Personal number all fillers, check digit '<' instead of '0': valid.
    let data = format!("L898902C36UTO7408122F1204159{}", "<".repeat(15));
    let composite = cd(&[&data[0..10], &data[13..20], &data[21..43]].concat());
    let personal = [TD3[0].to_owned(), format!("{data}{composite}")];
    let mrz = read(&personal);
    assert_eq!(mrz.optional_data, "");
    assert_eq!((mrz.checks[3].found, mrz.checks[3].expected), ('<', '0'));
    assert!(mrz.is_valid(), "{:?}", mrz.checks);

    // A '<' check digit over real data is a failure.
    let mrz = read(&altered(&TD3, 2, 10, '<'));
    assert_eq!(mrz.failed_checks()[0], CheckField::DocumentNumber);
}

#[test]
fn td1_long_document_number_is_reconstructed() {
    let mrz = read(&TD1_LONG);
    assert_eq!(mrz.document_number, "D23145890734");
    assert_eq!(mrz.optional_data, "");
    assert_eq!((mrz.checks[0].found, mrz.checks[0].expected), ('9', '9'));
    assert_eq!(mrz.primary_identifier, "STEVENSON");
    assert_eq!(mrz.secondary_identifier, "PETER JOHN");
    assert_eq!(mrz.sex, MrzSex::Male);
    assert_eq!(mrz.birth_date, Some(date!(1934 - 07 - 12)));
    assert_eq!(mrz.expiry_date, Some(date!(1995 - 07 - 12)));
    assert!(mrz.is_valid(), "{:?}", mrz.checks);

    // A misread overflow character fails the document number check.
    let failed = read(&altered(&TD1_LONG, 1, 17, '4')).failed_checks();
    assert_eq!(failed, [CheckField::DocumentNumber, CheckField::Composite]);

    // Optional data after the overflow is kept apart from the number.
    let line1 = "I<UTOD23145890<7349<AB<<<<<<<<";
    let head = "3407127M9507122UTO<<<<<<<<<<<";
    let composite = cd(&[&line1[5..30], &head[0..7], &head[8..15], &head[18..29]].concat());
    let line2 = format!("{head}{composite}");
    let mrz = read(&[line1, line2.as_str(), TD1_LONG[2]]);
    assert_eq!(mrz.document_number, "D23145890734");
    assert_eq!(mrz.optional_data, "AB");
    assert!(mrz.is_valid(), "{:?}", mrz.checks);
}

#[test]
fn td2_long_document_number_is_reconstructed() {
    let mrz = read(&TD2_LONG);
    assert_eq!(mrz.document_number, "D23145890734");
    assert_eq!(mrz.optional_data, "");
    assert!(mrz.is_valid(), "{:?}", mrz.checks);
}

#[test]
fn wrong_line_lengths_say_what_was_expected() {
    let short = &TD3[1][..43];
    let err = error(&[TD3[0], short]);
    assert_eq!(
        err.to_string(),
        "line 2 has 43 characters; a TD3 passport line has 44"
    );

    let err = error(&[TD1[0], TD1[1], &TD1[2][..29]]);
    assert_eq!(
        err.to_string(),
        "line 3 has 29 characters; a TD1 ID card line has 30"
    );

    let err = error(&[TD2[0], TD3[1]]);
    assert_eq!(
        err.to_string(),
        "line 2 has 44 characters; a TD2 document line has 36"
    );

    let err = error(&[&TD3[0][..40], &TD3[1][..40]]);
    assert_eq!(
        err,
        MrzError::UnknownLength {
            first: 40,
            second: 40
        }
    );
    assert!(err.to_string().contains("36 (TD2) or 44 (TD3 passport)"));

    assert_eq!(error(&[TD3[0]]), MrzError::LineCount { found: 1 });
    assert_eq!(
        error(&[TD1[0], TD1[1], TD1[2], TD1[2]]),
        MrzError::LineCount { found: 4 }
    );
    assert_eq!(parse("", TODAY).unwrap_err(), MrzError::Empty);
    assert_eq!(parse(" \r\n\n\t", TODAY).unwrap_err(), MrzError::Empty);
}

#[test]
fn bad_characters_name_line_and_column() {
    let err = error(&altered(&TD3, 1, 12, 'é'));
    assert_eq!(
        err.to_string(),
        "line 1, column 12: character 'é' is not allowed in an MRZ (only A-Z, 0-9 and '<')"
    );

    let err = error(&altered(&TD3, 2, 5, ' '));
    assert_eq!(err, MrzError::Whitespace { line: 2, column: 5 });
    assert!(
        err.to_string()
            .starts_with("line 2, column 5: spaces are not allowed")
    );

    let err = error(&altered(&TD1, 3, 30, '-'));
    assert_eq!(
        err,
        MrzError::InvalidCharacter {
            line: 3,
            column: 30,
            character: '-'
        }
    );

    // Columns count from the first MRZ character, lines skip blank lines.
    let text = format!(
        "\n\n  {}\r\n\r\n   {}  \n",
        TD3[0],
        TD3[1].replace('Z', "?")
    );
    let err = parse(&text, TODAY).unwrap_err();
    assert_eq!(
        err,
        MrzError::InvalidCharacter {
            line: 2,
            column: 29,
            character: '?'
        }
    );
}

#[test]
fn lenient_input_is_accepted() {
    let text = format!(
        "\r\n  {}  \r\n\r\n\t{}\r\n",
        TD3[0].to_lowercase(),
        TD3[1].to_lowercase()
    );
    assert_eq!(parse(&text, TODAY).unwrap(), read(&TD3));
}

#[test]
fn impossible_or_unknown_dates_are_none_but_still_checked() {
    for birth in ["741312", "740231", "7408<<", "<<<<<<", "740800"] {
        let mrz = parse(&passport("A<<B", birth, 'F', "120415", "UTO"), TODAY).unwrap();
        assert_eq!(mrz.birth_date, None, "{birth}");
        assert_eq!(mrz.checks[1].expected, cd(birth));
        assert!(mrz.is_valid(), "{birth}: {:?}", mrz.checks);
    }
    let mrz = parse(&passport("A<<B", "740812", 'F', "120431", "UTO"), TODAY).unwrap();
    assert_eq!(mrz.expiry_date, None);
    assert!(mrz.is_valid());
    // The check digit is computed over the raw characters, so a misprint still fails.
    let mrz = read(&altered(&TD3, 2, 16, '9'));
    assert_eq!(mrz.birth_date, None);
    assert_eq!(
        mrz.failed_checks(),
        [CheckField::BirthDate, CheckField::Composite]
    );
}

#[test]
fn century_is_resolved_against_today() {
    assert_eq!(birth_date("240531", TODAY), Some(date!(2024 - 05 - 31)));
    assert_eq!(birth_date("240601", TODAY), Some(date!(2024 - 06 - 01)));
    assert_eq!(birth_date("240602", TODAY), Some(date!(1924 - 06 - 02)));
    assert_eq!(birth_date("000229", TODAY), Some(date!(2000 - 02 - 29)));
    assert_eq!(birth_date("991231", TODAY), Some(date!(1999 - 12 - 31)));
    assert_eq!(expiry_date("740601", TODAY), Some(date!(2074 - 06 - 01)));
    assert_eq!(expiry_date("740602", TODAY), Some(date!(1974 - 06 - 02)));
    assert_eq!(expiry_date("300101", TODAY), Some(date!(2030 - 01 - 01)));
    assert_eq!(expiry_date("991231", TODAY), Some(date!(1999 - 12 - 31)));
    let later = date!(2060 - 01 - 01);
    assert_eq!(birth_date("450101", later), Some(date!(2045 - 01 - 01)));
    assert_eq!(expiry_date("991231", later), Some(date!(2099 - 12 - 31)));
    let mrz = parse(&passport("A<<B", "240602", 'F', "340602", "UTO"), TODAY).unwrap();
    assert_eq!(mrz.birth_date, Some(date!(1924 - 06 - 02)));
    assert_eq!(mrz.expiry_date, Some(date!(2034 - 06 - 02)));
}

#[test]
fn padded_codes_and_sex_are_read() {
    let mrz = parse(&passport("A<<B", "740812", '<', "120415", "D"), TODAY).unwrap();
    assert_eq!(mrz.nationality, "D");
    assert_eq!(mrz.sex, MrzSex::Unspecified);
    let mrz = parse(&passport("A<<B", "740812", 'X', "120415", "XXA"), TODAY).unwrap();
    assert_eq!(mrz.nationality, "XXA");
    assert_eq!(mrz.sex, MrzSex::Unspecified);
    let line1 = TD3[0].replacen("UTO", "D<<", 1);
    assert_eq!(read(&[line1.as_str(), TD3[1]]).issuing_state, "D");
}

#[test]
fn helper_builds_the_specimen() {
    assert_eq!(
        passport("ERIKSSON<<ANNA<MARIA", "740812", 'F', "120415", "UTO"),
        TD3.join("\n")
    );
}

#[test]
fn serializes_to_readable_json() {
    let json = serde_json::to_value(read(&TD3)).unwrap();
    assert_eq!(json["format"], "td3");
    assert_eq!(json["sex"], "female");
    assert_eq!(json["birth_date"], "1974-08-12");
    assert_eq!(json["expiry_date"], "2012-04-15");
    assert_eq!(json["checks"][0]["field"], "document_number");
    assert_eq!(json["checks"][0]["expected"], "6");
    let unknown = parse(&passport("A<<B", "7408<<", 'F', "120415", "UTO"), TODAY).unwrap();
    assert!(serde_json::to_value(unknown).unwrap()["birth_date"].is_null());
}
