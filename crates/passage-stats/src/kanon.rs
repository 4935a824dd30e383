//! k-anonymity of microdata exports.
//!
//! A microdata export, one row per person, identifies people even without names:
//! the only woman over 70 from one country registered at one site is one person.
//! The fields that combine like that (sex, age band, nationality, site) are the
//! quasi-identifiers. An export is k-anonymous when every combination of their
//! values that occurs at all occurs at least k times. [`check`] refuses an export that
//! is not, and lists the rare combinations so that they can be coarsened (wider age
//! bands, regions for sites) or the rows withheld.

use std::collections::BTreeMap;

use serde::Serialize;

/// A combination of quasi-identifier values shared by fewer than k rows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RareCombination {
    /// (quasi-identifier, value), in the order of the quasi-identifiers.
    pub values: Vec<(String, String)>,
    pub count: usize,
}

/// An export that is not k-anonymous.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, thiserror::Error)]
#[error(
    "{} of {} {} fewer than {k} times ({records_at_risk} of {total} records), for example {}",
    combinations(.rare.len()),
    .quasi_identifiers.join(", "),
    occur(.rare.len()),
    example(.rare)
)]
pub struct TooRare {
    pub k: usize,
    pub quasi_identifiers: Vec<String>,
    /// Every rare combination, by count, then by values.
    pub rare: Vec<RareCombination>,
    /// The rows in rare combinations.
    pub records_at_risk: usize,
    pub total: usize,
}

fn combinations(n: usize) -> String {
    if n == 1 {
        "1 combination".to_owned()
    } else {
        format!("{n} combinations")
    }
}

fn occur(n: usize) -> &'static str {
    if n == 1 { "occurs" } else { "occur" }
}

fn example(rare: &[RareCombination]) -> String {
    let Some(first) = rare.first() else {
        return String::new();
    };
    let values: Vec<String> = first
        .values
        .iter()
        .map(|(q, v)| format!("{q}={v}"))
        .collect();
    let rows = if first.count == 1 { "row" } else { "rows" };
    format!("{} ({} {rows})", values.join(", "), first.count)
}

/// Refuses when any combination of the quasi-identifiers occurs fewer than k times.
///
/// `rows` holds one value per quasi-identifier, in the same order. A row with fewer
/// values counts the missing ones as empty; values past the quasi-identifiers are
/// not part of the combination. `k` of 0 or 1 accepts every export.
pub fn check(quasi_identifiers: &[&str], rows: &[Vec<String>], k: usize) -> Result<(), TooRare> {
    let mut groups: BTreeMap<Vec<&str>, usize> = BTreeMap::new();
    for row in rows {
        let key: Vec<&str> = (0..quasi_identifiers.len())
            .map(|i| row.get(i).map_or("", String::as_str))
            .collect();
        *groups.entry(key).or_insert(0) += 1;
    }
    let mut rare: Vec<RareCombination> = groups
        .into_iter()
        .filter(|&(_, count)| count < k)
        .map(|(key, count)| RareCombination {
            values: quasi_identifiers
                .iter()
                .zip(key)
                .map(|(&q, v)| (q.to_owned(), v.to_owned()))
                .collect(),
            count,
        })
        .collect();
    if rare.is_empty() {
        return Ok(());
    }
    rare.sort_by(|a, b| a.count.cmp(&b.count).then_with(|| a.values.cmp(&b.values)));
    Err(TooRare {
        k,
        quasi_identifiers: quasi_identifiers.iter().map(|&q| q.to_owned()).collect(),
        records_at_risk: rare.iter().map(|r| r.count).sum(),
        rare,
        total: rows.len(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rows(values: &[[&str; 2]]) -> Vec<Vec<String>> {
        values
            .iter()
            .map(|r| r.iter().map(|&v| v.to_owned()).collect())
            .collect()
    }

    const QI: [&str; 2] = ["sex", "age"];

    #[test]
    fn accepts_an_export_where_every_combination_is_common() {
        let export = rows(&[["f", "18-59"], ["f", "18-59"], ["m", "0-17"], ["m", "0-17"]]);
        assert_eq!(check(&QI, &export, 2), Ok(()));
        assert_eq!(check(&QI, &[], 5), Ok(()));
        assert_eq!(check(&QI, &export, 0), Ok(()));
        assert_eq!(check(&QI, &export, 1), Ok(()));
    }

    #[test]
    fn lists_every_rare_combination_rarest_first() {
        let export = rows(&[
            ["m", "60+"],
            ["m", "60+"],
            ["f", "60+"],
            ["f", "18-59"],
            ["f", "18-59"],
            ["f", "18-59"],
        ]);
        let err = check(&QI, &export, 3).unwrap_err();
        let pair = |q: &str, v: &str| (q.to_owned(), v.to_owned());
        assert_eq!(
            err.rare,
            vec![
                RareCombination {
                    values: vec![pair("sex", "f"), pair("age", "60+")],
                    count: 1
                },
                RareCombination {
                    values: vec![pair("sex", "m"), pair("age", "60+")],
                    count: 2
                },
            ]
        );
        assert_eq!((err.records_at_risk, err.total, err.k), (3, 6, 3));
        assert_eq!(
            err.to_string(),
            "2 combinations of sex, age occur fewer than 3 times (3 of 6 records), \
             for example sex=f, age=60+ (1 row)"
        );
    }

    #[test]
    fn one_rare_combination_reads_in_the_singular() {
        let export = rows(&[["f", "60+"], ["m", "0-17"], ["m", "0-17"]]);
        let err = check(&QI, &export, 2).unwrap_err();
        assert_eq!(
            err.to_string(),
            "1 combination of sex, age occurs fewer than 2 times (1 of 3 records), \
             for example sex=f, age=60+ (1 row)"
        );
    }

    #[test]
    fn short_rows_count_missing_values_as_empty() {
        let export = vec![vec!["f".to_owned()], vec!["f".to_owned(), String::new()]];
        assert_eq!(check(&QI, &export, 2), Ok(()));
        let export = vec![vec!["f".to_owned(), "60+".to_owned(), "site A".to_owned()]; 2];
        assert_eq!(check(&QI, &export, 2), Ok(()));
    }
}
