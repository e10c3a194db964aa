//! The benchmark page `/bench/form` (issue 12): one ordinary order form on
//! which `bench/runbooks/synthetic.yaml` and its Playwright and Selenium
//! mirrors run 100 steps, to expose each tool's per-step overhead.
//!
//! Every action changes something visible that a later `expect` checks: the
//! Summary region repeats each field, the basket counts the Add/Remove item
//! clicks and the status line counts the Save draft clicks, so no expectation
//! is true before its action ran. Client-side only: no state to reset between
//! runs. Knows nothing of runbooks or of the vendor replicas.

use axum::response::{Html, IntoResponse, Response};
use axum::routing::get;
use axum::Router;

use super::layout::{combobox_field, document, esc};
use super::AppState;

/// The countries of the native `<select>`, the first selected.
const COUNTRIES: [&str; 8] = [
    "United Kingdom",
    "France",
    "Germany",
    "Ireland",
    "Italy",
    "Netherlands",
    "Portugal",
    "Spain",
];
/// The plans of the ARIA combobox, the first selected.
const PLANS: [&str; 4] = ["Starter", "Standard", "Premium", "Ultimate"];
/// The text fields: `(id, label)`, summarised in this order.
const FIELDS: [(&str, &str); 8] = [
    ("first_name", "First name"),
    ("last_name", "Last name"),
    ("email", "Email"),
    ("phone", "Phone"),
    ("company", "Company"),
    ("street", "Street"),
    ("city", "City"),
    ("postcode", "Postcode"),
];
/// The extras checkboxes: `(id, label)`.
const EXTRAS: [(&str, &str); 3] = [
    ("gift_wrap", "Gift wrap"),
    ("express", "Express delivery"),
    ("updates", "Order updates by email"),
];

const CSS: &str = "<style>.bench{display:grid;grid-template-columns:1fr 340px;gap:18px;align-items:start}\
.bench .three{display:grid;grid-template-columns:repeat(3,1fr);gap:0 14px}\
.bench .field{margin-bottom:10px}.bench h2{margin:4px 0 8px}.bench section{position:sticky;top:0}\
.extras{display:flex;gap:22px}.extras label{display:flex;gap:8px;align-items:center}\
#summary{list-style:none;margin:0;padding:0}#summary li{padding:2px 0;border-bottom:1px solid #e6eaee;font-size:14px}\
.basket{font-weight:600}</style>";

/// Keeps the Summary, the basket and the status line in step with the form.
/// The shared script picks a combobox option on click, so the summary is
/// redrawn after every click as well as on input and change.
const SCRIPT: &str = r#"
(function(){
var form=document.getElementById('order');
var items=0,saves=0;
function render(){
  var lines=[];
  document.querySelectorAll('[data-summary]').forEach(function(e){
    var v=e.type==='checkbox'?(e.checked?'yes':'no'):(e.tagName==='SELECT'?e.options[e.selectedIndex].text:(e.value.trim()||'—'));
    lines.push([e.getAttribute('data-summary'),v]);
  });
  lines.push(['Plan',document.querySelector('#plan_combo .combo-value').textContent]);
  var ul=document.getElementById('summary');
  ul.replaceChildren.apply(ul,lines.map(function(l){var li=document.createElement('li');li.textContent=l[0]+': '+l[1];return li;}));
  document.getElementById('basket').textContent='Basket: '+items+(items===1?' item':' items');
}
document.getElementById('add-item').addEventListener('click',function(){items+=1;render();});
document.getElementById('remove-item').addEventListener('click',function(){if(items>0){items-=1;}render();});
form.addEventListener('submit',function(e){e.preventDefault();saves+=1;document.getElementById('status').textContent='Draft saved ('+saves+')';});
form.addEventListener('input',render);
form.addEventListener('change',render);
document.addEventListener('click',function(){setTimeout(render,0);});
render();
})();
"#;

/// The `/bench/...` routes.
pub(crate) fn routes() -> Router<AppState> {
    Router::new().route("/bench/form", get(form))
}

async fn form() -> Response {
    Html(document("Order form", "bench-page", &page())).into_response()
}

/// A labelled text field whose value the Summary repeats.
fn field(i: usize) -> String {
    let (id, label) = FIELDS[i];
    format!(
        "<div class=\"field\"><label for=\"{id}\">{label}</label><input type=\"text\" id=\"{id}\" \
name=\"{id}\" data-summary=\"{label}\" autocomplete=\"off\"></div>",
        label = esc(label)
    )
}

fn page() -> String {
    let mut options = String::new();
    for c in COUNTRIES {
        options.push_str(&format!("<option>{}</option>", esc(c)));
    }
    let mut extras = String::new();
    for (id, label) in EXTRAS {
        extras.push_str(&format!(
            "<label><input type=\"checkbox\" id=\"{id}\" name=\"{id}\" data-summary=\"{label}\">{label}</label>",
            label = esc(label)
        ));
    }
    format!(
        "{CSS}<main><div class=\"row\"><h1>Order form</h1><span class=\"spacer\"></span>\
<p role=\"status\" id=\"status\" class=\"muted\">No draft saved yet</p></div>\
<div class=\"bench\"><form id=\"order\" class=\"card\">\
<h2>Customer</h2><div class=\"three\">{}{}{}{}{}</div>\
<h2>Delivery</h2><div class=\"three\">{}{}{}\
<div class=\"field\"><label for=\"country\">Country</label><select id=\"country\" name=\"country\" data-summary=\"Country\">{options}</select></div></div>\
<h2>Plan and extras</h2>{}<fieldset class=\"extras\"><legend class=\"legend\">Extras</legend>{extras}</fieldset>\
<div class=\"row\"><button type=\"button\" class=\"btn\" id=\"remove-item\">Remove item</button>\
<span class=\"basket\" id=\"basket\">Basket: 0 items</span>\
<button type=\"button\" class=\"btn\" id=\"add-item\">Add item</button><span class=\"spacer\"></span>\
<button type=\"submit\" class=\"btn btn-primary\">Save draft</button></div></form>\
<section class=\"card\" aria-labelledby=\"summary-heading\"><h2 id=\"summary-heading\">Summary</h2><ul id=\"summary\"></ul></section>\
</div></main><script>{SCRIPT}</script>",
        field(0),
        field(1),
        field(2),
        field(3),
        field(4),
        field(5),
        field(6),
        field(7),
        combobox_field("plan", "Plan", &PLANS, PLANS[0]),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_control_is_labelled_and_summarised() {
        let html = page();
        for (id, label) in FIELDS {
            assert!(
                html.contains(&format!("<label for=\"{id}\">{label}</label>")),
                "{id}"
            );
        }
        for (id, label) in FIELDS.iter().chain(EXTRAS.iter()) {
            assert!(
                html.contains(&format!(
                    "id=\"{id}\" name=\"{id}\" data-summary=\"{label}\""
                )),
                "{id} is not summarised"
            );
        }
        assert!(html.contains("<label for=\"country\">Country</label>"));
        assert!(html.contains("role=\"combobox\""));
        assert!(html.contains("aria-labelledby=\"summary-heading\""));
        assert!(html.contains("role=\"status\""));
    }
}
