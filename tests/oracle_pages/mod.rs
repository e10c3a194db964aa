//! Hand-written pages of common markup patterns for the resolver oracle
//! (tests/oracle.rs): each is plain HTML as people write it, not shaped to
//! suit the resolver. Served by `binary::serve_pages` at `/<name>`.

/// `(name, body)` of every page; [`page`] wraps a body in a document.
pub const PAGES: &[(&str, &str)] = &[
    (
        "labels",
        r#"<main><h1>Labels</h1><form aria-label="Profile">
<label for="a">First name</label> <input id="a">
<label>Last name <input id="b"></label>
<label for="c">Email address:</label> <input id="c" type="email" required>
<span id="d1">Phone</span> <span id="d2">(mobile)</span> <input aria-labelledby="d1 d2" type="tel">
<input aria-label="Search the site" type="search">
<input title="Postcode" name="postcode">
<input placeholder="Company">
<label for="e">Notes</label> <textarea id="e"></textarea>
<label for="f">Country</label> <select id="f"><option>France</option><option selected>Germany</option></select>
<label for="g">Languages</label> <select id="g" multiple><option>English</option><option>German</option></select>
<label for="h">Age</label> <input id="h" type="number">
<label for="i">Volume</label> <input id="i" type="range">
<input type="checkbox" id="j"><label for="j">Remember me</label>
<label><input type="radio" name="r"> Standard user</label>
<label><input type="radio" name="r"> Admin</label>
<label for="k">Password</label> <input id="k" type="password">
<label for="l">Website</label> <input id="l" type="url">
<input type="submit" value="Save profile"> <input type="reset"> <input type="button" value="Preview">
<input type="hidden" name="csrf" value="x">
</form></main>"#,
    ),
    (
        "fieldsets",
        r#"<main><h1>Fieldsets</h1><form>
<fieldset><legend>Shipping address</legend>
<label for="s1">Street</label> <input id="s1"></fieldset>
<fieldset><legend>Notifications</legend>
<label><input type="checkbox" checked> Email me</label>
<label><input type="checkbox"> Text me</label></fieldset>
<div role="group" aria-label="Text style"><button type="button" aria-pressed="false">Bold</button>
<button type="button" aria-pressed="true">Italic</button></div>
<div role="radiogroup" aria-labelledby="rg"><span id="rg">Plan</span>
<div role="radio" aria-checked="true" tabindex="0">Basic</div>
<div role="radio" aria-checked="false" tabindex="-1">Pro</div></div>
</form></main>"#,
    ),
    (
        "tables",
        r#"<main><h1>Tables</h1>
<table><caption>Users</caption>
<thead><tr><th scope="col">Name</th><th scope="col">Email</th><th scope="col">Role</th><th scope="col">Actions</th></tr></thead>
<tbody><tr><th scope="row">Jane Doe</th><td>jane@example.com</td><td>Admin</td><td><button type="button">Remove</button></td></tr>
<tr><th scope="row">Joe Bloggs</th><td>joe@example.com</td><td>Standard</td><td><a href="/edit/2">Edit</a></td></tr></tbody>
</table>
<table><tr><th>Plan</th><td>Pro</td></tr><tr><th>Seats</th><td>5</td></tr></table>
<div role="table" aria-label="Invoices"><div role="row"><span role="columnheader">Number</span><span role="columnheader">Total</span></div>
<div role="row"><span role="cell">INV-1</span><span role="cell">10.00</span></div></div>
</main>"#,
    ),
    (
        "images",
        r##"<main><h1>Images</h1>
<img alt="True" src="data:image/gif;base64,R0lGODlhAQABAAAAACw=" width="16" height="16">
<img alt="" src="data:image/gif;base64,R0lGODlhAQABAAAAACw=" width="16" height="16">
<img title="Company logo" src="data:image/gif;base64,R0lGODlhAQABAAAAACw=" width="16" height="16">
<svg role="img" aria-label="Warning" width="16" height="16"><circle cx="8" cy="8" r="6"/></svg>
<svg role="img" width="16" height="16"><title>Success</title><circle cx="8" cy="8" r="6"/></svg>
<svg width="16" height="16" aria-hidden="true"><circle cx="8" cy="8" r="6"/></svg>
<figure><img alt="Chart of sales" src="data:image/gif;base64,R0lGODlhAQABAAAAACw=" width="16" height="16"><figcaption>Sales in 2026</figcaption></figure>
<a href="/home"><img alt="Home" src="data:image/gif;base64,R0lGODlhAQABAAAAACw=" width="16" height="16"></a>
<input type="image" alt="Go" src="data:image/gif;base64,R0lGODlhAQABAAAAACw=">
</main>"##,
    ),
    (
        "headings",
        r#"<header><a href="/">Acme</a><nav aria-label="Main"><ul><li><a href="/users">Users</a></li><li><a href="/settings" aria-current="page">Settings</a></li></ul></nav></header>
<main><h1>Settings</h1><h2>Users <small>(3)</small></h2><h3>Invite</h3><h4>Roles</h4><h5>Fine print</h5><h6>Smallest</h6>
<div role="heading" aria-level="2">Billing</div>
<ol><li>First</li><li>Second <ul><li>Nested</li></ul></li></ol>
<dl><dt>Plan</dt><dd>Pro</dd></dl>
<p>Some <strong>bold</strong> and <em>emphasis</em> and <code>code</code>.</p>
<blockquote>Quoted</blockquote><hr>
<article><header><h2>Post</h2></header><p>Body</p><footer>Posted today</footer></article>
<section aria-label="Danger zone"><h2>Danger zone</h2><button type="button">Delete account</button></section>
<section aria-labelledby="sec-h"><h2 id="sec-h">Team</h2></section>
<section><h2>Unlabelled section</h2></section>
<aside><h2>Tips</h2></aside>
<form aria-label="Search users" role="search"><input type="search" aria-label="Search"></form>
<form><label>Unlabelled form field <input></label></form>
</main>
<footer><p>Footer text</p></footer>"#,
    ),
    (
        "widgets",
        r##"<main><h1>Widgets</h1>
<details><summary>Advanced options</summary><p>Hidden until opened</p></details>
<details open><summary>Open section</summary><p>Shown</p></details>
<button type="button"><svg width="12" height="12" aria-hidden="true"><circle cx="6" cy="6" r="5"/></svg> Add user</button>
<button type="button" aria-label="Close"><svg width="12" height="12"><path d="M0 0L12 12"/></svg></button>
<button type="button" title="Settings"><svg width="12" height="12"><circle cx="6" cy="6" r="5"/></svg></button>
<button type="button"><img alt="Help" src="data:image/gif;base64,R0lGODlhAQABAAAAACw=" width="12" height="12"></button>
<button type="button"><span class="icon" aria-hidden="true">+</span><span>New</span></button>
<a href="#top" role="button">Link as button</a>
<a href="/docs" target="_blank">Docs <span class="sr-only" style="position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0)">(opens in a new tab)</span></a>
<a>Anchor without href</a>
<div role="switch" aria-checked="true" tabindex="0" aria-label="Dark mode"></div>
<div role="checkbox" aria-checked="false" tabindex="0">Org Admin</div>
<label for="cb">Role</label><div id="cb" role="combobox" aria-expanded="false" aria-controls="lb" tabindex="0">Standard</div>
<ul role="listbox" id="lb" aria-label="Roles"><li role="option" aria-selected="true">Standard</li><li role="option">Admin</li></ul>
<div role="tablist" aria-label="Sections"><button role="tab" aria-selected="true" aria-controls="p1">Staff</button><button role="tab" aria-selected="false">Clients</button></div>
<div role="tabpanel" id="p1" aria-label="Staff">Staff panel</div>
<button type="button" aria-haspopup="menu" aria-expanded="true">Actions</button>
<ul role="menu" aria-label="Actions"><li role="menuitem">Rename</li><li role="menuitemcheckbox" aria-checked="true">Pinned</li><li role="menuitemradio" aria-checked="false">Large</li></ul>
<div role="dialog" aria-labelledby="dlg-t"><h2 id="dlg-t">Remove user?</h2><button type="button">Cancel</button></div>
<dialog open aria-label="Cookie consent"><p>We use cookies</p><button type="button">Accept</button></dialog>
<progress value="3" max="10" aria-label="Upload"></progress>
<meter value="0.6" aria-label="Disk usage"></meter>
<label for="up">Logo</label> <input type="file" id="up">
<label for="dt">Start date</label> <input type="date" id="dt">
<label for="co">Colour</label> <input type="color" id="co">
<div role="alert">Saved</div><div role="status">3 users</div>
<ul role="tree" aria-label="Files"><li role="treeitem" aria-expanded="false">src</li></ul>
<span role="tooltip" id="tt">More information</span>
<div hidden><button type="button">Hidden button</button></div>
<div style="display:none"><a href="/x">Invisible link</a></div>
<button type="button" aria-hidden="true" tabindex="-1">Aria-hidden button</button>
</main>"##,
    ),
];

/// A whole document around `body`.
pub fn page(name: &str, body: &str) -> String {
    format!(
        "<!doctype html><html lang=en><head><meta charset=utf-8><title>{name}</title>\
         <style>body{{font-family:sans-serif}}</style></head><body>{body}</body></html>"
    )
}
