//! Automatic initial guesses from the shape of the spectrum, so a circuit can be fitted without
//! guessing (impedance.py issue #2).
//!
//! Features read from the data (capacitive points, Z'' < 0, when there are at least three):
//! - high-frequency intercept R∞ = smallest Z';
//! - the spread ΔR = Z'(lowest f) − R∞, shared among the resistive elements inside parallel blocks
//!   and the diffusion elements;
//! - arc apexes: local maxima of −Z'' (highest frequency first) give time constants τ = 1/(2πf_apex);
//!   parallel blocks get the apex τ in order of appearance, missing ones spread over the
//!   measured decades;
//! - the low-frequency tail: |Z''| and ω at the lowest frequency size series capacitors, CPEs and
//!   Warburg coefficients.
//!
//! Each element then gets values from its role: series R → R∞; R in a block → ΔR share;
//! C in a block → τ/R; CPE in a block → τ^α/R with α = 0.8; series C/CPE → from the tail;
//! Wo/Ws → (ΔR share, 1/(2π f_min)); Zarc/K/G → (ΔR share, τ_block, 0.8).

use num_complex::Complex64;
use spelab_core::ImpedanceSpectrum;

use super::circuit::{Circuit, Node};
use super::element::ElementKind;

/// Shape features of a spectrum.
struct Features {
    r_inf: f64,
    spread: f64,
    taus: Vec<f64>,
    omega_min: f64,
    omega_max: f64,
    tail_imag: f64,
    hf_imag: f64,
}

fn features(spectrum: &ImpedanceSpectrum) -> Features {
    let sorted = spectrum.sorted_descending();
    let f = sorted.frequency();
    let z = sorted.impedance();
    let capacitive: Vec<usize> = (0..z.len()).filter(|&i| z[i].im < 0.0).collect();
    let use_idx: Vec<usize> = if capacitive.len() >= 3 { capacitive } else { (0..z.len()).collect() };
    let re: Vec<f64> = use_idx.iter().map(|&i| z[i].re).collect();
    let r_inf = re.iter().copied().fold(f64::INFINITY, f64::min).max(0.0);
    let last = *use_idx.last().unwrap_or(&0);
    let spread = (z[last].re - r_inf).abs().max(1e-3 * z[last].norm()).max(1e-12);
    // Local maxima of −Z'' along decreasing frequency.
    let mut taus = Vec::new();
    for w in use_idx.windows(3) {
        let (a, b, c) = (-z[w[0]].im, -z[w[1]].im, -z[w[2]].im);
        if b > a && b >= c {
            taus.push(1.0 / (2.0 * std::f64::consts::PI * f[w[1]]));
        }
    }
    let tau_pi = 2.0 * std::f64::consts::PI;
    Features {
        r_inf,
        spread,
        taus,
        omega_min: tau_pi * f[f.len() - 1],
        omega_max: tau_pi * f[0],
        tail_imag: z[last].im.abs().max(1e-12),
        hf_imag: z[0].im,
    }
}

/// Where an element sits: in series at the top, or inside the k-th top-level parallel block.
#[derive(Clone, Copy)]
enum Place {
    Series,
    Block(usize),
}

fn places(node: &Node, place: Place, blocks: &mut usize, out: &mut Vec<Place>) {
    match node {
        Node::Element(_) => out.push(place),
        Node::Series(items) => items.iter().for_each(|i| places(i, place, blocks, out)),
        Node::Parallel(items) => {
            let place = match place {
                Place::Series => {
                    *blocks += 1;
                    Place::Block(*blocks - 1)
                }
                inner => inner,
            };
            items.iter().for_each(|i| places(i, place, blocks, out));
        }
    }
}

