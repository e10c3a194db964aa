// The forms inside the Billing page's iframes: plain HTML forms, as embedded
// payment and tax widgets are.
//
// `__DRIFT__` builds dist-drift/: the tax form's "VAT number" is labelled
// "VAT registration number".

const payment = document.getElementById('payment-form');
if (payment) {
  payment.addEventListener('submit', (event) => {
    event.preventDefault();
    const number = payment.elements['card-number'].value.replace(/\s+/g, '');
    document.getElementById('payment-status').textContent = `Card ending ${number.slice(-4)} saved`;
  });
}

const tax = document.getElementById('tax-form');
if (tax) {
  tax.querySelector('label[for="vat"]').textContent = __DRIFT__ ? 'VAT registration number' : 'VAT number';
  tax.addEventListener('submit', (event) => {
    event.preventDefault();
    const vat = tax.elements.vat.value;
    const country = tax.elements.country.value;
    document.getElementById('tax-status').textContent = `Tax details saved: ${vat} (${country})`;
  });
}
