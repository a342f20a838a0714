//! Pass 2 of a step, once the metal potential is known: the forward-Euler ξ update
//! ([`update_phase`]) and, fused with it, the conservative explicit salt update ([`update_cells`]).
//!
//! A row is handled in three parts (see [`spans`](super::spans)): the active cells get the full
//! stencil, and the bulk runs at either end get ξ' = their bulk value and ∂_tξ = 0 without reading
//! the Allen-Cahn and Butler-Volmer arrays. The salt faces inside a bulk run all see the same D on
//! both sides, so their harmonic mean is computed once per run and the flux there is one multiply
//! (a loop the compiler vectorises); faces at the interface take the general form. Every number
//! is the one the per-cell stencil gives, bit for bit.

use rayon::prelude::*;

use super::spans::{Active, RowSpan};
use super::{interpolation, interpolation_slope, Coefficients, FarInflow, CHUNK_ROWS, FLUSH};
use crate::phase_field::grid::{min_items, Grid, SideWalls};

/// Statistics of [`update_phase`] and [`update_cells`].
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct PhaseStats {
    /// max over reacting cells of L_η,eff(e^{(1−α)fη} + c̃ e^{−αfη}) [1/s].
    pub stiffness: f64,
    /// max(ξ − 1, −ξ, 0).
    pub overshoot: f64,
    /// Σ(ξ' − ξ) over all cells.
    pub delta: f64,
    /// max |∂_tξ| [1/s].
    pub max_rate: f64,
    /// Cells left with c̃' < 0 ([`update_cells`] only).
    pub negative: u64,
}

impl PhaseStats {
    /// Row statistics folded in row order.
    fn fold(rows: &[PhaseStats]) -> PhaseStats {
        rows.iter().fold(PhaseStats::default(), |s, r| PhaseStats {
            stiffness: s.stiffness.max(r.stiffness),
            overshoot: s.overshoot.max(r.overshoot),
            delta: s.delta + r.delta,
            max_rate: s.max_rate.max(r.max_rate),
            negative: s.negative + r.negative,
        })
    }
}

/// The forward-Euler ξ update of one cell: ξ' = ξ + Δt(ac + C e^{−αs} − A e^{(1−α)s}) with
/// (ep, em) = (e^{(1−α)s}, e^{−αs}); writes ∂_tξ and updates the row statistics; returns ξ'.
#[allow(clippy::too_many_arguments)]
#[inline(always)]
fn phase_cell(
    p: f64,
    ac: f64,
    a: f64,
    c: f64,
    ep: f64,
    em: f64,
    dt: f64,
    rate: &mut f64,
    st: &mut PhaseStats,
) -> f64 {
    let (ea, ec) = (a * ep, c * em);
    let mut v = p + dt * (ac + (ec - ea));
    if v.abs() < FLUSH {
        v = 0.0;
    }
    let r = (v - p) / dt;
    *rate = r;
    // Plain comparisons instead of f64::max: the same values (a NaN is skipped by both), fewer
    // instructions on the per-cell dependency chain; max(ξ' − 1, −ξ') is ξ' − 1 exactly when ξ' > ½.
    if r.abs() > st.max_rate {
        st.max_rate = r.abs();
    }
    if ea + ec > 0.0 {
        let hp = interpolation_slope(p);
        let stiff = (ea + ec) / hp;
        if stiff > st.stiffness {
            st.stiffness = stiff;
        }
    }
    let over = if v > 0.5 { v - 1.0 } else { -v };
    if over > st.overshoot {
        st.overshoot = over;
    }
    st.delta += v - p;
    v
}

/// The inputs of pass 2 that come from pass 1 and the controller.
pub(crate) struct Reaction<'a> {
    /// s = fφ_s, the metal potential in units of RT/F [1].
    pub s: f64,
    /// Time step [s].
    pub dt: f64,
    /// The row spans of ξ ([`super::spans::row_spans`]).
    pub spans: &'a [RowSpan],
    /// ξ of the step's start.
    pub xi: &'a [f64],
    /// Allen-Cahn term, Butler-Volmer A and C (read at active cells only).
    pub ac: &'a [f64],
    pub a: &'a [f64],
    pub c: &'a [f64],
}

impl Reaction<'_> {
    /// (e^{(1−α)s}, e^{−αs}).
    fn exps(&self, k: &Coefficients) -> (f64, f64) {
        (((1.0 - k.alpha) * self.s).exp(), (-k.alpha * self.s).exp())
    }

    /// The active cells of row `j`.
    fn active(&self, grid: &Grid, j: usize) -> Active {
        let (jb, ja) = grid.neighbour_rows(j);
        Active::of(&self.spans[jb], &self.spans[j], &self.spans[ja], grid.nx)
    }
}

