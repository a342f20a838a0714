//! Fuzz target: `spelab_io::arbin_res::read_res` on arbitrary bytes must return Ok or Err, never panic.
//!
//! The reader runs jetdb under `catch_unwind` and turns a panic inside jetdb into an error (see
//! crates/io/src/arbin_res.rs). libfuzzer-sys's panic hook aborts before unwinding, so this target
//! installs a hook in front of it that lets panics *located in jetdb* unwind to that `catch_unwind`
//! (printing their location once each, so they can be reported upstream) and still aborts on every
//! other panic: spelab's own code is held to "no panic".
#![no_main]

use std::collections::BTreeSet;
use std::sync::{Mutex, Once};

static HOOK: Once = Once::new();
static SEEN: Mutex<BTreeSet<String>> = Mutex::new(BTreeSet::new());

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    HOOK.call_once(|| {
        let abort_hook = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            let at = info.location().map(|l| format!("{}:{}", l.file(), l.line())).unwrap_or_default();
            if at.contains("/jetdb-") {
                if SEEN.lock().map(|mut s| s.insert(at.clone())).unwrap_or(false) {
                    eprintln!("jetdb panic (caught, becomes an error) at {at}: {info}");
                }
                return;
            }
            abort_hook(info);
        }));
    });
    if let Ok(r) = spelab_io::arbin_res::read_res(data, "fuzz") {
        assert!(r.columns.iter().all(|c| c.values.len() == r.rows()));
        assert!(r.rows() > 0);
    }
});
