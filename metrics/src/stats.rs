//! Order statistics of timings, as every figure of `campfire bench` reports them.

/// The median of `values` (in any order): the upper middle element once sorted, never the mean
/// of the two middle ones, so it is always a measured value. `None` for no values.
pub fn median(mut values: Vec<f64>) -> Option<f64> {
    values.sort_by(f64::total_cmp);
    values.get(values.len() / 2).copied()
}

/// The `p`-quantile (0..=1) of `sorted` (ascending): the element at `(len - 1) · p` rounded to
/// the nearest index (halves away from zero), so `percentile(sorted, 0.5)` is [`median`]. `None`
/// for no values.
pub fn percentile(sorted: &[f64], p: f64) -> Option<f64> {
    sorted.get(((sorted.len() as f64 - 1.0) * p).round() as usize).copied()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_median_is_a_measured_value() {
        assert_eq!(median(vec![]), None);
        assert_eq!(median(vec![3.0]), Some(3.0));
        assert_eq!(median(vec![5.0, 1.0, 3.0]), Some(3.0));
        assert_eq!(median(vec![4.0, 1.0, 3.0, 2.0]), Some(3.0), "the upper middle, not 2.5");
    }

    #[test]
    fn percentiles_round_to_the_nearest_rank() {
        let sorted: Vec<f64> = (0..=100).map(f64::from).collect();
        assert_eq!(percentile(&sorted, 0.5), Some(50.0));
        assert_eq!(percentile(&sorted, 0.95), Some(95.0));
        assert_eq!(percentile(&sorted, 0.0), Some(0.0));
        assert_eq!(percentile(&sorted, 1.0), Some(100.0));
        assert_eq!(percentile(&[1.0, 2.0, 3.0, 4.0], 0.99), Some(4.0), "2.97 rounds to the last");
        assert_eq!(percentile(&[1.0, 2.0], 0.5), Some(2.0), "0.5 rounds up");
        assert_eq!(percentile(&[], 0.5), None);
        for n in 1..10 {
            let sorted: Vec<f64> = (0..n).map(f64::from).collect();
            assert_eq!(percentile(&sorted, 0.5), median(sorted.clone()), "{n} values");
        }
    }
}
