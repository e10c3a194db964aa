//! The run's GIF: one frame per screenshot, in step order, downscaled to a
//! width limit with a Lanczos filter and quantised per frame with NeuQuant
//! (a palette of its own for every frame keeps UI text readable).
//!
//! Pure images in, GIF bytes out; which files become frames is the
//! evidence writer's business.

use std::io::Cursor;
use std::time::Duration;

use image::codecs::gif::{GifEncoder, Repeat};
use image::imageops::FilterType;
use image::{Delay, Frame, RgbaImage};

/// How the GIF is made (`run --gif`, `--gif-delay`, `--gif-max-width`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct GifOptions {
    /// How long each frame shows.
    pub delay: Duration,
    /// Widest frame in pixels; wider screenshots are downscaled keeping aspect.
    pub max_width: u32,
}

impl Default for GifOptions {
    /// 1.5 s a frame, at most 800 px wide.
    fn default() -> Self {
        GifOptions {
            delay: Duration::from_millis(1500),
            max_width: 800,
        }
    }
}

/// NeuQuant's sampling: 1 is the best palette and slowest, 30 the fastest.
/// 10 keeps 11 px UI text legible at a fraction of speed 1's time.
pub const SPEED: i32 = 10;

/// The size every frame gets: the first frame's, scaled to `max_width`.
pub fn frame_size(width: u32, height: u32, max_width: u32) -> (u32, u32) {
    if width <= max_width || width == 0 {
        return (width.max(1), height.max(1));
    }
    let h = (f64::from(height) * f64::from(max_width) / f64::from(width)).round();
    (max_width.max(1), (h as u32).max(1))
}

/// Encode `frames` (in order) as an endlessly looping GIF.
pub fn encode(frames: Vec<RgbaImage>, options: &GifOptions) -> image::ImageResult<Vec<u8>> {
    let mut out = Cursor::new(Vec::new());
    let Some(first) = frames.first() else {
        return Ok(out.into_inner());
    };
    let (w, h) = frame_size(first.width(), first.height(), options.max_width);
    let delay = Delay::from_saturating_duration(options.delay);
    {
        let mut encoder = GifEncoder::new_with_speed(&mut out, SPEED);
        encoder.set_repeat(Repeat::Infinite)?;
        for img in frames {
            let img = if img.dimensions() == (w, h) {
                img
            } else {
                image::imageops::resize(&img, w, h, FilterType::Lanczos3)
            };
            encoder.encode_frame(Frame::from_parts(img, 0, 0, delay))?;
        }
    }
    Ok(out.into_inner())
}

#[cfg(test)]
mod tests {
    use super::*;
    use image::AnimationDecoder;

    #[test]
    fn frames_are_scaled_to_the_width_limit_keeping_aspect() {
        assert_eq!(frame_size(1280, 800, 800), (800, 500));
        assert_eq!(frame_size(640, 400, 800), (640, 400));
        assert_eq!(frame_size(2560, 1600, 800), (800, 500));
    }

    #[test]
    fn one_frame_per_image_with_its_delay() {
        let frames = vec![
            RgbaImage::from_pixel(1000, 500, image::Rgba([255, 0, 0, 255])),
            RgbaImage::from_pixel(1000, 500, image::Rgba([0, 0, 255, 255])),
        ];
        let bytes = encode(frames, &GifOptions::default()).expect("encoded");
        let decoder = image::codecs::gif::GifDecoder::new(Cursor::new(bytes)).expect("a GIF");
        let decoded = decoder.into_frames().collect_frames().expect("frames");
        assert_eq!(decoded.len(), 2);
        assert_eq!(decoded[0].buffer().dimensions(), (800, 400));
        assert_eq!(
            Duration::from(decoded[1].delay()),
            Duration::from_millis(1500)
        );
    }
}
