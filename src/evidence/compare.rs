//! Visual comparison (`run --compare`): a step's capture against its
//! reference image, pixel by pixel with a per-channel tolerance, ignoring
//! masked boxes, and the diff image that shows where they differ.
//!
//! Pure image work on decoded pixels: no files, no browser. The evidence
//! writer reads the reference and writes the diff image; the executor only
//! learns the verdict (a [`crate::outcome::Visual`]).

use image::{Rgba, RgbaImage};

/// How different a capture may be before its step fails.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Tolerance {
    /// A pixel changed when one of its channels (R, G, B, A) differs by
    /// more than this (0–255).
    pub channel: u8,
    /// The step fails when the changed pixels cover more than this percent
    /// of the viewport.
    pub area_percent: f64,
}

impl Default for Tolerance {
    /// 16 of 255 per channel, 0.1 % of the viewport.
    fn default() -> Self {
        Tolerance {
            channel: 16,
            area_percent: 0.1,
        }
    }
}

impl std::str::FromStr for Tolerance {
    type Err = String;

    /// `CHANNEL` or `CHANNEL,AREA%` (`16`, `16,0.1%`, `8,0.5`).
    fn from_str(s: &str) -> Result<Self, String> {
        let err = || format!("`{s}`: expected CHANNEL[,AREA%], e.g. 16,0.1%");
        let (channel, area) = match s.split_once(',') {
            Some((c, a)) => (c, Some(a)),
            None => (s, None),
        };
        let channel: u8 = channel.trim().parse().map_err(|_| err())?;
        let area_percent = match area {
            Some(a) => a.trim().trim_end_matches('%').parse().map_err(|_| err())?,
            None => Tolerance::default().area_percent,
        };
        if !(0.0..=100.0).contains(&area_percent) {
            return Err(format!("`{s}`: the area must be 0 to 100 percent"));
        }
        Ok(Tolerance {
            channel,
            area_percent,
        })
    }
}

/// A rectangle in image (device) pixels.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rect {
    /// Left edge.
    pub x: u32,
    /// Top edge.
    pub y: u32,
    /// Width.
    pub width: u32,
    /// Height.
    pub height: u32,
}

impl Rect {
    /// The box of CSS pixels `(x, y, w, h)` in device pixels at `scale`,
    /// grown to whole pixels (a mask covers every pixel it touches).
    pub fn from_css(x: f64, y: f64, width: f64, height: f64, scale: f64) -> Rect {
        let left = (x * scale).floor().max(0.0);
        let top = (y * scale).floor().max(0.0);
        let right = ((x + width) * scale).ceil().max(left);
        let bottom = ((y + height) * scale).ceil().max(top);
        // Saturating float-to-int casts: boxes far off-screen stay harmless.
        Rect {
            x: left as u32,
            y: top as u32,
            width: (right - left) as u32,
            height: (bottom - top) as u32,
        }
    }

    fn contains(&self, x: u32, y: u32) -> bool {
        x >= self.x
            && y >= self.y
            && u64::from(x) < u64::from(self.x) + u64::from(self.width)
            && u64::from(y) < u64::from(self.y) + u64::from(self.height)
    }

    fn area(&self) -> u64 {
        u64::from(self.width) * u64::from(self.height)
    }
}

/// Where a capture differs from its reference.
#[derive(Debug, Clone, PartialEq)]
pub struct PixelDiff {
    /// Width of the compared area (the larger of the two images).
    pub width: u32,
    /// Height of the compared area.
    pub height: u32,
    /// Changed pixels outside the masks (a pixel only one image has counts).
    pub changed: u64,
    /// The changed regions, largest first (nearby changes merge into one).
    pub regions: Vec<Rect>,
    /// One flag per pixel of the compared area, row by row: changed.
    changed_map: Vec<bool>,
}

impl PixelDiff {
    /// Changed pixels in percent of `viewport_pixels`.
    pub fn percent_of(&self, viewport_pixels: u64) -> f64 {
        // Pixel counts of a screen fit f64 exactly.
        100.0 * self.changed as f64 / viewport_pixels.max(1) as f64
    }
}

/// Changed pixels are grouped into regions on a grid of cells this size.
const CELL: u32 = 16;

