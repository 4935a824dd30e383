//! Progress of a dedup run on standard error: a bar on a terminal, a line per stage
//! otherwise (logs, CI).

use std::io::IsTerminal;
use std::sync::Mutex;
use std::time::Instant;

use indicatif::{ProgressBar, ProgressStyle};
use passage_match::batch::Stage;

pub struct Bar {
    bar: Option<ProgressBar>,
    /// The stage last reported, and when it started.
    current: Mutex<Option<(Stage, Instant)>>,
}

impl Bar {
    pub fn new() -> Self {
        let bar = std::io::stderr().is_terminal().then(|| {
            let b = ProgressBar::new(0);
            b.set_style(
                ProgressStyle::with_template("{msg:>11} [{bar:40}] {pos}/{len} ({eta})")
                    .unwrap_or_else(|_| ProgressStyle::default_bar())
                    .progress_chars("=> "),
            );
            b
        });
        Self {
            bar,
            current: Mutex::new(None),
        }
    }

    pub fn message(&self, text: &str) {
        match &self.bar {
            Some(b) => b.set_message(text.to_owned()),
            None => eprintln!("{text}"),
        }
    }

    pub fn update(&self, stage: Stage, done: usize, total: usize) {
        let Ok(mut current) = self.current.lock() else {
            return;
        };
        if current.map(|(s, _)| s) != Some(stage) {
            if let Some((previous, since)) = *current {
                self.done(previous, since);
            }
            *current = Some((stage, Instant::now()));
            if let Some(b) = &self.bar {
                b.set_message(stage.as_str());
                b.set_position(0);
            }
        }
        if let Some(b) = &self.bar {
            b.set_length(total as u64);
            b.set_position(done as u64);
        }
    }

    fn done(&self, stage: Stage, since: Instant) {
        let line = format!("{}: {:.1} s", stage.as_str(), since.elapsed().as_secs_f64());
        match &self.bar {
            Some(b) => b.println(line),
            None => eprintln!("{line}"),
        }
    }

    pub fn finish(&self) {
        if let Ok(mut current) = self.current.lock()
            && let Some((stage, since)) = current.take()
        {
            self.done(stage, since);
        }
        if let Some(b) = &self.bar {
            b.finish_and_clear();
        }
    }
}
