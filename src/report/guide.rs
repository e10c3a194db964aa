//! Guides for technical writers: a help-center article per runbook, in
//! Markdown and HTML, illustrated with the images of an existing run.
//!
//! [`Guide::new`] pairs a runbook (its words: title, source article, the
//! declared vars and secrets, every step's `doc` as written, `{var}`
//! templates kept) with the manifest of one of its runs (which image
//! illustrates which step). [`Guide::write`] writes `<out>/<provider>/<flow>.md`,
//! `<flow>.html` beside it and the images under `<out>/<provider>/<flow>/`.
//!
//! Nothing comes from the run's values: vars and secrets are named and
//! described from the runbook's declarations, never valued, and step texts
//! are the runbook's templates, not the rendered text the manifest keeps.
//! The output is deterministic: no time, no run id, files in step order, so
//! regenerating from an unchanged UI changes no byte. Like every report this
//! reads the manifest only, never the browser.

use std::collections::BTreeSet;
use std::io;
use std::path::{Component, Path, PathBuf};

use super::RunbookReport;
use crate::escape::html as escape;
use crate::runbook::Runbook;

/// Why a guide could not be written.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum GuideError {
    /// A file or directory could not be read or written.
    #[error("{}: {source}", path.display())]
    Io {
        /// The file or directory.
        path: PathBuf,
        /// The I/O error.
        #[source]
        source: io::Error,
    },
}

fn io_at(path: &Path) -> impl FnOnce(io::Error) -> GuideError + '_ {
    move |source| GuideError::Io {
        path: path.to_path_buf(),
        source,
    }
}

/// One prerequisite: a var or a secret the reader must have, by name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Prerequisite {
    /// The name the runbook declares.
    pub name: String,
    /// Its description (Markdown as written), if the runbook gives one.
    pub description: Option<String>,
    /// Whether it is a secret (a credential the reader keeps to themselves).
    pub secret: bool,
}

/// One numbered step of a guide.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GuideStep {
    /// 1-based step number, as in the run.
    pub number: usize,
    /// The runbook's `doc` text as written (Markdown, `{var}` templates kept).
    pub doc: String,
    /// The run's image of this step (its crop, else annotated if the run
    /// has one, else the raw screenshot), as a file in the run's flow
    /// directory.
    pub image: Option<PathBuf>,
    /// Why the step has no image, when it has none.
    pub missing: Option<String>,
}

/// A guide: what the Markdown and HTML pages show, before any rendering.
#[derive(Debug, Clone, PartialEq)]
pub struct Guide {
    /// Provider key (the output's folder).
    pub provider: String,
    /// Flow key (the output's file stem).
    pub flow: String,
    /// The runbook's title (`name`).
    pub title: String,
    /// The runbook file, as given.
    pub runbook: PathBuf,
    /// The source article: a URL, or a local file (resolved against the
    /// runbook's folder when it exists there).
    pub source: Option<Source>,
    /// Vars, then secrets, in declaration order.
    pub prerequisites: Vec<Prerequisite>,
    /// The run's animated GIF (`<flow>.gif` in its flow directory), if any.
    pub gif: Option<PathBuf>,
    /// Every step of the runbook, `use:` includes expanded as in the run.
    pub steps: Vec<GuideStep>,
}

/// Where a runbook's source article lives.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Source {
    /// A web address, linked as is.
    Url(String),
    /// A local file, linked relatively from the guide.
    File(PathBuf),
}

/// What [`Guide::write`] wrote.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Written {
    /// The Markdown page.
    pub markdown: PathBuf,
    /// The HTML page.
    pub html: PathBuf,
    /// Images copied (the GIF included).
    pub images: usize,
}

/// A file name the manifest gives, if it is a plain name in its directory
/// (a hand-edited manifest must not make us copy `../../secret`).
fn plain_file(dir: &Path, name: &str) -> Option<PathBuf> {
    let mut parts = Path::new(name).components();
    match (parts.next(), parts.next()) {
        (Some(Component::Normal(_)), None) => {
            let path = dir.join(name);
            path.is_file().then_some(path)
        }
        _ => None,
    }
}

