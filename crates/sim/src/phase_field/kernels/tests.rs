//! The fused, face-reusing kernels against the plain per-cell stencils they replaced (every face
//! evaluated from each side, one pass per field): the same numbers bit for bit, on a grid that is
//! neither a multiple of the block size nor square, for both side walls, both transports and all
//! far-plane conditions, with and without anisotropy.

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
    let (nx, ny) = (13, 11);
    let (xi, conc, phi) = fields(nx, ny);
    let l_eta: Vec<f64> = (0..ny).map(|j| 1.0 + 0.1 * j as f64).collect();
    for walls in [SideWalls::Periodic, SideWalls::NoFlux] {
        let g = Grid { nx, ny, spacing: 0.5e-6, side_walls: walls };
        for (chen, delta) in [(false, 0.05), (true, 0.05), (false, 0.0)] {
            let k = coefficients(chen, delta);
            let n = nx * ny;
            let (mut ac, mut a, mut c) = (vec![0.0; n], vec![0.0; n], vec![0.0; n]);
            let sums = reaction_terms(&k, &g, &l_eta, &xi, &conc, &phi, 3, &mut ac, &mut a, &mut c);
            let want = reference_reaction(&k, &g, &l_eta, &xi, &conc, &phi);
            let got: Vec<f64> = (0..n).flat_map(|p| [ac[p], a[p], c[p]]).collect();
            assert_eq!(got, want, "{walls:?} chen {chen} delta {delta}");
            assert!(sums.a > 0.0 && sums.c > 0.0);
            let (s, dt) = (0.3, 1e-4);
            for far in [Some(FarInflow::Reservoir), Some(FarInflow::Closed), None] {
                let tr = Transport { far, conc: &conc, phi: &phi };
                let (mut xn, mut rate, mut cn) = (vec![0.0; n], vec![0.0; n], vec![0.0; n]);
                let st = update_cells(&k, &g, s, dt, &xi, &ac, &a, &c, &tr, &mut xn, &mut rate, &mut cn);
                let (mut xp, mut rp) = (vec![0.0; n], vec![0.0; n]);
                let sp = update_phase(&k, nx, s, dt, &xi, &ac, &a, &c, &mut xp, &mut rp);
                assert_eq!((&xn, &rate), (&xp, &rp));
                assert_eq!(st.delta.to_bits(), sp.delta.to_bits());
                let u = 2e-9;
                let reference_far = far.unwrap_or(FarInflow::Flux(u));
                if far.is_none() {
                    add_far_inflow(nx, &k, dt, u, &mut cn);
                }
                let want = reference_salt(&k, &g, reference_far, dt, &xi, &xn, &conc, &phi);
                assert_eq!(cn, want, "{walls:?} chen {chen} delta {delta} far {reference_far:?}");
            }
        }
    }
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