/// Compare `capture` with `reference` pixel by pixel: a pixel changed when
/// a channel differs by more than `channel`, unless a mask covers it.
pub fn diff(capture: &RgbaImage, reference: &RgbaImage, masks: &[Rect], channel: u8) -> PixelDiff {
    let width = capture.width().max(reference.width());
    let height = capture.height().max(reference.height());
    let cols = width.div_ceil(CELL);
    let rows = height.div_ceil(CELL);
    let mut changed_map = vec![false; (width as usize) * (height as usize)];
    // Per cell: the tight box of its changed pixels (x0, y0, x1, y1).
    let mut cells: Vec<Option<(u32, u32, u32, u32)>> = vec![None; (cols * rows) as usize];
    let mut changed = 0u64;
    let same_size = capture.dimensions() == reference.dimensions();
    let row_bytes = 4 * width as usize;
    for y in 0..height {
        if same_size {
            // Most rows of most steps are identical: one comparison each.
            let at = y as usize * row_bytes;
            let range = at..at + row_bytes;
            if capture.as_raw().get(range.clone()) == reference.as_raw().get(range) {
                continue;
            }
        }
        for x in 0..width {
            let differs = match (
                capture.get_pixel_checked(x, y),
                reference.get_pixel_checked(x, y),
            ) {
                (Some(a), Some(b)) => {
                    a.0.iter()
                        .zip(b.0.iter())
                        .any(|(p, q)| p.abs_diff(*q) > channel)
                }
                _ => true,
            };
            if !differs || masks.iter().any(|m| m.contains(x, y)) {
                continue;
            }
            changed += 1;
            changed_map[(y * width + x) as usize] = true;
            let cell = &mut cells[((y / CELL) * cols + x / CELL) as usize];
            *cell = Some(match *cell {
                None => (x, y, x, y),
                Some((x0, y0, x1, y1)) => (x0.min(x), y0.min(y), x1.max(x), y1.max(y)),
            });
        }
    }
    let mut regions = regions(&cells, cols, rows);
    regions.sort_by_key(|r| std::cmp::Reverse(r.area()));
    PixelDiff {
        width,
        height,
        changed,
        regions,
        changed_map,
    }
}

/// Connected groups of changed cells (touching, diagonals included), each
/// as the tight box of its changed pixels.
fn regions(cells: &[Option<(u32, u32, u32, u32)>], cols: u32, rows: u32) -> Vec<Rect> {
    let mut seen = vec![false; cells.len()];
    let mut out = Vec::new();
    for start in 0..cells.len() {
        if seen[start] || cells[start].is_none() {
            continue;
        }
        seen[start] = true;
        let mut stack = vec![start];
        let mut bounds: Option<(u32, u32, u32, u32)> = None;
        while let Some(i) = stack.pop() {
            if let Some((x0, y0, x1, y1)) = cells[i] {
                bounds = Some(match bounds {
                    None => (x0, y0, x1, y1),
                    Some((a, b, c, d)) => (a.min(x0), b.min(y0), c.max(x1), d.max(y1)),
                });
            }
            let (cx, cy) = ((i as u32) % cols, (i as u32) / cols);
            for dy in -1i64..=1 {
                for dx in -1i64..=1 {
                    let (nx, ny) = (i64::from(cx) + dx, i64::from(cy) + dy);
                    if nx < 0 || ny < 0 || nx >= i64::from(cols) || ny >= i64::from(rows) {
                        continue;
                    }
                    let j = (ny as usize) * (cols as usize) + nx as usize;
                    if !seen[j] && cells[j].is_some() {
                        seen[j] = true;
                        stack.push(j);
                    }
                }
            }
        }
        if let Some((x0, y0, x1, y1)) = bounds {
            out.push(Rect {
                x: x0,
                y: y0,
                width: x1 - x0 + 1,
                height: y1 - y0 + 1,
            });
        }
    }
    out
}

/// The colour of changed pixels and region boxes in a diff image.
const CHANGED: Rgba<u8> = Rgba([230, 0, 110, 255]);
/// How far a region's box stands off the changed pixels, in pixels.
const BOX_MARGIN: u32 = 4;
/// Box line width, in pixels.
const BOX_WIDTH: u32 = 2;

/// The diff image: `capture` greyed and dimmed, the changed pixels in a
/// strong colour and a box around each changed region.
pub fn diff_image(capture: &RgbaImage, diff: &PixelDiff) -> RgbaImage {
    let mut out = RgbaImage::from_pixel(diff.width, diff.height, Rgba([255, 255, 255, 255]));
    for (x, y, p) in capture.enumerate_pixels() {
        let [r, g, b, _] = p.0;
        let luma = (u32::from(r) * 299 + u32::from(g) * 587 + u32::from(b) * 114) / 1000;
        // Greyed and dimmed (white becomes light grey) so the changes stand out.
        let v = u8::try_from(100 + luma * 130 / 255).unwrap_or(u8::MAX);
        out.put_pixel(x, y, Rgba([v, v, v, 255]));
    }
    for (i, _) in diff.changed_map.iter().enumerate().filter(|(_, c)| **c) {
        let (x, y) = ((i as u32) % diff.width, (i as u32) / diff.width);
        out.put_pixel(x, y, CHANGED);
    }
    for r in &diff.regions {
        let x0 = r.x.saturating_sub(BOX_MARGIN);
        let y0 = r.y.saturating_sub(BOX_MARGIN);
        let x1 = (r.x + r.width + BOX_MARGIN).min(diff.width.saturating_sub(1));
        let y1 = (r.y + r.height + BOX_MARGIN).min(diff.height.saturating_sub(1));
        for t in 0..BOX_WIDTH {
            for x in x0..=x1 {
                put(&mut out, x, y0.saturating_add(t));
                put(&mut out, x, y1.saturating_sub(t));
            }
            for y in y0..=y1 {
                put(&mut out, x0.saturating_add(t), y);
                put(&mut out, x1.saturating_sub(t), y);
            }
        }
    }
    out
}