impl Guide {
    /// Pair `runbook` with `run`, the manifest of one of its runs.
    pub fn new(runbook: &Runbook, run: &RunbookReport) -> Guide {
        let source = runbook.source.as_deref().map(|s| {
            if s.contains("://") {
                Source::Url(s.to_string())
            } else {
                Source::File(
                    crate::runbook::source::article_path(runbook)
                        .unwrap_or_else(|| runbook.path.parent().unwrap_or(Path::new("")).join(s)),
                )
            }
        });
        let mut prerequisites: Vec<Prerequisite> = runbook
            .vars
            .iter()
            .map(|v| Prerequisite {
                name: v.name.clone(),
                description: v.description.clone(),
                secret: false,
            })
            .collect();
        prerequisites.extend(runbook.secrets.iter().map(|s| Prerequisite {
            name: s.name.clone(),
            description: s.description.clone(),
            secret: true,
        }));
        let steps = runbook
            .steps
            .iter()
            .enumerate()
            .map(|(i, step)| {
                let number = i + 1;
                let record = run.manifest.steps.iter().find(|r| r.number == number);
                let (image, missing) = match record {
                    None => (None, Some("the run did not reach this step".to_string())),
                    Some(r) => {
                        // A crop (`screenshot: {of: …}`) is the tight image
                        // the runbook asked for; else the annotated image.
                        let crop = r
                            .crop
                            .as_ref()
                            .and_then(|c| c.file.as_deref())
                            .and_then(|n| plain_file(&run.dir, n));
                        let annotated = crop.or_else(|| {
                            r.annotated.as_deref().and_then(|n| plain_file(&run.dir, n))
                        });
                        let raw = r
                            .screenshot
                            .as_deref()
                            .and_then(|n| plain_file(&run.dir, n));
                        match (annotated.or(raw), &r.screenshot) {
                            (Some(p), _) => (Some(p), None),
                            (None, Some(name)) => (
                                None,
                                Some(format!("its screenshot `{name}` is not in the run folder")),
                            ),
                            (None, None) => (None, Some("the run kept no screenshot".to_string())),
                        }
                    }
                };
                GuideStep {
                    number,
                    doc: step.doc.source_text(),
                    image,
                    missing,
                }
            })
            .collect();
        let gif = plain_file(&run.dir, &format!("{}.gif", runbook.flow));
        Guide {
            provider: runbook.provider.clone(),
            flow: runbook.flow.clone(),
            title: runbook.name.clone(),
            runbook: runbook.path.clone(),
            source,
            prerequisites,
            gif,
            steps,
        }
    }

    /// The steps without an image.
    pub fn steps_without_image(&self) -> impl Iterator<Item = &GuideStep> {
        self.steps.iter().filter(|s| s.image.is_none())
    }

    /// The image file names in the guide's folder: `(source, name)`.
    fn images(&self) -> Vec<(&Path, String)> {
        let mut out = Vec::new();
        if let Some(gif) = &self.gif {
            out.push((gif.as_path(), format!("{}.gif", self.flow)));
        }
        for step in &self.steps {
            if let Some(img) = &step.image {
                let name = img
                    .file_name()
                    .map(|n| n.to_string_lossy().into_owned())
                    .unwrap_or_default();
                out.push((img.as_path(), name));
            }
        }
        out
    }

    /// The link to the source article, relative to `page_dir` for a file.
    fn source_link(&self, page_dir: &Path) -> Option<(String, String)> {
        match self.source.as_ref()? {
            Source::Url(u) => Some((u.clone(), u.clone())),
            Source::File(f) => {
                let text = f
                    .file_name()
                    .map(|n| n.to_string_lossy().into_owned())
                    .unwrap_or_default();
                let target = relative(page_dir, f);
                Some((text, target))
            }
        }
    }