/// ξ' and ∂_tξ of the bulk cells `range` of a row: the bulk value `u` and 0.
#[inline]
fn bulk_phase(u: f64, out: &mut [f64], rate: &mut [f64]) {
    out.fill(u);
    rate.fill(0.0);
}

/// Pass 2 without transport: ξ' = ξ + Δt(ac + C e^{−αs} − A e^{(1−α)s}); stores ∂_tξ in `rate`.
pub(crate) fn update_phase(
    k: &Coefficients,
    grid: &Grid,
    re: &Reaction<'_>,
    xi_new: &mut [f64],
    rate: &mut [f64],
) -> PhaseStats {
    let nx = grid.nx;
    let (ep, em) = re.exps(k);
    let dt = re.dt;
    let mut rows = vec![PhaseStats::default(); grid.ny];
    xi_new
        .par_chunks_mut(nx)
        .zip(rate.par_chunks_mut(nx))
        .zip(rows.par_iter_mut())
        .enumerate()
        .with_min_len(min_items(nx).max(CHUNK_ROWS))
        .for_each(|(j, ((out, rt), st))| {
            let act = re.active(grid, j);
            bulk_phase(act.left, &mut out[..act.lo], &mut rt[..act.lo]);
            bulk_phase(act.right, &mut out[act.hi..], &mut rt[act.hi..]);
            let range = j * nx + act.lo..j * nx + act.hi;
            let (x, acr, ar, cr) =
                (&re.xi[range.clone()], &re.ac[range.clone()], &re.a[range.clone()], &re.c[range]);
            let (out, rt) = (&mut out[act.lo..act.hi], &mut rt[act.lo..act.hi]);
            for i in 0..out.len() {
                out[i] = phase_cell(x[i], acr[i], ar[i], cr[i], ep, em, dt, &mut rt[i], st);
            }
        });
    PhaseStats::fold(&rows)
}

/// Bernoulli function B(x) = x/(eˣ − 1) of the Scharfetter-Gummel flux.
#[inline]
pub(crate) fn bernoulli(x: f64) -> f64 {
    if x.abs() < 1e-6 {
        1.0 - 0.5 * x
    } else {
        x / x.exp_m1()
    }
}

/// Harmonic mean 2ab/(a + b), 0 when either is 0.
#[inline]
pub(crate) fn harmonic(a: f64, b: f64) -> f64 {
    let s = a + b;
    if s > 0.0 {
        2.0 * a * b / s
    } else {
        0.0
    }
}

/// The transport inputs of [`update_cells`].
pub(crate) struct Transport<'a> {
    /// Far-plane condition; `None` leaves the last column without its inflow, unflushed and
    /// uncounted, for [`add_far_inflow`] once the deposition current is known.
    pub far: Option<FarInflow>,
    /// c̃ of the step's start.
    pub conc: &'a [f64],
    /// φ (read by the Chen form's migration only).
    pub phi: &'a [f64],
}

/// Conservative face flux into cell `hi` from cell `lo` through a face of harmonic-mean
/// diffusivity `df` (the Chen form with the Scharfetter-Gummel weights of fΔφ), in Δx/Δt-free
/// units: df[B(−Δψ)c_lo − B(Δψ)c_hi] with Δψ = f(φ_lo − φ_hi) (B ≡ 1 without migration); +0 when
/// `df` is 0.
#[inline(always)]
fn face_flux(k: &Coefficients, df: f64, c_lo: f64, c_hi: f64, ph_lo: f64, ph_hi: f64) -> f64 {
    if df == 0.0 {
        return 0.0;
    }
    if k.chen {
        let dpsi = k.f * (ph_lo - ph_hi);
        df * (bernoulli(-dpsi) * c_lo - bernoulli(dpsi) * c_hi)
    } else {
        df * (c_lo - c_hi)
    }
}

/// D(ξ) = D(1 − h(ξ)).
#[inline(always)]
fn diffusivity(k: &Coefficients, x: f64) -> f64 {
    k.diffusivity * (1.0 - interpolation(x))
}

/// D(ξ) of one row of ξ with span `sp` into `out`: the bulk runs filled, the rest evaluated.
fn d_row(k: &Coefficients, xi: &[f64], sp: &RowSpan, out: &mut [f64]) {
    let nx = out.len();
    let (lo, hi) = (sp.lo.min(nx), sp.hi.max(sp.lo.min(nx)));
    out[..lo].fill(diffusivity(k, sp.left));
    out[hi..].fill(diffusivity(k, sp.right));
    for (o, &x) in out[lo..hi].iter_mut().zip(&xi[lo..hi]) {
        *o = diffusivity(k, x);
    }
}

