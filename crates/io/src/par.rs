//! Two independent pieces of a reader's work on two threads ([`join`]), for the readers whose input
//! splits into independent parts (the `.ndax` members, its column groups).
//!
//! Scoped threads borrow the input, so nothing is copied; when no thread can be started (a limit on
//! threads) both parts run on the calling thread, in order. A panic on the other thread is resumed
//! on this one, as if both had run here.

use std::sync::Mutex;

/// Runs `a` on another thread and `b` on this one; returns both results.
///
/// ```
/// let data = vec![1u64, 2, 3, 4];
/// let (low, high) = spelab_io::par::join(|| data[..2].iter().sum::<u64>(), || data[2..].iter().sum::<u64>());
/// assert_eq!((low, high), (3, 7));
/// ```
pub fn join<A, B, RA, RB>(a: A, b: B) -> (RA, RB)
where
    A: FnOnce() -> RA + Send,
    B: FnOnce() -> RB,
    RA: Send,
{
    // `a` waits here until a thread takes it; if none starts, this thread runs it after `b`.
    let slot = Mutex::new(Some(a));
    let take = |slot: &Mutex<Option<A>>| slot.lock().unwrap_or_else(|e| e.into_inner()).take();
    std::thread::scope(|s| {
        let spawned = std::thread::Builder::new().spawn_scoped(s, || take(&slot).map(|a| a()));
        let rb = b();
        let ra = match spawned {
            Ok(handle) => handle.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic)),
            Err(_) => None,
        };
        match ra.or_else(|| take(&slot).map(|a| a())) {
            Some(ra) => (ra, rb),
            // `a` is taken exactly once: by the thread (whose result is here) or just above.
            None => unreachable!("join: the first part ran nowhere"),
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_parts_run_once_and_borrow_the_input() {
        let input: Vec<u32> = (1..=100).collect();
        let (a, b) = join(|| input.iter().filter(|x| *x % 2 == 0).count(), || input.len());
        assert_eq!((a, b), (50, 100));
    }

    #[test]
    fn a_panic_on_the_other_thread_reaches_the_caller() {
        let caught = std::panic::catch_unwind(|| join(|| panic!("part a"), || 1));
        assert!(caught.is_err());
    }
}
