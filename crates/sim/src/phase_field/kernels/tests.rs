//! The fused, face-reusing kernels against the plain per-cell stencils they replaced (every face
//! evaluated from each side, one pass per field): the same numbers bit for bit, on a grid that is
//! neither a multiple of the block size nor square, for both side walls, both transports and all
//! far-plane conditions, with and without anisotropy; and on fields with bulk runs (exact 0 and 1
//! over most of the grid, as in a run), where the kernels skip the bulk cells: the skipped cells'
//! terms must be zero in the reference and every output the same bits.

use super::update::bernoulli;
use super::*;
use crate::phase_field::noise::uniform;

fn coefficients(chen: bool, delta: f64) -> Coefficients {
    Coefficients {
        dx: 0.5e-6,
        l_sigma: 1e-8,
        w: 3.0e6,
        kappa0: 1.5e-6,
        delta,
        cos4: 0.3f64.cos(),
        sin4: 0.3f64.sin(),
        alpha: 0.5,
        f: 38.9,
        chen,
        noise: 0.04,
        seed: 7,
        diffusivity: 3e-12,
        sink: 60.0,
        reaction: true,
    }
}

/// Fields with an interface band, exact zeros and ones, and rough values elsewhere.
fn fields(nx: usize, ny: usize) -> (Vec<f64>, Vec<f64>, Vec<f64>) {
    let n = nx * ny;
    let xi = (0..n)
        .map(|k| match k % 5 {
            0 => 0.0,
            1 => 1.0,
            _ => uniform(1, 0, k as u64),
        })
        .collect();
    let c = (0..n).map(|k| 0.2 + uniform(1, 1, k as u64)).collect();
    let phi = (0..n).map(|k| 0.01 * (uniform(1, 2, k as u64) - 0.5)).collect();
    (xi, c, phi)
}

/// Fields as in a run: metal (ξ = 1) up to a front with a profile, electrolyte (ξ = 0) beyond, a
/// nucleus, a row of a tiny tail value, a sharp 1 → 0 jump, rows wholly of one bulk value next to
/// rows of the other (when `ny` ≥ 11), rough c̃ and φ.
fn bulk_fields(nx: usize, ny: usize) -> (Vec<f64>, Vec<f64>, Vec<f64>) {
    let mut xi = vec![0.0; nx * ny];
    for j in 0..ny {
        for i in 0..nx {
            let d = i as f64 - 4.0 - if (3..6).contains(&j) { 5.0 } else { 0.0 };
            let v = 0.5 * (1.0 - (d / 1.5).tanh());
            xi[j * nx + i] = if v < 1e-6 { 0.0 } else { v };
        }
    }
    xi[6 * nx + 20] = 1e-25; // a lone tail value deep in the electrolyte
    for i in 0..nx {
        xi[7 * nx + i] = if i < 9 { 1.0 } else { 0.0 }; // a jump with no intermediate value
        if ny >= 11 {
            xi[9 * nx + i] = 1.0;
            xi[10 * nx + i] = 0.0;
        }
    }
    let (_, c, phi) = fields(nx, ny);
    (xi, c, phi)
}

