//! `campfire transcribe`: speech to text from a WAV file or a phrase spoken by the narrator,
//! with timing.

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::{Duration, Instant};

use anyhow::Context as _;
use campfire_voice::audio;
use campfire_voice::transcribe;
use campfire_voice::{Backend, Voice, VoiceSettings};

/// Transcribe a WAV file (any rate, mixed to mono) or a phrase spoken by the narrator, printing the
/// words with their times; `--bench N` repeats the transcription and prints timings.
#[derive(clap::Args)]
pub struct Args {
    /// WAV file to transcribe.
    #[arg(required_unless_present = "say", conflicts_with = "say")]
    wav: Option<PathBuf>,
    /// Speak this phrase with the narrator and transcribe that instead.
    #[arg(long)]
    say: Option<String>,
    /// The narrator for --say: `neural` (falls back to espeak-ng when its files are missing) or `espeak`.
    #[arg(long, default_value_t = Backend::Neural, requires = "say")]
    voice: Backend,
    /// ggml whisper model (default: $CAMPFIRE_WHISPER_MODEL or models/whisper/ggml-tiny.en.bin).
    #[arg(long)]
    model: Option<PathBuf>,
    /// Word times from whisper's alignment of the text with the audio (DTW over its alignment
    /// heads) instead of its timestamp tokens.
    #[arg(long)]
    aligned: bool,
    /// Transcribe this many times after one warm-up run and print min/median/mean.
    #[arg(long, value_name = "N")]
    bench: Option<usize>,
}

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let t = Instant::now();
    let (transcriber, model) = crate::found::transcriber_with(args.model, args.aligned)?;
    let load = t.elapsed();

    let samples = match (&args.wav, &args.say) {
        (Some(wav), _) => audio::read_wav_16k(wav)?,
        (None, Some(phrase)) => {
            let mut voice = Voice::open(args.voice, VoiceSettings::default()).context("opening a voice")?;
            let pcm = voice.prepare(phrase)?.audio.context("the voice gave no audio")?;
            eprintln!("spoken by the {} voice", voice.backend());
            audio::resample(&pcm.samples, pcm.sample_rate, audio::WHISPER_SAMPLE_RATE)
        }
        (None, None) => anyhow::bail!("give a WAV file or --say PHRASE"),
    };
    let secs = samples.len() as f32 / audio::WHISPER_SAMPLE_RATE as f32;

    let t = Instant::now();
    let transcript = transcriber.transcribe(&samples)?;
    let first = t.elapsed();
    println!("{}", transcript.text);
    for w in transcript.words() {
        println!("  {:6.2}-{:6.2}s  {:<16} p={:.2}", w.start, w.end, w.text, w.probability);
    }
    eprintln!(
        "model {} loaded in {:.0} ms; {secs:.2} s of audio transcribed in {:.0} ms",
        model.display(),
        ms(load),
        ms(first)
    );

    if let Some(n) = args.bench.filter(|&n| n > 0) {
        let mut times = Vec::with_capacity(n);
        let cpu_before = cpu_time();
        for _ in 0..n {
            let t = Instant::now();
            let again = transcriber.transcribe(&samples)?;
            times.push(t.elapsed());
            anyhow::ensure!(again.text == transcript.text, "non-deterministic transcript: {:?}", again.text);
        }
        let cpu = cpu_time().zip(cpu_before).map(|(a, b)| (a - b) / n as u32);
        times.sort();
        let mean = times.iter().sum::<Duration>() / n as u32;
        println!(
            "bench: {secs:.2} s utterance, {n} runs, {} threads: min {:.0} ms, median {:.0} ms, mean {:.0} ms, \
             real-time factor {:.3}",
            transcribe::THREADS,
            ms(times[0]),
            ms(times[n / 2]),
            ms(mean),
            mean.as_secs_f32() / secs
        );
        if let Some(cpu) = cpu {
            // On a busy machine wall time mostly measures waiting; CPU time per run (summed over
            // threads) is what the work costs.
            println!("bench: CPU time per run {:.0} ms (user + system, all threads)", ms(cpu));
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// User + system CPU time of this process so far.
fn cpu_time() -> Option<Duration> {
    // SAFETY: getrusage only writes the struct we hand it.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    if unsafe { libc::getrusage(libc::RUSAGE_SELF, &mut usage) } != 0 {
        return None;
    }
    let tv = |t: libc::timeval| Duration::new(t.tv_sec as u64, t.tv_usec as u32 * 1000);
    Some(tv(usage.ru_utime) + tv(usage.ru_stime))
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}
