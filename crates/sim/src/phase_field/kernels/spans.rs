//! Where the kernels have work: the bulk runs of each row. Away from the interface ξ is exactly 0
//! (electrolyte, flushed) or exactly 1 (metal), and a cell whose 3 × 3 neighbourhood holds one such
//! value has ∂_tξ = 0, A = C = 0 and a constant D(ξ), bit for bit: its Allen-Cahn term is ±0, its
//! ξ' is the bulk value, and its salt faces all see one harmonic mean. [`row_span`] finds the run of
//! bulk cells at each end of a row (one scan of ξ, the only pass over the whole field the phase
//! part needs); [`Active`] combines three rows into the cells that need the full stencil. On a
//! 1024² grid with one front that is under a tenth of the cells.

/// The non-bulk part of one row of ξ: the cells before `lo` all equal `left` and the cells from
/// `hi` on all equal `right`, where `left` and `right` are exactly 0 or 1. A row of one bulk value
/// has `lo = nx`, `hi = 0` (both runs cover it) and `left == right`; a row whose first (last) cell
/// is not a bulk value has `lo = 0` (`hi = nx`), and `left` (`right`) is then never read.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub(crate) struct RowSpan {
    pub lo: usize,
    pub hi: usize,
    pub left: f64,
    pub right: f64,
}

/// Cells compared per step of the run scans (a whole chunk at a time, so the compare vectorises).
const LANES: usize = 8;

/// 0 or 1 when `x` is exactly that value (−0 counts as 0), else `None`.
#[inline]
fn bulk_value(x: f64) -> Option<f64> {
    if x == 0.0 {
        Some(0.0)
    } else if x == 1.0 {
        Some(1.0)
    } else {
        None
    }
}

/// Length of the run of cells equal to `u` at the start of `row`.
fn leading_run(row: &[f64], u: f64) -> usize {
    let mut n = 0;
    for chunk in row.chunks_exact(LANES) {
        if !chunk.iter().fold(true, |all, &x| all & (x == u)) {
            break;
        }
        n += LANES;
    }
    n + row[n..].iter().take_while(|&&x| x == u).count()
}

/// Length of the run of cells equal to `u` at the end of `row`.
fn trailing_run(row: &[f64], u: f64) -> usize {
    let mut n = 0;
    for chunk in row.rchunks_exact(LANES) {
        if !chunk.iter().fold(true, |all, &x| all & (x == u)) {
            break;
        }
        n += LANES;
    }
    n + row[..row.len() - n].iter().rev().take_while(|&&x| x == u).count()
}

/// The [`RowSpan`] of one row of ξ (at least one cell).
pub(crate) fn row_span(row: &[f64]) -> RowSpan {
    let nx = row.len();
    let (lo, left) = match bulk_value(row[0]) {
        Some(u) => (leading_run(row, u), u),
        None => (0, 0.0),
    };
    if lo == nx {
        return RowSpan { lo: nx, hi: 0, left, right: left };
    }
    let (hi, right) = match bulk_value(row[nx - 1]) {
        Some(u) => (nx - trailing_run(row, u), u),
        None => (nx, 0.0),
    };
    RowSpan { lo, hi, left, right }
}

/// The cells of a row that need the full stencil, `lo..hi`, given the spans of the rows below, at
/// and above it: every cell before `lo` has the 3 × 3 neighbourhood `left` and every cell from `hi`
/// on the neighbourhood `right` (`lo == hi` when no cell needs it; then `left == right`).
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Active {
    pub lo: usize,
    pub hi: usize,
    pub left: f64,
    pub right: f64,
}

impl Active {
    /// Combines the spans of the rows below (`b`), at (`m`) and above (`a`), `nx` cells each.
    pub fn of(b: &RowSpan, m: &RowSpan, a: &RowSpan, nx: usize) -> Self {
        let lo_min = b.lo.min(m.lo).min(a.lo);
        let hi_max = b.hi.max(m.hi).max(a.hi);
        if lo_min == nx && hi_max == 0 && b.left == m.left && a.left == m.left {
            // Three rows of one and the same bulk value.
            return Self { lo: nx, hi: nx, left: m.left, right: m.left };
        }
        // One cell more each way: a cell next to a non-bulk cell sees it in its stencil. Rows that
        // disagree on a run's value make the stencils there mixed: that run is active too.
        let same_left = b.left == m.left && a.left == m.left;
        let same_right = b.right == m.right && a.right == m.right;
        let lo = if same_left { lo_min.saturating_sub(1) } else { 0 };
        let hi = if same_right { (hi_max + 1).min(nx) } else { nx };
        Self { lo, hi, left: m.left, right: m.right }
    }
}

/// The span of every row of `xi` (rows of `nx` cells) into `out`, one per row, in parallel.
pub(crate) fn row_spans(xi: &[f64], nx: usize, out: &mut [RowSpan]) {
    use rayon::prelude::*;
    out.par_iter_mut()
        .zip(xi.par_chunks(nx))
        .with_min_len(super::super::grid::min_items(nx))
        .for_each(|(s, row)| *s = row_span(row));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spans_of_rows() {
        let mut row = vec![1.0; 20];
        row[11..].fill(0.0);
        row[9] = 0.7;
        row[10] = 0.2;
        assert_eq!(row_span(&row), RowSpan { lo: 9, hi: 11, left: 1.0, right: 0.0 });
        // A jump with no intermediate value: an empty span at the jump, its neighbours active.
        let jump = [1.0, 1.0, 0.0, 0.0];
        let s = row_span(&jump);
        assert_eq!(s, RowSpan { lo: 2, hi: 2, left: 1.0, right: 0.0 });
        assert_eq!(Active::of(&s, &s, &s, 4), Active { lo: 1, hi: 3, left: 1.0, right: 0.0 });
        // Constant rows, −0 as 0; a row of a non-bulk value everywhere.
        assert_eq!(row_span(&[-0.0; 17]), RowSpan { lo: 17, hi: 0, left: 0.0, right: 0.0 });
        assert_eq!(row_span(&[0.5; 3]), RowSpan { lo: 0, hi: 3, left: 0.0, right: 0.0 });
        // Long runs cross several chunks, from both ends.
        let mut long = vec![0.0; 100];
        long[37] = 1e-20;
        assert_eq!(row_span(&long), RowSpan { lo: 37, hi: 38, left: 0.0, right: 0.0 });
    }

    #[test]
    fn rows_of_different_bulk_values_are_active_across() {
        let zeros = row_span(&[0.0; 10]);
        let ones = row_span(&[1.0; 10]);
        assert_eq!(Active::of(&zeros, &zeros, &zeros, 10), Active { lo: 10, hi: 10, left: 0.0, right: 0.0 });
        assert_eq!(Active::of(&zeros, &zeros, &ones, 10), Active { lo: 0, hi: 10, left: 0.0, right: 0.0 });
        let mut row = [0.0; 10];
        row[4] = 0.5;
        let mid = row_span(&row);
        assert_eq!(Active::of(&zeros, &mid, &zeros, 10), Active { lo: 3, hi: 6, left: 0.0, right: 0.0 });
        assert_eq!(Active::of(&ones, &mid, &zeros, 10), Active { lo: 0, hi: 10, left: 0.0, right: 0.0 });
    }
}
