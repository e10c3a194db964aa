// The page marker, shared by the resolver (locate.rs) and the executor's
// page state (execute/wait.rs): prepended to both scripts.
//
// clickpathPage() marks the document with a random id (a new id means the
// page navigated), notes when it starts to unload, and reads the URL, title,
// load state, main heading (first rendered h1) and the HTTP status of the
// navigation that loaded it (0 when the browser does not say), and on the
// browser's own error page the network error it shows (ERR_CONNECTION_REFUSED).
function clickpathPage() {
  if (!window.__clickpathDoc) {
    window.__clickpathDoc = Math.random().toString(36).slice(2);
    addEventListener("beforeunload", () => { window.__clickpathLeaving = true; });
  }
  const h = Array.from(document.querySelectorAll("h1")).find((e) => e.getClientRects().length > 0);
  const nav = performance.getEntriesByType ? performance.getEntriesByType("navigation")[0] : null;
  return {
    url: location.href, title: document.title, ready_state: document.readyState,
    doc: window.__clickpathDoc, leaving: !!window.__clickpathLeaving,
    heading: h ? h.textContent.replace(/[\s\u00a0]+/g, " ").trim() : "",
    status: (nav && nav.responseStatus) || 0,
    net_error: /^(chrome-error|about:neterror)/.test(location.href)
      ? ((document.querySelector(".error-code") || {}).textContent || "").trim() : "",
  };
}