    /// The Markdown page; `page_dir` is where it will be written (for the
    /// source article's relative link).
    pub fn markdown(&self, page_dir: &Path) -> String {
        let mut md = format!("# {}\n\n", self.title.trim());
        if let Some((text, target)) = self.source_link(page_dir) {
            md.push_str(&format!(
                "Source article: [{}](<{}>)\n\n",
                md_label(&text),
                target
            ));
        }
        if self.gif.is_some() {
            md.push_str(&format!(
                "![{}: every step]({}/{}.gif)\n\n",
                md_label(&self.title),
                self.flow,
                self.flow
            ));
        }
        md.push_str("## Before you start\n\n");
        let (vars, secrets): (Vec<_>, Vec<_>) = self.prerequisites.iter().partition(|p| !p.secret);
        if vars.is_empty() && secrets.is_empty() {
            md.push_str("Nothing to prepare.\n\n");
        }
        if !vars.is_empty() {
            md.push_str("You need:\n\n");
            for p in vars {
                md.push_str(&prereq_line(p));
            }
            md.push('\n');
        }
        if !secrets.is_empty() {
            md.push_str("Keep these at hand (they are never written in this guide):\n\n");
            for p in secrets {
                md.push_str(&prereq_line(p));
            }
            md.push('\n');
        }
        md.push_str("## Steps\n\n");
        for step in &self.steps {
            md.push_str(&format!("{}. {}\n", step.number, one_line(&step.doc)));
            match (&step.image, &step.missing) {
                (Some(img), _) => {
                    let name = img
                        .file_name()
                        .map(|n| n.to_string_lossy().into_owned())
                        .unwrap_or_default();
                    md.push_str(&format!(
                        "\n   ![Step {}: {}]({}/{})\n",
                        step.number,
                        md_label(&plain_text(&step.doc)),
                        self.flow,
                        name
                    ));
                }
                (None, Some(why)) => md.push_str(&format!("\n   *No image: {why}.*\n")),
                (None, None) => {}
            }
            md.push('\n');
        }
        md.push_str(&format!(
            "---\n\nGenerated by clickpath from `{}`.\n",
            self.runbook.display()
        ));
        md
    }

    /// The HTML page (self-contained CSS, images relative); `page_dir` as
    /// for [`Guide::markdown`].
    pub fn html(&self, page_dir: &Path) -> String {
        let title = escape(self.title.trim());
        let mut h = format!(
            "<!doctype html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
             <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
             <title>{title}</title>\n<style>{CSS}</style>\n</head>\n<body>\n\
             <header class=\"site\"><span class=\"brand\">Help Center</span>\
             <span class=\"crumb\">Guides › {}</span></header>\n<main>\n<article>\n\
             <h1>{title}</h1>\n",
            escape(&self.provider)
        );
        if let Some((text, target)) = self.source_link(page_dir) {
            h.push_str(&format!(
                "<p class=\"source\">Source article: <a href=\"{}\">{}</a></p>\n",
                escape(&target),
                escape(&text)
            ));
        }
        if self.gif.is_some() {
            h.push_str(&format!(
                "<figure class=\"gif\"><img src=\"{f}/{f}.gif\" alt=\"{title}: every step\"></figure>\n",
                f = escape(&self.flow)
            ));
        }
        h.push_str("<section class=\"prereq\">\n<h2>Before you start</h2>\n");
        let (vars, secrets): (Vec<_>, Vec<_>) = self.prerequisites.iter().partition(|p| !p.secret);
        if vars.is_empty() && secrets.is_empty() {
            h.push_str("<p>Nothing to prepare.</p>\n");
        }
        for (list, intro) in [
            (&vars, "You need:"),
            (
                &secrets,
                "Keep these at hand (they are never written in this guide):",
            ),
        ] {
            if list.is_empty() {
                continue;
            }
            h.push_str(&format!("<p>{intro}</p>\n<ul>\n"));
            for p in list.iter() {
                h.push_str(&format!("<li><code>{}</code>", escape(&p.name)));
                if p.secret {
                    h.push_str(" <span class=\"tag\">secret</span>");
                }
                if let Some(d) = &p.description {
                    h.push_str(&format!(": {}", inline_html(&one_line(d))));
                }
                h.push_str("</li>\n");
            }
            h.push_str("</ul>\n");
        }
        h.push_str("</section>\n<h2>Steps</h2>\n<ol class=\"steps\">\n");
        for step in &self.steps {
            h.push_str(&format!(
                "<li id=\"step-{n}\"><span class=\"num\">{n}</span><div class=\"body\">\n<p>{}</p>\n",
                inline_html(&one_line(&step.doc)),
                n = step.number
            ));
            match (&step.image, &step.missing) {
                (Some(img), _) => {
                    let name = img
                        .file_name()
                        .map(|n| n.to_string_lossy().into_owned())
                        .unwrap_or_default();
                    h.push_str(&format!(
                        "<figure><img src=\"{}/{}\" alt=\"Step {}: {}\" loading=\"lazy\"></figure>\n",
                        escape(&self.flow),
                        escape(&name),
                        step.number,
                        escape(&plain_text(&step.doc))
                    ));
                }
                (None, Some(why)) => {
                    h.push_str(&format!(
                        "<p class=\"missing\">No image: {}.</p>\n",
                        inline_html(why)
                    ));
                }
                (None, None) => {}
            }
            h.push_str("</div></li>\n");
        }
        h.push_str(&format!(
            "</ol>\n</article>\n</main>\n<footer>Generated by clickpath from <code>{}</code>.</footer>\n</body>\n</html>\n",
            escape(&self.runbook.display().to_string())
        ));
        h
    }

