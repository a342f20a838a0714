//! The peak model: components with a line shape and four parameters (area, centre, width, shape
//! parameter), each free within bounds, fixed, or tied to another as p = scale · q + offset; and an
//! optional background fitted together with the peaks.
//!
//! Ties express every constraint the issue asks for: shared widths or η (scale 1, offset 0), fixed
//! area ratios (scale = ratio), spin–orbit doublets (centre offset = splitting, area scale = branching
//! ratio, shared width and η; [`PeakModel::add_doublet`]).
//!
//! Backgrounds fitted with the peaks ([`FitBackground`]):
//! - a polynomial in t = 2(x − x_min)/(x_max − x_min) − 1 (degree 0 is a constant offset);
//! - active Shirley: B(x) = c₀ + k ∫_{x_low}^{x} P(x′) dx′, P the sum of the peaks (lmfitxps's `ShirleyBG`
//!   idea, on a binding-energy axis where the step rises towards higher binding energy);
//! - active Tougaard: B(x) = c₀ + B_T ∫ K(x − x′) P(x′) dx′ over x′ < x, K the universal cross-section.

use serde::{Deserialize, Serialize};

use super::shapes::Shape;
use crate::AnalysisError;

/// Which parameter of a component.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Which {
    /// Integrated area (intensity × x unit).
    Area,
    /// Centre position (x unit).
    Center,
    /// Width: the FWHM (the Gaussian FWHM for a Voigt) (x unit).
    Width,
    /// Shape parameter: η for pseudo-Voigt, m for GL product, Lorentzian FWHM for Voigt.
    Mix,
}

impl Which {
    fn index(self) -> usize {
        match self {
            Which::Area => 0,
            Which::Center => 1,
            Which::Width => 2,
            Which::Mix => 3,
        }
    }
}

/// One parameter's status.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Param {
    /// Fitted from `value`, within [lower, upper] (either may be infinite).
    Free {
        /// Start value.
        value: f64,
        /// Lower bound.
        lower: f64,
        /// Upper bound.
        upper: f64,
    },
    /// Held at this value.
    Fixed(f64),
    /// scale × (component `component`'s parameter `which`) + offset.
    Tied {
        /// The component tied to.
        component: usize,
        /// Its parameter.
        which: Which,
        /// Multiplier.
        scale: f64,
        /// Offset (x unit for centres).
        offset: f64,
    },
}

impl Param {
    /// A free parameter with no bounds.
    pub fn free(value: f64) -> Param {
        Param::Free { value, lower: f64::NEG_INFINITY, upper: f64::INFINITY }
    }

    /// A free parameter within [lower, upper].
    pub fn bounded(value: f64, lower: f64, upper: f64) -> Param {
        Param::Free { value, lower, upper }
    }
}

/// One peak.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Component {
    /// Name shown in tables and figures ("free TFSI⁻", "Mo 3d5/2").
    pub label: String,
    /// Line shape.
    pub shape: Shape,
    /// Area (≥ 0 by default).
    pub area: Param,
    /// Centre.
    pub center: Param,
    /// Width (FWHM; Gaussian FWHM for a Voigt) (> 0 by default).
    pub width: Param,
    /// Shape parameter (see [`Which::Mix`]).
    pub mix: Param,
}

impl Component {
    /// A component with start values: area ≥ 0, free centre, width > 0, and the shape parameter free in
    /// its range (η and m in [0, 1] from 0.5 and 0.3; the Voigt's Lorentzian FWHM ≥ 0 from width/2),
    /// fixed at 0 for Gaussian and Lorentzian.
    pub fn new(label: impl Into<String>, shape: Shape, center: f64, width: f64, area: f64) -> Component {
        let mix = match shape {
            Shape::Gaussian | Shape::Lorentzian => Param::Fixed(0.0),
            Shape::PseudoVoigt => Param::bounded(0.5, 0.0, 1.0),
            Shape::GaussLorentzProduct => Param::bounded(0.3, 0.0, 1.0),
            Shape::Voigt => Param::bounded(width / 2.0, 0.0, f64::INFINITY),
        };
        Component {
            label: label.into(),
            shape,
            area: Param::bounded(area.max(0.0), 0.0, f64::INFINITY),
            center: Param::free(center),
            width: Param::bounded(width, 0.0, f64::INFINITY),
            mix,
        }
    }

