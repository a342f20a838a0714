//! Peak fitting for Raman, FT-IR and XPS: line shapes with analytic derivatives, baselines
//! (linear, polynomial, ALS, arPLS, iterative Shirley, Tougaard, and Shirley / Tougaard / polynomial
//! fitted together with the peaks), constraints by ties, and areas and fractions with standard errors
//! from the covariance, all on the one least-squares engine `spelab_core::fit`.
//!
//! - [`shapes`]: Gaussian, Lorentzian, pseudo-Voigt, Voigt, Gaussian–Lorentzian product;
//! - [`baseline`]: baselines subtracted before the fit (linear, polynomial, ALS, arPLS);
//! - [`xps_background`]: iterative Shirley and Tougaard;
//! - [`model`]: components, parameters (free / fixed / tied), doublets, fitted backgrounds;
//! - [`fit`]: the fit and its results;
//! - [`detect`]: peak detection (scipy's prominence rule) and automatic start values;
//! - [`spectroscopy`]: the analyses (Raman TFSI⁻ speciation, XPS components and depth profiles,
//!   IR band positions and shifts).
//!
//! x values are in the display unit (cm⁻¹, eV), which keeps parameters O(1–1000) for the optimiser.
//!
//! ```
//! use spelab_analysis::peaks::{fit_peaks, Component, PeakModel, Shape};
//! use spelab_core::fit::FitOptions;
//! let x: Vec<f64> = (0..200).map(|i| 700.0 + 0.5 * i as f64).collect();
//! let truth = PeakModel::new(vec![Component::new("free", Shape::PseudoVoigt, 741.0, 6.0, 100.0)]);
//! let y: Vec<f64> = x.iter().map(|&v| 100.0 * spelab_analysis::peaks::shapes::profile(Shape::PseudoVoigt, v, 741.0, 6.0, 0.5)[0]).collect();
//! let start = PeakModel::new(vec![Component::new("free", Shape::PseudoVoigt, 740.0, 5.0, 80.0)]);
//! let fit = fit_peaks(&x, &y, &start, &FitOptions::default()).unwrap();
//! assert!((fit.components[0].center.0 - 741.0).abs() < 1e-8);
//! # let _ = truth;
//! ```

pub mod baseline;
pub mod detect;
pub mod fit;
pub mod model;
pub mod shapes;
pub mod spectroscopy;
pub mod xps_background;

pub use baseline::Baseline;
pub use detect::{find_peaks, guess_components, DetectedPeak};
pub use fit::{fit_peaks, ComponentFit, PeakFit};
pub use model::{Component, FitBackground, Param, PeakModel, Which};
pub use shapes::Shape;
