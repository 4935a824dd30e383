//! What one phase of the run saw: latencies (HDR histograms, in microseconds) overall and
//! by operation, and every outcome counted, expected ones apart from errors.

use std::collections::BTreeMap;
use std::time::Duration;

use hdrhistogram::Histogram;

use super::mix::Op;

/// How one request ended.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum Outcome {
    /// The answer the operation exists for.
    Done,
    /// A documented refusal the operation can meet (a likely duplicate, a stale version).
    Expected(&'static str),
    /// A 5xx, an unexpected status, a failed connection or a timeout.
    Error(String),
}

pub struct Tally {
    all: Histogram<u64>,
    by_op: BTreeMap<Op, Histogram<u64>>,
    outcomes: BTreeMap<(Op, Outcome), u64>,
}

/// One microsecond to ten minutes, three significant figures.
fn histogram() -> anyhow::Result<Histogram<u64>> {
    Ok(Histogram::new_with_bounds(1, 600_000_000, 3)?)
}

fn ms(micros: u64) -> f64 {
    micros as f64 / 1000.0
}

impl Tally {
    pub fn new() -> anyhow::Result<Self> {
        let mut by_op = BTreeMap::new();
        for op in Op::ALL {
            by_op.insert(op, histogram()?);
        }
        Ok(Self {
            all: histogram()?,
            by_op,
            outcomes: BTreeMap::new(),
        })
    }

    /// Counts a request; `latency` is None when no answer came.
    pub fn record(&mut self, op: Op, latency: Option<Duration>, outcome: Outcome) {
        if let Some(l) = latency {
            let micros = u64::try_from(l.as_micros()).unwrap_or(u64::MAX).max(1);
            self.all.saturating_record(micros);
            if let Some(h) = self.by_op.get_mut(&op) {
                h.saturating_record(micros);
            }
        }
        *self.outcomes.entry((op, outcome)).or_default() += 1;
    }

    pub fn merge(&mut self, other: &Self) {
        let _ = self.all.add(&other.all);
        for (op, h) in &other.by_op {
            if let Some(mine) = self.by_op.get_mut(op) {
                let _ = mine.add(h);
            }
        }
        for (k, n) in &other.outcomes {
            *self.outcomes.entry(k.clone()).or_default() += n;
        }
    }

    pub fn requests(&self) -> u64 {
        self.outcomes.values().sum()
    }

    pub fn errors(&self) -> u64 {
        self.outcomes
            .iter()
            .filter(|((_, o), _)| matches!(o, Outcome::Error(_)))
            .map(|(_, n)| n)
            .sum()
    }

    /// p99 of every answered request, in ms.
    pub fn p99_ms(&self) -> f64 {
        ms(self.all.value_at_quantile(0.99))
    }

    /// Prints the phase: throughput, latency, then by operation, then refusals and errors.
    pub fn print(&self, name: &str, wall: Duration) {
        let secs = wall.as_secs_f64().max(1e-9);
        let h = &self.all;
        println!(
            "{name}, {:.0} s: {} requests, {:.0} req/s; latency p50 {:.1} ms, p95 {:.1} ms, p99 {:.1} ms, max {:.1} ms; {} errors",
            secs,
            self.requests(),
            self.requests() as f64 / secs,
            ms(h.value_at_quantile(0.50)),
            ms(h.value_at_quantile(0.95)),
            ms(h.value_at_quantile(0.99)),
            ms(h.max()),
            self.errors()
        );
        println!(
            "  {:<24} {:>8} {:>7} {:>9} {:>9} {:>9} {:>9}",
            "operation", "requests", "share", "p50 ms", "p95 ms", "p99 ms", "max ms"
        );
        let total = self.requests().max(1) as f64;
        for (op, h) in &self.by_op {
            let n: u64 = self
                .outcomes
                .iter()
                .filter(|((o, _), _)| o == op)
                .map(|(_, n)| n)
                .sum();
            if n == 0 {
                continue;
            }
            println!(
                "  {:<24} {:>8} {:>6.1}% {:>9.1} {:>9.1} {:>9.1} {:>9.1}",
                op.name(),
                n,
                100.0 * n as f64 / total,
                ms(h.value_at_quantile(0.50)),
                ms(h.value_at_quantile(0.95)),
                ms(h.value_at_quantile(0.99)),
                ms(h.max())
            );
        }
        for ((op, outcome), n) in &self.outcomes {
            match outcome {
                Outcome::Done => {}
                Outcome::Expected(what) => println!("  expected: {} {what}: {n}", op.name()),
                Outcome::Error(what) => println!("  ERROR: {} {what}: {n}", op.name()),
            }
        }
    }
}
