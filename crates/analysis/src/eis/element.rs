//! Circuit elements: the closed set of element kinds, their parameters (name, unit, bounds) and their
//! impedance with analytic derivatives.
//!
//! With s = jω (ω = 2πf [rad/s]), the impedances follow impedance.py 1.7.1 (`circuit_elements.py`):
//!
//! | kind | parameters | Z(ω) |
//! |---|---|---|
//! | `R` | R [Ω] | R |
//! | `C` | C [F] | 1 / (sC) |
//! | `L` | L [H] | sL |
//! | `CPE` | q [Ω⁻¹ sᵅ], alpha [-] | 1 / (q sᵅ) |
//! | `La` | L [H], alpha [-] | (sL)ᵅ (modified inductor, as impedance.py writes it) |
//! | `W` | A [Ω s^-½] | A (1 − j) / √ω |
//! | `Wo` | R [Ω], tau [s] | R coth(√(sτ)) / √(sτ) (finite-length, open/reflective end) |
//! | `Ws` | R [Ω], tau [s] | R tanh(√(sτ)) / √(sτ) (finite-length, short/transmissive end) |
//! | `G` | R [Ω], tau [s] | R / √(1 + sτ) (Gerischer) |
//! | `Gs` | R [Ω], tau [s], phi [-] | R / (√(1 + sτ) tanh(φ √(1 + sτ))) (finite-length Gerischer) |
//! | `K` | R [Ω], tau [s] | R / (1 + sτ) (Voigt RC by time constant) |
//! | `Zarc` | R [Ω], tau [s], gamma [-] | R / (1 + (sτ)^γ) |
//! | `TLMQ` | R_ion [Ω], q [Ω⁻¹ sᵞ], gamma [-] | √(R_ion Z_q) coth(√(R_ion / Z_q)), Z_q = 1/(q s^γ) (transmission line, CPE interface) |
//!
//! coth and tanh of a complex argument with positive real part are evaluated through e^(−2x), which
//! never overflows (impedance.py's `np.tanh` path overflows for large √(ωτ), its issue #291).

use num_complex::Complex64;
use serde::Serialize;
pub use spelab_core::fit::Bounds;

/// Imaginary unit.
const J: Complex64 = Complex64 { re: 0.0, im: 1.0 };

/// One kind of circuit element.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub enum ElementKind {
    /// Resistor.
    R,
    /// Capacitor.
    C,
    /// Inductor.
    L,
    /// Constant-phase element.
    Cpe,
    /// Modified inductor ((L s)ᵅ).
    La,
    /// Semi-infinite Warburg.
    W,
    /// Finite-length Warburg, open (reflective) boundary.
    Wo,
    /// Finite-length Warburg, short (transmissive) boundary.
    Ws,
    /// Gerischer element.
    G,
    /// Finite-length Gerischer element.
    Gs,
    /// RC element given by resistance and time constant.
    K,
    /// ZARC (Cole-Cole) element: R in parallel with a CPE, written by its time constant.
    Zarc,
    /// Transmission line with a CPE interface (de Levie).
    Tlmq,
}

/// What one parameter of an element kind is.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct ParamSpec {
    /// Short name, used after the dot (`CPE1.alpha`).
    pub name: &'static str,
    /// Unit as text ("Ohm", "F", "s", "" for dimensionless).
    pub unit: &'static str,
    /// Allowed range.
    pub bounds: Bounds,
}

const POS: Bounds = Bounds { lower: 0.0, upper: f64::INFINITY };
const EXPONENT: Bounds = Bounds { lower: 0.0, upper: 1.0 };

const fn p(name: &'static str, unit: &'static str, bounds: Bounds) -> ParamSpec {
    ParamSpec { name, unit, bounds }
}

impl ElementKind {
    /// Every kind, longest prefix first (the order the parser tries them).
    pub const ALL: [ElementKind; 13] = [
        ElementKind::Tlmq,
        ElementKind::Zarc,
        ElementKind::Cpe,
        ElementKind::La,
        ElementKind::Wo,
        ElementKind::Ws,
        ElementKind::Gs,
        ElementKind::R,
        ElementKind::C,
        ElementKind::L,
        ElementKind::W,
        ElementKind::G,
        ElementKind::K,
    ];

