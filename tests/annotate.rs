//! Issue 14, annotated screenshots and the GIF: through the real binary,
//! headless Chromium and a page on 127.0.0.1 whose button sits at a known
//! box, the annotated image outlines exactly that box, numbers the step,
//! leaves the element and the raw evidence untouched, and the GIF has one
//! frame per screenshot within the width limit.
//! See: issue 14 ("Annotated screenshots", "GIF").

use std::io::Cursor;
use std::path::Path;

use image::{AnimationDecoder, Rgba, RgbaImage};

mod binary;

use binary::{serve_pages, Reply};

/// A flat page with one solid green button at (300, 200), 200 × 60 CSS px.
const PAGE: &str = r#"<!doctype html><html><head><title>Known page</title><style>
html, body { margin: 0; background: #f0f0f0; }
#go { position: absolute; left: 300px; top: 200px; width: 200px; height: 60px;
      margin: 0; padding: 0; border: 0; border-radius: 0; background: #20a040;
      color: #20a040; font-size: 1px; outline: none; }
</style></head><body><button id="go" onclick="this.dataset.done = 1">Go</button>
</body></html>"#;

const STEPS: &str = "  - doc: Open the page\n    goto: /\n\
                     \x20 - doc: Click **Go**\n    click: {button: Go}\n\
                     \x20 - doc: Keep it\n    screenshot: kept\n";

const ORANGE: [u8; 4] = [0xF2, 0x5C, 0x05, 255];

fn decode(path: &Path) -> RgbaImage {
    image::open(path)
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()))
        .to_rgba8()
}

#[test]
fn issue_14_the_annotation_outlines_the_elements_box_and_the_gif_has_a_frame_per_step() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let port = serve_pages(|_| Reply::ok(PAGE));
    let r = binary::run_steps(tmp.path(), port, "site", "known", STEPS, |c| {
        c.args(["--viewport", "1000x600", "--annotate", "--gif"])
            .args(["--gif-max-width", "640", "--gif-delay", "700"])
    });
    assert_eq!(r.code, Some(0), "{}", r.err);
    let m = &r.manifest;
    let click = &m.steps[1];
    let raw_name = click.screenshot.as_deref().expect("a screenshot");
    let annotated = click.annotated.as_deref().expect("an annotated image");
    assert_eq!(annotated, "02-click-go-annotated.png");
    // Steps that act on no element have none.
    assert_eq!(m.steps[0].annotated, None);
    assert_eq!(m.steps[2].annotated, None);

    let raw_path = r.evidence.join(raw_name);
    let raw_bytes = std::fs::read(&raw_path).expect("raw screenshot");
    let raw = decode(&raw_path);
    let ann = decode(&r.evidence.join(annotated));
    assert_eq!(raw.dimensions(), ann.dimensions());
    assert_eq!(raw.dimensions(), (1000, 600));
    // The box the browser reported is the one the page puts there.
    let b = click.element.as_ref().expect("the element").bbox;
    assert_eq!((b.x, b.y, b.width, b.height), (300.0, 200.0, 200.0, 60.0));

    // On the outline: 3 px gap, then a 3 px stroke, on all four sides.
    for (x, y) in [(296, 230), (504, 230), (400, 196), (400, 264)] {
        assert_eq!(ann.get_pixel(x, y).0, ORANGE, "outline at {x},{y}");
        assert_ne!(raw.get_pixel(x, y).0, ORANGE);
    }
    // Inside the element and in the gap: exactly the raw pixels.
    for (x, y) in [(305, 205), (400, 230), (495, 255), (299, 230), (400, 198)] {
        assert_eq!(
            ann.get_pixel(x, y),
            raw.get_pixel(x, y),
            "inside at {x},{y}"
        );
    }
    // (and those inside are the button's own green)
    assert_eq!(raw.get_pixel(400, 230).0, [0x20, 0xA0, 0x40, 255]);
    // Far away: untouched.
    assert_eq!(ann.get_pixel(900, 500), raw.get_pixel(900, 500));
    // The badge: orange fill and its white number, just left of the box.
    let region = |img: &RgbaImage, colour: [u8; 4]| {
        (260..292u32)
            .flat_map(|x| (192..226u32).map(move |y| (x, y)))
            .filter(|&(x, y)| img.get_pixel(x, y).0 == colour)
            .count()
    };
    let fill = region(&ann, ORANGE);
    assert!(fill > 200, "badge fill left of the box, at its top: {fill}");
    assert!(
        region(&ann, [255, 255, 255, 255]) > 20,
        "badge ring and number"
    );
    assert_eq!(region(&raw, ORANGE), 0);

    // The raw evidence is byte-identical to what the browser delivered:
    // the manifest's run wrote it once, and the annotation made a new file.
    let again = std::fs::read(&raw_path).expect("raw screenshot");
    assert_eq!(raw_bytes, again);
    assert_ne!(
        raw_bytes,
        std::fs::read(r.evidence.join(annotated)).expect("annotated")
    );

    // The GIF: one frame per screenshot step, at most 640 px wide.
    let gif = m.gif.as_deref().expect("a GIF in the manifest");
    assert_eq!(gif, "known.gif");
    let bytes = std::fs::read(r.evidence.join(gif)).expect("the GIF");
    let frames = image::codecs::gif::GifDecoder::new(Cursor::new(bytes))
        .expect("a GIF")
        .into_frames()
        .collect_frames()
        .expect("frames decode");
    let shots = m.steps.iter().filter(|s| s.screenshot.is_some()).count();
    assert_eq!(shots, 3);
    assert_eq!(frames.len(), shots);
    for f in &frames {
        assert_eq!(f.buffer().dimensions(), (640, 384));
        assert_eq!(std::time::Duration::from(f.delay()).as_millis(), 700);
    }
    // The second frame is the annotated one: orange where the outline is.
    let second = frames[1].buffer();
    let (x, y) = (296 * 640 / 1000, 230 * 640 / 1000);
    let px: Rgba<u8> = *second.get_pixel(x, y);
    assert!(
        px.0[0] > 180 && px.0[1] < 140 && px.0[2] < 80,
        "outline in the GIF frame: {px:?}"
    );
}