fn put(img: &mut RgbaImage, x: u32, y: u32) {
    if x < img.width() && y < img.height() {
        img.put_pixel(x, y, CHANGED);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const WHITE: Rgba<u8> = Rgba([255, 255, 255, 255]);

    fn page() -> RgbaImage {
        RgbaImage::from_pixel(200, 100, WHITE)
    }

    /// `img` with a filled box of `colour`.
    fn paint(mut img: RgbaImage, r: Rect, colour: Rgba<u8>) -> RgbaImage {
        for y in r.y..r.y + r.height {
            for x in r.x..r.x + r.width {
                img.put_pixel(x, y, colour);
            }
        }
        img
    }

    const BUTTON: Rect = Rect {
        x: 40,
        y: 30,
        width: 20,
        height: 10,
    };

    #[test]
    fn identical_images_have_no_change() {
        let d = diff(&page(), &page(), &[], 16);
        assert_eq!(d.changed, 0);
        assert!(d.regions.is_empty());
    }

    #[test]
    fn a_change_within_the_channel_tolerance_is_no_change() {
        let shifted = paint(page(), BUTTON, Rgba([240, 240, 240, 255]));
        assert_eq!(diff(&shifted, &page(), &[], 16).changed, 0);
        // One step stricter, the same pixels count.
        assert_eq!(diff(&shifted, &page(), &[], 14).changed, BUTTON.area());
    }

    #[test]
    fn a_recoloured_box_is_one_region_with_its_exact_box_and_area() {
        let blue = paint(page(), BUTTON, Rgba([0, 120, 200, 255]));
        let d = diff(&blue, &page(), &[], 16);
        assert_eq!(d.changed, 200);
        assert_eq!(d.regions, vec![BUTTON]);
        assert!((d.percent_of(200 * 100) - 1.0).abs() < 1e-9);
    }

    #[test]
    fn a_change_inside_a_mask_passes_and_outside_it_fails() {
        let blue = paint(page(), BUTTON, Rgba([0, 120, 200, 255]));
        let mask = Rect::from_css(19.5, 14.0, 11.0, 6.0, 2.0);
        assert_eq!(
            mask,
            Rect {
                x: 39,
                y: 28,
                width: 22,
                height: 12
            }
        );
        assert_eq!(diff(&blue, &page(), &[mask], 16).changed, 0);
        let elsewhere = Rect::from_css(60.0, 10.0, 20.0, 20.0, 2.0);
        let d = diff(&blue, &page(), &[elsewhere], 16);
        assert_eq!(d.changed, 200);
        assert_eq!(d.regions, vec![BUTTON]);
    }

    #[test]
    fn distant_changes_are_separate_regions_largest_first() {
        let small = Rect {
            x: 150,
            y: 80,
            width: 4,
            height: 4,
        };
        let img = paint(paint(page(), small, CHANGED), BUTTON, CHANGED);
        let d = diff(&img, &page(), &[], 16);
        assert_eq!(d.regions, vec![BUTTON, small]);
    }

    #[test]
    fn a_size_mismatch_counts_the_missing_pixels() {
        let wide = RgbaImage::from_pixel(210, 100, WHITE);
        let d = diff(&wide, &page(), &[], 16);
        assert_eq!(d.changed, 1000);
        assert_eq!(d.width, 210);
    }

    #[test]
    fn the_diff_image_greys_the_capture_and_marks_the_change() {
        let blue = paint(page(), BUTTON, Rgba([0, 120, 200, 255]));
        let d = diff(&blue, &page(), &[], 16);
        let img = diff_image(&blue, &d);
        assert_eq!(img.dimensions(), (200, 100));
        assert_eq!(*img.get_pixel(45, 35), CHANGED);
        // The box stands BOX_MARGIN off the region.
        assert_eq!(*img.get_pixel(BUTTON.x - BOX_MARGIN, 35), CHANGED);
        let grey = img.get_pixel(5, 5).0;
        assert!(grey[0] == grey[1] && grey[1] == grey[2] && grey[0] < 255);
    }

    #[test]
    fn tolerances_parse_with_or_without_the_area() {
        let t: Tolerance = "8".parse().unwrap_or_default();
        assert_eq!((t.channel, t.area_percent), (8, 0.1));
        let t: Tolerance = "8,0.5%".parse().unwrap_or_default();
        assert_eq!((t.channel, t.area_percent), (8, 0.5));
        assert!("300".parse::<Tolerance>().is_err());
        assert!("8,120".parse::<Tolerance>().is_err());
        assert!("a,b".parse::<Tolerance>().is_err());
    }
}