    /// Bounds the centre to [lower, upper] (start value clamped inside).
    pub fn center_within(mut self, lower: f64, upper: f64) -> Component {
        let v = self.start(Which::Center).clamp(lower, upper);
        self.center = Param::bounded(v, lower, upper);
        self
    }

    /// Bounds the width to [lower, upper] (start value clamped inside).
    pub fn width_within(mut self, lower: f64, upper: f64) -> Component {
        let v = self.start(Which::Width).clamp(lower, upper);
        self.width = Param::bounded(v, lower, upper);
        self
    }

    /// Replaces the shape parameter's status.
    pub fn with_mix(mut self, mix: Param) -> Component {
        self.mix = mix;
        self
    }

    /// The parameter `which`.
    pub fn param(&self, which: Which) -> &Param {
        match which {
            Which::Area => &self.area,
            Which::Center => &self.center,
            Which::Width => &self.width,
            Which::Mix => &self.mix,
        }
    }

    fn param_mut(&mut self, which: Which) -> &mut Param {
        match which {
            Which::Area => &mut self.area,
            Which::Center => &mut self.center,
            Which::Width => &mut self.width,
            Which::Mix => &mut self.mix,
        }
    }

    /// Start (or fixed) value of `which`; 0 for a tie (resolved when compiled).
    fn start(&self, which: Which) -> f64 {
        match *self.param(which) {
            Param::Free { value, .. } | Param::Fixed(value) => value,
            Param::Tied { .. } => 0.0,
        }
    }
}

/// A background fitted together with the peaks.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "kind")]
pub enum FitBackground {
    /// No background term.
    None,
    /// Polynomial of this degree in the scaled abscissa.
    Polynomial {
        /// Degree (0 = constant offset).
        degree: usize,
    },
    /// Active Shirley: c₀ + k × cumulative integral of the peaks.
    Shirley,
    /// Active Tougaard with the universal cross-section constant `c` [eV²] (1643 by default).
    Tougaard {
        /// C of K(T) = T/(C + T²)² [eV²].
        c: f64,
    },
}

impl FitBackground {
    /// Number of background parameters.
    pub fn n_params(&self) -> usize {
        match *self {
            FitBackground::None => 0,
            FitBackground::Polynomial { degree } => degree + 1,
            FitBackground::Shirley | FitBackground::Tougaard { .. } => 2,
        }
    }
}

/// Components plus a fitted background.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PeakModel {
    /// The peaks.
    pub components: Vec<Component>,
    /// The background fitted with them.
    pub background: FitBackground,
}

impl PeakModel {
    /// A model of `components` with no fitted background.
    pub fn new(components: Vec<Component>) -> PeakModel {
        PeakModel { components, background: FitBackground::None }
    }

    /// Sets the background fitted with the peaks.
    pub fn with_background(mut self, background: FitBackground) -> PeakModel {
        self.background = background;
        self
    }

    /// Ties `target`'s parameter `which` to `scale` × `source`'s + `offset`.
    pub fn tie(&mut self, target: usize, which: Which, source: usize, scale: f64, offset: f64) {
        if let Some(c) = self.components.get_mut(target) {
            *c.param_mut(which) = Param::Tied { component: source, which, scale, offset };
        }
    }

    /// Shares parameter `which` among `components` (all tied to the first).
    pub fn share(&mut self, which: Which, components: &[usize]) {
        if let Some((&first, rest)) = components.split_first() {
            for &c in rest {
                self.tie(c, which, first, 1.0, 0.0);
            }
        }
    }

    /// Adds the minor line of a spin–orbit doublet: centre = major + `splitting`, area = `area_ratio` ×
    /// major's (e.g. 2/3 for d, 3/4 for f levels), same width and shape parameter. Returns its index.
    pub fn add_doublet(
        &mut self,
        major: usize,
        label: impl Into<String>,
        splitting: f64,
        area_ratio: f64,
    ) -> usize {
        let shape = self.components[major].shape;
        let mut c = Component::new(label, shape, 0.0, 1.0, 0.0);
        c.area = Param::Tied { component: major, which: Which::Area, scale: area_ratio, offset: 0.0 };
        c.center = Param::Tied { component: major, which: Which::Center, scale: 1.0, offset: splitting };
        c.width = Param::Tied { component: major, which: Which::Width, scale: 1.0, offset: 0.0 };
        c.mix = Param::Tied { component: major, which: Which::Mix, scale: 1.0, offset: 0.0 };
        self.components.push(c);
        self.components.len() - 1
    }
}