/// The per-cell Allen-Cahn/Butler-Volmer stencil as first written.
fn reference_reaction(
    k: &Coefficients,
    g: &Grid,
    l_eta: &[f64],
    xi: &[f64],
    conc: &[f64],
    phi: &[f64],
) -> Vec<f64> {
    let (nx, inv_dx) = (g.nx, 1.0 / k.dx);
    let q = 0.25 * inv_dx;
    let no_flux_y = g.side_walls == SideWalls::NoFlux;
    let mut out = Vec::new();
    for j in 0..g.ny {
        let (jb, ja) = g.neighbour_rows(j);
        let (rb, r, ra) = rows3(xi, nx, j, jb, ja);
        let (wall_s, wall_n) = (no_flux_y && j == 0, no_flux_y && j + 1 == g.ny);
        for i in 0..nx {
            let (im, ip) = (i.saturating_sub(1), (i + 1).min(nx - 1));
            let p = r[i];
            let div = if k.delta == 0.0 {
                let e = if i + 1 < nx { r[ip] - p } else { 0.0 };
                let w = if i > 0 { r[im] - p } else { 0.0 };
                let n = if wall_n { 0.0 } else { ra[i] - p };
                let s = if wall_s { 0.0 } else { rb[i] - p };
                k.kappa0 * ((e + w) + (n + s)) * inv_dx * inv_dx
            } else {
                let fe = if i + 1 < nx {
                    k.flux_x((r[ip] - p) * inv_dx, ((ra[i] + ra[ip]) - (rb[i] + rb[ip])) * q)
                } else {
                    0.0
                };
                let fw = if i > 0 {
                    k.flux_x((p - r[im]) * inv_dx, ((ra[im] + ra[i]) - (rb[im] + rb[i])) * q)
                } else {
                    0.0
                };
                let fnn = if wall_n {
                    0.0
                } else {
                    k.flux_y(((r[ip] + ra[ip]) - (r[im] + ra[im])) * q, (ra[i] - p) * inv_dx)
                };
                let fs = if wall_s {
                    0.0
                } else {
                    k.flux_y(((r[ip] + rb[ip]) - (r[im] + rb[im])) * q, (p - rb[i]) * inv_dx)
                };
                ((fe - fw) + (fnn - fs)) * inv_dx
            };
            let g1 = 2.0 * k.w * p * (1.0 - p) * (1.0 - 2.0 * p);
            out.push(-k.l_sigma * (g1 - div));
            let hp = interpolation_slope(p);
            let (mut av, mut cv) = (0.0, 0.0);
            if hp > 1e-12 {
                let gs = crate::phase_field::noise::gaussian(k.seed, 3, (j * nx + i) as u64).clamp(-3.0, 3.0);
                let w = l_eta[j] * hp * (1.0 + k.noise * gs);
                let (cl, psi) = (conc[j * nx + i].max(0.0), k.f * phi[j * nx + i]);
                if k.chen {
                    av = w * (-(1.0 - k.alpha) * psi).exp();
                    cv = w * cl * (k.alpha * psi).exp();
                } else {
                    av = w * cl.sqrt() * (-(1.0 - k.alpha) * psi).exp();
                    cv = w * cl.sqrt() * (k.alpha * psi).exp();
                }
            }
            out.push(av);
            out.push(cv);
        }
    }
    out
}

/// The per-cell salt update as first written (each face from both sides).
#[allow(clippy::too_many_arguments)]
fn reference_salt(
    k: &Coefficients,
    g: &Grid,
    far: FarInflow,
    dt: f64,
    xi: &[f64],
    xi_new: &[f64],
    conc: &[f64],
    phi: &[f64],
) -> Vec<f64> {
    let nx = g.nx;
    let no_flux_y = g.side_walls == SideWalls::NoFlux;
    let lam = dt / (k.dx * k.dx);
    let d = |x: f64| k.diffusivity * (1.0 - interpolation(x));
    let mut out = vec![0.0; xi.len()];
    for j in 0..g.ny {
        let (jb, ja) = g.neighbour_rows(j);
        let (wall_s, wall_n) = (no_flux_y && j == 0, no_flux_y && j + 1 == g.ny);
        for i in 0..nx {
            let kk = j * nx + i;
            let (dp, cp) = (d(xi[kk]), conc[kk]);
            let face = |nb: usize| -> f64 {
                let df = harmonic(dp, d(xi[nb]));
                if df == 0.0 {
                    return 0.0;
                }
                if k.chen {
                    let dpsi = k.f * (phi[nb] - phi[kk]);
                    df * (bernoulli(-dpsi) * conc[nb] - bernoulli(dpsi) * cp)
                } else {
                    df * (conc[nb] - cp)
                }
            };
            let e = if i + 1 < nx { face(kk + 1) } else { 0.0 };
            let w = if i > 0 { face(kk - 1) } else { 0.0 };
            let n = if wall_n { 0.0 } else { face(ja * nx + i) };
            let s = if wall_s { 0.0 } else { face(jb * nx + i) };
            let mut v = cp + lam * ((e + w) + (n + s)) - k.sink * (xi_new[kk] - xi[kk]);
            if i + 1 == nx {
                v += match far {
                    FarInflow::Reservoir => 2.0 * lam * dp * (1.0 - cp),
                    FarInflow::Closed => 0.0,
                    FarInflow::Flux(u) => dt * u / k.dx,
                };
            }
            out[kk] = if v.abs() < FLUSH { 0.0 } else { v };
        }
    }
    out
}

