//! Tests of the MRZ reader on the ICAO 9303 specimens: reading and check digits
//! (`read`), comparison with declared data (`compare`).

use super::*;
use time::macros::date;

const TODAY: Date = date!(2024 - 06 - 01);

/// ICAO 9303 part 4 specimen passport.
const TD3: [&str; 2] = [
    "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<",
    "L898902C36UTO7408122F1204159ZE184226B<<<<<10",
];
/// ICAO 9303 part 5 specimen ID card.
const TD1: [&str; 3] = [
    "I<UTOD231458907<<<<<<<<<<<<<<<",
    "7408122F1204159UTO<<<<<<<<<<<6",
    "ERIKSSON<<ANNA<MARIA<<<<<<<<<<",
];
/// ICAO 9303 part 6 specimen.
const TD2: [&str; 2] = [
    "I<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<",
    "D231458907UTO7408122F1204159<<<<<<<6",
];
/// ICAO 9303 part 11 appendix D.2: TD1 with a 12-character document number.
const TD1_LONG: [&str; 3] = [
    "I<UTOD23145890<7349<<<<<<<<<<<",
    "3407127M9507122UTO<<<<<<<<<<<2",
    "STEVENSON<<PETER<JOHN<<<<<<<<<",
];
/// ICAO 9303 part 11 appendix D.2: TD2 with a 12-character document number.
const TD2_LONG: [&str; 2] = [
    "I<UTOSTEVENSON<<PETER<JOHN<<<<<<<<<<",
    "D23145890<UTO3407127M95071227349<<<8",
];
/// ICAO 9303 part 7 specimen MRV-A visa.
const MRV_A: [&str; 2] = [
    "V<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<",
    "L8988901C4XXX4009078F96121096ZE184226B<<<<<<",
];

fn read<S: AsRef<str>>(lines: &[S]) -> Mrz {
    let text: Vec<&str> = lines.iter().map(AsRef::as_ref).collect();
    parse(&text.join("\n"), TODAY).unwrap()
}

fn error<S: AsRef<str>>(lines: &[S]) -> MrzError {
    let text: Vec<&str> = lines.iter().map(AsRef::as_ref).collect();
    parse(&text.join("\n"), TODAY).unwrap_err()
}

fn cd(data: &str) -> char {
    check_digit(data).unwrap()
}

/// The lines with the character at 1-based (`line`, `column`) replaced by `c`.
fn altered(lines: &[&str], line: usize, column: usize, c: char) -> Vec<String> {
    let mut lines: Vec<String> = lines.iter().map(|l| (*l).to_owned()).collect();
    let target = &mut lines[line - 1];
    target.replace_range(column - 1..column, &c.to_string());
    lines
}

/// A UTO passport with correct check digits; `names` is padded or cut to the field.
fn passport(names: &str, birth: &str, sex: char, expiry: &str, nationality: &str) -> String {
    let line1 = format!("P<UTO{names:<<39.39}");
    let number = "L898902C3";
    let personal = "ZE184226B<<<<<";
    let data = format!(
        "{number}{}{nationality:<<3}{birth}{}{sex}{expiry}{}{personal}{}",
        cd(number),
        cd(birth),
        cd(expiry),
        cd(personal)
    );
    let composite = cd(&[&data[0..10], &data[13..20], &data[21..43]].concat());
    format!("{line1}\n{data}{composite}")
}

fn named(names: &str) -> Mrz {
    parse(&passport(names, "740812", 'F', "120415", "UTO"), TODAY).unwrap()
}

fn all_fields(checks: &[CheckResult]) -> Vec<CheckField> {
    checks.iter().map(|check| check.field).collect()
}

mod compare;
mod read;
