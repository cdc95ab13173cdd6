//! The savepoint compatibility matrix, cell by cell against the reference
//! table (tests/data/flink-savepoint-matrix.csv), plus the 2.x facts.

mod common;

use common::{lines, v};
use waymark_core::flink::matrix::{compat, usable, Compat};
use waymark_core::version::Version;

const CSV: &str = include_str!("data/flink-savepoint-matrix.csv");

/// (created, resumed, cell) for every cell of the reference table.
fn cells() -> Vec<(Version, Version, String)> {
    let mut rows = CSV
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'));
    let header: Vec<&str> = rows.next().expect("a header row").split(',').collect();
    assert_eq!(header[0], "created_with");
    let columns: Vec<Version> = header[1..].iter().map(|h| line_of(h)).collect();
    let mut out = Vec::new();
    let mut row_count = 0;
    for row in rows {
        row_count += 1;
        let fields: Vec<&str> = row.split(',').collect();
        assert_eq!(
            fields.len(),
            columns.len() + 1,
            "row {row} has {} cells, expected {}",
            fields.len() - 1,
            columns.len()
        );
        let created = line_of(fields[0]);
        for (col, cell) in columns.iter().zip(&fields[1..]) {
            assert!(
                ["Y", "-", "-*"].contains(cell),
                "unexpected cell {cell:?} at {created} x {col}"
            );
            out.push((created, *col, cell.to_string()));
        }
    }
    assert_eq!(row_count, 20, "the table has rows 1.1.x to 1.20.x");
    assert_eq!(columns.len(), 20, "the table has columns 1.1.x to 1.20.x");
    out
}

/// `1.17.x` -> 1.17
fn line_of(text: &str) -> Version {
    v(text.strip_suffix(".x").unwrap_or(text))
}

#[test]
fn every_cell_of_the_reference_table_matches() {
    let mut wrong = Vec::new();
    let cells = cells();
    assert_eq!(cells.len(), 400);
    for (created, resumed, cell) in &cells {
        let got = compat(*created, *resumed).0;
        let want = if cell == "Y" { Compat::Yes } else { Compat::No };
        if got != want {
            wrong.push(format!("{created} -> {resumed}: table {cell}, got {got:?}"));
        }
    }
    assert!(wrong.is_empty(), "cells that differ:\n{}", wrong.join("\n"));
}

#[test]
fn patch_releases_follow_their_line() {
    for (created, resumed, cell) in cells() {
        let want = if cell == "Y" { Compat::Yes } else { Compat::No };
        for (a, b) in [
            (Version::patch(created.major, created.minor, 0), resumed),
            (created, Version::patch(resumed.major, resumed.minor, 1)),
        ] {
            assert_eq!(compat(a, b).0, want, "{a} -> {b}");
        }
    }
}

#[test]
fn flink_1_0_savepoints_resume_nowhere_else() {
    for to in lines() {
        let got = compat(v("1.0"), to).0;
        if to == v("1.0") {
            assert_eq!(got, Compat::Yes);
        } else {
            assert_eq!(got, Compat::No, "1.0 -> {to}");
        }
    }
}

#[test]
fn one_x_to_two_x_is_not_guaranteed_from_1_8_and_no_before() {
    let twos: Vec<Version> = lines().into_iter().filter(|l| l.major == 2).collect();
    assert!(twos.len() >= 4, "2.0 to 2.3 are known");
    for from in lines().into_iter().filter(|l| l.major == 1) {
        for to in &twos {
            let want = if from >= v("1.8") {
                Compat::NotGuaranteed
            } else {
                Compat::No
            };
            assert_eq!(compat(from, *to).0, want, "{from} -> {to}");
            assert_eq!(usable(from, *to), want != Compat::No);
        }
    }
}

#[test]
fn two_x_to_a_later_two_x_is_unverified() {
    let twos: Vec<Version> = lines().into_iter().filter(|l| l.major == 2).collect();
    for (i, a) in twos.iter().enumerate() {
        assert_eq!(compat(*a, *a).0, Compat::Yes, "{a} -> {a}");
        for b in &twos[i + 1..] {
            assert_eq!(compat(*a, *b).0, Compat::Unverified, "{a} -> {b}");
            assert!(usable(*a, *b));
        }
    }
}

#[test]
fn downgrades_never_work() {
    let all = lines();
    for a in &all {
        for b in all.iter().filter(|b| b.cmp_line(*a).is_lt()) {
            let (c, why, source) = compat(*a, *b);
            assert_eq!(c, Compat::No, "{a} -> {b}");
            assert!(!usable(*a, *b));
            assert!(!why.is_empty());
            assert!(source.url.starts_with("https://"));
        }
    }
}

#[test]
fn every_answer_has_a_reason_and_a_source() {
    for a in lines() {
        for b in lines() {
            let (_, why, source) = compat(a, b);
            assert!(!why.trim().is_empty(), "{a} -> {b} has no reason");
            assert!(!source.title.is_empty(), "{a} -> {b} source has no title");
            assert!(
                source.url.starts_with("https://"),
                "{a} -> {b}: {}",
                source.url
            );
        }
    }
}
