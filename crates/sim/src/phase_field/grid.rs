//! The uniform 2D cell-centred grid: `nx` cells along the growth direction x (x = 0 is the back of
//! the Li anode, x = nx·dx the counter-electrode plane), `ny` cells along the surface y. Fields are
//! stored row by row with x fastest (index `j·nx + i`), so a row is one lateral position and rows
//! are the unit of parallel work. A 3D grid adds a z index above y; the kernels only see rows and
//! their neighbour rows.

use super::PhaseFieldError;

/// Fewest cells a parallel task gets: below this, waking a pool thread (tens of µs, far more on a
/// loaded machine) costs more than the task saves, so a small grid runs whole on the calling thread.
/// Only the split changes with it, never a result [1].
pub(crate) const TASK_CELLS: usize = 1 << 14;

/// Fewest items of `cells_per_item` cells each per parallel task (see [`TASK_CELLS`]); a rayon
/// iterator given this as `with_min_len` runs on the calling thread when it cannot split [1].
#[inline]
pub(crate) fn min_items(cells_per_item: usize) -> usize {
    TASK_CELLS.div_ceil(cells_per_item.max(1))
}

/// Side walls (y = 0 and y = width).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SideWalls {
    /// Periodic in y.
    Periodic,
    /// Zero flux of every field (mirror walls).
    NoFlux,
}

/// A uniform grid of square cells.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Grid {
    /// Cells along x, the growth direction [1].
    pub nx: usize,
    /// Cells along y, the surface [1].
    pub ny: usize,
    /// Cell size dx = dy [m].
    pub spacing: f64,
    /// Boundary condition of the side walls.
    pub side_walls: SideWalls,
}

impl Grid {
    /// A grid covering `length` × `width` with cells of `spacing` (rounded to whole cells, at least 2
    /// each way) [m].
    pub fn covering(
        length: f64,
        width: f64,
        spacing: f64,
        side_walls: SideWalls,
    ) -> Result<Self, PhaseFieldError> {
        for (name, v) in [("grid length", length), ("grid width", width), ("grid spacing", spacing)] {
            if !(v.is_finite() && v > 0.0) {
                return Err(PhaseFieldError::Invalid { name: static_name(name), value: v, expected: "> 0" });
            }
        }
        let grid = Self {
            nx: ((length / spacing).round() as usize).max(2),
            ny: ((width / spacing).round() as usize).max(2),
            spacing,
            side_walls,
        };
        grid.validate()?;
        Ok(grid)
    }

    /// Checks sizes (at least 2 × 2, at most 2²⁸ cells) and spacing.
    pub fn validate(&self) -> Result<(), PhaseFieldError> {
        if self.nx < 2 || self.ny < 2 || self.nx.saturating_mul(self.ny) > (1 << 28) {
            return Err(PhaseFieldError::Invalid {
                name: "grid size",
                value: (self.nx * self.ny) as f64,
                expected: "at least 2 x 2 and at most 2^28 cells",
            });
        }
        if !(self.spacing.is_finite() && self.spacing > 0.0) {
            return Err(PhaseFieldError::Invalid {
                name: "grid spacing",
                value: self.spacing,
                expected: "> 0",
            });
        }
        Ok(())
    }

    /// Number of cells.
    pub fn len(&self) -> usize {
        self.nx * self.ny
    }

    /// Always false (a valid grid has at least 4 cells); for clippy's `len` convention.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Domain length along x [m].
    pub fn length(&self) -> f64 {
        self.nx as f64 * self.spacing
    }

    /// Domain width along y [m].
    pub fn width(&self) -> f64 {
        self.ny as f64 * self.spacing
    }

    /// Centre of cell column `i` [m].
    pub fn x(&self, i: usize) -> f64 {
        (i as f64 + 0.5) * self.spacing
    }

    /// Centre of cell row `j` [m].
    pub fn y(&self, j: usize) -> f64 {
        (j as f64 + 0.5) * self.spacing
    }

    /// The rows below and above row `j` (the row itself at a no-flux wall, the wrapped row when
    /// periodic).
    #[inline]
    pub fn neighbour_rows(&self, j: usize) -> (usize, usize) {
        let periodic = self.side_walls == SideWalls::Periodic;
        let below = if j > 0 {
            j - 1
        } else if periodic {
            self.ny - 1
        } else {
            0
        };
        let above = if j + 1 < self.ny {
            j + 1
        } else if periodic {
            0
        } else {
            j
        };
        (below, above)
    }
}

fn static_name(name: &str) -> &'static str {
    match name {
        "grid length" => "grid length",
        "grid width" => "grid width",
        _ => "grid spacing",
    }
}
