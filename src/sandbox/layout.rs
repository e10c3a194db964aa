//! The shared HTML shell of every sandbox page: escaping, the one stylesheet and
//! script (menus, dialogs, tabs), inline SVG icons and the vendor-style error
//! page. Knows nothing of state or routes.

use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};

use super::state::Provider;

pub(crate) use crate::escape::html as esc;

const CSS: &str = r#"
*{box-sizing:border-box}
html,body{margin:0;padding:0}
body{font-family:"DejaVu Sans",sans-serif;font-size:15px;color:#1e2a36;background:#f2f4f6;line-height:1.45}
a{color:#0078c8;text-decoration:none}a:hover{text-decoration:underline}
h1{font-size:26px;font-weight:600;margin:0 0 18px}
h2{font-size:18px;font-weight:600;margin:0 0 12px}
main{max-width:1080px;margin:0 auto;padding:28px 32px 60px}
.card{background:#fff;border-radius:6px;box-shadow:0 1px 3px rgba(0,0,0,.12);padding:22px 24px;margin-bottom:18px}
.grid{display:grid;grid-template-columns:repeat(3,1fr);gap:16px}
.grid .card{margin:0}
.muted{color:#5c6b7a;font-size:14px}
.row{display:flex;gap:10px;align-items:center}
.row h1{margin:0}
main>.row{margin-bottom:18px}
.spacer{flex:1}
button,.btn{font:inherit;font-size:14px;font-weight:600;border-radius:4px;padding:8px 16px;border:1px solid #b7c1cb;background:#fff;color:#1e2a36;cursor:pointer;display:inline-block;line-height:20px}
button:hover{filter:brightness(.96)}
.btn svg{vertical-align:-3px;margin-left:6px}
.btn-primary{background:#0078c8;border-color:#0078c8;color:#fff}
.btn-danger{background:#c9252c;border-color:#c9252c;color:#fff}
.btn-link{border:none;background:none;color:#0078c8;padding:4px 6px}
form.inline{display:inline}
.field{margin-bottom:16px}
.field label,.legend{display:block;font-weight:600;font-size:14px;margin-bottom:6px}
.field input[type=text],.field input[type=email],.field input[type=password],.field select,.field textarea{width:100%;font:inherit;padding:8px 10px;border:1px solid #b7c1cb;border-radius:4px;background:#fff}
.field textarea{min-height:110px}
.check{display:flex;gap:8px;align-items:center;margin-bottom:10px;position:relative}
.check label{font-weight:400;cursor:pointer;display:inline-flex;align-items:center}
.check input[type=checkbox],.check input[type=radio]{position:absolute;width:1px;height:1px;margin:-1px;padding:0;border:0;overflow:hidden;clip:rect(0 0 0 0);clip-path:inset(50%);white-space:nowrap}
.check label::before{content:"";flex:none;width:18px;height:18px;margin-right:8px;border:2px solid #5c6b7a;border-radius:3px;background:#fff}
.check input[type=radio]+label::before{border-radius:50%}
.check input:checked+label::before{background:#0078c8;border-color:#0078c8;box-shadow:inset 0 0 0 3px #fff}
.check input:focus-visible+label::before{outline:2px solid #0078c8;outline-offset:2px}
.combo-wrap{position:relative}
.combo{display:flex;align-items:center;justify-content:space-between;width:100%;padding:8px 10px;border:1px solid #b7c1cb;border-radius:4px;background:#fff;cursor:pointer;min-height:38px}
.combo:focus{outline:2px solid #0078c8;outline-offset:1px}
.combo-wrap [role=listbox]{position:absolute;z-index:30;top:100%;left:0;right:0;margin:4px 0 0;padding:4px 0;list-style:none;background:#fff;border-radius:4px;box-shadow:0 4px 16px rgba(0,0,0,.22)}
.combo-wrap [role=option]{padding:8px 12px;cursor:pointer}
.combo-wrap [role=option]:hover,.combo-wrap [role=option][aria-selected=true]{background:#eef4fa}
fieldset{border:none;padding:0;margin:0 0 16px}
.two{display:grid;grid-template-columns:1fr 1fr;gap:0 18px}
table{width:100%;border-collapse:collapse;background:#fff}
th{text-align:left;font-size:13px;color:#5c6b7a;font-weight:600;padding:10px 12px;border-bottom:2px solid #dde3e8}
td{padding:11px 12px;border-bottom:1px solid #e6eaee;font-size:14px}
.notice{background:#e5f5e9;border-left:4px solid #1f8c3b;padding:10px 14px;margin-bottom:16px;border-radius:3px}
.alert{background:#fdecea;border-left:4px solid #c9252c;padding:10px 14px;margin-bottom:16px;border-radius:3px;color:#8a1c21}
.pill{display:inline-block;padding:1px 8px;border-radius:10px;font-size:12px;background:#e6eaee}
.pill.pending{background:#fff4d6;color:#7a5600}
.menu-wrap{position:relative;display:inline-block}
[role=menu]{position:absolute;z-index:20;top:100%;left:0;min-width:220px;background:#fff;color:#1e2a36;border-radius:4px;box-shadow:0 4px 16px rgba(0,0,0,.22);list-style:none;margin:6px 0 0;padding:6px 0}
[role=menu].right{left:auto;right:0}
[role=menu] a,[role=menu] button{display:block;width:100%;text-align:left;padding:9px 16px;color:#1e2a36;border:none;background:none;font-weight:400;border-radius:0}
[role=menu] a:hover,[role=menu] button:hover{background:#eef4fa;text-decoration:none}
[hidden]{display:none!important}
.backdrop{position:fixed;inset:0;background:rgba(20,30,40,.55);z-index:50;display:flex;align-items:center;justify-content:center}
[role=dialog]{background:#fff;border-radius:6px;width:480px;max-width:92vw;padding:24px;box-shadow:0 10px 40px rgba(0,0,0,.3)}
[role=dialog] .actions{display:flex;justify-content:flex-end;gap:10px;margin-top:22px}
.icon-btn{background:none;border:none;color:inherit;padding:6px;border-radius:50%;width:38px;height:38px;display:inline-flex;align-items:center;justify-content:center}
.icon-btn:hover{background:rgba(255,255,255,.18)}
.icon-btn svg{width:22px;height:22px}
.xhdr{background:#0078c8;color:#fff;height:56px;display:flex;align-items:center;padding:0 16px;gap:8px}
.xhdr a.nav{color:#fff;padding:8px 12px;border-radius:4px;font-weight:500}
.xhdr a.nav:hover,.xhdr a.nav[aria-current=page]{background:rgba(255,255,255,.16);text-decoration:none}
.org-btn{background:none;border:none;color:#fff;font-size:16px;font-weight:600;padding:8px 10px;display:inline-flex;align-items:center;gap:6px}
.org-btn:hover{background:rgba(255,255,255,.16)}
.org-logo{width:30px;height:30px;border-radius:4px;background:#fff;color:#0078c8;display:inline-flex;align-items:center;justify-content:center;font-weight:700;font-size:13px}
.avatar{width:32px;height:32px;border-radius:50%;background:#13b5ea;color:#fff;display:inline-flex;align-items:center;justify-content:center;font-weight:700;font-size:13px}
.tablist{display:flex;gap:4px;border-bottom:1px solid #cfd7de;margin-bottom:20px}
.tablist [role=tab]{padding:10px 18px;border:none;border-bottom:3px solid transparent;border-radius:0;background:none;color:#1e2a36;font-weight:600;font-size:15px}
.tablist [role=tab][aria-selected=true]{border-bottom-color:#0078c8;color:#0078c8}
.green-tabs [role=tab]{background:#5ab43c;color:#fff;border-radius:4px 4px 0 0;border-bottom:none;margin-right:2px}
.green-tabs [role=tab][aria-selected=true]{background:#fff;color:#3f8e26;box-shadow:inset 0 3px 0 #5ab43c}
.bottom-links{margin-top:40px;padding-top:18px;border-top:1px solid #cfd7de}
.login{max-width:420px;margin:70px auto}
.login .card{padding:36px 36px 28px}
.brand{display:flex;justify-content:center;margin-bottom:18px}
.qbo{background:#f4f5f8}
.qbo .btn-primary{background:#2ca01c;border-color:#2ca01c}
.qbo a{color:#0077c5}
.qhdr{background:#fff;height:60px;display:flex;align-items:center;padding:0 20px;border-bottom:1px solid #dcdfe3;gap:12px}
.qhdr .company{font-size:16px;font-weight:600}
.qhdr .icon-btn{color:#393a3d}.qhdr .icon-btn:hover{background:#eceef1}
.qshell{display:flex;min-height:calc(100vh - 60px)}
.qnav{width:210px;background:#393a3d;padding:16px 0;flex:none}
.qnav a{display:block;color:#fff;padding:10px 22px;font-weight:500}
.qnav a[aria-current=page]{background:#2ca01c;text-decoration:none}
.qshell main{flex:1;margin:0;max-width:none}
.gear-panel{position:absolute;right:0;top:100%;margin-top:8px;width:280px;background:#fff;border-radius:6px;box-shadow:0 6px 24px rgba(0,0,0,.25);padding:18px 20px;z-index:20}
.gear-panel h2{font-size:13px;text-transform:uppercase;color:#6b6c72;letter-spacing:.04em}
.gear-panel a{display:block;padding:6px 0;color:#393a3d}
.mx-title{font-weight:600;font-size:16px;margin-left:4px}
.help-article p{margin:0 0 14px}
"#;

const SCRIPT: &str = r#"
(function(){
function closeMenus(except){document.querySelectorAll('[aria-haspopup][aria-expanded="true"]').forEach(function(b){if(b!==except){b.setAttribute('aria-expanded','false');var m=document.getElementById(b.getAttribute('aria-controls'));if(m){m.hidden=true;}}});}
function closeDialogs(){document.querySelectorAll('.backdrop').forEach(function(d){d.hidden=true;});}
function choose(o){var list=o.closest('[role=listbox]');var c=document.querySelector('[aria-controls="'+list.id+'"]');list.querySelectorAll('[role=option]').forEach(function(x){x.setAttribute('aria-selected',x===o?'true':'false');});if(c){c.querySelector('.combo-value').textContent=o.textContent;var h=c.parentElement.querySelector('input[type=hidden]');if(h){h.value=o.getAttribute('data-value');}c.setAttribute('aria-expanded','false');c.focus();}list.hidden=true;}
document.addEventListener('click',function(e){
  var opt=e.target.closest('.combo-wrap [role=option]');
  if(opt){choose(opt);e.preventDefault();return;}
  var t=e.target.closest('[aria-haspopup][aria-controls]');
  if(t){closeMenus(t);var m=document.getElementById(t.getAttribute('aria-controls'));var open=t.getAttribute('aria-expanded')!=='true';t.setAttribute('aria-expanded',open?'true':'false');if(m){m.hidden=!open;}e.preventDefault();return;}
  if(!e.target.closest('[role=menu],.gear-panel')){closeMenus(null);}
  var o=e.target.closest('[data-open-dialog]');
  if(o){var d=document.getElementById(o.getAttribute('data-open-dialog'));if(d){if(o.dataset.userId){var i=d.querySelector('input[name=id]');if(i){i.value=o.dataset.userId;}}if(o.dataset.userName){d.querySelectorAll('[data-fill=name]').forEach(function(n){n.textContent=o.dataset.userName;});}d.hidden=false;var f=d.querySelector('[data-autofocus]');if(f){f.focus();}}e.preventDefault();return;}
  if(e.target.closest('[data-close-dialog]')){closeDialogs();e.preventDefault();return;}
  var tab=e.target.closest('button[role=tab][aria-controls]');
  if(tab){var list=tab.closest('[role=tablist]');list.querySelectorAll('[role=tab]').forEach(function(x){var sel=x===tab;x.setAttribute('aria-selected',sel?'true':'false');var p=document.getElementById(x.getAttribute('aria-controls'));if(p){p.hidden=!sel;}});}
});
document.addEventListener('keydown',function(e){
  var c=e.target.closest&&e.target.closest('[role=combobox][aria-controls]');
  if(c&&(e.key==='ArrowDown'||e.key==='Enter'||e.key===' ')&&c.getAttribute('aria-expanded')!=='true'){c.click();e.preventDefault();return;}
  if(e.key==='Escape'){closeMenus(null);closeDialogs();}});
if(location.hash.indexOf('#open=')===0){var el=document.getElementById(location.hash.slice(6));if(el){el.click();}}
})();
"#;

/// The shared document: head with the stylesheet, `body_class` for the vendor
/// theme, the page `body` and the shared script.
pub(crate) fn document(title: &str, body_class: &str, body: &str) -> String {
    format!(
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\
<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
<title>{title}</title><style>{CSS}</style></head>\
<body class=\"{body_class}\">{body}<script>{SCRIPT}</script></body></html>",
        title = esc(title)
    )
}

/// The page title a vendor uses for `heading`.
pub(crate) fn title_for(provider: Provider, heading: &str) -> String {
    match provider {
        Provider::Xero => format!("{heading} – Xero"),
        Provider::Qbo => format!("{heading} – QuickBooks"),
        Provider::MyXero => format!("{heading} – My Xero"),
    }
}

/// Gear icon (QBO settings).
pub(crate) const ICON_GEAR: &str = r##"<svg viewBox="0 0 24 24" aria-hidden="true" focusable="false"><circle cx="12" cy="12" r="8.6" fill="none" stroke="currentColor" stroke-width="3.4" stroke-dasharray="3.4 3.35"/><circle cx="12" cy="12" r="7" fill="currentColor"/><circle cx="12" cy="12" r="2.9" fill="#fff"/></svg>"##;

/// List icon (Xero header menu).
pub(crate) const ICON_LIST: &str = r#"<svg viewBox="0 0 24 24" aria-hidden="true" focusable="false" fill="none" stroke="currentColor" stroke-width="2.2" stroke-linecap="round"><path d="M8.5 6.5h12M8.5 12h12M8.5 17.5h12"/><circle cx="4" cy="6.5" r="1.2" fill="currentColor" stroke="none"/><circle cx="4" cy="12" r="1.2" fill="currentColor" stroke="none"/><circle cx="4" cy="17.5" r="1.2" fill="currentColor" stroke="none"/></svg>"#;

/// Question mark icon (help).
pub(crate) const ICON_HELP: &str = r#"<svg viewBox="0 0 24 24" aria-hidden="true" focusable="false" fill="none" stroke="currentColor" stroke-width="2" stroke-linecap="round"><circle cx="12" cy="12" r="9.5"/><path d="M9.3 9.3a2.8 2.8 0 1 1 4 2.5c-.8.4-1.3 1-1.3 1.9v.6"/><circle cx="12" cy="17.2" r="1.1" fill="currentColor" stroke="none"/></svg>"#;

/// Small chevron for menu buttons.
pub(crate) const ICON_CHEVRON: &str = r#"<svg viewBox="0 0 24 24" width="16" height="16" aria-hidden="true" focusable="false" fill="none" stroke="currentColor" stroke-width="2.4" stroke-linecap="round"><path d="M6 9l6 6 6-6"/></svg>"#;

/// The Xero logo mark.
pub(crate) const LOGO_XERO: &str = r##"<svg viewBox="0 0 48 48" width="56" height="56" aria-hidden="true" focusable="false"><circle cx="24" cy="24" r="24" fill="#13b5ea"/><path d="M15 17l18 14M33 17L15 31" stroke="#fff" stroke-width="3.4" stroke-linecap="round"/></svg>"##;

/// The QuickBooks logo mark.
pub(crate) const LOGO_QBO: &str = r##"<svg viewBox="0 0 48 48" width="56" height="56" aria-hidden="true" focusable="false"><circle cx="24" cy="24" r="24" fill="#2ca01c"/><path d="M20 15h-3a9 9 0 0 0 0 18h2M28 33h3a9 9 0 0 0 0-18h-2M21 13v24M27 11v24" stroke="#fff" stroke-width="3" fill="none" stroke-linecap="round"/></svg>"##;

/// A menu button with its `role=menu` list (hidden until clicked).
///
/// `label_html` is the button's visible content; `aria_label` names icon-only
/// buttons. Items are `(text, href)` links with `role=menuitem`.
pub(crate) fn menu_button(
    id: &str,
    class: &str,
    label_html: &str,
    aria_label: Option<&str>,
    items: &[(&str, &str)],
    right: bool,
) -> String {
    let mut lis = String::new();
    for (text, href) in items {
        lis.push_str(&format!(
            "<li role=\"none\"><a role=\"menuitem\" href=\"{}\">{}</a></li>",
            esc(href),
            esc(text)
        ));
    }
    let aria = aria_label.map_or(String::new(), |l| format!(" aria-label=\"{}\"", esc(l)));
    format!(
        "<div class=\"menu-wrap\"><button type=\"button\" class=\"{class}\" id=\"{id}-btn\"{aria} \
aria-haspopup=\"menu\" aria-expanded=\"false\" aria-controls=\"{id}\">{label_html}</button>\
<ul role=\"menu\" id=\"{id}\" class=\"{}\" aria-labelledby=\"{id}-btn\" hidden>{lis}</ul></div>",
        if right { "right" } else { "" }
    )
}

/// A modal dialog (hidden until a `data-open-dialog` button opens it).
pub(crate) fn dialog(id: &str, heading_html: &str, body_html: &str) -> String {
    format!(
        "<div class=\"backdrop\" id=\"{id}\" hidden><div role=\"dialog\" aria-modal=\"true\" \
aria-labelledby=\"{id}-title\"><h2 id=\"{id}-title\">{heading_html}</h2>{body_html}</div></div>"
    )
}

/// A `role=status` notice, or nothing.
pub(crate) fn notice(text: Option<&str>) -> String {
    match text {
        Some(t) => format!("<div class=\"notice\" role=\"status\">{}</div>", esc(t)),
        None => "<div role=\"status\"></div>".to_string(),
    }
}

/// A `role=alert` error line, or nothing.
pub(crate) fn alert(text: Option<&str>) -> String {
    text.map_or(String::new(), |t| {
        format!("<div class=\"alert\" role=\"alert\">{}</div>", esc(t))
    })
}

/// A labelled text input.
pub(crate) fn text_field(id: &str, name: &str, label: &str, kind: &str, value: &str) -> String {
    format!(
        "<div class=\"field\"><label for=\"{id}\">{}</label><input type=\"{kind}\" id=\"{id}\" \
name=\"{name}\" value=\"{}\" autocomplete=\"off\"></div>",
        esc(label),
        esc(value)
    )
}

/// A labelled picker as vendors build them (Xero's and QuickBooks' role
/// dropdowns): not a native `<select>` but an ARIA select-only combobox
/// (WAI-ARIA APG) whose listbox opens on click, with the choice posted by a
/// hidden input named `id`. `selected` is shown and posted until another
/// option is chosen.
pub(crate) fn combobox_field(id: &str, label: &str, options: &[&str], selected: &str) -> String {
    let mut opts = String::new();
    for (i, o) in options.iter().enumerate() {
        let sel = if *o == selected { "true" } else { "false" };
        opts.push_str(&format!(
            "<li role=\"option\" id=\"{id}_opt{i}\" aria-selected=\"{sel}\" data-value=\"{v}\">{v}</li>",
            v = esc(o)
        ));
    }
    format!(
        "<div class=\"field\"><label id=\"{id}_label\">{}</label><div class=\"combo-wrap\">\
<div class=\"combo\" id=\"{id}_combo\" role=\"combobox\" tabindex=\"0\" aria-labelledby=\"{id}_label\" \
aria-haspopup=\"listbox\" aria-controls=\"{id}_list\" aria-expanded=\"false\"><span class=\"combo-value\">{}</span>\
<svg aria-hidden=\"true\" width=\"12\" height=\"12\" viewBox=\"0 0 12 12\"><path d=\"M2 4l4 4 4-4\" fill=\"none\" stroke=\"currentColor\" stroke-width=\"2\"/></svg></div>\
<ul role=\"listbox\" id=\"{id}_list\" aria-labelledby=\"{id}_label\" hidden>{opts}</ul>\
<input type=\"hidden\" name=\"{id}\" value=\"{}\"></div></div>",
        esc(label),
        esc(selected),
        esc(selected)
    )
}

/// Header navigation links `<a{attrs} href="…">text</a>` for `(key, text, href)`
/// entries; the one whose key is `active` gets `aria-current="page"`.
pub(crate) fn nav_links(attrs: &str, links: &[(&str, &str, &str)], active: &str) -> String {
    let mut nav = String::new();
    for (key, text, href) in links {
        let cur = if *key == active {
            " aria-current=\"page\""
        } else {
            ""
        };
        nav.push_str(&format!(
            "<a{attrs} href=\"{}\"{cur}>{}</a>",
            esc(href),
            esc(text)
        ));
    }
    nav
}

/// A `role=radiogroup` fieldset named by its legend: one labelled radio per
/// option (ids `{name}_0`, `{name}_1`, …), the one equal to `selected` checked.
pub(crate) fn radio_group(
    name: &str,
    legend_id: &str,
    legend: &str,
    options: &[&str],
    selected: &str,
) -> String {
    let mut radios = String::new();
    for (i, o) in options.iter().enumerate() {
        let sel = if *o == selected { " checked" } else { "" };
        radios.push_str(&format!(
            "<div class=\"check\"><input type=\"radio\" id=\"{name}_{i}\" name=\"{name}\" value=\"{o}\"{sel}>\
<label for=\"{name}_{i}\">{o}</label></div>",
            o = esc(o)
        ));
    }
    format!(
        "<fieldset role=\"radiogroup\" aria-labelledby=\"{legend_id}\"><legend class=\"legend\" id=\"{legend_id}\">{}</legend>{radios}</fieldset>",
        esc(legend)
    )
}

/// The `<main>` content of a page the sandbox only links to.
pub(crate) fn placeholder_main(heading: &str) -> String {
    format!(
        "<h1>{}</h1><div class=\"card\"><p class=\"muted\">Nothing to see here in the sandbox.</p></div>",
        esc(heading)
    )
}

/// A vendor-style error page with a 4xx status.
pub(crate) fn error_page(
    provider: Option<Provider>,
    status: StatusCode,
    message: &str,
) -> Response {
    let (class, heading, logo, home) = match provider {
        Some(Provider::Qbo) => (
            "qbo",
            "Something's not quite right",
            LOGO_QBO,
            "/qbo/homepage",
        ),
        Some(p) => ("xero", "Something went wrong", LOGO_XERO, p.landing()),
        None => ("xero", "Something went wrong", LOGO_XERO, "/xero/dashboard"),
    };
    let body = format!(
        "<main class=\"login\"><div class=\"card\"><div class=\"brand\">{logo}</div>\
<h1>{heading}</h1><p class=\"alert\" role=\"alert\">{}</p><p class=\"muted\">Error {}</p>\
<p><a href=\"{home}\">Go back to the home page</a></p></div></main>",
        esc(message),
        status.as_u16()
    );
    (status, Html(document(heading, class, &body))).into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn esc_escapes_markup_and_quotes() {
        assert_eq!(
            esc("<a href=\"x\">Tom & 'Jo'</a>"),
            "&lt;a href=&quot;x&quot;&gt;Tom &amp; &#39;Jo&#39;&lt;/a&gt;"
        );
    }

    #[test]
    fn combobox_field_is_an_aria_combobox_posting_through_a_hidden_input() {
        let html = combobox_field("role", "Role", &["Read only", "Standard"], "Standard");
        assert!(html.contains("<label id=\"role_label\">Role</label>"));
        assert!(html.contains("role=\"combobox\" tabindex=\"0\" aria-labelledby=\"role_label\""));
        assert!(html.contains("aria-controls=\"role_list\" aria-expanded=\"false\""));
        assert!(html.contains("aria-selected=\"true\" data-value=\"Standard\">Standard</li>"));
        assert!(html.contains("<input type=\"hidden\" name=\"role\" value=\"Standard\">"));
        assert!(!html.contains("<select"));
    }

    #[test]
    fn menu_button_is_hidden_and_collapsed_until_clicked() {
        let html = menu_button("org", "org-btn", "Demo", None, &[("Settings", "/x")], false);
        assert!(html.contains("aria-haspopup=\"menu\" aria-expanded=\"false\""));
        assert!(html.contains("role=\"menuitem\" href=\"/x\">Settings<"));
        assert!(html.contains(" hidden>"));
    }

    #[test]
    fn nav_links_mark_only_the_active_key_as_current() {
        let links = [("a", "A", "/a"), ("b", "B & C", "/b")];
        assert_eq!(
            nav_links(" class=\"nav\"", &links, "b"),
            "<a class=\"nav\" href=\"/a\">A</a>\
<a class=\"nav\" href=\"/b\" aria-current=\"page\">B &amp; C</a>"
        );
        assert!(!nav_links("", &links, "").contains("aria-current"));
    }

    #[test]
    fn radio_group_checks_only_the_selected_option() {
        let html = radio_group("kind", "kind-legend", "Kind", &["One", "Two"], "Two");
        assert!(html.starts_with("<fieldset role=\"radiogroup\" aria-labelledby=\"kind-legend\">"));
        assert!(html.contains("id=\"kind_0\" name=\"kind\" value=\"One\"><label for=\"kind_0\">"));
        assert!(html
            .contains("id=\"kind_1\" name=\"kind\" value=\"Two\" checked><label for=\"kind_1\">"));
        assert!(!radio_group("k", "l", "K", &["One"], "none").contains("checked"));
    }
}