    /// The prefix that names this kind in a circuit string (`CPE` in `CPE1`).
    pub fn prefix(self) -> &'static str {
        match self {
            ElementKind::R => "R",
            ElementKind::C => "C",
            ElementKind::L => "L",
            ElementKind::Cpe => "CPE",
            ElementKind::La => "La",
            ElementKind::W => "W",
            ElementKind::Wo => "Wo",
            ElementKind::Ws => "Ws",
            ElementKind::G => "G",
            ElementKind::Gs => "Gs",
            ElementKind::K => "K",
            ElementKind::Zarc => "Zarc",
            ElementKind::Tlmq => "TLMQ",
        }
    }

    /// The kind whose prefix is exactly `prefix`; `ZARC` and `TLM` are accepted as aliases.
    pub fn from_prefix(prefix: &str) -> Option<ElementKind> {
        match prefix {
            "ZARC" => return Some(ElementKind::Zarc),
            "TLM" => return Some(ElementKind::Tlmq),
            _ => {}
        }
        Self::ALL.iter().copied().find(|k| k.prefix() == prefix)
    }

    /// The parameters of this kind, in impedance.py's order.
    pub fn params(self) -> &'static [ParamSpec] {
        match self {
            ElementKind::R => const { &[p("R", "Ohm", POS)] },
            ElementKind::C => const { &[p("C", "F", POS)] },
            ElementKind::L => const { &[p("L", "H", POS)] },
            ElementKind::Cpe => const { &[p("q", "Ohm^-1 s^alpha", POS), p("alpha", "", EXPONENT)] },
            ElementKind::La => const { &[p("L", "H", POS), p("alpha", "", EXPONENT)] },
            ElementKind::W => const { &[p("A", "Ohm s^-0.5", POS)] },
            ElementKind::Wo | ElementKind::Ws => const { &[p("R", "Ohm", POS), p("tau", "s", POS)] },
            ElementKind::G | ElementKind::K => const { &[p("R", "Ohm", POS), p("tau", "s", POS)] },
            ElementKind::Gs => const { &[p("R", "Ohm", POS), p("tau", "s", POS), p("phi", "", POS)] },
            ElementKind::Zarc => {
                const { &[p("R", "Ohm", POS), p("tau", "s", POS), p("gamma", "", EXPONENT)] }
            }
            ElementKind::Tlmq => {
                const { &[p("R_ion", "Ohm", POS), p("q", "Ohm^-1 s^gamma", POS), p("gamma", "", EXPONENT)] }
            }
        }
    }

    /// Number of parameters.
    pub fn n_params(self) -> usize {
        self.params().len()
    }

    /// Impedance at angular frequency `omega` [rad/s] with parameters `p` (in [`Self::params`] order)
    /// [Ω]; writes dZ/dp_k into `grad[k]` (`grad.len() == self.n_params()`).
    pub fn impedance(self, omega: f64, p: &[f64], grad: &mut [Complex64]) -> Complex64 {
        self.eval::<true>(&Omega::new(omega), p, grad)
    }

    /// Impedance at `w` with parameters `p`; with `GRAD` also writes dZ/dp_k into `grad[k]`, without
    /// it `grad` is not touched (may be empty). s = jω is purely imaginary, so ln s = ln ω + jπ/2 and
    /// √(sτ) = √(ωτ/2)(1 + j) are written out instead of evaluating complex logarithms and roots.
    #[inline]
    pub(crate) fn eval<const GRAD: bool>(self, w: &Omega, p: &[f64], grad: &mut [Complex64]) -> Complex64 {
        let omega = w.omega;
        match self {
            ElementKind::R => {
                if GRAD {
                    grad[0] = Complex64::new(1.0, 0.0);
                }
                Complex64::new(p[0], 0.0)
            }
            ElementKind::C => {
                // 1/(jωC) = −j/(ωC).
                let z = Complex64::new(0.0, -1.0 / (omega * p[0]));
                if GRAD {
                    grad[0] = -z / p[0];
                }
                z
            }
            ElementKind::L => {
                if GRAD {
                    grad[0] = Complex64::new(0.0, omega);
                }
                Complex64::new(0.0, omega * p[0])
            }
            ElementKind::Cpe => {
                // Z = q⁻¹ s^(−α) = q⁻¹ ω^(−α) e^(−jπα/2): dZ/dq = −Z/q, dZ/dα = −Z ln s.
                let (sin, cos) = (std::f64::consts::FRAC_PI_2 * p[1]).sin_cos();
                let z = (-p[1] * w.ln_omega).exp() / p[0] * Complex64::new(cos, -sin);
                if GRAD {
                    grad[0] = -z / p[0];
                    grad[1] = -z * w.ln_s();
                }
                z
            }
            ElementKind::La => {
                // impedance.py: Z = (L s)^α; dZ/dL = αZ/L, dZ/dα = Z ln(L s).
                let ln_ls = Complex64::new(w.ln_omega + p[0].ln(), std::f64::consts::FRAC_PI_2);
                let (sin, cos) = (std::f64::consts::FRAC_PI_2 * p[1]).sin_cos();
                let z = (p[1] * ln_ls.re).exp() * Complex64::new(cos, sin);
                if GRAD {
                    grad[0] = p[1] * z / p[0];
                    grad[1] = z * ln_ls;
                }
                z
            }
            ElementKind::W => {
                let unit = Complex64::new(1.0, -1.0) / omega.sqrt();
                if GRAD {
                    grad[0] = unit;
                }
                unit * p[0]
            }
            ElementKind::Wo => {
                // g(x) = coth(x)/x, x = √(sτ): dZ/dτ = R g'(x) x/(2τ) = R/(2τ) (1 − coth² x − coth(x)/x).
                let x = sqrt_s_tau(omega, p[1]);
                let ct = coth_diagonal(x.re);
                let g = ct / x;
                if GRAD {
                    grad[0] = g;
                    grad[1] = p[0] / (2.0 * p[1]) * (1.0 - ct * ct - g);
                }
                p[0] * g
            }
            ElementKind::Ws => {
                // h(x) = tanh(x)/x: dZ/dτ = R/(2τ) (1 − tanh² x − tanh(x)/x).
                let x = sqrt_s_tau(omega, p[1]);
                let th = 1.0 / coth_diagonal(x.re);
                let h = th / x;
                if GRAD {
                    grad[0] = h;
                    // Small |x|: 1 − tanh² x − tanh(x)/x = −2x²/3 + 8x⁴/15 − 34x⁶/105 (terms cancel).
                    let bracket = if x.norm() < 1e-2 {
                        let x2 = x * x;
                        x2 * (-2.0 / 3.0 + x2 * (8.0 / 15.0 - x2 * (34.0 / 105.0)))
                    } else {
                        1.0 - th * th - h
                    };
                    grad[1] = p[0] / (2.0 * p[1]) * bracket;
                }
                p[0] * h
            }
            ElementKind::K => {
                // Z = R/(1 + jωτ).
                let inv = 1.0 / Complex64::new(1.0, omega * p[1]);
                if GRAD {
                    grad[0] = inv;
                    grad[1] = -p[0] * Complex64::new(0.0, omega) * inv * inv;
                }
                p[0] * inv
            }
            ElementKind::Zarc => {
                // P = (sτ)^γ; Z = R/(1+P); dP/dτ = γP/τ, dP/dγ = P ln(sτ).
                let ln_st = Complex64::new(w.ln_omega + p[1].ln(), std::f64::consts::FRAC_PI_2);
                let (sin, cos) = (std::f64::consts::FRAC_PI_2 * p[2]).sin_cos();
                let pw = (p[2] * ln_st.re).exp() * Complex64::new(cos, sin);
                let inv = 1.0 / (1.0 + pw);
                if GRAD {
                    let dz_dp = -p[0] * inv * inv;
                    grad[0] = inv;
                    grad[1] = dz_dp * pw * p[2] / p[1];
                    grad[2] = dz_dp * pw * ln_st;
                }
                p[0] * inv
            }
            ElementKind::G | ElementKind::Gs | ElementKind::Tlmq => {
                if GRAD {
                    general(self, omega, p, grad)
                } else {
                    let mut scratch = [Complex64::new(0.0, 0.0); 3];
                    general(self, omega, p, &mut scratch)
                }
            }
        }
    }
}

