//! Seeded, counter-based noise: the value for (seed, step, cell) is a pure function of the three,
//! so results do not depend on the thread count or on the order cells are visited. The values come
//! from the workspace's one generator (`spelab_core::random`, its counter-based form).

/// A uniform number in (0, 1) for (seed, stream, index): [`spelab_core::random::uniform_at`].
#[inline]
pub fn uniform(seed: u64, stream: u64, index: u64) -> f64 {
    spelab_core::random::uniform_at(seed, stream, index)
}

/// A standard normal number for (seed, stream, index): [`spelab_core::random::normal_at`].
#[inline]
pub fn gaussian(seed: u64, stream: u64, index: u64) -> f64 {
    spelab_core::random::normal_at(seed, stream, index)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gaussian_moments() {
        // 2e5 samples: standard error of the mean 2.2e-3, of the variance 3.2e-3; 5 sigma bounds.
        let n = 200_000u64;
        let (mut s, mut s2) = (0.0, 0.0);
        for k in 0..n {
            let g = gaussian(42, 7, k);
            s += g;
            s2 += g * g;
        }
        let mean = s / n as f64;
        let var = s2 / n as f64 - mean * mean;
        assert!(mean.abs() < 0.011, "mean {mean}");
        assert!((var - 1.0).abs() < 0.016, "variance {var}");
        assert_eq!(gaussian(1, 2, 3), gaussian(1, 2, 3));
        assert_ne!(gaussian(1, 2, 3), gaussian(2, 2, 3));
    }
}