#[test]
fn fused_kernels_equal_the_per_cell_stencils_bit_for_bit() {
    for (nx, ny) in [(13, 11), (61, 12)] {
        let rough = fields(nx, ny);
        let bulk = bulk_fields(nx, ny);
        for (xi, conc, phi) in [&rough, &bulk] {
            compare_with_reference(nx, ny, xi, conc, phi);
        }
    }
}

/// [`reaction_terms`], [`update_cells`] and [`update_phase`] against the per-cell stencils on one
/// set of fields, for both side walls, both transports, all far-plane conditions, with and
/// without anisotropy.
fn compare_with_reference(nx: usize, ny: usize, xi: &[f64], conc: &[f64], phi: &[f64]) {
    let l_eta: Vec<f64> = (0..ny).map(|j| 1.0 + 0.1 * j as f64).collect();
    for walls in [SideWalls::Periodic, SideWalls::NoFlux] {
        let g = Grid { nx, ny, spacing: 0.5e-6, side_walls: walls };
        for (chen, delta) in [(false, 0.05), (true, 0.05), (false, 0.0)] {
            let k = coefficients(chen, delta);
            let n = nx * ny;
            // Arrays start as NaN: a bulk cell's entry must be neither written nor read.
            let (mut ac, mut a, mut c) = (vec![f64::NAN; n], vec![f64::NAN; n], vec![f64::NAN; n]);
            let mut spans = vec![RowSpan::default(); ny];
            let sums = reaction_terms(&k, &g, &l_eta, xi, conc, phi, 3, &mut spans, &mut ac, &mut a, &mut c);
            let want = reference_reaction(&k, &g, &l_eta, xi, conc, phi);
            let mut skipped = 0;
            for p in 0..n {
                let (got, want) = ([ac[p], a[p], c[p]], [want[3 * p], want[3 * p + 1], want[3 * p + 2]]);
                if got[0].is_nan() {
                    skipped += 1;
                    assert_eq!(want, [0.0; 3], "cell {p} skipped but not bulk ({walls:?})");
                } else {
                    let bits = |v: [f64; 3]| v.map(f64::to_bits);
                    assert_eq!(bits(got), bits(want), "cell {p}: {walls:?} chen {chen} delta {delta}");
                }
            }
            let bulk_grid = xi.iter().filter(|&&x| x == 0.0 || x == 1.0).count() > n / 2;
            assert!(!bulk_grid || skipped > n / 4, "the bulk cells are skipped ({skipped} of {n})");
            let ref_sum = |o: usize| {
                (0..ny).map(|j| (0..nx).map(|i| want[3 * (j * nx + i) + o]).sum::<f64>()).sum::<f64>()
            };
            assert_eq!(sums.a.to_bits(), ref_sum(1).to_bits());
            assert_eq!(sums.c.to_bits(), ref_sum(2).to_bits());
            assert!(sums.a > 0.0 && sums.c > 0.0);
            let (s, dt) = (0.3, 1e-4);
            let re = Reaction { s, dt, spans: &spans, xi, ac: &ac, a: &a, c: &c };
            for far in [Some(FarInflow::Reservoir), Some(FarInflow::Closed), None] {
                let tr = Transport { far, conc, phi };
                let (mut xn, mut rate, mut cn) = (vec![f64::NAN; n], vec![f64::NAN; n], vec![f64::NAN; n]);
                let st = update_cells(&k, &g, &re, &tr, &mut xn, &mut rate, &mut cn);
                let (mut xp, mut rp) = (vec![f64::NAN; n], vec![f64::NAN; n]);
                let sp = update_phase(&k, &g, &re, &mut xp, &mut rp);
                let bits = |v: &[f64]| v.iter().map(|x| x.to_bits()).collect::<Vec<_>>();
                assert_eq!((bits(&xn), bits(&rate)), (bits(&xp), bits(&rp)));
                assert_eq!(st.delta.to_bits(), sp.delta.to_bits());
                let (want_x, want_rate) = reference_phase(&k, s, dt, xi, &want);
                assert_eq!(bits(&xn), bits(&want_x), "xi': {walls:?} chen {chen} delta {delta}");
                assert_eq!(bits(&rate), bits(&want_rate));
                let u = 2e-9;
                let reference_far = far.unwrap_or(FarInflow::Flux(u));
                if far.is_none() {
                    add_far_inflow(nx, &k, dt, u, &mut cn);
                }
                let want = reference_salt(&k, &g, reference_far, dt, xi, &xn, conc, phi);
                assert_eq!(
                    bits(&cn),
                    bits(&want),
                    "{walls:?} chen {chen} delta {delta} far {reference_far:?}"
                );
            }
        }
    }
}

