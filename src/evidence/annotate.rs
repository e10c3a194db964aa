//! Annotated screenshots: a copy of a step's screenshot with an outline
//! around the element the step acted on, a numbered step badge and, when the
//! step has a `note:`, a callout with its text.
//!
//! Everything here is pure pixels: [`annotate`] takes the raw PNG bytes,
//! the element's box in CSS pixels and the device scale factor, and returns
//! new PNG bytes; the raw evidence is never touched. Shapes are drawn from
//! signed distances (anti-aliased rounded rectangles and circles); text is
//! rasterised with the bundled DejaVu Sans (`assets/fonts/`, its licence
//! beside it) through `ab_glyph`.
//!
//! The outline is drawn *outside* the element's box (a small gap, then the
//! stroke), so the element itself stays as the browser painted it.

use std::fmt;
use std::io::Cursor;
use std::str::FromStr;

use ab_glyph::{Font, FontRef, PxScale, ScaleFont};
use image::{ImageFormat, Rgba, RgbaImage};
use imageproc::drawing::{draw_text_mut, text_size};

use crate::locate::BoxPx;

/// DejaVu Sans Bold: the badge's number and the callout's text.
static FONT_BOLD: &[u8] = include_bytes!("../../assets/fonts/DejaVuSans-Bold.ttf");
/// DejaVu Sans: reserved for longer callout text.
static FONT_REGULAR: &[u8] = include_bytes!("../../assets/fonts/DejaVuSans.ttf");

/// Gap between the element's box and the outline's inner edge, CSS px.
pub const GAP_CSS: f64 = 3.0;
/// Corner radius of the outline's outer edge, CSS px.
const RADIUS_CSS: f64 = 6.0;
/// Badge diameter, CSS px.
pub const BADGE_CSS: f64 = 28.0;
/// Callout text size, CSS px.
const NOTE_SIZE_CSS: f64 = 15.0;
/// Widest callout, CSS px.
const NOTE_MAX_CSS: f64 = 340.0;
/// The callout's fill: a dark slate that reads on light and dark pages.
const NOTE_FILL: Rgba<u8> = Rgba([31, 41, 55, 255]);
const WHITE: Rgba<u8> = Rgba([255, 255, 255, 255]);

/// How annotations look (`run --annotate-style`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Style {
    /// Outline and badge colour.
    pub color: [u8; 3],
    /// Outline width in CSS pixels (device pixels = this × scale).
    pub width: u32,
    /// Whether the numbered step badge is drawn.
    pub badge: bool,
    /// How much the page around the element is dimmed, 0 (not) to 100 (black).
    pub dim: u8,
}

impl Default for Style {
    /// A strong orange 3 px outline with a badge, nothing dimmed.
    fn default() -> Self {
        Style {
            color: [0xF2, 0x5C, 0x05],
            width: 3,
            badge: true,
            dim: 0,
        }
    }
}

/// Why an `--annotate-style` value was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum StyleError {
    /// A part is not `key=value`.
    #[error("`{part}`: expected KEY=VALUE (keys: color, width, badge, dim)")]
    NotKeyValue {
        /// The part as given.
        part: String,
    },
    /// An unknown key.
    #[error("unknown key `{key}` (keys: color, width, badge, dim)")]
    UnknownKey {
        /// The key as given.
        key: String,
    },
    /// A key's value is not what it takes.
    #[error("`{key}={value}`: {expected}")]
    BadValue {
        /// The key.
        key: &'static str,
        /// The value as given.
        value: String,
        /// What the key takes.
        expected: &'static str,
    },
}

impl FromStr for Style {
    type Err = StyleError;

    /// `color=#RRGGBB,width=N,badge=on|off,dim=0..100`, any subset, in any order.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let mut style = Style::default();
        for part in s.split(',').map(str::trim).filter(|p| !p.is_empty()) {
            let Some((key, value)) = part.split_once('=') else {
                return Err(StyleError::NotKeyValue {
                    part: part.to_string(),
                });
            };
            let (key, value) = (key.trim(), value.trim());
            let bad = |key: &'static str, expected: &'static str| StyleError::BadValue {
                key,
                value: value.to_string(),
                expected,
            };
            match key {
                "color" | "colour" => {
                    style.color =
                        parse_hex(value).ok_or_else(|| bad("color", "expected #RRGGBB"))?;
                }
                "width" => {
                    style.width = value
                        .parse()
                        .ok()
                        .filter(|w| (1..=20).contains(w))
                        .ok_or_else(|| bad("width", "expected 1 to 20 (CSS pixels)"))?;
                }
                "badge" => {
                    style.badge = match value {
                        "on" | "true" | "yes" => true,
                        "off" | "false" | "no" => false,
                        _ => return Err(bad("badge", "expected on or off")),
                    };
                }
                "dim" => {
                    style.dim = value
                        .parse()
                        .ok()
                        .filter(|d| *d <= 100)
                        .ok_or_else(|| bad("dim", "expected 0 to 100 (percent)"))?;
                }
                _ => {
                    return Err(StyleError::UnknownKey {
                        key: key.to_string(),
                    })
                }
            }
        }
        Ok(style)
    }
}

