// The admin's top bar, the same on every page: links to the three settings
// pages and a "Help" menu that opens on hover only (a CSS :hover dropdown, as
// many site headers have), with "Help centre" (a new tab) and "Keyboard
// shortcuts" (a dialog on the Team settings page, else a page).
export function mountTopBar(current) {
  const header = document.createElement('header');
  header.className = 'topbar';
  const pages = [
    ['Team settings', 'index.html'],
    ['Workspace', 'workspace.html'],
    ['Billing', 'billing.html'],
  ];
  header.innerHTML = `
    <span class="brand">Acme Admin</span>
    <nav aria-label="Main">
      <ul class="topnav">
        ${pages
          .map(([name, href]) => `<li><a href="${href}"${name === current ? ' aria-current="page"' : ''}>${name}</a></li>`)
          .join('')}
        <li class="has-menu">
          <span class="menu-title" tabindex="0">Help</span>
          <ul class="dropdown">
            <li><a href="help.html" target="_blank" rel="noopener">Help centre</a></li>
            <li><a href="help.html#shortcuts" id="shortcuts-link">Keyboard shortcuts</a></li>
          </ul>
        </li>
      </ul>
    </nav>`;
  document.body.prepend(header);
  header.querySelector('#shortcuts-link').addEventListener('click', (event) => {
    if (current === 'Team settings') {
      event.preventDefault();
      window.dispatchEvent(new Event('show-shortcuts'));
    }
  });
}
