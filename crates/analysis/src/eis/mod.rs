//! Electrochemical impedance spectroscopy: equivalent circuits and their fits.
//!
//! - [`circuit`]: impedance.py's circuit language parsed into a [`Circuit`] syntax tree;
//! - [`element`]: the closed set of element kinds with named parameters, units, bounds and analytic
//!   derivatives;
//! - [`fit`](mod@fit): complex nonlinear least squares with weighting, standard errors, automatic
//!   initial guesses ([`guess`]) and seeded multi-start;
//! - [`input`]: the checks every analysis makes of its spectrum (degenerate input is an error with
//!   its reason) and the warning on a flipped Z'';
//! - [`conductivity`]: σ = L/(R_b A) with R_b from a fitted element or the spectrum's shape;
//! - [`kk`]: the linear Kramers-Kronig test (lin-KK) with automatic number of RC elements;
//! - [`drt`]: distribution of relaxation times (Tikhonov + NNLS, λ by GCV) with peak detection.
//!
//! ```
//! use spelab_analysis::eis::Circuit;
//! let c: Circuit = "R0-p(R1,C1)-p(R2-Wo1,C2)".parse().unwrap();
//! assert_eq!(c.n_params(), 7);
//! let z = c.impedances(&[1.0], &[0.0165, 0.0087, 3.32, 0.0054, 0.063, 232.5, 0.22]);
//! assert!(z[0].re > 0.0 && z[0].im < 0.0);
//! ```

pub mod circuit;
pub mod conductivity;
pub mod drt;
pub mod element;
pub mod fit;
pub mod guess;
pub mod input;
pub mod kk;
mod node;
mod order;
mod program;

pub use circuit::{Circuit, CircuitParam, Element, Node, ParseError};
pub use element::{ElementKind, ParamSpec};
pub use fit::{fit, fit_circuit, standard_errors_at, CircuitFit, EisFitOptions, FittedParameter, Weighting};
