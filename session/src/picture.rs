//! The picture: the only place the session talks to `campfire-generator`.
//!
//! Frames are asked for by their ticks on the audio clock. The world is taken from [`World`] per
//! frame, and consecutive frames that share a world go to the generator with that world as their
//! timeline, so a run of frames that straddles a line's start shows the old world before it and
//! the new one after. The generator runs behind the [`StreamingDriver`], on its own thread: a
//! generator that fails, panics or hangs is replaced by the reference renderer, with a warning,
//! and the picture goes on.
//!
//! A generator that draws whole chunks (the DiT: each chunk continues the frames before it) is
//! asked for whole chunks of the world *ahead*: the world now and the events already scheduled
//! within the chunk. The chunk is kept and its frames shown one by one; when the world ahead no
//! longer matches what the chunk drew (an answer changed the story mid-chunk), the chunk is made
//! again from the new world and the rest of it shown from that.

use crate::world::World;
use campfire_generator::{
    ChunkSpec, DriverConfig, Frame, Generator, ReferenceGenerator, StreamError, StreamingDriver, Timeline, VideoFormat,
};
use campfire_scene::{SceneState, TICKS_PER_SECOND};
use std::sync::Arc;
use std::time::{Duration, Instant};

pub use campfire_generator::LatentGenerator;

/// A frame the generator has not made by then is taken as a hung generator. Generous: a neural
/// generator on a busy machine takes a tenth of a second or so.
const FRAME_TIMEOUT: Duration = Duration::from_secs(20);

/// Frame size, rate and seed of the picture.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct PictureFormat {
    pub width: u32,
    pub height: u32,
    /// Frames per second; a divisor of the tick rate (24) keeps frames on whole ticks.
    pub fps: u32,
    pub seed: u64,
}

impl Default for PictureFormat {
    /// The live format's size and rate ([`VideoFormat::LIVE`]), seed 0.
    fn default() -> Self {
        let f = VideoFormat::LIVE;
        Self { width: f.width, height: f.height, fps: f.fps, seed: 0 }
    }
}

pub struct Picture {
    driver: StreamingDriver,
    format: PictureFormat,
    /// Generation time of the last batch, per frame (for overlays and benchmarks).
    last_ms_per_frame: f64,
    replaced: bool,
    /// The chunk being shown, for a generator that draws whole chunks.
    drawn: Option<Drawn>,
}

/// A whole chunk made, with the world it was made from.
struct Drawn {
    index: u64,
    timeline: Timeline,
    frames: Vec<Frame>,
}

/// A frame with what it shows: its tick and the line being said in its world.
#[derive(Clone, Debug)]
pub struct ShownFrame {
    pub tick: f64,
    pub frame: Frame,
    /// `last_said` of the world drawn: which line's world this is.
    pub last_said: Option<String>,
}

impl Picture {
    pub fn new(generator: Box<dyn Generator>, format: PictureFormat) -> Self {
        let fps = if format.fps == 0 { 12 } else { format.fps };
        Self {
            driver: StreamingDriver::new(generator, DriverConfig::default()),
            format: PictureFormat { fps, ..format },
            last_ms_per_frame: 0.0,
            replaced: false,
            drawn: None,
        }
    }

    /// The reference renderer.
    pub fn reference(format: PictureFormat) -> Self {
        Self::new(Box::new(ReferenceGenerator::new()), format)
    }

    pub fn format(&self) -> PictureFormat {
        self.format
    }

    /// Draws the frames after this at `width × height` (a window that was resized). A chunk made
    /// at the old size is dropped, so the next frame is drawn afresh.
    pub fn set_size(&mut self, width: u32, height: u32) {
        if (width, height) != (self.format.width, self.format.height) {
            self.format.width = width;
            self.format.height = height;
            self.drawn = None;
        }
    }

    pub fn generator_name(&self) -> &str {
        self.driver.generator_name()
    }

    /// Whether the generator asked for was replaced by the reference renderer.
    pub fn was_replaced(&self) -> bool {
        self.replaced
    }

    pub fn last_ms_per_frame(&self) -> f64 {
        self.last_ms_per_frame
    }