/// A slot after compilation: where its value comes from.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum Source {
    /// The k-th free parameter.
    Free(usize),
    /// A constant.
    Fixed(f64),
    /// scale × slot `root` + offset, `root` being free or fixed.
    Tied { root: usize, scale: f64, offset: f64 },
}

/// The model flattened to global slots (4 per component, then the background's).
#[derive(Debug, Clone)]
pub(crate) struct Layout {
    /// Source of every slot.
    pub sources: Vec<Source>,
    /// Start values of the free parameters.
    pub free_start: Vec<f64>,
    /// Bounds of the free parameters.
    pub free_bounds: Vec<spelab_core::fit::Bounds>,
}

/// Global slot of component `c`'s parameter `which`.
pub(crate) fn slot(c: usize, which: Which) -> usize {
    4 * c + which.index()
}

impl Layout {
    /// Flattens `model`; `background_start` gives the background parameters' start values.
    pub(crate) fn compile(model: &PeakModel, background_start: &[f64]) -> Result<Layout, AnalysisError> {
        let nc = model.components.len();
        if nc == 0 {
            return Err(AnalysisError::InvalidInput { what: "peak fit", reason: "no components".into() });
        }
        let mut sources = Vec::with_capacity(4 * nc + background_start.len());
        let (mut free_start, mut free_bounds) = (Vec::new(), Vec::new());
        let whiches = [Which::Area, Which::Center, Which::Width, Which::Mix];
        for (ci, comp) in model.components.iter().enumerate() {
            for which in whiches {
                let s = match *comp.param(which) {
                    Param::Free { value, lower, upper } => {
                        if !(value.is_finite() && lower <= value && value <= upper) {
                            return Err(AnalysisError::ParameterOutOfBounds {
                                name: format!("{}.{which:?}", comp.label),
                                value,
                                lower,
                                upper,
                            });
                        }
                        free_start.push(value);
                        free_bounds.push(spelab_core::fit::Bounds { lower, upper });
                        Source::Free(free_start.len() - 1)
                    }
                    Param::Fixed(v) => Source::Fixed(v),
                    Param::Tied { component, which: w, scale, offset } => {
                        if component >= nc || component == ci {
                            return Err(AnalysisError::InvalidInput {
                                what: "peak fit",
                                reason: format!("{}.{which:?} is tied to component {component}, which does not exist or is itself", comp.label),
                            });
                        }
                        Source::Tied { root: slot(component, w), scale, offset }
                    }
                };
                sources.push(s);
            }
        }
        for &v in background_start {
            free_start.push(v);
            free_bounds.push(spelab_core::fit::Bounds::FREE);
            sources.push(Source::Free(free_start.len() - 1));
        }
        // Resolve chains of ties to a free or fixed root.
        for s in 0..sources.len() {
            let mut guard = 0;
            while let Source::Tied { root, scale, offset } = sources[s] {
                match sources[root] {
                    Source::Tied { root: r2, scale: s2, offset: o2 } => {
                        sources[s] =
                            Source::Tied { root: r2, scale: scale * s2, offset: scale * o2 + offset };
                    }
                    Source::Fixed(v) => sources[s] = Source::Fixed(scale * v + offset),
                    Source::Free(_) => break,
                }
                guard += 1;
                if guard > sources.len() {
                    return Err(AnalysisError::InvalidInput {
                        what: "peak fit",
                        reason: "the ties form a cycle".into(),
                    });
                }
            }
        }
        Ok(Layout { sources, free_start, free_bounds })
    }

    /// Values of every slot for free parameters `p`.
    pub(crate) fn values(&self, p: &[f64], out: &mut [f64]) {
        for (o, s) in out.iter_mut().zip(&self.sources) {
            *o = match *s {
                Source::Free(k) => p[k],
                Source::Fixed(v) => v,
                Source::Tied { root, scale, offset } => match self.sources[root] {
                    Source::Free(k) => scale * p[k] + offset,
                    Source::Fixed(v) => scale * v + offset,
                    Source::Tied { .. } => f64::NAN,
                },
            };
        }
    }

    /// (free index, d slot / d free) when slot `s` depends on a free parameter.
    pub(crate) fn dependence(&self, s: usize) -> Option<(usize, f64)> {
        match self.sources[s] {
            Source::Free(k) => Some((k, 1.0)),
            Source::Fixed(_) => None,
            Source::Tied { root, scale, .. } => match self.sources[root] {
                Source::Free(k) => Some((k, scale)),
                _ => None,
            },
        }
    }
}
