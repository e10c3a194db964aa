// The page marker, shared by the resolver (locate.rs) and the executor's
// page state (execute/wait.rs): prepended to both scripts.
//
// clickpathPage() marks the document with a random id (a new id means the
// page navigated), notes when it starts to unload, and reads the URL, title,
// load state, main heading (first rendered h1) and the HTTP status of the
// navigation that loaded it (0 when the browser does not say), and on the
// browser's own error page the network error it shows (ERR_CONNECTION_REFUSED).
//
// `popups` counts the times this document may have opened a window
// (window.open called, a click or submit aimed at another target, a
// modified click), so the executor lists windows only when it grew.
function clickpathPage() {
  if (!window.__clickpathDoc) {
    window.__clickpathDoc = Math.random().toString(36).slice(2);
    addEventListener("beforeunload", () => { window.__clickpathLeaving = true; });
    try {
      window.__clickpathPopups = 0;
      const hint = () => { window.__clickpathPopups += 1; };
      window.open = new Proxy(window.open, {
        apply(f, self, args) { hint(); return Reflect.apply(f, self, args); },
      });
      const aimed = (e) => {
        if (e.ctrlKey || e.metaKey || e.shiftKey || e.button === 1) return hint();
        const base = (document.querySelector("base[target]") || {}).target || "";
        const path = (e.composedPath ? e.composedPath() : []).concat(e.submitter ? [e.submitter] : []);
        for (const n of path) {
          if (!n.getAttribute) continue;
          const t = ["a", "area", "form"].includes(n.localName)
            ? (n.getAttribute("target") || base) : (n.getAttribute("formtarget") || "");
          if (t && !/^_(self|parent|top)$/i.test(t)) return hint();
        }
      };
      addEventListener("click", aimed, true);
      addEventListener("auxclick", aimed, true);
      addEventListener("submit", aimed, true);
    } catch (_) { window.__clickpathPopups = -1; }
  }
  const h = Array.from(document.querySelectorAll("h1")).find((e) => e.getClientRects().length > 0);
  const nav = performance.getEntriesByType ? performance.getEntriesByType("navigation")[0] : null;
  return {
    url: location.href, title: document.title, ready_state: document.readyState,
    doc: window.__clickpathDoc, leaving: !!window.__clickpathLeaving,
    popups: window.__clickpathPopups === undefined ? -1 : window.__clickpathPopups,
    heading: h ? h.textContent.replace(/[\s\u00a0]+/g, " ").trim() : "",
    status: (nav && nav.responseStatus) || 0,
    net_error: /^(chrome-error|about:neterror)/.test(location.href)
      ? ((document.querySelector(".error-code") || {}).textContent || "").trim() : "",
  };
}