    /// Tick of frame `index` of the video.
    pub fn frame_tick(&self, index: u64) -> f64 {
        index as f64 * TICKS_PER_SECOND as f64 / self.format.fps as f64
    }

    /// Frames `first..first + count` of the video, each from the world at its own tick.
    pub fn frames(&mut self, world: &mut World, first: u64, count: u32) -> Vec<ShownFrame> {
        let started = Instant::now();
        let out = match self.driver.chunk_frames() {
            Some(n) if n > 1 => (first..first + count as u64).map(|i| self.chunk_frame(world, i, n)).collect(),
            _ => self.by_runs(world, first, count),
        };
        self.last_ms_per_frame = started.elapsed().as_secs_f64() * 1000.0 / count.max(1) as f64;
        out
    }

    /// Frame `index` out of the whole chunk of `chunk_frames` that holds it, made again when the
    /// world ahead changed under it.
    fn chunk_frame(&mut self, world: &mut World, index: u64, chunk_frames: u32) -> ShownFrame {
        let f = self.format;
        let mut format = VideoFormat::LIVE.with_size(f.width, f.height).with_fps(f.fps);
        format.chunk_frames = chunk_frames;
        let k = index / chunk_frames as u64;
        let tick = self.frame_tick(index);
        let ahead = world.ahead(format.chunk_end(k));
        let rest: Vec<f64> = format.chunk_ticks(k).into_iter().filter(|&t| t >= tick).collect();
        let fresh = self.drawn.as_ref().is_some_and(|d| {
            d.index == k && rest.iter().all(|&t| same_world(&d.timeline.state_at(t), &ahead.state_at(t)))
        });
        if !fresh {
            self.driver.update_timeline(ahead.clone());
            let spec = ChunkSpec::new(k).with_format(format).with_seed(f.seed);
            let frames = self.generate(spec, &ahead);
            self.drawn = Some(Drawn { index: k, timeline: ahead, frames });
        }
        let state = world.at(tick);
        let last_said = state.last_said().map(|(_, text)| text.to_string());
        let at = (index - k * chunk_frames as u64) as usize;
        let frame = self.drawn.as_ref().and_then(|d| d.frames.get(at).cloned());
        ShownFrame { tick, frame: frame.unwrap_or_else(|| Frame::black(f.width, f.height)), last_said }
    }

    /// Frames one at a time, each run of frames that share one world as a still timeline.
    fn by_runs(&mut self, world: &mut World, first: u64, count: u32) -> Vec<ShownFrame> {
        let mut out = Vec::with_capacity(count as usize);
        // Runs of frames that share one world.
        let mut runs: Vec<(Arc<SceneState>, Vec<f64>)> = Vec::new();
        for i in 0..count as u64 {
            let tick = self.frame_tick(first + i);
            let state = world.at(tick);
            match runs.last_mut() {
                Some((s, ticks)) if same_world(s, state) => ticks.push(tick),
                _ => runs.push((Arc::new(state.clone()), vec![tick])),
            }
        }
        for (state, ticks) in runs {
            let said = state.last_said().map(|(_, text)| text.to_string());
            let frames = self.draw(&state, &ticks);
            out.extend(ticks.into_iter().zip(frames).map(|(tick, frame)| ShownFrame {
                tick,
                frame,
                last_said: said.clone(),
            }));
        }
        out
    }

    fn draw(&mut self, state: &Arc<SceneState>, ticks: &[f64]) -> Vec<Frame> {
        let f = self.format;
        // One frame per request: the session picks each frame's world itself (the world as
        // heard), so a frame's number says its time and a still timeline says its world.
        let mut format = VideoFormat::LIVE.with_size(f.width, f.height).with_fps(f.fps);
        format.chunk_frames = 1;
        let timeline = Timeline::still(state.clone());
        self.driver.update_timeline(timeline.clone());
        let mut frames = Vec::with_capacity(ticks.len());
        for &tick in ticks {
            let n = (tick / format.ticks_per_frame()).round() as u64;
            let spec = ChunkSpec::new(n).with_format(format).with_seed(f.seed);
            frames.extend(self.generate(spec, &timeline));
        }
        frames
    }