impl fmt::Display for Style {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let [r, g, b] = self.color;
        write!(
            f,
            "color=#{r:02X}{g:02X}{b:02X},width={},badge={},dim={}",
            self.width,
            if self.badge { "on" } else { "off" },
            self.dim
        )
    }
}

fn parse_hex(s: &str) -> Option<[u8; 3]> {
    let hex = s.strip_prefix('#').unwrap_or(s);
    if hex.len() != 6 || !hex.chars().all(|c| c.is_ascii_hexdigit()) {
        return None;
    }
    let byte = |i: usize| u8::from_str_radix(hex.get(i..i + 2)?, 16).ok();
    Some([byte(0)?, byte(2)?, byte(4)?])
}

/// Why an image could not be annotated.
#[derive(Debug, thiserror::Error)]
pub enum AnnotateError {
    /// The screenshot did not decode, or the annotated image did not encode.
    #[error("image: {0}")]
    Image(#[from] image::ImageError),
    /// The bundled font did not load (a broken build).
    #[error("the bundled font does not load: {0}")]
    Font(#[from] ab_glyph::InvalidFont),
}

/// What to draw on one screenshot.
#[derive(Debug, Clone, PartialEq)]
pub struct Annotation {
    /// The step's 1-based number (the badge).
    pub number: usize,
    /// The element's box, CSS pixels, viewport coordinates at capture time.
    pub element: BoxPx,
    /// The callout's text, if any.
    pub note: Option<String>,
    /// Device pixels per CSS pixel of the screenshot.
    pub scale: f64,
}

/// A rectangle in device pixels (floating point, edges not rounded).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RectPx {
    /// Left edge.
    pub x0: f64,
    /// Top edge.
    pub y0: f64,
    /// Right edge.
    pub x1: f64,
    /// Bottom edge.
    pub y1: f64,
}

impl RectPx {
    fn grow(self, by: f64) -> RectPx {
        RectPx {
            x0: self.x0 - by,
            y0: self.y0 - by,
            x1: self.x1 + by,
            y1: self.y1 + by,
        }
    }
}

/// The element's box in device pixels: CSS px × the device scale factor.
pub fn device_box(element: &BoxPx, scale: f64) -> RectPx {
    let s = if scale.is_finite() && scale > 0.0 {
        scale
    } else {
        1.0
    };
    RectPx {
        x0: element.x * s,
        y0: element.y * s,
        x1: (element.x + element.width) * s,
        y1: (element.y + element.height) * s,
    }
}

/// The outline's inner and outer edges in device pixels.
pub fn outline_rects(a: &Annotation, style: &Style) -> (RectPx, RectPx) {
    let s = a.scale.max(0.1);
    let inner = device_box(&a.element, s).grow(GAP_CSS * s);
    let outer = inner.grow(f64::from(style.width) * s);
    (inner, outer)
}

/// Draw `a` on the PNG `raw` in `style`; the annotated image as PNG bytes.
pub fn annotate(raw: &[u8], a: &Annotation, style: &Style) -> Result<Vec<u8>, AnnotateError> {
    let mut img = image::load_from_memory_with_format(raw, ImageFormat::Png)?.to_rgba8();
    draw(&mut img, a, style)?;
    let mut out = Cursor::new(Vec::new());
    img.write_to(&mut out, ImageFormat::Png)?;
    Ok(out.into_inner())
}

/// Draw `a` on `img` in `style`.
pub fn draw(img: &mut RgbaImage, a: &Annotation, style: &Style) -> Result<(), AnnotateError> {
    let s = a.scale.max(0.1);
    let [r, g, b] = style.color;
    let color = Rgba([r, g, b, 255]);
    let (inner, outer) = outline_rects(a, style);
    let radius = RADIUS_CSS * s;
    let inner_radius = (radius - f64::from(style.width) * s).max(1.0);
    if style.dim > 0 {
        let alpha = f64::from(style.dim) / 100.0;
        fill_where(img, Rgba([0, 0, 0, 255]), |x, y| {
            alpha * (1.0 - coverage(rounded_rect_sd(x, y, &inner, inner_radius)))
        });
    }
    fill_in(img, &outer.grow(2.0), color, |x, y| {
        let out = coverage(rounded_rect_sd(x, y, &outer, radius));
        let inn = coverage(rounded_rect_sd(x, y, &inner, inner_radius));
        (out - inn).max(0.0)
    });
    if style.badge {
        draw_badge(img, a.number, &outer, color, s)?;
    }
    if let Some(note) = a.note.as_deref().filter(|n| !n.trim().is_empty()) {
        draw_callout(img, note, &outer, s)?;
    }
    Ok(())
}

/// Coverage of a pixel whose centre is `d` device px from an edge (inside < 0).
fn coverage(d: f64) -> f64 {
    (0.5 - d).clamp(0.0, 1.0)
}

/// Signed distance from (`x`, `y`) to a rounded rectangle (negative inside).
fn rounded_rect_sd(x: f64, y: f64, r: &RectPx, radius: f64) -> f64 {
    let cx = (r.x0 + r.x1) / 2.0;
    let cy = (r.y0 + r.y1) / 2.0;
    let hw = (r.x1 - r.x0) / 2.0;
    let hh = (r.y1 - r.y0) / 2.0;
    let rad = radius.min(hw).min(hh).max(0.0);
    let qx = (x - cx).abs() - (hw - rad);
    let qy = (y - cy).abs() - (hh - rad);
    let outside = qx.max(0.0).hypot(qy.max(0.0));
    outside + qx.max(qy).min(0.0) - rad
}

/// Blend `color` into every pixel with the weight `alpha(x, y)` (0..1),
/// evaluated at the pixel's centre.
fn fill_where(img: &mut RgbaImage, color: Rgba<u8>, alpha: impl Fn(f64, f64) -> f64) {
    for (x, y, px) in img.enumerate_pixels_mut() {
        let a = alpha(f64::from(x) + 0.5, f64::from(y) + 0.5);
        if a > 0.0 {
            blend(px, color, a);
        }
    }
}

/// Blend over a region only (a badge, a callout): `fill_where` within bounds.
fn fill_in(img: &mut RgbaImage, bounds: &RectPx, color: Rgba<u8>, alpha: impl Fn(f64, f64) -> f64) {
    let (w, h) = img.dimensions();
    let clip = |v: f64, max: u32| (v.max(0.0) as u32).min(max);
    let (x0, y0) = (clip(bounds.x0.floor(), w), clip(bounds.y0.floor(), h));
    let (x1, y1) = (clip(bounds.x1.ceil(), w), clip(bounds.y1.ceil(), h));
    for y in y0..y1 {
        for x in x0..x1 {
            let a = alpha(f64::from(x) + 0.5, f64::from(y) + 0.5);
            if a > 0.0 {
                blend(img.get_pixel_mut(x, y), color, a);
            }
        }
    }
}

fn blend(px: &mut Rgba<u8>, color: Rgba<u8>, a: f64) {
    let a = a.clamp(0.0, 1.0);
    for i in 0..3 {
        let v = f64::from(px.0[i]) * (1.0 - a) + f64::from(color.0[i]) * a;
        px.0[i] = v.round().clamp(0.0, 255.0) as u8;
    }
    px.0[3] = 255;
}

/// Where the badge's centre goes: just left of the outline, moved inside
/// the image when the box is at its edge.
pub fn badge_centre(outer: &RectPx, scale: f64, width: u32, height: u32) -> (f64, f64) {
    let r = BADGE_CSS * scale / 2.0;
    let clampf = |v: f64, max: f64| {
        if max < 2.0 * r {
            max / 2.0
        } else {
            v.clamp(r, max - r)
        }
    };
    // Left of the box on its row, so labels above the element stay
    // readable; level with the middle of a short box, the top of a tall one.
    let cx = clampf(outer.x0 - r - 3.0 * scale, f64::from(width));
    let mid = (outer.y0 + outer.y1) / 2.0;
    let cy = if outer.y1 - outer.y0 < 3.0 * r {
        mid
    } else {
        outer.y0 + r
    };
    let cy = clampf(cy, f64::from(height));
    (cx, cy)
}

fn draw_badge(
    img: &mut RgbaImage,
    number: usize,
    outer: &RectPx,
    color: Rgba<u8>,
    s: f64,
) -> Result<(), AnnotateError> {
    let (w, h) = img.dimensions();
    let (cx, cy) = badge_centre(outer, s, w, h);
    let r = BADGE_CSS * s / 2.0;
    let ring = 2.0 * s;
    let bounds = RectPx {
        x0: cx - r - 1.0,
        y0: cy - r - 1.0,
        x1: cx + r + 1.0,
        y1: cy + r + 1.0,
    };
    // A white ring keeps the badge apart from a page of the same colour.
    fill_in(img, &bounds, WHITE, |x, y| {
        coverage((x - cx).hypot(y - cy) - r)
    });
    fill_in(img, &bounds, color, |x, y| {
        coverage((x - cx).hypot(y - cy) - (r - ring))
    });
    let font = FontRef::try_from_slice(FONT_BOLD)?;
    let label = number.to_string();
    let size = match label.len() {
        1 => 18.0,
        2 => 15.0,
        _ => 12.0,
    } * s;
    let scale = PxScale::from(size as f32);
    let (tw, th) = text_size(scale, &font, &label);
    // Glyphs hang from the ascent line; digits have no descenders, so the
    // ink runs from ascent - height to ascent: centre that on the badge.
    let ascent = f64::from(font.as_scaled(scale).ascent());
    let x = (cx - f64::from(tw) / 2.0).round() as i32;
    let y = (cy - f64::from(th) / 2.0 - (ascent - f64::from(th))).round() as i32;
    draw_text_mut(img, WHITE, x, y, scale, &font, &label);
    Ok(())
}

/// Break `text` into lines no wider than `max` px at `scale`.
fn wrap(text: &str, font: &FontRef<'_>, scale: PxScale, max: u32) -> Vec<String> {
    let mut lines = Vec::new();
    for para in text.lines() {
        let mut line = String::new();
        for word in para.split_whitespace() {
            let candidate = if line.is_empty() {
                word.to_string()
            } else {
                format!("{line} {word}")
            };
            if !line.is_empty() && text_size(scale, font, &candidate).0 > max {
                lines.push(std::mem::replace(&mut line, word.to_string()));
            } else {
                line = candidate;
            }
        }
        if !line.is_empty() {
            lines.push(line);
        }
    }
    lines
}

fn draw_callout(
    img: &mut RgbaImage,
    note: &str,
    outer: &RectPx,
    s: f64,
) -> Result<(), AnnotateError> {
    let font = FontRef::try_from_slice(FONT_REGULAR)?;
    let (w, h) = (f64::from(img.width()), f64::from(img.height()));
    let size = NOTE_SIZE_CSS * s;
    let scale = PxScale::from(size as f32);
    let pad = 10.0 * s;
    let line_h = (size * 1.35).round();
    let max_text = (NOTE_MAX_CSS * s).min(w - 2.0 * pad - 8.0 * s).max(size);
    let lines = wrap(note, &font, scale, max_text as u32);
    if lines.is_empty() {
        return Ok(());
    }
    let text_w = lines
        .iter()
        .map(|l| text_size(scale, &font, l).0)
        .max()
        .unwrap_or(0);
    let box_w = f64::from(text_w) + 2.0 * pad;
    let box_h = line_h * lines.len() as f64 + 2.0 * pad - (line_h - size);
    let gap = 8.0 * s;
    let margin = 4.0 * s;
    let below = outer.y1 + gap;
    let above = outer.y0 - gap - box_h;
    let y0 = if below + box_h <= h - margin {
        below
    } else if above >= margin {
        above
    } else {
        h - margin - box_h
    };
    let x0 = outer.x0.min(w - margin - box_w).max(margin);
    let rect = RectPx {
        x0,
        y0: y0.max(0.0),
        x1: x0 + box_w,
        y1: y0.max(0.0) + box_h,
    };
    let radius = 6.0 * s;
    fill_in(img, &rect.grow(1.0), NOTE_FILL, |x, y| {
        coverage(rounded_rect_sd(x, y, &rect, radius))
    });
    for (i, line) in lines.iter().enumerate() {
        let x = (rect.x0 + pad).round() as i32;
        let y = (rect.y0 + pad + line_h * i as f64 - 0.2 * size).round() as i32;
        draw_text_mut(img, WHITE, x, y, scale, &font, line);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn blank(w: u32, h: u32) -> RgbaImage {
        RgbaImage::from_pixel(w, h, Rgba([240, 240, 240, 255]))
    }

    fn ann(scale: f64) -> Annotation {
        Annotation {
            number: 3,
            element: BoxPx {
                x: 100.0,
                y: 80.0,
                width: 120.0,
                height: 40.0,
            },
            note: None,
            scale,
        }
    }

    #[test]
    fn styles_parse_and_say_what_is_wrong() {
        assert_eq!("".parse::<Style>(), Ok(Style::default()));
        let s: Style = "color=#00aa11, width=5,badge=off,dim=40"
            .parse()
            .expect("valid");
        assert_eq!(s.color, [0, 0xAA, 0x11]);
        assert_eq!((s.width, s.badge, s.dim), (5, false, 40));
        assert_eq!(s.to_string().parse::<Style>(), Ok(s));
        let e = "color=red".parse::<Style>().unwrap_err().to_string();
        assert_eq!(e, "`color=red`: expected #RRGGBB");
        let e = "dim=101".parse::<Style>().unwrap_err().to_string();
        assert!(e.contains("0 to 100"), "{e}");
        let e = "size=3".parse::<Style>().unwrap_err().to_string();
        assert!(e.contains("unknown key `size`"), "{e}");
        let e = "width".parse::<Style>().unwrap_err().to_string();
        assert!(e.contains("KEY=VALUE"), "{e}");
    }

    #[test]
    fn the_box_scales_with_the_device_pixel_ratio() {
        let b = device_box(&ann(2.0).element, 2.0);
        assert_eq!((b.x0, b.y0, b.x1, b.y1), (200.0, 160.0, 440.0, 240.0));
        let (inner, outer) = outline_rects(&ann(2.0), &Style::default());
        assert_eq!(inner.x0, 200.0 - GAP_CSS * 2.0);
        assert_eq!(outer.x0, inner.x0 - 3.0 * 2.0);
        // A nonsense factor falls back to 1.
        assert_eq!(device_box(&ann(1.0).element, f64::NAN).x0, 100.0);
    }

    #[test]
    fn the_outline_surrounds_the_box_and_leaves_the_element_alone() {
        for scale in [1.0, 2.0] {
            let (w, h) = ((400.0 * scale) as u32, (300.0 * scale) as u32);
            let mut img = blank(w, h);
            let before = img.clone();
            let style = Style::default();
            draw(&mut img, &ann(scale), &style).expect("drawn");
            let (inner, outer) = outline_rects(&ann(scale), &style);
            let mid_y = ((inner.y0 + inner.y1) / 2.0) as u32;
            let on_left = ((inner.x0 + outer.x0) / 2.0) as u32;
            assert_eq!(img.get_pixel(on_left, mid_y).0, [0xF2, 0x5C, 0x05, 255]);
            let mid_x = ((inner.x0 + inner.x1) / 2.0) as u32;
            let on_bottom = ((inner.y1 + outer.y1) / 2.0) as u32;
            assert_eq!(img.get_pixel(mid_x, on_bottom).0, [0xF2, 0x5C, 0x05, 255]);
            // Inside the element: untouched.
            let b = device_box(&ann(scale).element, scale);
            for (x, y) in [(b.x0 + 2.0, b.y0 + 2.0), (b.x1 - 3.0, b.y1 - 3.0)] {
                let (x, y) = (x as u32, y as u32);
                assert_eq!(img.get_pixel(x, y), before.get_pixel(x, y), "{x},{y}");
            }
        }
    }

    #[test]
    fn the_badge_stays_inside_the_image_at_its_corner() {
        let outer = RectPx {
            x0: 0.0,
            y0: 0.0,
            x1: 50.0,
            y1: 20.0,
        };
        let (cx, cy) = badge_centre(&outer, 1.0, 400, 300);
        assert_eq!((cx, cy), (BADGE_CSS / 2.0, BADGE_CSS / 2.0));
        let mut img = blank(400, 300);
        let mut a = ann(1.0);
        a.element = BoxPx {
            x: 0.0,
            y: 0.0,
            width: 40.0,
            height: 20.0,
        };
        draw(&mut img, &a, &Style::default()).expect("drawn");
        // The badge's fill (its ring is white, its number white).
        let px = img.get_pixel(cx as u32 - 8, cy as u32);
        assert_eq!(px.0, [0xF2, 0x5C, 0x05, 255]);
    }

    #[test]
    fn a_note_becomes_a_wrapped_callout_inside_the_image() {
        let mut img = blank(400, 300);
        let mut a = ann(1.0);
        a.note = Some("Only admins see this button; ask yours to invite you first.".into());
        draw(&mut img, &a, &Style::default()).expect("drawn");
        // Below the element: the callout's dark fill.
        let dark = (0..400)
            .flat_map(|x| (130..300).map(move |y| (x, y)))
            .filter(|&(x, y)| img.get_pixel(x, y).0 == NOTE_FILL.0)
            .count();
        assert!(dark > 1000, "{dark} callout pixels");
        let font = FontRef::try_from_slice(FONT_REGULAR).expect("font");
        let lines = wrap(
            a.note.as_deref().unwrap_or_default(),
            &font,
            PxScale::from(15.0),
            200,
        );
        assert!(lines.len() >= 2, "{lines:?}");
    }
}