    /// Write `<out>/<provider>/<flow>.md`, `.html` and the images under
    /// `<out>/<provider>/<flow>/`; other files left in that image folder by
    /// an earlier generation are removed, so the folder is exactly the guide's.
    pub fn write(&self, out: &Path) -> Result<Written, GuideError> {
        let page_dir = out.join(&self.provider);
        let img_dir = page_dir.join(&self.flow);
        std::fs::create_dir_all(&img_dir).map_err(io_at(&img_dir))?;
        let images = self.images();
        let mut keep = BTreeSet::new();
        for (from, name) in &images {
            let to = img_dir.join(name);
            copy_if_changed(from, &to)?;
            keep.insert(name.clone());
        }
        for entry in std::fs::read_dir(&img_dir).map_err(io_at(&img_dir))? {
            let entry = entry.map_err(io_at(&img_dir))?;
            let name = entry.file_name().to_string_lossy().into_owned();
            let is_file = entry.file_type().map_err(io_at(&entry.path()))?.is_file();
            if is_file && !keep.contains(&name) {
                std::fs::remove_file(entry.path()).map_err(io_at(&entry.path()))?;
            }
        }
        // Links are computed against the absolute folder, so the same
        // article gets the same link however `out` was spelled.
        let abs_page_dir = std::fs::canonicalize(&page_dir).map_err(io_at(&page_dir))?;
        let markdown = page_dir.join(format!("{}.md", self.flow));
        let html = page_dir.join(format!("{}.html", self.flow));
        write_if_changed(&markdown, self.markdown(&abs_page_dir).as_bytes())?;
        write_if_changed(&html, self.html(&abs_page_dir).as_bytes())?;
        Ok(Written {
            markdown,
            html,
            images: images.len(),
        })
    }
}

/// Write `bytes` unless the file already holds exactly them.
fn write_if_changed(path: &Path, bytes: &[u8]) -> Result<(), GuideError> {
    if std::fs::read(path).is_ok_and(|old| old == bytes) {
        return Ok(());
    }
    std::fs::write(path, bytes).map_err(io_at(path))
}

fn copy_if_changed(from: &Path, to: &Path) -> Result<(), GuideError> {
    let bytes = std::fs::read(from).map_err(io_at(from))?;
    write_if_changed(to, &bytes)
}

/// `- **name**: description` (Markdown).
fn prereq_line(p: &Prerequisite) -> String {
    match &p.description {
        Some(d) => format!("- `{}`: {}\n", p.name, one_line(d)),
        None => format!("- `{}`\n", p.name),
    }
}

