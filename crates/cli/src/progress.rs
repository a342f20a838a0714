//! Terminal progress: one bar over a study's steps (`spelab run`) or over the fraction done of a long
//! simulation (with ETA), shown only once it has taken more than a second (short runs print no bar),
//! on stderr, and never with `--quiet`/`--json` or when stderr is not a terminal.

use std::time::Duration;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use spelab_study::runner::RunObserver;

/// Draws the run's progress with indicatif.
pub struct Bar {
    bar: ProgressBar,
}

impl Bar {
    /// A bar over `total` steps; hidden for the first second.
    pub fn new(total: usize) -> Bar {
        let bar = ProgressBar::with_draw_target(Some(total as u64), ProgressDrawTarget::hidden());
        let style = ProgressStyle::with_template("{spinner} [{pos}/{len}] {msg:40!} {wide_bar} {elapsed}")
            .unwrap_or_else(|_| ProgressStyle::default_bar())
            .progress_chars("=> ");
        bar.set_style(style);
        show_after_a_second(&bar);
        Bar { bar }
    }

    /// Removes the bar from the terminal.
    pub fn finish(&self) {
        self.bar.finish_and_clear();
    }
}

/// Draws `bar` on stderr once it has run for a second.
fn show_after_a_second(bar: &ProgressBar) {
    let delayed = bar.clone();
    std::thread::spawn(move || {
        std::thread::sleep(Duration::from_secs(1));
        if !delayed.is_finished() {
            delayed.set_draw_target(ProgressDrawTarget::stderr());
            delayed.enable_steady_tick(Duration::from_millis(120));
        }
    });
}

/// A bar over a fraction done in per mille (`set_position(1000 f)`) with elapsed time and ETA; hidden
/// when `show` is false.
pub fn fraction_bar(show: bool, what: &str) -> ProgressBar {
    if !show {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::with_draw_target(Some(1000), ProgressDrawTarget::hidden());
    let style = ProgressStyle::with_template("{spinner} {msg} {wide_bar} {percent:>3}% {elapsed} ETA {eta}")
        .unwrap_or_else(|_| ProgressStyle::default_bar());
    bar.set_style(style.progress_chars("=> "));
    bar.set_message(what.to_string());
    show_after_a_second(&bar);
    bar
}

impl RunObserver for Bar {
    fn step_started(&mut self, index: usize, _total: usize, id: &str, _title: &str) {
        self.bar.set_position(index as u64);
        self.bar.set_message(id.to_string());
    }

    fn step_progress(&mut self, _fraction: f64) {
        self.bar.tick();
    }

    fn step_finished(&mut self, index: usize, id: &str, ok: bool, duration_s: f64) {
        self.bar.set_position(index as u64 + 1);
        if !ok {
            self.bar.println(format!("step '{id}' failed after {duration_s:.1} s (see the report)"));
        }
    }
}
