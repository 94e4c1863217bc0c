//! The story's random picks (`Random` flows, `{~a|b}` shuffles), as a pure function of the
//! play's seed and where the pick is made.
//!
//! A hash rather than a generator with state: the same pick asked twice (a choice's text drawn
//! every frame, a save resumed, "go back") gives the same answer, and nothing but the seed has
//! to be saved. Our own FNV-1a and splitmix64 rather than std's hasher, whose output may change
//! between Rust versions, and a save must replay the same way on every build.

/// A number below `n` (which must be above 0) for this seed and place.
pub fn pick(seed: u64, place: &str, n: usize) -> usize {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325 ^ seed;
    for b in place.bytes() {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    // splitmix64's finaliser: FNV's low bits alone are poorly mixed for `% n`.
    h = (h ^ (h >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    h = (h ^ (h >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    h ^= h >> 31;
    (h % n.max(1) as u64) as usize
}

/// A seed for a new play, from the clock: each play of a story may go differently.
pub fn fresh_seed() -> u64 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_nanos() as u64)
}

#[cfg(test)]
mod tests {
    use super::pick;

    #[test]
    fn picks_spread_over_every_option_and_repeat_for_the_same_place() {
        let mut counts = [0usize; 3];
        for round in 0..3000 {
            counts[pick(7, &format!("beat!{round}"), 3)] += 1;
        }
        // 1000 expected each; a fair pick stays well inside ±15 %.
        assert!(counts.iter().all(|&c| (850..1150).contains(&c)), "{counts:?}");
        assert_eq!(pick(7, "beat!5", 3), pick(7, "beat!5", 3));
        let seeds: std::collections::BTreeSet<usize> = (0..64).map(|s| pick(s, "beat!0", 1000)).collect();
        assert!(seeds.len() > 50, "the seed changes the pick");
    }
}