/// Text on one line (a doc may be a folded YAML block).
fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// A Markdown link or alt text, with the brackets that would end it escaped.
fn md_label(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if matches!(c, '[' | ']' | '\\') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// The words of a Markdown text without its marks (for alt text).
pub fn plain_text(md: &str) -> String {
    let mut out = String::new();
    let mut rest = md;
    while let Some(c) = rest.chars().next() {
        if c == '[' {
            if let Some((text, _, after)) = link_at(rest) {
                out.push_str(&plain_text(text));
                rest = after;
                continue;
            }
        }
        if c == '\\' {
            if let Some(next) = rest[1..].chars().next() {
                out.push(next);
                rest = &rest[1 + next.len_utf8()..];
                continue;
            }
        }
        if c != '*' && c != '`' {
            out.push(c);
        }
        rest = &rest[c.len_utf8()..];
    }
    one_line(&out)
}

/// `[text](url)` at the start of `s`: (text, url, the rest).
fn link_at(s: &str) -> Option<(&str, &str, &str)> {
    let close = s.find("](")?;
    let text = &s[1..close];
    if text.contains('[') || text.contains(']') {
        return None;
    }
    let after = &s[close + 2..];
    let end = after.find(')')?;
    let url = after[..end].trim();
    if url.is_empty() || url.contains(char::is_whitespace) {
        return None;
    }
    Some((text, url, &after[end + 1..]))
}

/// A link target safe to put in `href`: web, mail, or a relative path (no
/// `javascript:` and the like).
fn safe_url(url: &str) -> bool {
    let lower = url.to_ascii_lowercase();
    if lower.starts_with("http://") || lower.starts_with("https://") || lower.starts_with("mailto:")
    {
        return true;
    }
    match (url.find(':'), url.find(['/', '?', '#'])) {
        (None, _) => true,
        (Some(colon), Some(sep)) => sep < colon,
        (Some(_), None) => false,
    }
}

/// Render the Markdown subset the docs use, escaping everything else:
/// `**bold**`, `*em*`, `` `code` ``, `[links](url)` and `\` escapes. Raw
/// HTML in a doc is shown as text, never interpreted.
pub fn inline_html(md: &str) -> String {
    let mut out = String::with_capacity(md.len() + 16);
    let (mut strong, mut em) = (false, false);
    let mut rest = md;
    while let Some(c) = rest.chars().next() {
        match c {
            '\\' if rest.len() > 1 => {
                let next = rest[1..].chars().next().unwrap_or('\\');
                out.push_str(&escape(&next.to_string()));
                rest = &rest[1 + next.len_utf8()..];
            }
            '`' => match rest[1..].find('`') {
                Some(end) => {
                    out.push_str(&format!("<code>{}</code>", escape(&rest[1..1 + end])));
                    rest = &rest[end + 2..];
                }
                None => {
                    out.push('`');
                    rest = &rest[1..];
                }
            },
            '[' => match link_at(rest) {
                Some((text, url, after)) if safe_url(url) => {
                    out.push_str(&format!(
                        "<a href=\"{}\">{}</a>",
                        escape(url),
                        inline_html(text)
                    ));
                    rest = after;
                }
                _ => {
                    out.push('[');
                    rest = &rest[1..];
                }
            },
            '*' if rest.starts_with("**") && (strong || rest[2..].contains("**")) => {
                out.push_str(if strong { "</strong>" } else { "<strong>" });
                strong = !strong;
                rest = &rest[2..];
            }
            '*' if em || rest[1..].replace("**", "").contains('*') => {
                out.push_str(if em { "</em>" } else { "<em>" });
                em = !em;
                rest = &rest[1..];
            }
            c => {
                out.push_str(&escape(&c.to_string()));
                rest = &rest[c.len_utf8()..];
            }
        }
    }
    if em {
        out.push_str("</em>");
    }
    if strong {
        out.push_str("</strong>");
    }
    out
}

/// The path of `to` relative to the folder `from`, `/`-separated; both are
/// made absolute first (when `to` exists).
fn relative(from: &Path, to: &Path) -> String {
    let to = std::fs::canonicalize(to).unwrap_or_else(|_| to.to_path_buf());
    let from: Vec<Component> = from.components().collect();
    let to_parts: Vec<Component> = to.components().collect();
    if !to.is_absolute() {
        return to_parts
            .iter()
            .map(|c| c.as_os_str().to_string_lossy().into_owned())
            .collect::<Vec<_>>()
            .join("/");
    }
    let common = from
        .iter()
        .zip(&to_parts)
        .take_while(|(a, b)| a == b)
        .count();
    let mut parts: Vec<String> = vec!["..".to_string(); from.len() - common];
    parts.extend(
        to_parts[common..]
            .iter()
            .map(|c| c.as_os_str().to_string_lossy().into_owned()),
    );
    parts.join("/")
}

const CSS: &str = r#"
*{box-sizing:border-box}
body{margin:0;font:16px/1.6 "Inter","Segoe UI",system-ui,-apple-system,Roboto,"DejaVu Sans",sans-serif;color:#1f2937;background:#f3f5f8}
header.site{background:#13294b;color:#fff;padding:14px 32px;display:flex;gap:18px;align-items:baseline}
header.site .brand{font-weight:700;font-size:18px;letter-spacing:.01em}
header.site .crumb{color:#b9c6dc;font-size:14px}
main{padding:32px 16px 48px}
article{max-width:880px;margin:0 auto;background:#fff;border:1px solid #e1e6ee;border-radius:10px;padding:36px 48px;box-shadow:0 1px 3px rgba(16,24,40,.06)}
h1{font-size:30px;line-height:1.25;margin:0 0 8px;color:#0f1b33}
h2{font-size:20px;margin:32px 0 12px;color:#0f1b33;border-bottom:1px solid #e6eaf0;padding-bottom:6px}
p.source{margin:0 0 20px;color:#5b6475;font-size:14px}
a{color:#1565c0;text-decoration:none}a:hover{text-decoration:underline}
section.prereq{background:#f0f6ff;border:1px solid #cfe0fa;border-left:4px solid #1565c0;border-radius:6px;padding:4px 20px 8px;margin:20px 0}
section.prereq h2{border:0;margin:12px 0 4px;font-size:17px}
section.prereq ul{margin:4px 0 8px;padding-left:20px}
.tag{display:inline-block;font-size:11px;font-weight:700;text-transform:uppercase;letter-spacing:.04em;background:#fde8e8;color:#9b1c1c;border-radius:4px;padding:0 6px;vertical-align:1px}
code{font:14px/1.4 "DejaVu Sans Mono",ui-monospace,monospace;background:#eef1f6;border-radius:4px;padding:1px 5px}
ol.steps{list-style:none;margin:0;padding:0}
ol.steps>li{display:flex;gap:16px;padding:18px 0;border-bottom:1px solid #eef1f5}
ol.steps>li:last-child{border-bottom:0}
.num{flex:0 0 32px;height:32px;border-radius:50%;background:#1565c0;color:#fff;font-weight:700;display:flex;align-items:center;justify-content:center;font-size:15px;margin-top:1px}
.body{flex:1;min-width:0}
.body p{margin:3px 0 10px}
figure{margin:0}
figure img{display:block;max-width:100%;height:auto;border:1px solid #d6dce6;border-radius:6px;box-shadow:0 2px 6px rgba(16,24,40,.08)}
figure.gif{margin:8px 0 16px}
p.missing{color:#8a5a00;background:#fff7e0;border-radius:4px;padding:4px 10px;font-size:14px;display:inline-block}
footer{max-width:880px;margin:0 auto;padding:0 16px 32px;color:#7a8394;font-size:13px}
"#;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inline_html_renders_the_docs_subset_and_escapes_the_rest() {
        assert_eq!(
            inline_html("Click **Invite a User** then *wait* for `Send` <b>&"),
            "Click <strong>Invite a User</strong> then <em>wait</em> for <code>Send</code> &lt;b&gt;&amp;"
        );
        assert_eq!(
            inline_html("see [the help](https://x.test/a?b=1&c)"),
            "see <a href=\"https://x.test/a?b=1&amp;c\">the help</a>"
        );
        assert_eq!(
            inline_html("[x](javascript:alert(1))"),
            "[x](javascript:alert(1))"
        );
        assert_eq!(inline_html("2 * 3"), "2 * 3");
        assert_eq!(
            inline_html("**Email:** dp-{customer}@x"),
            "<strong>Email:</strong> dp-{customer}@x"
        );
    }

    #[test]
    fn plain_text_drops_the_marks() {
        assert_eq!(
            plain_text("From the **Organization** [menu](x), `Settings`"),
            "From the Organization menu, Settings"
        );
    }

    #[test]
    fn relative_links_climb_to_the_common_folder() {
        let tmp = tempfile::tempdir().expect("temp dir");
        let root = std::fs::canonicalize(tmp.path()).expect("canonical");
        std::fs::create_dir_all(root.join("docs/guides/xero")).expect("dirs");
        std::fs::create_dir_all(root.join("seeds")).expect("dirs");
        std::fs::write(root.join("seeds/a.txt"), "x").expect("write");
        assert_eq!(
            relative(&root.join("docs/guides/xero"), &root.join("seeds/a.txt")),
            "../../../seeds/a.txt"
        );
    }
}
