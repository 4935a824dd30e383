//! `passage dedup --csv` on a partner's list, through the real binary: the pairs and
//! clusters files, values that cannot be read reported by row and column, and a bad
//! mapping refused with what is wrong.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::path::Path;
use std::process::{Command, Output};

const LIST: &str = "\
ref,first,last,script,gender,born,country,village,card
A1,Mohammed,Hussein,محمد حسين,M,1990-03-07,SYR,Deir ez-Zor,N123456
A2,Fatima,Khatun,,F,1985,BGD,Sylhet,
A3,Muhammad,Husain,,M,07/03/1990,SYR,Deir ez Zor,N123456
A4,Aung,Kyaw Moe,,M,2001-02-30,MMR,Maungdaw,
A5,Zubair,Idris,,M,1977-11-02,SOM,Kismayo,P9988776
";

fn dedup(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_passage"))
        .arg("dedup")
        .args(args)
        .current_dir(dir)
        .output()
        .expect("run passage dedup")
}

fn dir() -> std::path::PathBuf {
    let d = std::env::temp_dir().join(format!("passage-dedup-{}", uuid::Uuid::now_v7()));
    std::fs::create_dir_all(&d).unwrap();
    std::fs::write(d.join("list.csv"), LIST).unwrap();
    d
}

const MAP: &str = "given_name=first,family_name=last,original_name=script,sex=gender,dob=born,\
                   nationality=country,place_of_origin=village,document=card";

#[test]
fn a_partners_list_gives_pairs_and_clusters() {
    let d = dir();
    let out = dedup(
        &d,
        &[
            "--csv",
            "list.csv",
            "--id",
            "ref",
            "--map",
            MAP,
            "--pairs",
            "pairs.csv",
            "--clusters",
            "clusters.csv",
        ],
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    // The impossible date is reported where it is, and the row still counts.
    assert!(
        stderr.contains("row 4 (line 5), column born: `2001-02-30` is not a date"),
        "{stderr}"
    );
    assert!(stderr.contains("5 records"), "{stderr}");
    let pairs = std::fs::read_to_string(d.join("pairs.csv")).unwrap();
    let mut lines = pairs.lines();
    assert_eq!(lines.next(), Some("id_l,id_r,score"));
    let a1a3: Vec<&str> = lines
        .find(|l| l.starts_with("A1,A3,"))
        .expect("A1 and A3 compared")
        .split(',')
        .collect();
    let score: f64 = a1a3[2].parse().unwrap();
    assert!(score >= 0.9, "{pairs}");
    let clusters = std::fs::read_to_string(d.join("clusters.csv")).unwrap();
    assert!(
        clusters.contains("A1,A1") && clusters.contains("A3,A1"),
        "{clusters}"
    );
    assert!(
        clusters.contains("A2,A2") && clusters.contains("A5,A5"),
        "{clusters}"
    );
    assert_eq!(clusters.lines().count(), 6);
}

#[test]
fn a_bad_mapping_says_what_is_wrong() {
    let d = dir();
    let unknown_field = dedup(
        &d,
        &["--csv", "list.csv", "--id", "ref", "--map", "nam=first"],
    );
    assert!(!unknown_field.status.success());
    assert!(String::from_utf8_lossy(&unknown_field.stderr).contains("unknown field `nam`"));
    let unknown_column = dedup(
        &d,
        &["--csv", "list.csv", "--id", "ref", "--map", "sex=sexe"],
    );
    assert!(!unknown_column.status.success());
    let stderr = String::from_utf8_lossy(&unknown_column.stderr);
    assert!(
        stderr.contains("no column `sexe`") && stderr.contains("gender"),
        "{stderr}"
    );
    std::fs::write(d.join("twice.csv"), "ref,first\nA1,Nur\nA1,Noor\n").unwrap();
    let twice = dedup(
        &d,
        &[
            "--csv",
            "twice.csv",
            "--id",
            "ref",
            "--map",
            "given_name=first",
        ],
    );
    let stderr = String::from_utf8_lossy(&twice.stderr);
    assert!(
        stderr.contains("row 2 (line 3): id `A1` already used on row 1"),
        "{stderr}"
    );
}
