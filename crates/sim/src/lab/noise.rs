//! Seeded measurement noise for the virtual instruments: Gaussian, reproducible, no global state.
//!
//! The draws come from the workspace's one generator, [`spelab_core::random::Rng`] (SplitMix64 with
//! Box-Muller normals); a [`Noise`] carries the seed of its stream.

/// Noise levels and the seed. All zero means a noiseless instrument.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Noise {
    /// Standard deviation of the voltage reading [V].
    pub voltage_std: f64,
    /// Standard deviation of the current reading [A].
    pub current_std: f64,
    /// Relative standard deviation of each impedance component, |Z|·σ on Z' and Z'' [1].
    pub impedance_relative_std: f64,
    /// Seed of the generator; the same seed gives the same noise.
    pub seed: u64,
}

impl Noise {
    /// Typical potentiostat noise: 50 µV, 10 nA, 0.2 % on impedance.
    pub fn typical(seed: u64) -> Self {
        Self { voltage_std: 50e-6, current_std: 10e-9, impedance_relative_std: 2e-3, seed }
    }
}
