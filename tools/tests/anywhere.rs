//! `campfire` run from a directory outside the checkout, as a user does after `scripts/start`:
//! stories, weights and the speech model are found through `campfire-paths`, and paths given on
//! the command line are paths.

use std::path::Path;
use std::process::{Command, Output};

const REPO: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/..");

fn campfire_in(bin: &Path, dir: &Path, args: &[&str]) -> Output {
    Command::new(bin)
        .args(args)
        .current_dir(dir)
        .env_remove("CAMPFIRE_HOME")
        .env_remove("CAMPFIRE_STORIES")
        .env_remove("CAMPFIRE_MODELS")
        .env_remove("CAMPFIRE_WHISPER_MODEL")
        .output()
        .expect("campfire runs")
}

fn campfire(dir: &Path, args: &[&str]) -> Output {
    campfire_in(Path::new(env!("CARGO_BIN_EXE_campfire")), dir, args)
}

fn text(o: &Output) -> String {
    format!("{}{}", String::from_utf8_lossy(&o.stdout), String::from_utf8_lossy(&o.stderr))
}

#[test]
fn render_by_story_name_from_another_directory() {
    let dir = tempfile::tempdir().unwrap();
    let out = campfire(dir.path(), &["render", "demo", "--seconds", "1", "--size", "64x48", "--out", "x.gif"]);
    assert!(out.status.success(), "{}", text(&out));
    let gif = std::fs::read(dir.path().join("x.gif")).expect("x.gif written in the current directory");
    assert!(gif.starts_with(b"GIF89a"), "not a GIF");
}

#[test]
fn a_missing_path_is_no_such_file_not_an_unknown_story() {
    let dir = tempfile::tempdir().unwrap();
    for arg in ["./demo.ron", "nowhere/demo", "demo.ron"] {
        let out = campfire(dir.path(), &["render", arg, "--out", "x.gif"]);
        assert!(!out.status.success(), "{arg}: {}", text(&out));
        assert!(text(&out).contains("no such file"), "{arg}: {}", text(&out));
    }
    let out = campfire(dir.path(), &["render", "no-such-story", "--out", "x.gif"]);
    assert!(text(&out).contains("no story called `no-such-story`"), "{}", text(&out));
}

#[test]
fn eval_ae_finds_the_shipped_autoencoder() {
    let dir = tempfile::tempdir().unwrap();
    let out = campfire(dir.path(), &["eval", "ae", "--json", "--clips", "2"]);
    assert!(out.status.success(), "{}", text(&out));
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).expect("one JSON object");
    // The shipped weights measure 30.2-31.1 dB on held-out sets; two clips scatter more.
    let psnr = report["psnr_db"].as_f64().expect("psnr_db");
    assert!(psnr > 27.0, "PSNR {psnr} dB: not the shipped autoencoder?");
}

/// A DiT of random weights at this build's conditioning version, saved as `campfire train dit`
/// saves one (the shipped DiT is of an older version; see below).
fn random_dit(dir: &Path) {
    use campfire_models::dit::{Config, Dit, weights};
    let cfg = Config {
        latent_channels: 16,
        cond_channels: campfire_render::CHANNELS,
        cond_version: campfire_render::CONDITION_VERSION,
        latent_width: 16,
        latent_height: 12,
        chunk_frames: 8,
        context_frames: 4,
        ..Config::tiny()
    };
    let vm = candle_nn::VarMap::new();
    let vb = candle_nn::VarBuilder::from_varmap(&vm, candle_core::DType::F32, &candle_core::Device::Cpu);
    Dit::new(&cfg, vb).expect("a DiT");
    weights::save(dir, &cfg, &vm).expect("saved");
}