/// The per-cell forward-Euler ξ update and ∂_tξ from the reference terms (`terms` as
/// [`reference_reaction`] returns them).
fn reference_phase(k: &Coefficients, s: f64, dt: f64, xi: &[f64], terms: &[f64]) -> (Vec<f64>, Vec<f64>) {
    let (ep, em) = (((1.0 - k.alpha) * s).exp(), (-k.alpha * s).exp());
    xi.iter()
        .enumerate()
        .map(|(p, &x)| {
            let (ac, a, c) = (terms[3 * p], terms[3 * p + 1], terms[3 * p + 2]);
            let v = x + dt * (ac + (c * em - a * ep));
            let v = if v.abs() < FLUSH { 0.0 } else { v };
            (v, (v - x) / dt)
        })
        .unzip()
}

/// Small grids run whole on the calling thread (grid::TASK_CELLS), so the thread-independence test
/// of tests/phase_field_physics.rs (48 × 32 cells) no longer splits; this grid splits the kernels
/// (17 blocks of 8 rows, at least 8 per task) and the fine multigrid level (136 rows, at least 64
/// per task) and must still give the same bits on 1 and 3 threads.
#[test]
fn a_grid_that_splits_gives_the_same_bits_on_1_and_3_threads() {
    use crate::phase_field::{Control, FarBoundary, Nucleus, Parameters, PhaseField, Setup};
    let (nx, ny) = (256, 136);
    assert!(ny / CHUNK_ROWS / 2 >= min_items(CHUNK_ROWS * nx), "the kernels must split");
    let run = |threads: usize| {
        let p = Parameters { noise_amplitude: 0.04, anisotropy_strength: 0.05, ..Parameters::default() };
        let grid = Grid { nx, ny, spacing: 0.5e-6, side_walls: SideWalls::Periodic };
        let mut s = Setup::new(grid, 5e-6, Control::Galvanostatic { current_density: 20.0 });
        s.nuclei = vec![Nucleus { y: 0.3 * grid.width(), radius: 2e-6 }];
        s.far_boundary = FarBoundary::CounterElectrode;
        let m = PhaseField::new(p, s).unwrap();
        let pool = rayon::ThreadPoolBuilder::new().num_threads(threads).build().unwrap();
        pool.install(|| {
            let mut st = m.initial_state();
            for _ in 0..4 {
                m.step(&mut st).unwrap();
            }
            [st.phase, st.concentration, st.potential, st.rate].concat()
        })
    };
    assert_eq!(run(1), run(3));
}