/// An angular frequency ω [rad/s] with ln ω, computed once per frequency and shared by all elements.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Omega {
    /// ω [rad/s].
    pub(crate) omega: f64,
    /// ln ω.
    pub(crate) ln_omega: f64,
}

impl Omega {
    /// ω and its logarithm.
    pub(crate) fn new(omega: f64) -> Self {
        Self { omega, ln_omega: omega.ln() }
    }

    /// ln s = ln(jω) = ln ω + jπ/2.
    fn ln_s(&self) -> Complex64 {
        Complex64::new(self.ln_omega, std::f64::consts::FRAC_PI_2)
    }
}

/// √(jωτ) = √(ωτ/2) (1 + j).
fn sqrt_s_tau(omega: f64, tau: f64) -> Complex64 {
    let a = (0.5 * omega * tau).sqrt();
    Complex64::new(a, a)
}

/// coth(a(1 + j)) for a ≥ 0 as (2 + E)/(−E) with E = e^(−2x) − 1 = expm1(−2a) cos 2a + (cos 2a − 1)
/// − j e^(−2a) sin 2a, cos 2a − 1 = −2 sin² a: accurate for small a (no 1 − e cancellation) and
/// never overflowing for large a.
fn coth_diagonal(a: f64) -> Complex64 {
    if a > 20.0 {
        return Complex64::new(1.0, 0.0); // e^(−2a) < 5e-18: coth is 1 to the last bit
    }
    let (sin, cos) = a.sin_cos();
    let sin2 = sin * sin;
    let em1 = (-2.0 * a).exp_m1();
    let e = Complex64::new(em1 * (1.0 - 2.0 * sin2) - 2.0 * sin2, -2.0 * (em1 + 1.0) * sin * cos);
    (2.0 + e) / (-e)
}