/// One side of a face row: D, c̃ and φ of the cells on that side.
struct Side<'a> {
    d: &'a [f64],
    c: &'a [f64],
    p: &'a [f64],
}

/// Fluxes from side `l` into side `h` through `out.len()` faces: faces `..a` lie between two cells of
/// the left bulk values (face diffusivity `df.0`), faces `b..` between two of the right (`df.1`),
/// the rest take the general form.
fn salt_faces(
    k: &Coefficients,
    l: &Side<'_>,
    h: &Side<'_>,
    (a, b): (usize, usize),
    df: (f64, f64),
    out: &mut [f64],
) {
    let n = out.len();
    let b = b.clamp(a.min(n), n);
    let a = a.min(n);
    bulk_faces(k, df.0, l, h, 0..a, &mut out[..a]);
    bulk_faces(k, df.1, l, h, b..n, &mut out[b..]);
    let (dl, dh, cl, ch) = (&l.d[a..b], &h.d[a..b], &l.c[a..b], &h.c[a..b]);
    for (i, o) in out[a..b].iter_mut().enumerate() {
        let (pl, ph) = if k.chen { (l.p[a + i], h.p[a + i]) } else { (0.0, 0.0) };
        *o = face_flux(k, harmonic(dh[i], dl[i]), cl[i], ch[i], pl, ph);
    }
}

/// [`face_flux`] over faces `range` of one face diffusivity `df` (a loop without branches when the
/// transport has no migration).
fn bulk_faces(
    k: &Coefficients,
    df: f64,
    l: &Side<'_>,
    h: &Side<'_>,
    range: std::ops::Range<usize>,
    out: &mut [f64],
) {
    let (cl, ch) = (&l.c[range.clone()], &h.c[range.clone()]);
    if df == 0.0 {
        out.fill(0.0);
    } else if !k.chen {
        for ((o, &a), &b) in out.iter_mut().zip(cl).zip(ch) {
            *o = df * (a - b);
        }
    } else {
        let (pl, ph) = (&l.p[range.clone()], &h.p[range]);
        for (i, o) in out.iter_mut().enumerate() {
            *o = face_flux(k, df, cl[i], ch[i], pl[i], ph[i]);
        }
    }
}

/// A row of a field.
#[inline(always)]
fn row(v: &[f64], nx: usize, j: usize) -> &[f64] {
    &v[j * nx..(j + 1) * nx]
}

/// Salt fluxes through the face row between rows `lo` and `hi` (into `hi`), given D of both rows.
fn y_faces(
    k: &Coefficients,
    tr: &Transport<'_>,
    spans: &[RowSpan],
    (lo, hi): (usize, usize),
    d: (&[f64], &[f64]),
    out: &mut [f64],
) {
    let nx = out.len();
    fn side<'a>(k: &Coefficients, tr: &Transport<'a>, nx: usize, j: usize, d: &'a [f64]) -> Side<'a> {
        Side { d: &d[..nx], c: row(tr.conc, nx, j), p: if k.chen { row(tr.phi, nx, j) } else { &[] } }
    }
    let (sl, sh) = (&spans[lo], &spans[hi]);
    let bulk = (sl.lo.min(sh.lo), sl.hi.max(sh.hi));
    let df = (
        harmonic(diffusivity(k, sh.left), diffusivity(k, sl.left)),
        harmonic(diffusivity(k, sh.right), diffusivity(k, sl.right)),
    );
    salt_faces(k, &side(k, tr, nx, lo, d.0), &side(k, tr, nx, hi, d.1), bulk, df, out);
}

/// Salt fluxes through the x faces of row `j` (D in `d`): `fxw[i]` is the flux into cell i from
/// cell i − 1, with `fxw[0] = fxw[nx] = 0` (no flux through the ends; the far inflow is added apart).
fn x_faces(k: &Coefficients, tr: &Transport<'_>, sp: &RowSpan, j: usize, d: &[f64], fxw: &mut [f64]) {
    let nx = d.len();
    let (c, p) = (row(tr.conc, nx, j), if k.chen { row(tr.phi, nx, j) } else { &[][..] });
    let pp = |r: std::ops::Range<usize>| if k.chen { &p[r] } else { &[][..] };
    let l = Side { d: &d[..nx - 1], c: &c[..nx - 1], p: pp(0..nx - 1) };
    let h = Side { d: &d[1..], c: &c[1..], p: pp(1..nx) };
    let dl = diffusivity(k, sp.left);
    let dr = diffusivity(k, sp.right);
    let bulk = (sp.lo.saturating_sub(1), sp.hi);
    salt_faces(k, &l, &h, bulk, (harmonic(dl, dl), harmonic(dr, dr)), &mut fxw[1..nx]);
    fxw[0] = 0.0;
    fxw[nx] = 0.0;
}

