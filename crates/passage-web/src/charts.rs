//! Charts drawn on the server as SVG, from published (disclosure-controlled) numbers:
//! bars and a population pyramid. A withheld number is drawn as a hatched stub with its
//! mark (`<5` or `x`) written beside it, so no information depends on colour alone.

use askama::Template;

/// One bar: its label and the number as published (`12`, `<5`, `x`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Bar {
    pub label: String,
    pub shown: String,
}

impl Bar {
    /// The published value, None when withheld.
    pub fn value(&self) -> Option<u64> {
        self.shown.parse().ok()
    }
}

const LABEL_WIDTH: u64 = 250;
const BAR_AREA: u64 = 330;
const ROW: u64 = 24;
/// The width of a withheld bar's stub.
const STUB: u64 = 14;

/// A bar as drawn: its place and size.
pub struct DrawnBar {
    pub label: String,
    pub shown: String,
    pub withheld: bool,
    pub y: u64,
    pub width: u64,
}

fn scale(bars: &[Bar]) -> u64 {
    bars.iter().filter_map(Bar::value).max().unwrap_or(0).max(1)
}

fn width(b: &Bar, max: u64, area: u64) -> u64 {
    match b.value() {
        Some(v) => (v * area).div_ceil(max).max(u64::from(v > 0)),
        None => STUB,
    }
}

/// Horizontal bars, one per category.
#[derive(Template)]
#[template(path = "bars.svg", escape = "html")]
pub struct Bars {
    /// Names this chart's pattern apart from other charts' on the page.
    pub key: String,
    pub title: String,
    pub bars: Vec<DrawnBar>,
    pub height: u64,
    pub label_width: u64,
    pub total_width: u64,
}

impl Bars {
    pub fn new(key: &str, title: &str, bars: &[Bar]) -> Self {
        let max = scale(bars);
        let drawn = bars
            .iter()
            .enumerate()
            .map(|(i, b)| DrawnBar {
                label: b.label.clone(),
                shown: b.shown.clone(),
                withheld: b.value().is_none(),
                y: i as u64 * ROW,
                width: width(b, max, BAR_AREA),
            })
            .collect();
        Self {
            key: key.to_owned(),
            title: title.to_owned(),
            bars: drawn,
            height: (bars.len() as u64).max(1) * ROW,
            label_width: LABEL_WIDTH,
            total_width: LABEL_WIDTH + BAR_AREA + 60,
        }
    }
}

/// One row of a pyramid: the age bracket, women to the left, men to the right.
pub struct PyramidRow {
    pub label: String,
    pub y: u64,
    pub left: DrawnBar,
    pub right: DrawnBar,
}

/// A population pyramid: age brackets, oldest at the top.
#[derive(Template)]
#[template(path = "pyramid.svg", escape = "html")]
pub struct Pyramid {
    pub title: String,
    pub left_title: String,
    pub right_title: String,
    pub rows: Vec<PyramidRow>,
    pub height: u64,
    pub half: u64,
    pub middle: u64,
}

const HALF: u64 = 220;
const MIDDLE: u64 = 110;

impl Pyramid {
    /// `rows` youngest first, as (bracket, women, men).
    pub fn new(title: &str, left: &str, right: &str, rows: &[(String, Bar, Bar)]) -> Self {
        let all: Vec<Bar> = rows
            .iter()
            .flat_map(|(_, f, m)| [f.clone(), m.clone()])
            .collect();
        let max = scale(&all);
        let n = rows.len() as u64;
        let drawn = rows
            .iter()
            .rev()
            .enumerate()
            .map(|(i, (label, f, m))| {
                let y = 20 + i as u64 * ROW;
                let bar = |b: &Bar| DrawnBar {
                    label: label.clone(),
                    shown: b.shown.clone(),
                    withheld: b.value().is_none(),
                    y,
                    width: width(b, max, HALF - 40),
                };
                PyramidRow {
                    label: label.clone(),
                    y,
                    left: bar(f),
                    right: bar(m),
                }
            })
            .collect();
        Self {
            title: title.to_owned(),
            left_title: left.to_owned(),
            right_title: right.to_owned(),
            rows: drawn,
            height: 20 + n.max(1) * ROW,
            half: HALF,
            middle: MIDDLE,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bar(label: &str, shown: &str) -> Bar {
        Bar {
            label: label.into(),
            shown: shown.into(),
        }
    }

    #[test]
    fn a_withheld_bar_is_a_stub_marked_in_words() {
        let svg = Bars::new(
            "arrivals",
            "Arrivals",
            &[bar("2026-10", "120"), bar("2026-11", "<5")],
        )
        .render()
        .unwrap();
        assert!(svg.contains("<svg"), "{svg}");
        assert!(svg.contains("&#60;5"), "the mark is written: {svg}");
        assert!(
            svg.contains("url(#withheld-arrivals)"),
            "and hatched: {svg}"
        );
        assert!(svg.contains(">120<"), "{svg}");
    }

    #[test]
    fn labels_are_escaped() {
        let svg = Bars::new("t", "t", &[bar("<script>", "7")])
            .render()
            .unwrap();
        assert!(!svg.contains("<script>"), "{svg}");
    }

    #[test]
    fn the_pyramid_puts_the_oldest_on_top() {
        let p = Pyramid::new(
            "Population",
            "Women",
            "Men",
            &[
                ("0-4".into(), bar("", "10"), bar("", "12")),
                ("60+".into(), bar("", "3"), bar("", "x")),
            ],
        );
        assert_eq!(p.rows[0].label, "60+");
        assert!(p.rows[0].right.withheld);
        assert_eq!(p.rows[1].left.width, 150);
    }
}
