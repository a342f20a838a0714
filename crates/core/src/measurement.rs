//! Measurement types (placeholder; the measurement helper fills it).
#![allow(missing_docs)]
pub struct Cycle;
pub struct CyclingData;
pub struct HalfCycle;
pub struct ImpedanceSpectrum;
pub struct Metadata;
pub struct Spectrum;
pub enum SpectrumAxis {}
pub enum Technique {}
pub struct Thermogram;
pub enum ThermogramKind {}
pub struct TimeSeries;