/// The elements evaluated from s = jω by the general complex formulas (G, Gs, TLMQ).
fn general(kind: ElementKind, omega: f64, p: &[f64], grad: &mut [Complex64]) -> Complex64 {
    let s = J * omega;
    match kind {
        ElementKind::G => {
            let u = 1.0 + s * p[1];
            let inv_sqrt = 1.0 / u.sqrt();
            let z = p[0] * inv_sqrt;
            grad[0] = inv_sqrt;
            grad[1] = -z * s / (2.0 * u);
            z
        }
        ElementKind::Gs => {
            // Z = R / (u T), u = √(1 + sτ), T = tanh(φu).
            let u = (1.0 + s * p[1]).sqrt();
            let t = tanh(p[2] * u);
            let sech2 = 1.0 - t * t;
            let z = p[0] / (u * t);
            grad[0] = 1.0 / (u * t);
            let dz_du = -z / u - z / t * sech2 * p[2];
            grad[1] = dz_du * s / (2.0 * u);
            grad[2] = -z / t * sech2 * u;
            z
        }
        _ => tlmq(s, p, grad),
    }
}

/// TLMQ: Z = √(R Zq) coth(√(R/Zq)) with Zq = 1/(q s^γ) (impedance.py `TLMQ`).
fn tlmq(s: Complex64, p: &[f64], grad: &mut [Complex64]) -> Complex64 {
    let (r, q, gamma) = (p[0], p[1], p[2]);
    let ln_s = s.ln();
    let zq = (-gamma * ln_s).exp() / q;
    let a = (r * zq).sqrt(); // √(R Zq)
    let b = (r / zq).sqrt(); // √(R/Zq)
    let ct = coth(b);
    let z = a * ct;
    // dZ/dR: da/dR = a/(2R), db/dR = b/(2R), dcoth(b)/db = 1 − coth² = −csch².
    let dcoth = 1.0 - ct * ct;
    grad[0] = a / (2.0 * r) * coth_minus_b_csch2(b, ct);
    // dZ/dZq: da/dZq = a/(2Zq), db/dZq = −b/(2Zq); dZq/dq = −Zq/q, dZq/dγ = −Zq ln s.
    let dz_dzq = a / (2.0 * zq) * ct - a * dcoth * b / (2.0 * zq);
    grad[1] = dz_dzq * (-zq / q);
    grad[2] = dz_dzq * (-zq * ln_s);
    z
}

/// tanh(x) for complex x: num-complex's formula for moderate |Re x| (accurate near 0), e^(−2|x|)
/// beyond (never overflows).
pub(crate) fn tanh(x: Complex64) -> Complex64 {
    if x.re.abs() < 20.0 {
        x.tanh()
    } else if x.re > 0.0 {
        let e = (-2.0 * x).exp();
        (1.0 - e) / (1.0 + e)
    } else {
        let e = (2.0 * x).exp();
        (e - 1.0) / (e + 1.0)
    }
}

/// coth(x) = 1/tanh(x) for complex x.
pub(crate) fn coth(x: Complex64) -> Complex64 {
    1.0 / tanh(x)
}

/// coth(b) − b csch²(b), by its series for small |b| where the two terms cancel.
fn coth_minus_b_csch2(b: Complex64, ct: Complex64) -> Complex64 {
    if b.norm() < 1e-2 {
        let b2 = b * b;
        b * (2.0 / 3.0 - b2 * (4.0 / 45.0 - b2 * (4.0 / 315.0)))
    } else {
        ct + b * (1.0 - ct * ct)
    }
}
