//! Process-wide settings for the networks' CPU work, made at the start of `main`, before any
//! thread exists: each is read once, by glibc, candle or rayon, and cannot be changed later.

/// Keeps freed memory in the process, runs candle's elementwise ops on the calling thread except
/// for training, and tells candle the core count once. Each was measured with `campfire bench video --size 128x96 --repeats 30`
/// (5 interleaved runs each way) and 8 steps of `campfire train dit --batch 8` on 2 cores.
pub fn tune(training: bool) {
    // glibc gives blocks above its trim threshold back to the kernel and serves large ones from
    // fresh mmaps, so every big tensor of every pass arrived as new zeroed pages. Keeping them
    // cut a training step from 3.46 to 2.76 s (system time 20.7 → 6.7 s of 8 steps) and the
    // decoding of a chunk from 80–120 ms to 40–55 ms, for 7–14 MiB more at the peak. The
    // thresholds are glibc's documented maximum for mmap (32 MiB on 64-bit) and "never" for trim.
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: mallopt only sets two of the allocator's parameters; no thread allocates yet.
    unsafe {
        libc::mallopt(libc::M_MMAP_THRESHOLD, 32 << 20);
        libc::mallopt(libc::M_TRIM_THRESHOLD, libc::c_int::MAX);
    }
    // candle 0.11 runs elementwise ops on a spinning thread pool of its own beside rayon's, on
    // which gemm runs: on 2 cores its worker spun while gemm wanted the core (`perf`: a fifth of
    // the generator's time in the pool's spin loops). The generator's tensors are small, and on
    // one thread its 2-step sampling took 74–92 ms instead of 91–109. Training's tensors are
    // large and lose (2.76 → 3.30 s a step), so it keeps the pool; a user's own setting wins.
    if !training && std::env::var_os("CANDLE_NUM_THREADS").is_none() {
        // SAFETY: called before any thread starts, so nothing reads the environment meanwhile.
        unsafe { std::env::set_var("CANDLE_NUM_THREADS", "1") };
    }
    // Unless told, candle counts the physical cores before every matrix product, parsing
    // /proc/cpuinfo each time (`perf`: the kernel formatting it took 1.5 % of the generator's
    // time). Told the same count once, it reads one variable. Rayon's pool takes that count too:
    // on a machine with two threads a core, one a core (gemm gains nothing from the second).
    if std::env::var_os("RAYON_NUM_THREADS").is_none() {
        // SAFETY: as above, no other thread exists yet.
        unsafe { std::env::set_var("RAYON_NUM_THREADS", num_cpus::get_physical().max(1).to_string()) };
    }
}