/// c̃' = c̃ + Δt/Δx² (net face inflow) − sink·Δξ of one cell, with its four face fluxes taken in the
/// order of the per-cell stencil (east, west, north, south).
#[inline(always)]
fn salt_cell(
    cp: f64,
    lam: f64,
    east_in: f64,
    west_in: f64,
    north_out: f64,
    south_in: f64,
    sink_dxi: f64,
) -> f64 {
    let (e, w, n, so) = (-east_in, west_in, -north_out, south_in);
    cp + lam * ((e + w) + (n + so)) - sink_dxi
}

/// Flushes a c̃' below [`FLUSH`] to 0 and counts it when negative.
#[inline(always)]
fn flushed(mut cv: f64, negative: &mut u64) -> f64 {
    if cv.abs() < FLUSH {
        cv = 0.0;
    }
    *negative += (cv < 0.0) as u64;
    cv
}

/// Salt update of the bulk cells `i0..i0 + co.len()` of a row (Δξ = 0 there): c̃' from the face
/// fluxes, flushed and counted.
fn bulk_salt(lam: f64, sink0: f64, i0: usize, rows: &SaltRow<'_>, co: &mut [f64], negative: &mut u64) {
    let n = co.len();
    let (cp, fxw) = (&rows.cp[i0..i0 + n], &rows.fxw[i0..i0 + n + 1]);
    let (f_s, f_n) = (&rows.f_s[i0..i0 + n], &rows.f_n[i0..i0 + n]);
    let mut neg = 0;
    for i in 0..n {
        co[i] = flushed(salt_cell(cp[i], lam, fxw[i + 1], fxw[i], f_n[i], f_s[i], sink0), &mut neg);
    }
    *negative += neg;
}

/// The row data of a salt update: c̃, x-face fluxes (`nx + 1`), south and north face fluxes.
struct SaltRow<'a> {
    cp: &'a [f64],
    fxw: &'a [f64],
    f_s: &'a [f64],
    f_n: &'a [f64],
}

/// Per-task buffers of [`update_cells`]: D(ξ) of the rows below, at and above, the salt fluxes
/// through the south and north faces of the row, and through its x faces.
struct Rows {
    d: [Vec<f64>; 3],
    f: [Vec<f64>; 2],
    fxw: Vec<f64>,
}

