//! Issue 14, deterministic captures: through the real binary, headless
//! Chromium and a page on 127.0.0.1 that moves on its own (an endless
//! spinner, a three-second fade-in, a clock that ticks every few
//! milliseconds, a focused field with its blinking caret and a four-second
//! colour transition on focus), two runs give
//! byte-identical screenshots: the page is stilled before each capture and
//! the clock is masked by locator. Also: `screenshot: {of, padding}` crops,
//! `--scale 2`, `note:` and `--freeze`.
//! See: issue 14 ("Deterministic captures").

use std::path::Path;

use image::RgbaImage;

mod binary;

use binary::{serve_pages, Reply, StepsRun};

const PAGE: &str = r#"<!doctype html><html><head><title>Capture page</title><style>
html, body { margin: 0; background: #ffffff; font-family: "DejaVu Sans", sans-serif; }
#spin { position: absolute; left: 20px; top: 20px; width: 40px; height: 40px;
        background: #3366cc; animation: spin 0.7s linear infinite; }
@keyframes spin { to { transform: rotate(360deg); } }
#panel { position: absolute; left: 100px; top: 100px; width: 300px; height: 120px; margin: 0;
         background: #e0e0e0; animation: fade 3s linear; }
@keyframes fade { from { opacity: 0; } to { opacity: 1; } }
#name { transition: background-color 4s linear; background: #ffffff; }
#name:focus { background: #fff3c0; }
#clock { position: absolute; left: 500px; top: 20px; width: 400px; height: 30px; margin: 0;
         font-size: 14px; white-space: nowrap; overflow: hidden; }
#name { position: absolute; left: 100px; top: 300px; width: 200px; font-size: 18px; }
</style></head><body>
<div id="spin"></div>
<section id="panel" aria-label="Summary"><h2>Summary</h2></section>
<p id="clock">Generated at <span id="t"></span></p>
<label>Name <input id="name"></label>
<script>
setInterval(() => { document.getElementById('t').textContent = new Date().toISOString(); }, 7);
</script></body></html>"#;

const STEPS: &str = "  - doc: Open the report of {date}\n    goto: /\n\
                     \x20 - doc: Type the **Name**\n    fill: {label: Name, value: Ada}\n\
                     \x20   note: The name as on the passport\n\
                     \x20 - doc: The **Summary** panel\n    screenshot: {name: summary, of: {region: Summary}, padding: 8}\n";

/// The masks' grey (`#c9ced6`).
const MASK: [u8; 4] = [0xC9, 0xCE, 0xD6, 255];

/// Where two images differ: the count of pixels and their bounding box.
fn changed(a: &RgbaImage, b: &RgbaImage) -> String {
    if a.dimensions() != b.dimensions() {
        return format!("sizes {:?} and {:?}", a.dimensions(), b.dimensions());
    }
    let (mut n, mut x0, mut y0, mut x1, mut y1) = (0, u32::MAX, u32::MAX, 0, 0);
    for (x, y, p) in a.enumerate_pixels() {
        if p != b.get_pixel(x, y) {
            n += 1;
            (x0, y0, x1, y1) = (x0.min(x), y0.min(y), x1.max(x), y1.max(y));
        }
    }
    format!("{n} pixels in ({x0}, {y0})..({x1}, {y1})")
}

fn decode(path: &Path) -> RgbaImage {
    image::open(path)
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()))
        .to_rgba8()
}

/// Write the runbook (the clock masked for every step) into `dir` and run
/// it against the loopback page on `port`.
fn run(dir: &Path, port: u16, extra: &[&str]) -> StepsRun {
    binary::require_browser();
    let runbook = dir.join("capture.yaml");
    std::fs::write(
        &runbook,
        format!(
            "name: capture\nprovider: site\nbase_url: http://127.0.0.1:1\n\
             mask: {{css: \"#clock\"}}\nsteps:\n{STEPS}"
        ),
    )
    .expect("write runbook");
    let out = binary::Clickpath::new()
        .arg("run")
        .arg("--base-url")
        .arg(format!("http://127.0.0.1:{port}"))
        .out(&dir.join("shots"), "r")
        .args(["--timeout", "5s", "--viewport", "1000x600"])
        .args(["--freeze", "date=2026-01-31"])
        .args(extra)
        .arg(&runbook)
        .run();
    let evidence = dir.join("shots/r/site/capture");
    let r = StepsRun {
        code: out.status.code(),
        err: binary::stderr(&out),
        manifest: binary::manifest(&evidence),
        evidence,
    };
    assert_eq!(r.code, Some(0), "{}", r.err);
    r
}

