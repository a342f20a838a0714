//! Replicate cells: one metric measured on several cells, aggregated as mean ± SD (n) (methods.md,
//! output contract).

use serde::Serialize;

use crate::error::check_finite;
use crate::fit::mean_sd;
use crate::AnalysisError;

/// Mean ± sample SD of replicate values.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Replicates {
    /// Mean [unit of the values].
    pub mean: f64,
    /// Sample standard deviation (n − 1); NaN for one value [unit of the values].
    pub sd: f64,
    /// Standard error of the mean, SD/√n [unit of the values].
    pub sem: f64,
    /// Number of replicates [1].
    pub n: usize,
}

impl Replicates {
    /// "mean ± SD (n)" with `digits` decimals.
    pub fn describe(&self, digits: usize) -> String {
        if self.n > 1 {
            format!("{:.*} ± {:.*} (n = {})", digits, self.mean, digits, self.sd, self.n)
        } else {
            format!("{:.*} (n = 1)", digits, self.mean)
        }
    }
}

/// Aggregates replicate values (at least one, all finite).
///
/// ```
/// use spelab_analysis::replicates::aggregate;
/// let r = aggregate(&[0.48, 0.49, 0.50]).unwrap();
/// assert!((r.mean - 0.49).abs() < 1e-12 && (r.sd - 0.01).abs() < 1e-12 && r.n == 3);
/// assert_eq!(r.describe(2), "0.49 ± 0.01 (n = 3)");
/// ```
pub fn aggregate(values: &[f64]) -> Result<Replicates, AnalysisError> {
    const WHAT: &str = "replicate aggregation";
    if values.is_empty() {
        return Err(AnalysisError::TooFewPoints { what: WHAT, needed: 1, found: 0 });
    }
    check_finite(WHAT, "values", values)?;
    let (mean, sd) = mean_sd(values);
    Ok(Replicates { mean, sd, sem: sd / (values.len() as f64).sqrt(), n: values.len() })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn empty_and_nan_are_errors_single_value_has_no_sd() {
        assert!(aggregate(&[]).is_err());
        assert!(matches!(aggregate(&[1.0, f64::NAN]), Err(AnalysisError::NotFinite { index: 1, .. })));
        let r = aggregate(&[2.0]).unwrap();
        assert!(r.sd.is_nan() && r.mean == 2.0);
        assert_eq!(r.describe(1), "2.0 (n = 1)");
    }
}
