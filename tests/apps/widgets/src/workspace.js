// "Workspace": the Shoelace page of the widgets test app. Stock Shoelace web
// components (open shadow roots), used as Shoelace's documentation shows:
// sl-input, sl-select with sl-option, sl-checkbox, sl-switch and a submit
// sl-button inside a plain <form>, read with FormData (Shoelace's form
// controls take part in the form).
//
// `__DRIFT__` builds dist-drift/: the button inside the shadow DOM reads
// "Apply changes" instead of "Save changes".
import '@shoelace-style/shoelace/dist/themes/light.css';
import '@shoelace-style/shoelace/dist/components/button/button.js';
import '@shoelace-style/shoelace/dist/components/input/input.js';
import '@shoelace-style/shoelace/dist/components/select/select.js';
import '@shoelace-style/shoelace/dist/components/option/option.js';
import '@shoelace-style/shoelace/dist/components/checkbox/checkbox.js';
import '@shoelace-style/shoelace/dist/components/switch/switch.js';
import { mountTopBar } from './topbar.js';


mountTopBar('Workspace');
const main = document.querySelector('main');
main.innerHTML = `
  <h1>Workspace</h1>
  <p>Settings that apply to everyone in the Acme workspace.</p>
  <form id="workspace-form" class="workspace-form">
    <sl-input name="name" label="Workspace name" value="Acme Support" required></sl-input>
    <sl-select name="language" label="Default language" value="en">
      <sl-option value="en">English</sl-option>
      <sl-option value="fr">French</sl-option>
      <sl-option value="de">German</sl-option>
      <sl-option value="mi">Māori</sl-option>
    </sl-select>
    <sl-checkbox name="guests">Allow guest access</sl-checkbox>
    <sl-switch name="maintenance">Maintenance mode</sl-switch>
    <sl-button type="submit" variant="primary">${__DRIFT__ ? 'Apply changes' : 'Save changes'}</sl-button>
  </form>
  <p id="saved" role="status"></p>`;

const form = document.getElementById('workspace-form');
form.addEventListener('submit', (event) => {
  event.preventDefault();
  const data = new FormData(form);
  const language = form.querySelector(`sl-option[value="${data.get('language')}"]`);
  const parts = [
    data.get('name'),
    language ? language.textContent.trim() : data.get('language'),
    data.get('guests') ? 'guests allowed' : 'no guests',
    data.get('maintenance') ? 'maintenance on' : 'maintenance off',
  ];
  document.getElementById('saved').textContent = `Saved: ${parts.join(', ')}`;
});