/// The shipped DiT was trained on conditioning version 2 and this build draws version 3: `eval
/// dit` finds it and says why it cannot score it. A DiT at this build's version is scored, and
/// the ceiling needs no DiT.
#[test]
fn eval_dit_finds_the_shipped_dit_scores_one_of_this_version_and_the_ceiling() {
    let dir = tempfile::tempdir().unwrap();
    let short = ["--timelines", "1", "--seconds", "1.3", "--reentries", "0", "--drift-minutes", "0", "--json"];
    let shipped = campfire(dir.path(), &[&["eval", "dit"], &short[..]].concat());
    assert!(!shipped.status.success(), "{}", text(&shipped));
    for says in ["assets/models/dit", "conditioning version 2", "retrain"] {
        assert!(text(&shipped).contains(says), "should say `{says}`: {}", text(&shipped));
    }
    let run = |extra: &[&str]| {
        let out = campfire(dir.path(), &[&["eval", "dit"], extra, &short[..]].concat());
        assert!(out.status.success(), "{}", text(&out));
        serde_json::from_slice::<serde_json::Value>(&out.stdout).expect("one JSON object")
    };
    let weights = dir.path().join("dit");
    random_dit(&weights);
    // Two chunks: the first primed from the renderer, the second on the model's own frames.
    let own = run(&["--weights", weights.to_str().expect("utf8")]);
    assert_eq!((own["generator"].as_str(), own["context"].as_str()), (Some("dit"), Some("own")));
    assert_eq!(own["own_context_noise"].as_f64(), Some(0.8), "{own}");
    let ceiling = run(&["--ceiling"]);
    assert_eq!(ceiling["generator"].as_str(), Some("latent"));
    let psnr = |r: &serde_json::Value| r["heldout"]["psnr_db"].as_f64().expect("psnr_db");
    // The autoencoder's round trip (about 30.5 dB) is the ceiling of what a DiT draws; an
    // untrained one draws far below it.
    assert!(psnr(&ceiling) > 27.0 && psnr(&ceiling) > psnr(&own) + 3.0, "{own} {ceiling}");
}

#[test]
fn hear_finds_the_speech_model_and_the_story() {
    let dir = tempfile::tempdir().unwrap();
    let wav = dir.path().join("answer.wav");
    let st = Command::new("espeak-ng").args(["-w", wav.to_str().unwrap(), "flap your wings"]).status().unwrap();
    assert!(st.success());
    let out = campfire(dir.path(), &["hear", "answer.wav", "--story", "demo"]);
    assert!(out.status.success(), "{}", text(&out));
    let heard: serde_json::Value = serde_json::from_slice(&out.stdout).expect("one JSON object");
    let transcript = heard["transcript"].as_str().unwrap_or_default().to_lowercase();
    assert!(transcript.contains("wings"), "{heard}");
}

/// `scripts/install` puts the binary and a data tree side by side; the installed binary then
/// prefers that tree to the checkout it was built from.
#[test]
fn the_installed_binary_uses_the_installed_data() {
    let prefix = tempfile::tempdir().unwrap();
    let st = Command::new("bash")
        .arg(Path::new(REPO).join("scripts/install"))
        .env("CAMPFIRE_PREFIX", prefix.path())
        .env("CAMPFIRE_BIN", env!("CARGO_BIN_EXE_campfire"))
        .output()
        .unwrap();
    assert!(st.status.success(), "{}", text(&st));
    let bin = prefix.path().join("bin/campfire");
    let share = prefix.path().join("bin/../share/campfire");
    let elsewhere = tempfile::tempdir().unwrap();
    let out = campfire_in(&bin, elsewhere.path(), &["where", "--json"]);
    assert!(out.status.success(), "{}", text(&out));
    let w: serde_json::Value = serde_json::from_slice(&out.stdout).expect("one JSON object");
    let under_share = |v: &serde_json::Value| v.as_str().is_some_and(|p| p.starts_with(&share.display().to_string()));
    assert!(under_share(&w["stories"][0]), "{w}");
    assert!(under_share(&w["autoencoder"]), "{w}");
    assert!(under_share(&w["whisper"]), "{w}");
    // The narrator's files go along when setup installed them (CI's setup does).
    let installed =
        ["CAMPFIRE_NARRATOR_DIR", "CAMPFIRE_HOME", "XDG_DATA_HOME"].iter().all(|v| std::env::var_os(v).is_none())
            && std::env::var_os("HOME")
                .is_some_and(|h| Path::new(&h).join(".local/share/campfire/narrator/hibari.onnx").is_file());
    if installed {
        assert!(under_share(&w["narrator"]), "{w}");
    }
    let out = campfire_in(
        &bin,
        elsewhere.path(),
        &["render", "demo", "--seconds", "0.5", "--size", "32x24", "--out", "y.gif"],
    );
    assert!(out.status.success(), "{}", text(&out));
}
