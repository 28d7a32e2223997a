// Gatehouse console behaviour on top of htmx. Every page works without this
// file; it only makes the same forms quicker and the dialogs modal.
(function () {
  "use strict";

  // The token is read from the body, which boosted navigation replaces (after
  // login it changes); the meta tag in the head is the fallback.
  function csrfToken() {
    var b = document.getElementById("csrf-token");
    if (b && b.getAttribute("data-token")) return b.getAttribute("data-token");
    var m = document.querySelector('meta[name="csrf-token"]');
    return m ? m.getAttribute("content") : "";
  }

  // htmx requests carry the CSRF token in a header.
  document.addEventListener("htmx:configRequest", function (e) {
    var t = csrfToken();
    if (t) e.detail.headers["X-CSRF-Token"] = t;
  });

  // A fragment holding a <dialog> opens it as a modal, moves focus into it and
  // gives focus back to what opened it when it closes.
  function openDialogs(root) {
    // htmx:load names each swapped-in element, which may be the dialog itself.
    var found = Array.prototype.slice.call(root.querySelectorAll("dialog[data-modal]"));
    if (root.matches && root.matches("dialog[data-modal]")) found.unshift(root);
    found.forEach(function (d) {
      if (d.open) return;
      // The element that opened the dialog the first time gets focus back,
      // even after the dialog was re-rendered with errors.
      var host = document.getElementById("dialog-host");
      if (host && !host.opener && document.activeElement && !host.contains(document.activeElement)) {
        host.opener = document.activeElement;
      }
      d.addEventListener("close", function () {
        var parent = d.parentElement;
        d.remove();
        if (parent && parent.id === "dialog-host") {
          parent.innerHTML = "";
          var opener = parent.opener;
          parent.opener = null;
          if (opener && document.body.contains(opener)) opener.focus();
        }
      }, { once: true });
      d.showModal();
      // The first field in error, else the one asked for, else the first
      // control (a selector list alone would pick the first in document
      // order, a field before the one in error).
      var first = d.querySelector("[aria-invalid=true]") || d.querySelector("[autofocus]") ||
        d.querySelector("input:not([type=hidden]), select, textarea, button:not(.close)");
      if (first) first.focus();
    });
  }
  document.addEventListener("htmx:load", function (e) { openDialogs(e.detail.elt); });

  document.addEventListener("click", function (e) {
    var close = e.target.closest("[data-close-dialog]");
    if (close) {
      var d = close.closest("dialog");
      if (d) { e.preventDefault(); d.close(); }
      return;
    }
    var copy = e.target.closest("[data-copy]");
    if (copy && navigator.clipboard) {
      e.preventDefault();
      navigator.clipboard.writeText(copy.getAttribute("data-copy")).then(function () {
        var label = copy.textContent;
        copy.textContent = "Copied";
        setTimeout(function () { copy.textContent = label; }, 1500);
      });
    }
  });

  // A page that comes back with errors (a form refused) marks its first
  // field in error autofocus: the browser focuses it on a page load, htmx
  // after a swap, and openDialogs inside a dialog.

  // Copy buttons need a clipboard, so they only appear where there is one.
  function showCopy(root) {
    if (!navigator.clipboard) return;
    root.querySelectorAll("[data-copy][hidden]").forEach(function (b) { b.hidden = false; });
  }
  document.addEventListener("htmx:load", function (e) { showCopy(e.detail.elt); });

  // A panel swapped in with its result (the Debug panel) moves focus to
  // the result, as the page without JavaScript scrolls to it.
  document.addEventListener("htmx:load", function (e) {
    var f = e.detail.elt.querySelector && e.detail.elt.querySelector("[data-focus]");
    if (f) f.focus();
  });
  document.addEventListener("DOMContentLoaded", function () { showCopy(document); openDialogs(document); });

  // A select that drives another field (the vSwitch list of the chosen VPC)
  // submits its form's refresh without a button when JavaScript is on.
  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-js-hidden]").forEach(function (el) { el.hidden = true; });
  });
  document.addEventListener("htmx:load", function (e) {
    e.detail.elt.querySelectorAll("[data-js-hidden]").forEach(function (el) { el.hidden = true; });
  });

  // The API form holds both the Mock and the HTTP settings; with JavaScript
  // only those of the chosen backend type show (both are posted; the
  // server keeps the chosen type's).
  function syncBackend(root) {
    root.querySelectorAll("form[data-backend-switch]").forEach(function (form) {
      var chosen = form.querySelector("input[name=backend]:checked");
      form.querySelectorAll("fieldset[data-backend]").forEach(function (fs) {
        fs.hidden = !!chosen && fs.getAttribute("data-backend") !== chosen.value;
      });
    });
  }
  document.addEventListener("change", function (e) {
    if (e.target.matches && e.target.matches("form[data-backend-switch] input[name=backend]")) syncBackend(document);
  });
  document.addEventListener("DOMContentLoaded", function () { syncBackend(document); });
  document.addEventListener("htmx:load", function () { syncBackend(document); });
})();