#[test]
fn issue_14_two_runs_of_a_moving_page_give_identical_screenshots() {
    let port = serve_pages(|_| Reply::ok(PAGE));
    let runs: Vec<(tempfile::TempDir, StepsRun)> = (0..2)
        .map(|_| {
            let tmp = tempfile::tempdir().expect("temp dir");
            let r = run(tmp.path(), port, &[]);
            (tmp, r)
        })
        .collect();
    let (a, b) = (&runs[0].1, &runs[1].1);
    let m = &a.manifest;
    assert_eq!(m.steps.len(), 3);
    assert_eq!(
        m.steps[0].doc, "Open the report of 2026-01-31",
        "--freeze date"
    );
    assert_eq!(
        m.steps[1].note.as_deref(),
        Some("The name as on the passport")
    );
    for (sa, sb) in m.steps.iter().zip(&b.manifest.steps) {
        let name = sa.screenshot.as_deref().expect("a screenshot");
        assert_eq!(Some(name), sb.screenshot.as_deref());
        let (x, y) = (
            std::fs::read(a.evidence.join(name)).expect("run 1"),
            std::fs::read(b.evidence.join(name)).expect("run 2"),
        );
        assert!(
            x == y,
            "step {}: {name} differs between two runs: {}",
            sa.number,
            changed(
                &decode(&a.evidence.join(name)),
                &decode(&b.evidence.join(name))
            )
        );
        // The clock is masked on every step, in the manifest and the image.
        assert_eq!(sa.masks.len(), 1, "step {}: {:?}", sa.number, sa.masks);
        let mk = sa.masks[0];
        assert_eq!(
            (mk.x, mk.y, mk.width, mk.height),
            (500.0, 20.0, 400.0, 30.0)
        );
        let img = decode(&a.evidence.join(name));
        for (px, py) in [(502, 22), (700, 35), (897, 47)] {
            assert_eq!(img.get_pixel(px, py).0, MASK, "mask at {px},{py}");
        }
        // The fade-in is played to its end, the spinner stands at its start.
        assert_eq!(img.get_pixel(110, 200).0, [0xE0, 0xE0, 0xE0, 255]);
        assert_eq!(img.get_pixel(22, 22).0, [0x33, 0x66, 0xCC, 255]);
    }
    // The crop: the region's box and 8 px around it.
    let shot = &m.steps[2];
    let crop = shot.crop.as_ref().expect("a crop");
    let b = crop.bbox;
    assert_eq!((b.x, b.y, b.width, b.height), (92.0, 92.0, 316.0, 136.0));
    let file = crop.file.as_deref().expect("the crop file");
    assert_eq!(file, "03-summary-crop.png");
    let cut = decode(&a.evidence.join(file));
    assert_eq!(cut.dimensions(), (316, 136));
    let whole = decode(&a.evidence.join(shot.screenshot.as_deref().expect("shot")));
    assert_eq!(cut.get_pixel(50, 50), whole.get_pixel(142, 142));
    assert_eq!(whole.dimensions(), (1000, 600));
}

#[test]
fn issue_14_scale_2_doubles_every_image_and_its_boxes_stay_in_css_pixels() {
    let port = serve_pages(|_| Reply::ok(PAGE));
    let tmp = tempfile::tempdir().expect("temp dir");
    let r = run(tmp.path(), port, &["--scale", "2", "--annotate"]);
    let m = &r.manifest;
    assert_eq!(m.device_scale_factor, 2.0);
    for s in &m.steps {
        let shot = decode(&r.evidence.join(s.screenshot.as_deref().expect("shot")));
        assert_eq!(shot.dimensions(), (2000, 1200), "step {}", s.number);
    }
    let field = m.steps[1].element.as_ref().expect("the field").bbox;
    assert_eq!((field.x, field.y), (100.0, 300.0), "CSS pixels");
    let crop = m.steps[2].crop.as_ref().expect("a crop");
    let cut = decode(&r.evidence.join(crop.file.as_deref().expect("file")));
    assert_eq!(cut.dimensions(), (632, 272));
    // The annotation of the fill is drawn at twice the CSS box.
    let ann = decode(
        &r.evidence
            .join(m.steps[1].annotated.as_deref().expect("annotated")),
    );
    assert_eq!(ann.dimensions(), (2000, 1200));
}