#[test]
fn issue_14_without_the_flags_there_are_no_media() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let port = serve_pages(|_| Reply::ok(PAGE));
    let r = binary::run_steps(tmp.path(), port, "site", "plain", STEPS, |c| c);
    assert_eq!(r.code, Some(0), "{}", r.err);
    assert!(r.manifest.steps.iter().all(|s| s.annotated.is_none()));
    assert_eq!(r.manifest.gif, None);
    let files: Vec<String> = std::fs::read_dir(&r.evidence)
        .expect("evidence dir")
        .filter_map(|e| Some(e.ok()?.file_name().to_string_lossy().into_owned()))
        .collect();
    assert!(
        files
            .iter()
            .all(|f| !f.contains("annotated") && !f.ends_with(".gif")),
        "{files:?}"
    );
}

#[test]
fn issue_14_a_bad_annotate_style_is_a_clear_usage_error() {
    let err = binary::Clickpath::new()
        .args(["run", "--annotate", "--annotate-style", "color=orange"])
        .expect_exit(2);
    assert!(err.contains("`color=orange`: expected #RRGGBB"), "{err}");
}

/// The same known page, but the green box is a link to another page.
const LINK_PAGE: &str = r#"<!doctype html><html><head><title>Known page</title><style>
html, body { margin: 0; background: #f0f0f0; }
#go { position: absolute; left: 300px; top: 200px; width: 200px; height: 60px;
      display: block; background: #20a040; color: #20a040; font-size: 1px; }
</style></head><body><a id="go" href="/next">Next</a></body></html>"#;

const NEXT_PAGE: &str = r#"<!doctype html><html><head><title>Next</title><style>
html, body { margin: 0; background: #ffffff; }</style></head><body><h1>Next</h1></body></html>"#;

#[test]
fn issue_14_a_click_that_loads_another_page_is_annotated_on_the_page_it_was_on() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let port = serve_pages(|path| {
        Reply::ok(if path == "/next" {
            NEXT_PAGE
        } else {
            LINK_PAGE
        })
    });
    let steps = "  - doc: Open the page\n    goto: /\n\
                 \x20 - doc: Click **Next**\n    click: {link: Next}\n\
                 \x20 - doc: The next page\n    expect: {heading: Next}\n";
    let r = binary::run_steps(tmp.path(), port, "site", "nav", steps, |c| {
        c.args(["--viewport", "1000x600", "--annotate"])
    });
    assert_eq!(r.code, Some(0), "{}", r.err);
    let click = &r.manifest.steps[1];
    assert!(click.navigated, "the click loaded /next");
    assert_eq!(click.before.as_deref(), Some("02-click-next-before.png"));
    let annotated = click.annotated.as_deref().expect("an annotated image");
    assert_eq!(annotated, "02-click-next-annotated.png");
    let before = decode(&r.evidence.join("02-click-next-before.png"));
    let after = decode(&r.evidence.join(click.screenshot.as_deref().expect("shot")));
    let ann = decode(&r.evidence.join(annotated));
    // The raw screenshot is the page after the click (all white); the
    // annotation is drawn on the page before it, around the link.
    assert_eq!(after.get_pixel(400, 230).0, [255, 255, 255, 255]);
    assert_eq!(before.get_pixel(400, 230).0, [0x20, 0xA0, 0x40, 255]);
    assert_eq!(ann.get_pixel(400, 230), before.get_pixel(400, 230));
    for (x, y) in [(296, 230), (504, 230), (400, 196), (400, 264)] {
        assert_eq!(ann.get_pixel(x, y).0, ORANGE, "outline at {x},{y}");
    }
    // A step that did not navigate has no capture from before it.
    assert_eq!(r.manifest.steps[2].before, None);
    // Without --annotate there is none either (no cost for a plain run).
    let tmp2 = tempfile::tempdir().expect("temp dir");
    let plain = binary::run_steps(tmp2.path(), port, "site", "nav", steps, |c| c);
    assert_eq!(plain.code, Some(0), "{}", plain.err);
    assert!(plain.manifest.steps.iter().all(|s| s.before.is_none()));
}
