//! The one GIF encoder: frames of one size into an animated GIF that loops, used by the video
//! writer without ffmpeg and by `campfire render`'s silent previews.
//!
//! GIF delays are whole centiseconds, so each frame's delay is rounded so that the sum stays on
//! the frame rate (12 fps: 8, 8 and 9 cs), and the picture keeps time with a sound track beside
//! it.

use campfire_render::Frame;
use std::collections::HashMap;
use std::io::Write;

/// How frames are reduced to a GIF's 256 colours.
pub enum Palette {
    /// Each frame its own colours, chosen as it is written: for video whose colours are not
    /// known ahead (a whole story).
    PerFrame,
    /// One palette for the whole clip ([`Palette::learn`]): unchanged pixels keep their index
    /// from frame to frame, so each frame stores only the rectangle that changed, with the
    /// unchanged pixels in it transparent. Smaller, and no colour shimmer between frames.
    Global(Box<color_quant::NeuQuant>),
}

/// 255 colours of a global palette; index 255 is transparent ("same as the previous frame").
const GLOBAL_COLORS: usize = 255;
const TRANSPARENT: u8 = 255;

impl Palette {
    /// A global palette learnt by NeuQuant from `samples`, frames spread over the clip.
    pub fn learn(samples: &[Frame]) -> Palette {
        let rgba: Vec<u8> = samples.iter().flat_map(Frame::to_rgba).collect();
        Palette::Global(Box::new(color_quant::NeuQuant::new(10, GLOBAL_COLORS, &rgba)))
    }
}

/// What a global palette remembers between frames.
struct Indexed {
    quant: Box<color_quant::NeuQuant>,
    cache: HashMap<[u8; 3], u8>,
    previous: Option<Vec<u8>>,
}

pub struct GifWriter<W: Write> {
    encoder: gif::Encoder<W>,
    indexed: Option<Indexed>,
    width: u32,
    height: u32,
    fps: u32,
    frames: u64,
}

impl<W: Write> GifWriter<W> {
    /// Starts a looping GIF of `width`×`height` frames at `fps` on `out`.
    pub fn new(out: W, width: u32, height: u32, fps: u32, palette: Palette) -> Result<Self, gif::EncodingError> {
        let (global, indexed) = match palette {
            Palette::PerFrame => (Vec::new(), None),
            Palette::Global(quant) => {
                let mut colours = quant.color_map_rgb();
                colours.resize(256 * 3, 0);
                (colours, Some(Indexed { quant, cache: HashMap::new(), previous: None }))
            }
        };
        let mut encoder = gif::Encoder::new(out, width as u16, height as u16, &global)?;
        encoder.set_repeat(gif::Repeat::Infinite)?;
        Ok(Self { encoder, indexed, width, height, fps: fps.max(1), frames: 0 })
    }

    /// Frame `n`'s delay: whole centiseconds whose sum up to any frame stays on the frame rate.
    fn delay(&self) -> u16 {
        let (n, fps) = (self.frames, u64::from(self.fps));
        ((n + 1) * 100 / fps - n * 100 / fps) as u16
    }

    /// Adds a frame of the writer's size.
    pub fn push(&mut self, frame: &Frame) -> Result<(), gif::EncodingError> {
        let delay = self.delay();
        let gif_frame = match &mut self.indexed {
            None => {
                let mut f = gif::Frame::from_rgb_speed(frame.width as u16, frame.height as u16, &frame.rgb, 20);
                f.delay = delay;
                f
            }
            Some(indexed) => indexed.changed(frame, self.width as usize, self.height as usize, delay),
        };
        self.encoder.write_frame(&gif_frame)?;
        self.frames += 1;
        Ok(())
    }

    /// Ends the GIF and gives back what it was written on.
    pub fn finish(self) -> Result<W, gif::EncodingError> {
        let mut out = self.encoder.into_inner()?;
        out.flush()?;
        Ok(out)
    }
}

