//! Who gets the cores. On a family's laptop (two cores here) the parts of a live session all
//! want the CPU at once: the picture (the renderer or the DiT, on rayon's pool), whisper (its own
//! threads), the neural narrator (ONNX Runtime's) and the app (Bevy's task pools). This crate is
//! the one place that says how many threads each part runs, and how urgent each thread is:
//!
//! 1. the sound going out, and the child being heard and understood ([`Role::Listener`]: the
//!    normal priority);
//! 2. narration synthesised ahead ([`Role::Narration`]);
//! 3. the picture ([`Role::Picture`]).
//!
//! Priorities are the kernel's nice values, set per thread. An unprivileged process may only
//! lower a thread's priority, never raise it back, so every role is at or below the normal one,
//! and a thread takes its role once, when it starts; threads it spawns inherit it (ONNX
//! Runtime's and the narration queue's threads inherit the narration's). The picture also
//! yields outright while the child speaks (`campfire_session::live`): a nice value only shares
//! the cores unevenly, and recognition should not share them at all.

use std::sync::Once;

/// How many threads each part runs. Read once; the same figures in the app, the tests and the
/// benchmarks.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Budget {
    /// whisper.cpp's threads for one decode: the child waits on it, so every core.
    pub whisper: usize,
    /// ONNX Runtime's threads for the neural narrator: one already runs it far faster than real
    /// time, and lines are made ahead.
    pub narrator: usize,
    /// rayon's pool, on which the picture's matrix products run (candle's gemm).
    pub picture: usize,
    /// Bevy's task pools: the UI does little work of its own.
    pub ui: usize,
}

impl Budget {
    /// The budget for this machine: physical cores, since gemm gains nothing from a core's
    /// second hardware thread.
    pub fn for_this_machine() -> Budget {
        let cores = num_cpus::get_physical().max(1);
        Budget { whisper: cores, narrator: 1, picture: cores, ui: cores.min(2) }
    }
}

/// The budget every part reads.
pub fn budget() -> Budget {
    static BUDGET: std::sync::OnceLock<Budget> = std::sync::OnceLock::new();
    *BUDGET.get_or_init(Budget::for_this_machine)
}

/// What a thread does, which decides its priority.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Role {
    /// Sound out, the microphone, voice activity and recognition, the session's own loop.
    Listener,
    /// Narration synthesised ahead of the clock.
    Narration,
    /// The picture, and rayon's pool it runs on.
    Picture,
}

impl Role {
    /// The kernel's nice value: 0 is normal; higher yields the core to lower values. 19 is the
    /// lowest there is; the picture keeps some headroom so it is still drawn on a busy machine.
    pub fn nice(self) -> i32 {
        match self {
            Role::Listener => 0,
            Role::Narration => 5,
            Role::Picture => 10,
        }
    }
}

/// Gives the calling thread `role`'s priority (Linux; elsewhere a no-op). Returns whether the
/// kernel took it. A thread that already has a lower priority keeps it.
pub fn enter(role: Role) -> bool {
    #[cfg(target_os = "linux")]
    {
        // SAFETY: gettid and setpriority only read and set the calling thread's own scheduling
        // attribute; on Linux PRIO_PROCESS with a thread id applies to that one thread.
        let tid = unsafe { libc::gettid() } as libc::id_t;
        let now = current_nice();
        let want = role.nice().max(now);
        let ok = unsafe { libc::setpriority(libc::PRIO_PROCESS, tid, want) } == 0;
        if !ok {
            tracing::debug!(?role, "the thread's priority could not be set");
        }
        ok
    }
    #[cfg(not(target_os = "linux"))]
    {
        let _ = role;
        false
    }
}

/// The calling thread's nice value (0 where it cannot be read).
pub fn current_nice() -> i32 {
    #[cfg(target_os = "linux")]
    {
        // SAFETY: as in `enter`; getpriority returns -1 both as a value and as an error, and
        // either way 0 is a safe reading here.
        let tid = unsafe { libc::gettid() } as libc::id_t;
        unsafe { libc::getpriority(libc::PRIO_PROCESS, tid) }
    }
    #[cfg(not(target_os = "linux"))]
    {
        0
    }
}

/// Builds rayon's global pool with the picture's budget and priority, once per process. Called
/// before anything uses rayon (a pool built by first use would run at whatever priority its
/// first user had). Returns false when a pool already existed.
pub fn picture_pool() -> bool {
    static ONCE: Once = Once::new();
    let mut built = false;
    ONCE.call_once(|| {
        built = rayon::ThreadPoolBuilder::new()
            .num_threads(budget().picture)
            .thread_name(|i| format!("picture-{i}"))
            .start_handler(|_| {
                enter(Role::Picture);
            })
            .build_global()
            .is_ok();
    });
    built
}

/// Process-wide settings for the networks' CPU work, made at the start of `main`, before any
/// thread exists: each is read once, by glibc, candle or rayon, and cannot be changed later.
///
/// Keeps freed memory in the process, runs candle's elementwise ops on the calling thread except
/// for training, and tells candle the core count once. Each was measured with `campfire bench
/// video --size 128x96 --repeats 30` (5 interleaved runs each way) and 8 steps of `campfire train
/// dit --batch 8` on 2 cores.
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
    // time). Told the same count once, it reads one variable.
    if std::env::var_os("RAYON_NUM_THREADS").is_none() {
        // SAFETY: as above, no other thread exists yet.
        unsafe { std::env::set_var("RAYON_NUM_THREADS", budget().picture.to_string()) };
    }
    // Training is the only work then: it keeps the normal priority.
    if !training {
        picture_pool();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roles_are_ordered_as_the_design_says() {
        assert!(Role::Listener.nice() < Role::Narration.nice());
        assert!(Role::Narration.nice() < Role::Picture.nice());
    }

    #[cfg(target_os = "linux")]
    #[test]
    fn a_thread_takes_its_role_and_its_children_inherit_it() {
        let (own, child) = std::thread::spawn(|| {
            assert!(enter(Role::Narration));
            let own = current_nice();
            let child = std::thread::spawn(current_nice).join().unwrap();
            (own, child)
        })
        .join()
        .unwrap();
        assert_eq!(own, Role::Narration.nice());
        assert_eq!(child, Role::Narration.nice(), "a thread spawned by a narration thread is one too");
        assert_eq!(current_nice(), 0, "the test's own thread is untouched");
    }

    #[cfg(target_os = "linux")]
    #[test]
    fn the_picture_pool_runs_at_the_picture_s_priority() {
        // Nothing else in this test binary uses rayon, so this builds the global pool.
        assert!(picture_pool());
        // Called from outside the pool, both halves of a join run on the pool's threads.
        let seen = rayon::join(current_nice, current_nice);
        assert_eq!(seen, (Role::Picture.nice(), Role::Picture.nice()));
        assert_eq!(current_nice(), 0, "the caller keeps its priority");
    }
}
