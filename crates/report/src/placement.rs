//! Placement helpers of the figure layout that need no figure types: clipping polylines to the plot
//! box, the legend's candidate corners and footprints, and sample weights under a box. All in the
//! unit square of the plot box or in axis space.

/// A point in data units `(x, y)`.
pub(crate) type Point = (f64, f64);

/// A point in the unit square of the plot box with its weight.
pub(crate) type Sample = (Point, u32);

/// A corner of the plot box (or the middle of a side), for the legend.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Corner {
    UpperRight,
    UpperLeft,
    LowerRight,
    LowerLeft,
    /// Halfway up the right side (when lines run along the top and the bottom).
    MiddleRight,
    /// Halfway up the left side.
    MiddleLeft,
}

/// Clips a segment to the box `[x0, x1, y0, y1]` (Liang-Barsky); returns the clipped ends and whether
/// each end was moved.
pub(crate) fn clip_segment(p0: Point, p1: Point, b: [f64; 4]) -> Option<(Point, Point, bool, bool)> {
    let (dx, dy) = (p1.0 - p0.0, p1.1 - p0.1);
    let (mut t0, mut t1) = (0.0f64, 1.0f64);
    for (p, q) in [(-dx, p0.0 - b[0]), (dx, b[1] - p0.0), (-dy, p0.1 - b[2]), (dy, b[3] - p0.1)] {
        if p == 0.0 {
            if q < 0.0 {
                return None;
            }
        } else {
            let r = q / p;
            if p < 0.0 {
                if r > t1 {
                    return None;
                }
                t0 = t0.max(r);
            } else {
                if r < t0 {
                    return None;
                }
                t1 = t1.min(r);
            }
        }
    }
    let at = |t: f64| (p0.0 + t * dx, p0.1 + t * dy);
    Some((at(t0), at(t1), t0 > 0.0, t1 < 1.0))
}

/// Clips a polyline to the box, splitting it where it leaves and re-enters; parts with fewer than two
/// points are dropped.
pub(crate) fn clip_run(run: &[Point], b: [f64; 4]) -> Vec<Vec<Point>> {
    let mut out = Vec::new();
    let mut current: Vec<Point> = Vec::new();
    let mut flush = |current: &mut Vec<Point>| {
        if current.len() >= 2 {
            out.push(std::mem::take(current));
        } else {
            current.clear();
        }
    };
    for w in run.windows(2) {
        match clip_segment(w[0], w[1], b) {
            None => flush(&mut current),
            Some((a, c, a_moved, c_moved)) => {
                if current.is_empty() || a_moved {
                    flush(&mut current);
                    current.push(a);
                }
                current.push(c);
                if c_moved {
                    flush(&mut current);
                }
            }
        }
    }
    flush(&mut current);
    out
}

/// Whether point `p` lies inside box `b` = `[u0, u1, v0, v1]`.
pub(crate) fn in_box(b: &[f64; 4], p: &Point) -> bool {
    p.0 >= b[0] && p.0 <= b[1] && p.1 >= b[2] && p.1 <= b[3]
}

/// Total weight of the samples inside a box.
pub(crate) fn weight_in(b: &[f64; 4], samples: &[Sample]) -> u32 {
    samples.iter().filter(|(p, _)| in_box(b, p)).map(|&(_, w)| w).sum()
}

/// The legend's approximate box `[u0, u1, v0, v1]` in the unit square: about 40 % of the width, one
/// row of about 7 % of the height per series.
pub(crate) fn legend_footprint(corner: Corner, n_series: usize) -> [f64; 4] {
    let width = 0.42;
    let height = (0.08 + 0.07 * n_series as f64).min(0.6);
    let (right, ys) = match corner {
        Corner::UpperRight => (true, [1.0 - height, 1.0]),
        Corner::UpperLeft => (false, [1.0 - height, 1.0]),
        Corner::LowerRight => (true, [0.0, height]),
        Corner::LowerLeft => (false, [0.0, height]),
        Corner::MiddleRight => (true, [0.5 - height / 2.0, 0.5 + height / 2.0]),
        Corner::MiddleLeft => (false, [0.5 - height / 2.0, 0.5 + height / 2.0]),
    };
    let xs = if right { [1.0 - width, 1.0] } else { [0.0, width] };
    [xs[0], xs[1], ys[0], ys[1]]
}

/// The corner whose legend footprint holds the least sample weight (ties: upper right, upper left,
/// lower right, lower left, then the middles of the right and left sides).
pub(crate) fn choose_legend_corner(n_series: usize, samples: &[Sample]) -> Corner {
    [
        Corner::UpperRight,
        Corner::UpperLeft,
        Corner::LowerRight,
        Corner::LowerLeft,
        Corner::MiddleRight,
        Corner::MiddleLeft,
    ]
    .into_iter()
    .min_by_key(|&c| weight_in(&legend_footprint(c, n_series), samples))
    .unwrap_or(Corner::UpperRight)
}