/// Pass 2 with explicit transport, fused: ξ' as [`update_phase`], and c̃' = c̃ + Δt ∇·(D(ξ)∇c̃
/// [+ migration]) − sink·(ξ' − ξ) by conservative face fluxes with D(ξ) = D(1 − h(ξ)) at the old ξ.
/// Writes ξ', ∂_tξ and c̃'; the statistics count the cells left with c̃' < 0.
pub(crate) fn update_cells(
    k: &Coefficients,
    grid: &Grid,
    re: &Reaction<'_>,
    tr: &Transport<'_>,
    xi_new: &mut [f64],
    rate: &mut [f64],
    c_new: &mut [f64],
) -> PhaseStats {
    let (nx, ny) = (grid.nx, grid.ny);
    let no_flux_y = grid.side_walls == SideWalls::NoFlux;
    let (ep, em) = re.exps(k);
    let dt = re.dt;
    let lam = dt / (k.dx * k.dx);
    // −sink·Δξ of a bulk cell, whose Δξ is +0.
    let sink0 = k.sink * 0.0;
    let spans = re.spans;
    let d_of = |j: usize, out: &mut [f64]| d_row(k, row(re.xi, nx, j), &spans[j], out);
    let block = CHUNK_ROWS * nx;
    let mut rows = vec![PhaseStats::default(); ny];
    xi_new
        .par_chunks_mut(block)
        .zip(rate.par_chunks_mut(block))
        .zip(c_new.par_chunks_mut(block))
        .zip(rows.par_chunks_mut(CHUNK_ROWS))
        .enumerate()
        .with_min_len(min_items(block))
        .for_each_init(
            || Rows {
                d: [vec![0.0; nx], vec![0.0; nx], vec![0.0; nx]],
                f: [vec![0.0; nx], vec![0.0; nx]],
                fxw: vec![0.0; nx + 1],
            },
            |buf, (b, (((x_b, r_b), c_b), st_b))| {
                let j0 = b * CHUNK_ROWS;
                for (r_, st) in st_b.iter_mut().enumerate() {
                    let j = j0 + r_;
                    let (jb, ja) = grid.neighbour_rows(j);
                    let (wall_s, wall_n) = (no_flux_y && j == 0, no_flux_y && j + 1 == ny);
                    if r_ == 0 {
                        d_of(j, &mut buf.d[1]);
                        d_of(jb, &mut buf.d[0]);
                        let [d0, d1, _] = &buf.d;
                        if wall_s {
                            buf.f[0].fill(0.0);
                        } else {
                            y_faces(k, tr, spans, (jb, j), (d0, d1), &mut buf.f[0]);
                        }
                    }
                    d_of(ja, &mut buf.d[2]);
                    let [_, d1, d2] = &buf.d;
                    if wall_n {
                        buf.f[1].fill(0.0);
                    } else {
                        y_faces(k, tr, spans, (j, ja), (d1, d2), &mut buf.f[1]);
                    }
                    x_faces(k, tr, &spans[j], j, d1, &mut buf.fxw);
                    let sr = SaltRow {
                        cp: row(tr.conc, nx, j),
                        fxw: &buf.fxw,
                        f_s: &buf.f[0][..nx],
                        f_n: &buf.f[1][..nx],
                    };
                    let out = &mut x_b[r_ * nx..(r_ + 1) * nx];
                    let rt = &mut r_b[r_ * nx..(r_ + 1) * nx];
                    let co = &mut c_b[r_ * nx..(r_ + 1) * nx];
                    let act = re.active(grid, j);
                    // The last column is finished apart (far-plane condition).
                    let last = nx - 1;
                    let (lo, hi) = (act.lo.min(last), act.hi.min(last));
                    bulk_phase(act.left, &mut out[..act.lo], &mut rt[..act.lo]);
                    bulk_phase(act.right, &mut out[act.hi..], &mut rt[act.hi..]);
                    bulk_salt(lam, sink0, 0, &sr, &mut co[..lo], &mut st.negative);
                    bulk_salt(lam, sink0, hi, &sr, &mut co[hi..last], &mut st.negative);
                    let base = j * nx;
                    let cell = |i: usize, out: &mut [f64], rt: &mut [f64], st: &mut PhaseStats| {
                        let p = re.xi[base + i];
                        let (ac, a, c) = (re.ac[base + i], re.a[base + i], re.c[base + i]);
                        let v = phase_cell(p, ac, a, c, ep, em, dt, &mut rt[i], st);
                        out[i] = v;
                        salt_cell(
                            sr.cp[i],
                            lam,
                            sr.fxw[i + 1],
                            sr.fxw[i],
                            sr.f_n[i],
                            sr.f_s[i],
                            k.sink * (v - p),
                        )
                    };
                    for (i, slot) in (lo..hi).zip(&mut co[lo..hi]) {
                        *slot = flushed(cell(i, out, rt, st), &mut st.negative);
                    }
                    let i = last;
                    let (cp, dm) = (sr.cp[i], d1[i]);
                    let cv = if (act.lo..act.hi).contains(&i) {
                        cell(i, out, rt, st)
                    } else {
                        salt_cell(cp, lam, sr.fxw[i + 1], sr.fxw[i], sr.f_n[i], sr.f_s[i], sink0)
                    };
                    co[i] = match tr.far {
                        Some(FarInflow::Reservoir) => {
                            flushed(cv + 2.0 * lam * dm * (1.0 - cp), &mut st.negative)
                        }
                        Some(FarInflow::Flux(u)) => flushed(cv + dt * u / k.dx, &mut st.negative),
                        Some(FarInflow::Closed) => flushed(cv, &mut st.negative),
                        None => cv,
                    };
                    buf.d.rotate_left(1);
                    buf.f.swap(0, 1);
                }
            },
        );
    PhaseStats::fold(&rows)
}

/// Adds the far-plane inflow Δt·u/Δx to the last column left open by [`update_cells`] with
/// `far: None`, then flushes it; returns the cells left with c̃' < 0 [u in c̃ m/s].
pub(crate) fn add_far_inflow(nx: usize, k: &Coefficients, dt: f64, u: f64, c_new: &mut [f64]) -> u64 {
    let mut negative = 0;
    for row in c_new.chunks_mut(nx) {
        let cv = &mut row[nx - 1];
        *cv += dt * u / k.dx;
        if cv.abs() < FLUSH {
            *cv = 0.0;
        }
        if *cv < 0.0 {
            negative += 1;
        }
    }
    negative
}