impl Indexed {
    /// `frame` in the global palette, cut to the rectangle that changed since the last one.
    fn changed(&mut self, frame: &Frame, w: usize, h: usize, delay: u16) -> gif::Frame<'static> {
        let indices: Vec<u8> = frame
            .rgb
            .chunks_exact(3)
            .map(|p| {
                *self
                    .cache
                    .entry([p[0], p[1], p[2]])
                    .or_insert_with(|| self.quant.index_of(&[p[0], p[1], p[2], 255]) as u8)
            })
            .collect();
        let (mut x0, mut y0, mut x1, mut y1) = (0, 0, w, h);
        let mut buffer = indices.clone();
        if let Some(prev) = &self.previous {
            (x0, y0, x1, y1) = (w, h, 0, 0);
            for y in 0..h {
                for x in 0..w {
                    let i = y * w + x;
                    if indices[i] == prev[i] {
                        buffer[i] = TRANSPARENT;
                    } else {
                        x0 = x0.min(x);
                        y0 = y0.min(y);
                        x1 = x1.max(x + 1);
                        y1 = y1.max(y + 1);
                    }
                }
            }
            if x0 >= x1 {
                (x0, y0, x1, y1) = (0, 0, 1, 1);
            }
        }
        let mut sub = Vec::with_capacity((x1 - x0) * (y1 - y0));
        for y in y0..y1 {
            sub.extend_from_slice(&buffer[y * w + x0..y * w + x1]);
        }
        let transparent = self.previous.as_ref().map(|_| TRANSPARENT);
        self.previous = Some(indices);
        gif::Frame {
            width: (x1 - x0) as u16,
            height: (y1 - y0) as u16,
            left: x0 as u16,
            top: y0 as u16,
            buffer: std::borrow::Cow::Owned(sub),
            transparent,
            delay,
            dispose: gif::DisposalMethod::Keep,
            ..gif::Frame::default()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A frame of `w`×`h` with a square of colour `c` at `x`.
    fn square(w: u32, h: u32, x: usize, c: [u8; 3]) -> Frame {
        let mut f = Frame { width: w, height: h, rgb: vec![40; (w * h * 3) as usize] };
        for y in 2..8 {
            for xx in x..x + 6 {
                let i = (y * w as usize + xx) * 3;
                f.rgb[i..i + 3].copy_from_slice(&c);
            }
        }
        f
    }

    /// Decodes a GIF into full RGBA frames and their delays, as a viewer shows them.
    fn decode(bytes: &[u8]) -> Vec<(Vec<u8>, u16)> {
        let mut options = gif::DecodeOptions::new();
        options.set_color_output(gif::ColorOutput::RGBA);
        let mut decoder = options.read_info(bytes).unwrap();
        let (w, h) = (decoder.width() as usize, decoder.height() as usize);
        let mut screen = vec![0u8; w * h * 4];
        let mut out = Vec::new();
        while let Some(f) = decoder.read_next_frame().unwrap() {
            for y in 0..f.height as usize {
                for x in 0..f.width as usize {
                    let s = (y * f.width as usize + x) * 4;
                    if f.buffer[s + 3] == 0 {
                        continue;
                    }
                    let d = ((y + f.top as usize) * w + x + f.left as usize) * 4;
                    screen[d..d + 4].copy_from_slice(&f.buffer[s..s + 4]);
                }
            }
            out.push((screen.clone(), f.delay));
        }
        out
    }

    fn close(a: &[u8], rgb: &[u8]) -> bool {
        a.chunks_exact(4).zip(rgb.chunks_exact(3)).all(|(p, q)| (0..3).all(|k| p[k].abs_diff(q[k]) <= 12))
    }

    #[test]
    fn both_palettes_show_every_frame_and_keep_twelve_frames_a_second() {
        // A square moving a pixel or two a frame, red and blue in turn: the delta of a global
        // palette is checked where the square was and where it is.
        let colours = [[230, 40, 30], [30, 60, 220]];
        let frames: Vec<Frame> = (0..12).map(|i| square(32, 12, 2 * i, colours[i % 2])).collect();
        for palette in [Palette::PerFrame, Palette::learn(&frames)] {
            let global = matches!(palette, Palette::Global(_));
            let mut w = GifWriter::new(Vec::new(), 32, 12, 12, palette).unwrap();
            frames.iter().for_each(|f| w.push(f).unwrap());
            let shown = decode(&w.finish().unwrap());
            assert_eq!(shown.len(), 12);
            for (i, ((rgba, _), f)) in shown.iter().zip(&frames).enumerate() {
                assert!(close(rgba, &f.rgb), "frame {i}, global palette {global}");
            }
            let delays: Vec<u16> = shown.iter().map(|(_, d)| *d).collect();
            assert_eq!(delays.iter().map(|&d| u32::from(d)).sum::<u32>(), 100, "{delays:?}");
            assert!(delays.iter().all(|d| (8..=9).contains(d)), "{delays:?}");
        }
    }
}