    /// Frame `spec` from the driver; on a failure, a panic (the worker stops) or a hang, the
    /// reference renderer takes over and makes it.
    fn generate(&mut self, spec: ChunkSpec, timeline: &Timeline) -> Vec<Frame> {
        let want = spec.format.chunk_frames as usize;
        let why = match self.make(&spec) {
            Ok(frames) if frames.len() == want => return frames,
            Ok(frames) => format!("it gave {} frames for {want}", frames.len()),
            Err(why) => why,
        };
        tracing::warn!(
            generator = self.driver.generator_name(),
            "generator failed ({why}); the reference renderer takes over"
        );
        self.driver = StreamingDriver::new(Box::new(ReferenceGenerator::new()), DriverConfig::default());
        self.driver.update_timeline(timeline.clone());
        self.replaced = true;
        match self.make(&spec) {
            Ok(frames) if frames.len() == want => frames,
            other => {
                tracing::error!("the reference renderer failed too ({:?}); showing black", other.err());
                vec![Frame::black(spec.format.width.clamp(8, 2048), spec.format.height.clamp(8, 2048)); want]
            }
        }
    }

    /// Asks the driver for `spec` and waits for its frames, made from the newest timeline.
    fn make(&self, spec: &ChunkSpec) -> Result<Vec<Frame>, String> {
        self.driver.request(spec.clone()).map_err(|e| e.to_string())?;
        let until = Instant::now() + FRAME_TIMEOUT;
        loop {
            let left = until.saturating_duration_since(Instant::now());
            match self.driver.next_timeout(left) {
                Some(Ok(chunk)) if chunk.index == spec.index => return Ok(chunk.frames),
                // Left over from before a failure: not the frame asked for.
                Some(Ok(_)) => continue,
                Some(Err(StreamError::Stopped)) => return Err("it stopped (it panicked)".into()),
                Some(Err(e)) => return Err(e.to_string()),
                None => return Err(format!("no frame within {} s", FRAME_TIMEOUT.as_secs())),
            }
        }
    }
}

/// Whether two worlds draw the same (time aside).
fn same_world(a: &SceneState, b: &SceneState) -> bool {
    a.stage() == b.stage() && a.camera() == b.camera() && a.entities() == b.entities() && a.last_said() == b.last_said()
}

#[cfg(test)]
mod tests {
    use super::*;
    use campfire_generator::{Choice, Chunk, ChunkRequest, GeneratorError, Weights};
    use campfire_render::render_frame;
    use campfire_scene::{Appearance, Event, Kind, Spot};

    struct Panicky;
    impl Generator for Panicky {
        fn generate(&mut self, _: &ChunkRequest) -> Result<Chunk, GeneratorError> {
            panic!("model exploded")
        }
        fn seek(&mut self, _: u64) {}
        fn reset(&mut self) {}
        fn name(&self) -> &str {
            "panicky"
        }
    }

    /// Draws whole chunks of four with the reference renderer, counting the chunks asked for.
    struct Chunky(Arc<std::sync::Mutex<Vec<u64>>>);
    impl Generator for Chunky {
        fn generate(&mut self, request: &ChunkRequest) -> Result<Chunk, GeneratorError> {
            assert_eq!(request.format.chunk_frames, 4, "asked for part of a chunk");
            self.0.lock().unwrap().push(request.index);
            ReferenceGenerator.generate(request)
        }
        fn seek(&mut self, _: u64) {}
        fn reset(&mut self) {}
        fn name(&self) -> &str {
            "chunky"
        }
        fn chunk_frames(&self) -> Option<u32> {
            Some(4)
        }
    }

    fn dragon_world() -> World {
        let mut state = SceneState::default();
        state
            .apply(&Event::Add {
                id: "a".into(),
                name: "A".into(),
                kind: Kind::Dragon,
                appearance: Appearance::default(),
            })
            .unwrap();
        World::new(state)
    }

    fn mean_diff(a: &Frame, b: &Frame) -> f64 {
        a.rgb.iter().zip(&b.rgb).map(|(x, y)| x.abs_diff(*y) as f64).sum::<f64>() / a.rgb.len() as f64
    }