/// Initial values for every parameter of `circuit`, in parameter order, from `spectrum`'s shape.
pub fn initial_guess(circuit: &Circuit, spectrum: &ImpedanceSpectrum) -> Vec<f64> {
    let ft = features(spectrum);
    let mut where_ = Vec::new();
    let mut n_blocks = 0;
    places(circuit.root(), Place::Series, &mut n_blocks, &mut where_);
    // Time constant of each block: measured apexes first, then spread log-uniformly.
    let block_tau = |k: usize| -> f64 {
        if let Some(t) = ft.taus.get(k) {
            return *t;
        }
        let (lo, hi) = (ft.omega_min.ln(), ft.omega_max.ln());
        let frac = (k as f64 + 1.0) / (n_blocks as f64 + 1.0);
        1.0 / (hi - frac * (hi - lo)).exp()
    };
    let elements = circuit.elements();
    let sharing = elements
        .iter()
        .zip(&where_)
        .filter(|(e, p)| {
            matches!(
                (e.kind, p),
                (
                    ElementKind::Wo
                        | ElementKind::Ws
                        | ElementKind::G
                        | ElementKind::Gs
                        | ElementKind::Zarc
                        | ElementKind::K
                        | ElementKind::Tlmq,
                    _
                ) | (ElementKind::R, Place::Block(_))
            )
        })
        .count()
        .max(1);
    let series_r = elements
        .iter()
        .zip(&where_)
        .filter(|(e, p)| e.kind == ElementKind::R && matches!(p, Place::Series))
        .count()
        .max(1);
    let share = ft.spread / sharing as f64;
    let alpha = 0.8;
    let tail_c = 1.0 / (ft.omega_min * ft.tail_imag);
    let mut out = Vec::with_capacity(circuit.n_params());
    for (e, place) in elements.iter().zip(&where_) {
        let tau = match place {
            Place::Block(k) => block_tau(*k),
            Place::Series => 1.0 / ft.omega_min,
        };
        let values: Vec<f64> = match (e.kind, place) {
            (ElementKind::R, Place::Series) => vec![(ft.r_inf / series_r as f64).max(1e-3 * ft.spread)],
            (ElementKind::R, Place::Block(_)) => vec![share],
            (ElementKind::C, Place::Block(_)) => vec![tau / share],
            (ElementKind::C, Place::Series) => vec![tail_c],
            (ElementKind::Cpe, Place::Block(_)) => vec![tau.powf(alpha) / share, alpha],
            (ElementKind::Cpe, Place::Series) => {
                vec![1.0 / (ft.tail_imag * ft.omega_min.powf(alpha)), alpha]
            }
            (ElementKind::L, _) => {
                vec![(ft.hf_imag.max(0.0) / ft.omega_max).max(1e-3 * share / ft.omega_max)]
            }
            (ElementKind::La, _) => vec![1e-3 * share / ft.omega_max, alpha],
            (ElementKind::W, _) => vec![ft.tail_imag * ft.omega_min.sqrt() / 2.0],
            (ElementKind::Wo | ElementKind::Ws, _) => vec![share, 1.0 / ft.omega_min],
            (ElementKind::G | ElementKind::K, _) => vec![share, tau],
            (ElementKind::Gs, _) => vec![share, tau, 1.0],
            (ElementKind::Zarc, _) => vec![share, tau, alpha],
            (ElementKind::Tlmq, _) => vec![share, tau.powf(alpha) / share, alpha],
        };
        out.extend(values.into_iter().map(|v| if v.is_finite() && v > 0.0 { v } else { 1.0 }));
    }
    debug_assert_eq!(out.len(), circuit.n_params());
    out
}

/// The frequency [Hz] at which −Z'' has its largest value, or `None` for an all-inductive spectrum.
pub fn apex_frequency(spectrum: &ImpedanceSpectrum) -> Option<f64> {
    let z: &[Complex64] = spectrum.impedance();
    (0..z.len())
        .filter(|&i| z[i].im < 0.0)
        .max_by(|&a, &b| (-z[a].im).total_cmp(&-z[b].im))
        .map(|i| spectrum.frequency()[i])
}
