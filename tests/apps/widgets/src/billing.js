// "Billing": two embedded forms, as payment and tax providers embed theirs.
// "Payment details" is a same-origin iframe; "Tax details" comes from the
// partner origin given as `?partner=http://127.0.0.1:PORT` (a second server:
// a cross-origin frame), else from this origin.
import { mountTopBar } from './topbar.js';

mountTopBar('Billing');
const partner = new URLSearchParams(window.location.search).get('partner') || window.location.origin;
const main = document.querySelector('main');
main.innerHTML = `
  <h1>Billing</h1>
  <p>Payment and tax details are kept by our payment partner.</p>
  <iframe title="Payment details" src="payment-frame.html" width="520" height="300"></iframe>
  <iframe title="Tax details" name="tax" width="520" height="260"></iframe>`;
main.querySelector('iframe[name="tax"]').src = new URL('tax-frame.html', partner).href;
