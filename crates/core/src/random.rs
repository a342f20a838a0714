//! The workspace's one seeded random generator: SplitMix64 with Box-Muller normals.
//!
//! Every random number in spelab comes from [`Rng`]: the virtual lab's measurement noise
//! (`spelab_sim::lab`) and the synthetic data of the tests (`spelab_testkit` re-exports it). There is
//! no global or time-seeded state: the same seed gives the same stream on every platform.
//!
//! ```text
//! state ← state + 0x9E3779B97F4A7C15                      (Weyl sequence, golden ratio)
//! z ← (state ⊕ state≫30)·0xBF58476D1CE4E5B9;  z ← (z ⊕ z≫27)·0x94D049BB133111EB;  x = z ⊕ z≫31
//! uniform  u = ⌊x/2¹¹⌋ / 2⁵³ ∈ [0, 1)
//! normal   n = √(−2 ln u₁) · cos(2π u₂),  u₁, u₂ = (⌊x/2¹¹⌋ + 1) / 2⁵³ ∈ (0, 1]
//! ```
//!
//! SplitMix64 is the generator of Steele, Lea & Flood, "Fast splittable pseudorandom number
//! generators", OOPSLA 2014, doi:10.1145/2660193.2660195 (the finaliser constants are Stafford's
//! "Mix13"); it passes BigCrush and is ample for measurement noise and test data, though not for
//! cryptography. The normal draw consumes two uniforms and returns one value (the sine half of
//! Box-Muller is discarded so that each draw is independent of the draw count's parity).
//!
//! ```
//! use spelab_core::random::Rng;
//! let mut a = Rng::new(42);
//! let mut b = Rng::new(42);
//! assert_eq!(a.normal(), b.normal()); // seeded: reproducible
//! let u = a.uniform();
//! assert!((0.0..1.0).contains(&u));
//! ```

/// A seeded SplitMix64 generator (module docs). Cloning it forks an identical stream.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rng {
    state: u64,
}

/// 2⁵³, the number of distinct uniforms of a 53-bit mantissa.
const TWO_POW_53: f64 = (1u64 << 53) as f64;

impl Rng {
    /// A generator whose stream is fixed by `seed` (any value, 0 included).
    pub fn new(seed: u64) -> Self {
        Self { state: seed }
    }

    /// Next raw 64-bit value.
    pub fn next_u64(&mut self) -> u64 {
        self.state = self.state.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.state;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform value in [0, 1) on the 2⁻⁵³ grid.
    pub fn uniform(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / TWO_POW_53
    }

    /// Uniform value in (0, 1] on the 2⁻⁵³ grid (never 0, so its logarithm is finite).
    pub fn uniform_nonzero(&mut self) -> f64 {
        ((self.next_u64() >> 11) as f64 + 1.0) / TWO_POW_53
    }

    /// Standard normal value (Box-Muller on two [`uniform_nonzero`](Self::uniform_nonzero) draws;
    /// always finite, |n| < 8.6).
    pub fn normal(&mut self) -> f64 {
        let (u1, u2) = (self.uniform_nonzero(), self.uniform_nonzero());
        (-2.0 * u1.ln()).sqrt() * (2.0 * std::f64::consts::PI * u2).cos()
    }
}

/// The seed of sub-stream `stream` of `seed`, for an experiment that records several noisy
/// measurements from one seed: the first output of the generator seeded by `seed ⊕ stream·M`
/// (M = 0xD6E8FEB86659FD93, an odd mixing constant), so that nearby seeds and nearby streams give
/// unrelated streams (`seed + 1`'s stream 0 is not `seed`'s stream 1).
pub fn derive_seed(seed: u64, stream: u64) -> u64 {
    Rng::new(seed ^ stream.wrapping_mul(0xD6E8_FEB8_6659_FD93)).next_u64()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The first outputs of SplitMix64 from seed 0 (the reference values of Vigna's splitmix64.c,
    /// also used by Java's `SplittableRandom`): a change of the algorithm would change every seeded
    /// measurement of the virtual lab.
    #[test]
    fn splitmix64_matches_the_reference_stream() {
        let mut r = Rng::new(0);
        assert_eq!(r.next_u64(), 0xE220_A839_7B1D_CDAF);
        assert_eq!(r.next_u64(), 0x6E78_9E6A_A1B9_65F4);
        assert_eq!(r.next_u64(), 0x06C4_5D18_8009_454F);
    }

    #[test]
    fn normals_are_reproducible_with_unit_variance() {
        let draw = |seed| {
            let mut r = Rng::new(seed);
            (0..20_000).map(|_| r.normal()).collect::<Vec<_>>()
        };
        let a = draw(3);
        assert_eq!(a, draw(3));
        assert_ne!(a, draw(4));
        let mean = a.iter().sum::<f64>() / a.len() as f64;
        let var = a.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / a.len() as f64;
        // Standard errors for n = 2e4: mean 0.007, variance 0.01; bounds are ~5 sigma.
        assert!(mean.abs() < 0.035, "mean {mean}");
        assert!((var - 1.0).abs() < 0.05, "variance {var}");
    }

    #[test]
    fn derived_seeds_differ_across_nearby_seeds_and_streams() {
        let mut seen = std::collections::HashSet::new();
        for seed in 0..50u64 {
            for stream in 0..50u64 {
                assert!(seen.insert(derive_seed(seed, stream)), "collision at ({seed}, {stream})");
            }
        }
        assert_eq!(derive_seed(7, 3), derive_seed(7, 3));
    }

    #[test]
    fn uniforms_stay_in_their_intervals_and_average_one_half() {
        let mut r = Rng::new(1);
        let n = 10_000;
        let mut sum = 0.0;
        for _ in 0..n {
            let u = r.uniform();
            assert!((0.0..1.0).contains(&u));
            let v = r.uniform_nonzero();
            assert!(v > 0.0 && v <= 1.0);
            sum += u;
        }
        // Standard error of the mean of U(0,1) over 1e4 draws is 0.0029; 0.02 is ~7 sigma.
        assert!((sum / n as f64 - 0.5).abs() < 0.02);
    }
}
