//! The occupancy chart of a site: one row per unit type, the beds as an outlined bar and
//! the people staying as a filled one over it, with the numbers written beside them and
//! crowding said in words, so nothing depends on bar length or colour alone.

use askama::Template;

/// One unit type as the chart shows it.
pub struct Row {
    pub label: String,
    pub occupied: u32,
    pub beds: u32,
    /// What is written beside the bars: `37 of 40 beds taken`, and any crowding.
    pub text: String,
}

/// A row as drawn.
pub struct DrawnRow {
    pub label: String,
    pub text: String,
    pub y: u32,
    pub beds_width: u32,
    pub taken_width: u32,
    pub over: bool,
}

const LABEL_WIDTH: u32 = 190;
const BAR_AREA: u32 = 300;
const TEXT_WIDTH: u32 = 330;
const ROW: u32 = 28;

fn width(n: u32, max: u32) -> u32 {
    let w = u64::from(n) * u64::from(BAR_AREA) / u64::from(max.max(1));
    u32::try_from(w).unwrap_or(BAR_AREA).max(u32::from(n > 0))
}

/// Beds taken against beds, per unit type.
#[derive(Template)]
#[template(path = "care-occupancy.svg", escape = "html")]
pub struct Occupancy {
    pub title: String,
    pub rows: Vec<DrawnRow>,
    pub height: u32,
    pub label_width: u32,
    pub total_width: u32,
    /// The words are written right to left (the bars still grow from the left).
    pub rtl: bool,
}

impl Occupancy {
    pub fn new(title: &str, rows: Vec<Row>, rtl: bool) -> Self {
        let max = rows
            .iter()
            .map(|r| r.beds.max(r.occupied))
            .max()
            .unwrap_or(1);
        let n = u32::try_from(rows.len()).unwrap_or(u32::MAX);
        let rows = rows
            .into_iter()
            .enumerate()
            .map(|(i, r)| DrawnRow {
                y: u32::try_from(i).unwrap_or(0) * ROW,
                beds_width: width(r.beds, max),
                taken_width: width(r.occupied, max),
                over: r.occupied > r.beds,
                label: r.label,
                text: r.text,
            })
            .collect();
        Self {
            title: title.to_owned(),
            rows,
            height: n.max(1) * ROW,
            label_width: LABEL_WIDTH,
            total_width: LABEL_WIDTH + BAR_AREA + TEXT_WIDTH,
            rtl,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_are_written_and_crowding_is_drawn_past_the_beds() {
        let chart = Occupancy::new(
            "Mina Raya",
            vec![
                Row {
                    label: "family tent".into(),
                    occupied: 30,
                    beds: 40,
                    text: "30 of 40 beds taken".into(),
                },
                Row {
                    label: "<hall>".into(),
                    occupied: 50,
                    beds: 40,
                    text: "50 of 40 beds taken, 10 over capacity".into(),
                },
            ],
            false,
        );
        assert_eq!(chart.rows[1].taken_width, BAR_AREA);
        assert!(chart.rows[1].over && !chart.rows[0].over);
        let svg = chart.render().unwrap();
        assert!(svg.contains("30 of 40 beds taken"), "{svg}");
        assert!(svg.contains("10 over capacity"), "{svg}");
        assert!(!svg.contains("<hall>"), "{svg}");
    }
}
