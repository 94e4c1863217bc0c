//! `campfire bench <what>`: benchmarks that print figures (never asserted by tests).

use std::process::ExitCode;

#[derive(clap::Args)]
pub struct Args {
    #[command(subcommand)]
    pub what: What,
}

#[derive(clap::Subcommand)]
pub enum What {
    /// Speech in and out: transcription time, time to first narration audio, word-timing error.
    Voice(crate::bench_voice::Args),
    /// The picture: chunk generation time against play time through the streaming driver, and
    /// how soon a story change reaches the stream.
    Stream(crate::bench_stream::Args),
    /// Video generation by the DiT: real-time factor, first-frame latency, GFLOP/s (untrained weights).
    Video(crate::bench_video::Args),
    /// The live session: answer → frame, key → frame, first narration audio, picture/sound
    /// offset, memory over a long session.
    Session(crate::bench_session::Args),
    /// The kid-safe filter: time per sentence over the labelled sets, one thread.
    Filter(crate::filter::BenchArgs),
}

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    match args.what {
        What::Voice(a) => crate::bench_voice::run(a),
        What::Stream(a) => crate::bench_stream::run(a),
        What::Video(a) => crate::bench_video::run(a),
        What::Session(a) => crate::bench_session::run(a),
        What::Filter(a) => crate::filter::bench(a),
    }
}