    #[test]
    fn a_chunked_generator_is_asked_for_whole_chunks_and_again_when_the_world_changes_under_one() {
        let asked = Arc::new(std::sync::Mutex::new(Vec::new()));
        let format = PictureFormat { width: 64, height: 48, ..Default::default() };
        let mut p = Picture::new(Box::new(Chunky(asked.clone())), format);
        let mut world = dragon_world();
        // Known ahead: the dragon enters at frame 6 (tick 12), inside chunk 1.
        world.schedule(12, Event::Enter { id: "a".into(), at: Spot::Center.position() });
        let shown: Vec<ShownFrame> = (0..8).flat_map(|i| p.frames(&mut world, i, 1)).collect();
        assert_eq!(*asked.lock().unwrap(), vec![0, 1], "one request per chunk when nothing changes");
        assert!(!p.was_replaced());
        assert!(mean_diff(&shown[5].frame, &shown[6].frame) > 3.0 * mean_diff(&shown[4].frame, &shown[5].frame) + 0.5);

        // Not known when chunk 2 was made: the dragon leaves at frame 10 (tick 20), scheduled
        // after frame 9 was shown. Chunk 2 is made again and frame 10 shows the empty stage.
        let early: Vec<ShownFrame> = (8..10).flat_map(|i| p.frames(&mut world, i, 1)).collect();
        world.schedule(20, Event::Exit { id: "a".into() });
        let late: Vec<ShownFrame> = (10..12).flat_map(|i| p.frames(&mut world, i, 1)).collect();
        assert_eq!(*asked.lock().unwrap(), vec![0, 1, 2, 2]);
        assert!(mean_diff(&early[1].frame, &late[0].frame) > 3.0 * mean_diff(&early[0].frame, &early[1].frame) + 0.5);
        assert!(mean_diff(&late[0].frame, &shown[0].frame) < 1.0, "the stage is empty again, as at the start");
    }

    #[test]
    fn the_default_picture_is_the_reference_renderers_at_the_output_size_and_follows_a_new_size() {
        let format = PictureFormat::default();
        assert!(format.width >= 640 && format.height >= 480, "{format:?}");
        let generator = campfire_generator::open::open(Choice::default(), &Weights::default());
        let mut p = Picture::new(generator, format);
        let mut world = dragon_world();
        world.schedule(4, Event::Enter { id: "a".into(), at: Spot::Center.position() });
        // Frame by frame, since the world is read forwards only.
        let check = |p: &mut Picture, world: &mut World, first: u64, (w, h): (u32, u32)| {
            for i in first..first + 4 {
                let shown = p.frames(world, i, 1).pop().expect("a frame");
                let want = render_frame(&world.at(shown.tick).pose_at(shown.tick), w, h, format.seed);
                assert!(shown.frame == want, "frame at tick {} is not the renderer's {w}x{h}", shown.tick);
            }
        };
        check(&mut p, &mut world, 0, (format.width, format.height));
        // A window made smaller and wider: the next frames are drawn at its size, not scaled.
        p.set_size(320, 136);
        check(&mut p, &mut world, 4, (320, 136));
        assert_eq!(p.generator_name(), "reference");
    }

    #[test]
    fn a_panicking_generator_is_replaced_and_frames_follow_the_world() {
        let mut world = dragon_world();
        world.schedule(8, Event::Enter { id: "a".into(), at: Spot::Center.position() });
        let mut p = Picture::new(Box::new(Panicky), PictureFormat { width: 64, height: 48, ..Default::default() });
        let frames = p.frames(&mut world, 0, 8);
        assert!(p.was_replaced());
        assert_eq!(frames.len(), 8);
        // Frames 0..3 (ticks 0..6) before the dragon enters, 4.. after: the pictures differ.
        let (still, entered) =
            (mean_diff(&frames[2].frame, &frames[3].frame), mean_diff(&frames[3].frame, &frames[4].frame));
        assert!(entered > 3.0 * still + 0.5, "{still} vs {entered}");
    }
}
