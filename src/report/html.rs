//! The HTML report: one self-contained page per run, `DIR/index.html`.
//!
//! The page needs nothing but the file system: inline CSS, no scripts, no
//! fonts or images from elsewhere. Every screenshot the manifests name is
//! copied to `DIR/img/NN-<provider>-<flow>/` and referenced relatively, so
//! the directory can be zipped, archived as a CI artifact or opened with
//! `file://`. Layout: a header with the counts; then every failure, first and
//! expanded (`<details open>`): step number, doc text, source line, reason,
//! locator, URL, suggestions, the runbook patch the run proposes (its diff
//! and the article lines that quote the old words) and the failure
//! screenshot, large; then every
//! runbook with every step (doc text, action and locator, status, a
//! thumbnail linking to the full image).
//!
//! All text is escaped with [`escape`] (`crate::escape::html`, the same five
//! characters the sandbox pages escape; no crate needed for it). Manifests are already redacted and
//! nothing else is added.

use std::path::{Path, PathBuf};

use super::{suggestions, ReportError, RunReport, RunbookReport, RunbookStatus};
use crate::outcome::{StepRecord, StepStatus};

const CSS: &str = r#"
*{box-sizing:border-box}
body{margin:0;font:15px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,"DejaVu Sans",sans-serif;color:#1c2330;background:#f4f6f9}
header.top{background:#1c2330;color:#fff;padding:10px 24px;display:flex;flex-wrap:wrap;align-items:baseline;gap:6px 20px}
header.top h1{font-size:18px;margin:0;font-weight:600}
header.top .meta{color:#b8c2d3;font-size:13px}
header.top code{background:#2e3a50;color:#fff}
.badge{display:inline-block;border-radius:10px;padding:1px 10px;font-weight:600;font-size:13px}
.badge.failed,.st.failed,.st.incomplete{background:#c62828;color:#fff}
.badge.passed,.st.passed{background:#2e7d32;color:#fff}
.st.skipped{background:#d5dae2;color:#445}
.st{display:inline-block;border-radius:4px;padding:0 6px;font-size:12px;font-weight:700;text-transform:uppercase;letter-spacing:.03em}
main{padding:12px 24px 40px;max-width:1500px}
h2{font-size:16px;margin:14px 0 8px;text-transform:uppercase;letter-spacing:.05em;color:#556}
details{background:#fff;border:1px solid #d5dae2;border-radius:6px;margin:0 0 12px}
details.failure{border:2px solid #c62828}
summary{cursor:pointer;padding:8px 12px;font-weight:600}
details.failure>summary{background:#fdecea}
.fail-body{display:grid;grid-template-columns:minmax(300px,1fr) minmax(0,2fr);gap:16px;padding:12px}
@media (max-width:900px){.fail-body{grid-template-columns:1fr}}
dl{margin:0;display:grid;grid-template-columns:max-content 1fr;gap:4px 12px}
dt{color:#667;font-size:13px}
dd{margin:0;overflow-wrap:anywhere}
.reason{color:#b71c1c;font-weight:600}
.suggest{margin-top:12px;padding:8px 12px;background:#fff8e1;border-left:4px solid #f9a825}
.suggest h3{margin:0 0 4px;font-size:14px}
.suggest ul{margin:0;padding-left:20px}
.fix{margin-top:12px;padding:8px 12px;background:#e8f5e9;border-left:4px solid #2e7d32}
.fix h3{margin:0 0 4px;font-size:14px}
.fix p{margin:4px 0}
pre.diff{margin:4px 0;padding:6px 8px;background:#fff;border:1px solid #d5dae2;border-radius:3px;font:12px/1.35 ui-monospace,"DejaVu Sans Mono",monospace;overflow-x:auto}
figure{margin:0}
img.shot{display:block;width:100%;height:auto;border:1px solid #aab;border-radius:4px}
figcaption{font-size:12px;color:#667;margin-top:4px;overflow-wrap:anywhere}
table{border-collapse:collapse;width:100%;table-layout:fixed}
th:nth-child(1){width:44px}th:nth-child(3){width:28%}th:nth-child(4){width:110px}th:nth-child(5){width:190px}
th,td{text-align:left;vertical-align:top;padding:6px 10px;border-top:1px solid #e3e7ee}
th{font-size:12px;color:#667;text-transform:uppercase}
tr.failed td{background:#fdecea}
tr.skipped td{color:#889}
.src{font-size:12px;color:#667}
img.thumb{width:160px;height:auto;border:1px solid #aab;border-radius:3px;display:block}
code{font:13px/1.3 ui-monospace,"DejaVu Sans Mono",monospace;background:#eef1f5;padding:0 3px;border-radius:3px;overflow-wrap:anywhere}
.missing{font-size:12px;color:#889}
p.none{margin:0 0 12px;color:#2e7d32;font-weight:600}
"#;

/// Escape text for HTML element content and attribute values.
pub use crate::escape::html as escape;

/// Escape a doc text and show its `**bold**` UI words in bold.
fn doc_html(doc: &str) -> String {
    let escaped = escape(doc);
    let parts: Vec<&str> = escaped.split("**").collect();
    if parts.len() < 3 || parts.len() % 2 == 0 {
        return escaped;
    }
    let mut out = String::new();
    for (i, p) in parts.iter().enumerate() {
        if i % 2 == 1 {
            out.push_str("<strong>");
            out.push_str(p);
            out.push_str("</strong>");
        } else {
            out.push_str(p);
        }
    }
    out
}

/// A file-name-safe path component.
fn component(s: &str) -> String {
    let c: String = s
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
                c
            } else {
                '_'
            }
        })
        .collect();
    if c.is_empty() {
        "_".into()
    } else {
        c
    }
}

/// Screenshots of one runbook as copied into the report directory.
struct Images {
    /// `img/NN-provider-flow`, relative to the report directory.
    rel_dir: String,
}

impl Images {
    fn new(index: usize, r: &RunbookReport) -> Self {
        Images {
            rel_dir: format!(
                "img/{:02}-{}-{}",
                index + 1,
                component(&r.manifest.provider),
                component(&r.manifest.flow)
            ),
        }
    }

    /// The relative `src` of a step's copied screenshot, if it was copied.
    fn src(&self, out_dir: &Path, step: &StepRecord) -> Option<String> {
        let name = Path::new(step.screenshot.as_ref()?).file_name()?.to_str()?;
        let rel = format!("{}/{}", self.rel_dir, component_file(name));
        out_dir.join(&rel).is_file().then_some(rel)
    }
}

fn component_file(name: &str) -> String {
    match name.rsplit_once('.') {
        Some((stem, ext)) => format!("{}.{}", component(stem), component(ext)),
        None => component(name),
    }
}

/// Copy every screenshot of `r` under `out_dir`; a missing source is skipped (shown as missing).
fn copy_images(out_dir: &Path, images: &Images, r: &RunbookReport) -> Result<(), ReportError> {
    let dir = out_dir.join(&images.rel_dir);
    std::fs::create_dir_all(&dir).map_err(ReportError::io(&dir))?;
    for step in &r.manifest.steps {
        let (Some(src), Some(name)) = (
            r.screenshot_path(step),
            step.screenshot
                .as_deref()
                .and_then(|s| Path::new(s).file_name())
                .and_then(|n| n.to_str()),
        ) else {
            continue;
        };
        if !src.is_file() {
            continue;
        }
        let dest = dir.join(component_file(name));
        std::fs::copy(&src, &dest).map_err(ReportError::io(&dest))?;
    }
    Ok(())
}

/// Write `out_dir/index.html` and copy the screenshots to `out_dir/img/`; returns the page's path.
pub fn write(report: &RunReport, out_dir: &Path) -> Result<PathBuf, ReportError> {
    std::fs::create_dir_all(out_dir).map_err(ReportError::io(out_dir))?;
    let images: Vec<Images> = report
        .runbooks
        .iter()
        .enumerate()
        .map(|(i, r)| Images::new(i, r))
        .collect();
    for (r, im) in report.runbooks.iter().zip(&images) {
        copy_images(out_dir, im, r)?;
    }
    let page = render(report, out_dir, &images);
    let path = out_dir.join("index.html");
    crate::evidence::write_atomic(&path, page.as_bytes()).map_err(ReportError::io(&path))?;
    Ok(path)
}

fn render(report: &RunReport, out_dir: &Path, images: &[Images]) -> String {
    let (passed, failed) = (report.passed(), report.failed());
    let mut h = String::new();
    let verdict = if failed == 0 {
        "all passed".to_string()
    } else {
        format!("{failed} failed")
    };
    h.push_str(&format!(
        "<!doctype html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title>clickpath run {} — {}</title>\n<style>{CSS}</style>\n</head>\n<body>\n",
        escape(&report.run_id),
        escape(&verdict)
    ));
    h.push_str("<header class=\"top\">\n");
    h.push_str(&format!(
        "<h1>clickpath run <code>{}</code></h1>\n",
        escape(&report.run_id)
    ));
    h.push_str("<p class=\"counts\" style=\"margin:0\">");
    if failed > 0 {
        h.push_str(&format!(
            "<span class=\"badge failed\">{failed} failed</span> "
        ));
    }
    h.push_str(&format!(
        "<span class=\"badge passed\">{passed} passed</span> <span class=\"meta\">of {} runbook{}</span></p>\n",
        report.runbooks.len(),
        if report.runbooks.len() == 1 { "" } else { "s" }
    ));
    let mut meta = Vec::new();
    if let Some(s) = &report.started_at {
        meta.push(format!("started {}", escape(s)));
    }
    if let Some(s) = &report.finished_at {
        meta.push(format!("finished {}", escape(s)));
    }
    if let Some(first) = report.runbooks.first() {
        let b = &first.manifest.browser;
        meta.push(format!("{} {}", escape(&b.name), escape(&b.version)));
    }
    h.push_str(&format!(
        "<span class=\"meta\">{}</span>\n",
        meta.join(" · ")
    ));
    h.push_str("</header>\n<main>\n");

    h.push_str("<section id=\"failures\" aria-label=\"Failures\">\n<h2>Failures</h2>\n");
    if failed == 0 {
        h.push_str("<p class=\"none\">No failures: every step of every runbook passed.</p>\n");
    }
    for (i, r) in report.runbooks.iter().enumerate() {
        if r.status() != RunbookStatus::Passed {
            failure_block(&mut h, r, out_dir, &images[i]);
        }
    }
    h.push_str("</section>\n");

    h.push_str("<section id=\"runbooks\" aria-label=\"Runbooks\">\n<h2>Runbooks</h2>\n");
    for (i, r) in report.runbooks.iter().enumerate() {
        runbook_block(&mut h, r, out_dir, &images[i]);
    }
    h.push_str("</section>\n</main>\n</body>\n</html>\n");
    h
}

fn failure_block(h: &mut String, r: &RunbookReport, out_dir: &Path, images: &Images) {
    let m = &r.manifest;
    let step = r.failed_step();
    let status = r.status();
    h.push_str(&format!(
        "<details open class=\"failure\" id=\"failure-{}-{}\">\n<summary><span class=\"st {}\">{}</span> {} — ",
        component(&m.provider),
        component(&m.flow),
        status,
        status,
        escape(&r.key())
    ));
    match step {
        Some(s) => h.push_str(&format!(
            "step {} of {}: {}</summary>\n",
            s.number,
            m.steps_total,
            doc_html(&s.doc)
        )),
        None => h.push_str(&format!(
            "{}</summary>\n",
            escape(&r.reason().unwrap_or_default())
        )),
    }
    h.push_str("<div class=\"fail-body\">\n<div class=\"facts\">\n<dl>\n");
    let mut fact = |k: &str, v: String| h.push_str(&format!("<dt>{k}</dt><dd>{v}</dd>\n"));
    fact(
        "Runbook",
        format!(
            "{} <code>{}</code>",
            escape(&m.name),
            escape(&r.runbook_path())
        ),
    );
    if let Some(s) = step {
        fact(
            "Step",
            format!("{} of {}: {}", s.number, m.steps_total, doc_html(&s.doc)),
        );
        fact(
            "Source",
            format!("<code>{}</code>", escape(&s.source.to_string())),
        );
    }
    if let Some(reason) = r.reason() {
        fact(
            "Reason",
            format!("<span class=\"reason\">{}</span>", escape(&reason)),
        );
    }
    if let Some(s) = step {
        if let Some(f) = m.failure() {
            fact("Kind", format!("<code>{}</code>", f.kind));
        }
        if let Some(l) = &s.locator {
            fact(
                "Locator",
                format!("<code>{}</code> {}", escape(&s.action), escape(l)),
            );
        }
        if let Some(u) = &s.url {
            fact("URL", format!("<code>{}</code>", escape(u)));
        }
    }
    h.push_str("</dl>\n");
    let sugg = m.failure().map(suggestions).unwrap_or_default();
    if !sugg.is_empty() {
        h.push_str("<div class=\"suggest\"><h3>What the page offers instead</h3>\n<ul>\n");
        for s in sugg {
            h.push_str(&format!("<li>{}</li>\n", escape(&s)));
        }
        h.push_str("</ul></div>\n");
    }
    if let Some(fix) = m.fix() {
        fix_block(h, r, fix);
    }
    h.push_str("</div>\n");
    match step.and_then(|s| images.src(out_dir, s).map(|src| (s, src))) {
        Some((s, src)) => h.push_str(&format!(
            "<figure><a href=\"{src}\"><img class=\"shot\" src=\"{src}\" alt=\"Screenshot of failing step {n}: {alt}\"></a>\n\
             <figcaption>Step {n} failed: <code>{src}</code></figcaption></figure>\n",
            src = escape(&src),
            n = s.number,
            alt = escape(&s.doc)
        )),
        None => h.push_str("<p class=\"missing\">No failure screenshot.</p>\n"),
    }
    h.push_str("</div>\n</details>\n");
}

/// The runbook patch a failed run proposes: the edits, the diff (as in
/// `fix.patch`) and the article lines that quote the old words.
fn fix_block(h: &mut String, r: &RunbookReport, fix: &crate::outcome::FixRecord) {
    let edits: Vec<String> = fix
        .edits
        .iter()
        .map(|e| format!("step {}: {}", e.step, escape(&e.edit.to_string())))
        .collect();
    h.push_str(&format!(
        "<div class=\"fix\"><h3>Suggested fix</h3>\n<p>{} — <code>{}</code>; apply it with <code>clickpath fix {} --write</code></p>\n<pre class=\"diff\">{}</pre>\n",
        edits.join("; "),
        escape(&r.dir.join(&fix.patch).display().to_string()),
        escape(&r.dir.display().to_string()),
        escape(&fix.diff)
    ));
    for a in &fix.article {
        h.push_str(&format!(
            "<p class=\"article\">Article <code>{}:{}</code> quotes “{}”; the documentation needs the same change: <q>{}</q></p>\n",
            escape(&a.file.display().to_string()),
            a.line,
            escape(&a.quotes),
            escape(&a.text)
        ));
    }
    h.push_str("</div>\n");
}

fn runbook_block(h: &mut String, r: &RunbookReport, out_dir: &Path, images: &Images) {
    let m = &r.manifest;
    let status = r.status();
    h.push_str(&format!(
        "<details open class=\"runbook {status}\" id=\"runbook-{}-{}\">\n\
         <summary><span class=\"st {status}\">{status}</span> {} — {} <span class=\"src\">({} of {} steps passed, {:.1} s, <code>{}</code>)</span></summary>\n",
        component(&m.provider),
        component(&m.flow),
        escape(&r.key()),
        escape(&m.name),
        r.steps_passed(),
        m.steps_total,
        r.duration_ms() as f64 / 1000.0,
        escape(&r.runbook_path()),
    ));
    h.push_str(
        "<table>\n<thead><tr><th>#</th><th>Step</th><th>Action</th><th>Status</th><th>Screenshot</th></tr></thead>\n<tbody>\n",
    );
    for s in &m.steps {
        let st = s.status.name();
        let action = match &s.locator {
            Some(l) => format!("<code>{}</code> {}", escape(&s.action), escape(l)),
            None => format!("<code>{}</code>", escape(&s.action)),
        };
        let mut detail = format!("<div class=\"src\">{}</div>", escape(&s.source.to_string()));
        if let Some(f) = &s.failure {
            detail.push_str(&format!(
                "<div class=\"reason\">{}</div>",
                escape(&f.message)
            ));
        }
        for w in &s.opened_windows {
            detail.push_str(&format!(
                "<div class=\"src\">opened a window: {} {}</div>",
                escape(&format!("{:?}", w.title)),
                escape(&w.url)
            ));
        }
        let shot = match images.src(out_dir, s) {
            Some(src) => format!(
                "<a href=\"{src}\"><img class=\"thumb\" loading=\"lazy\" src=\"{src}\" alt=\"Screenshot after step {}\"></a>",
                s.number,
                src = escape(&src)
            ),
            None if matches!(s.status, StepStatus::Skipped { .. }) => "<span class=\"missing\">not run</span>".into(),
            None => "<span class=\"missing\">no screenshot</span>".into(),
        };
        h.push_str(&format!(
            "<tr class=\"{st}\"><td>{}</td><td>{}{detail}</td><td>{action}</td><td><span class=\"st {st}\">{st}</span></td><td>{shot}</td></tr>\n",
            s.number,
            doc_html(&s.doc),
        ));
    }
    h.push_str("</tbody>\n</table>\n</details>\n");
}

#[cfg(test)]
mod tests {
    use super::super::fixtures::{sample_run, write_pngs, TempDir};
    use super::*;

    #[test]
    fn escape_covers_text_and_attributes() {
        assert_eq!(
            escape(r#"<a href="x">Tom & 'Jerry'</a>"#),
            "&lt;a href=&quot;x&quot;&gt;Tom &amp; &#39;Jerry&#39;&lt;/a&gt;"
        );
        assert_eq!(
            doc_html("Click **<b>**"),
            "Click <strong>&lt;b&gt;</strong>"
        );
        assert_eq!(doc_html("a ** b"), "a ** b");
    }

    #[test]
    fn page_lists_failures_first_and_copies_screenshots() {
        let tmp = TempDir::new("html");
        let mut r = sample_run(&tmp.path().join("evidence"));
        r.runbooks[1].manifest.name = "Invite <script>alert(1)</script>".into();
        write_pngs(&r);
        let out = tmp.path().join("report");
        let index = write(&r, &out).unwrap();
        assert_eq!(index, out.join("index.html"));
        let page = std::fs::read_to_string(&index).unwrap();
        let failures = page.find("id=\"failures\"").unwrap();
        let runbooks = page.find("id=\"runbooks\"").unwrap();
        let failure = page.find("<details open class=\"failure\"").unwrap();
        assert!(failures < failure && failure < runbooks);
        assert!(page.contains("step 3 of 5: Click <strong>Invite a user</strong>"));
        assert!(page.contains("<code>runbooks/xero/10-invite_user.yaml:14:5</code>"));
        assert!(page.contains("no button named &quot;Invite a user&quot;"));
        assert!(page.contains("<li>did you mean button &quot;Invite user&quot; (main)?</li>"));
        assert!(page.contains(
            "<img class=\"shot\" src=\"img/02-xero-invite_user/03-click-invite-a-user-FAILED.png\""
        ));
        assert!(out
            .join("img/02-xero-invite_user/03-click-invite-a-user-FAILED.png")
            .is_file());
        assert!(out.join("img/01-xero-users/01-step.png").is_file());
        assert!(page.contains("img/01-xero-users/02-step.png"));
        // No script and nothing fetched from elsewhere.
        assert!(!page.contains("<script"), "unescaped script tag");
        assert!(page.contains("Invite &lt;script&gt;alert(1)&lt;/script&gt;"));
        assert!(!page.contains("http://") || !page.contains("src=\"http"));
        assert!(!page.contains("src=\"/") && !page.contains("href=\"http"));
        // Runbook table lists every step, skipped ones too.
        assert_eq!(page.matches("<tr class=\"skipped\">").count(), 2);
        assert!(page.contains("<span class=\"badge failed\">1 failed</span>"));
    }

    #[test]
    fn an_all_passing_run_says_so() {
        let tmp = TempDir::new("html-pass");
        let mut r = sample_run(&tmp.path().join("evidence"));
        r.runbooks.truncate(1);
        write_pngs(&r);
        let page = std::fs::read_to_string(write(&r, &tmp.path().join("out")).unwrap()).unwrap();
        assert!(page.contains("No failures: every step of every runbook passed."));
        assert!(!page.contains("class=\"failure\""));
        assert!(!page.contains("badge failed"));
        assert!(page.contains("<title>clickpath run run-1 — all passed</title>"));
        assert_eq!(page.matches("<img class=\"thumb\"").count(), 3);
    }

    #[test]
    fn missing_screenshots_are_shown_as_missing_not_broken() {
        let tmp = TempDir::new("html-missing");
        let r = sample_run(&tmp.path().join("evidence")); // no PNGs written
        let out = tmp.path().join("report");
        let page = std::fs::read_to_string(write(&r, &out).unwrap()).unwrap();
        assert!(!page.contains("<img"), "{page}");
        assert!(page.contains("No failure screenshot."));
    }
}
