//! Comparison of what the zone says with what was declared, and properties of both.

use super::*;

fn eriksson() -> Declared<'static> {
    Declared {
        family_name: Some("Eriksson"),
        given_name: Some("Anna Maria"),
        sex: Some('F'),
        birth_date: Some(date!(1974 - 08 - 12)),
        nationality: Some("uto"),
    }
}

fn mismatched_fields(mrz: &Mrz, declared: &Declared<'_>) -> Vec<MismatchField> {
    compare(mrz, declared)
        .into_iter()
        .map(|m| m.field)
        .collect()
}

#[test]
fn compare_accepts_a_matching_declaration() {
    let mrz = read(&TD3);
    assert!(compare(&mrz, &eriksson()).is_empty());
    assert!(compare(&read(&TD1), &eriksson()).is_empty());
    assert!(compare(&mrz, &Declared::default()).is_empty());
}

#[test]
fn compare_reports_each_field() {
    let mrz = read(&TD3);
    let cases: [(Declared<'_>, MismatchField, &str, &str); 5] = [
        (
            Declared {
                family_name: Some("Eriksen"),
                ..eriksson()
            },
            MismatchField::FamilyName,
            "Eriksen",
            "ERIKSSON",
        ),
        (
            Declared {
                given_name: Some("Anna Lena"),
                ..eriksson()
            },
            MismatchField::GivenName,
            "Anna Lena",
            "ANNA MARIA",
        ),
        (
            Declared {
                sex: Some('M'),
                ..eriksson()
            },
            MismatchField::Sex,
            "M",
            "F",
        ),
        (
            Declared {
                birth_date: Some(date!(1974 - 08 - 21)),
                ..eriksson()
            },
            MismatchField::BirthDate,
            "1974-08-21",
            "1974-08-12",
        ),
        (
            Declared {
                nationality: Some("SWE"),
                ..eriksson()
            },
            MismatchField::Nationality,
            "SWE",
            "UTO",
        ),
    ];
    for (declared, field, said, printed) in cases {
        let found = compare(&mrz, &declared);
        assert_eq!(
            found,
            [Mismatch {
                field,
                declared: said.to_owned(),
                document: printed.to_owned()
            }]
        );
    }
    let everything = Declared {
        family_name: Some("Smith"),
        given_name: Some("John"),
        sex: Some('M'),
        birth_date: Some(date!(1980 - 01 - 01)),
        nationality: Some("GBR"),
    };
    assert_eq!(
        mismatched_fields(&mrz, &everything),
        [
            MismatchField::FamilyName,
            MismatchField::GivenName,
            MismatchField::Sex,
            MismatchField::BirthDate,
            MismatchField::Nationality
        ]
    );
}

#[test]
fn compare_accepts_icao_transliteration() {
    let cases = [
        ("MUELLER<<JUERGEN", "Müller", "Jürgen"),
        ("MULLER<<JURGEN", "Müller", "Jürgen"),
        ("MUELLER<<JUERGEN", "Mu\u{308}ller", "JÜRGEN"),
        ("STRASSE<<GRETE", "Straße", "Grete"),
        ("NUNEZ<<JOSE<MARIA", "Núñez", "José-María"),
        ("DARTAGNAN<<CHARLES", "d'Artagnan", "Charles"),
        ("OEDEGAARD<<SOEREN", "Ødegård", "Søren"),
        ("ODEGARD<<SOREN", "Ødegård", "Søren"),
        ("GARCON<<FRANCOIS", "Garçon", "François"),
        ("LOPEZ<GARCIA<<ANA", "López García", "Ana"),
        ("WALESA<<LECH", "Wałęsa", "Lech"),
        ("OZTURK<<SEYMA", "Öztürk", "Şeyma"),
    ];
    for (names, family, given) in cases {
        let declared = Declared {
            family_name: Some(family),
            given_name: Some(given),
            ..Declared::default()
        };
        assert_eq!(compare(&named(names), &declared), [], "{names}");
    }
    // Transliteration does not make different names equal.
    let declared = Declared {
        family_name: Some("Muller"),
        ..Declared::default()
    };
    assert_eq!(
        mismatched_fields(&named("MUELLER<<J"), &declared),
        [MismatchField::FamilyName]
    );
    let declared = Declared {
        family_name: Some("Müller"),
        ..Declared::default()
    };
    assert_eq!(
        mismatched_fields(&named("MILLER<<J"), &declared),
        [MismatchField::FamilyName]
    );
    let declared = Declared {
        family_name: Some("Ахмед"),
        ..Declared::default()
    };
    assert_eq!(
        mismatched_fields(&named("AKHMED<<A"), &declared),
        [MismatchField::FamilyName]
    );
}

#[test]
fn compare_accepts_truncated_names() {
    let mrz = named("NILAVADHANANANDA<<CHAYAPA<DEJTHAMRONG<KRASUANG");
    assert!(mrz.name_truncated);
    assert_eq!(mrz.secondary_identifier, "CHAYAPA DEJTHAMRONG K");
    let declared = Declared {
        family_name: Some("Nilavadhanananda"),
        given_name: Some("Chayapa Dejthamrong Krasuang"),
        ..Declared::default()
    };
    assert_eq!(compare(&mrz, &declared), []);
    let wrong = Declared {
        given_name: Some("Chayapa Somchai"),
        ..declared
    };
    assert_eq!(mismatched_fields(&mrz, &wrong), [MismatchField::GivenName]);

    // Secondary names cut to initials.
    let mrz = named("HERNANDEZ<RODRIGUEZ<GARCIA<<M<J<ANTONIO");
    assert!(mrz.name_truncated);
    let declared = Declared {
        family_name: Some("Hernández Rodríguez García"),
        given_name: Some("María José Antonio"),
        ..Declared::default()
    };
    assert_eq!(compare(&mrz, &declared), []);

    // Without a full name field, a shorter MRZ name is a real difference.
    let declared = Declared {
        given_name: Some("Anna Maria Louise"),
        ..Declared::default()
    };
    assert_eq!(
        mismatched_fields(&read(&TD3), &declared),
        [MismatchField::GivenName]
    );
}

#[test]
fn compare_sex_nationality_and_dates() {
    let unspecified = parse(&passport("A<<B", "7408<<", 'X', "120415", "XXA"), TODAY).unwrap();
    for (sex, fine) in [
        ('X', true),
        ('U', true),
        ('<', true),
        ('F', false),
        ('M', false),
    ] {
        let declared = Declared {
            sex: Some(sex),
            ..Declared::default()
        };
        assert_eq!(compare(&unspecified, &declared).is_empty(), fine, "{sex}");
    }
    let female = read(&TD3);
    let declared = Declared {
        sex: Some('f'),
        ..Declared::default()
    };
    assert!(compare(&female, &declared).is_empty());
    let declared = Declared {
        sex: Some('X'),
        ..Declared::default()
    };
    assert_eq!(mismatched_fields(&female, &declared), [MismatchField::Sex]);

    // Stateless and other ICAO codes compare as codes.
    let declared = Declared {
        nationality: Some("XXA"),
        ..Declared::default()
    };
    assert!(compare(&unspecified, &declared).is_empty());
    let declared = Declared {
        nationality: Some("SYR"),
        ..Declared::default()
    };
    assert_eq!(
        mismatched_fields(&unspecified, &declared),
        [MismatchField::Nationality]
    );
    let declared = Declared {
        nationality: Some("XXB"),
        ..Declared::default()
    };
    assert_eq!(
        mismatched_fields(&unspecified, &declared),
        [MismatchField::Nationality]
    );
    // Germany prints `D`, which is `DEU`.
    let german = parse(&passport("A<<B", "740812", 'F', "120415", "D"), TODAY).unwrap();
    let declared = Declared {
        nationality: Some("DEU"),
        ..Declared::default()
    };
    assert!(compare(&german, &declared).is_empty());

    // An unknown birth date in the MRZ is not compared.
    let declared = Declared {
        birth_date: Some(date!(1974 - 08 - 12)),
        ..Declared::default()
    };
    assert!(compare(&unspecified, &declared).is_empty());
}

proptest::proptest! {
    #[test]
    fn parse_never_panics(text in "[A-Z0-9<a-zé \t\r\n-]{0,140}") {
        let _ = parse(&text, TODAY);
    }

    #[test]
    fn any_well_formed_mrz_parses(
        td1 in proptest::collection::vec("[A-Z0-9<]{30}", 3),
        td2 in proptest::collection::vec("[A-Z0-9<]{36}", 2),
        td3 in proptest::collection::vec("[A-Z0-9<]{44}", 2),
    ) {
        // Visas (code `V…`) have no composite or optional data check.
        let checks = |mrz: &Mrz, n| if mrz.document_code.starts_with('V') { 3 } else { n };
        let mrz = read(&td1);
        proptest::prop_assert_eq!(mrz.checks.len(), 4);
        let mrz = read(&td2);
        proptest::prop_assert_eq!(mrz.checks.len(), checks(&mrz, 4));
        let mrz = read(&td3);
        proptest::prop_assert_eq!(mrz.checks.len(), checks(&mrz, 5));
    }

    #[test]
    fn compare_never_panics(
        family in "\\PC{0,40}",
        given in "\\PC{0,40}",
        names in "[A-Z<]{0,39}",
    ) {
        let declared = Declared {
            family_name: Some(&family),
            given_name: Some(&given),
            ..Declared::default()
        };
        let _ = compare(&named(&names), &declared);
        let _ = compare(&read(&TD3), &declared);
    }
}
