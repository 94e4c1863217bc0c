//! `campfire where`: where this campfire finds its stories and models, and what is missing.

use std::process::ExitCode;

#[derive(clap::Args)]
pub struct Args {
    /// Print one JSON object instead of lines.
    #[arg(long)]
    json: bool,
}

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let found = |rel: &str| campfire_paths::find(rel).map(|p| p.display().to_string());
    let roots: Vec<String> = campfire_paths::roots().iter().map(|p| p.display().to_string()).collect();
    let stories: Vec<String> = campfire_story::search_dirs().iter().map(|p| p.display().to_string()).collect();
    let autoencoder = found(campfire_paths::AUTOENCODER);
    let whisper = campfire_voice::transcribe::default_model_path();
    let whisper = whisper.is_file().then(|| whisper.display().to_string());
    let narrator = found(campfire_paths::NARRATOR);
    if args.json {
        let json = serde_json::json!({
            "roots": roots, "stories": stories, "autoencoder": autoencoder, "whisper": whisper,
            "narrator": narrator,
        });
        println!("{json}");
    } else {
        let or_missing = |p: &Option<String>| p.clone().unwrap_or_else(|| "missing".into());
        println!("data trees   {}", roots.join(", "));
        println!("stories      {}", stories.join(", "));
        println!("autoencoder  {}", or_missing(&autoencoder));
        println!("whisper      {}", or_missing(&whisper));
        println!("narrator     {}", or_missing(&narrator));
    }
    Ok(ExitCode::SUCCESS)
}
