//! Figures shared by tests and benchmarks, each written once: the word error rate of a
//! transcript ([`wer`]), the median and percentiles of timings ([`stats`]) and this process's
//! resident memory ([`memory`]). No Bevy, no models: a test can use it without building either.

pub mod memory;
pub mod stats;
pub mod wer;
