// Liaison page script: theme, keyboard shortcuts, unsaved-change warnings,
// dialogs, toasts and tree navigation. Everything works without it; it only
// makes the pages quicker to use. Listeners are delegated on document, so
// pages swapped in by htmx need no re-binding.
(function () {
  "use strict";
  var doc = document, root = doc.documentElement;

  // ---------- theme ----------
  function setCookie(name, value) {
    var age = value ? 31536000 : 0;
    doc.cookie = name + "=" + encodeURIComponent(value) + "; Path=/; Max-Age=" + age + "; SameSite=Lax" +
      (location.protocol === "https:" ? "; Secure" : "");
  }
  function applyTheme(t) {
    if (t === "light" || t === "dark") root.setAttribute("data-theme", t);
    else root.removeAttribute("data-theme");
    doc.querySelectorAll("[data-theme-set]").forEach(function (b) {
      if (b.getAttribute("data-theme-set") === (t || "")) b.setAttribute("aria-current", "true");
      else b.removeAttribute("aria-current");
    });
  }
  try {
    // The server renders the cookie's theme; localStorage heals a lost cookie.
    var stored = localStorage.getItem("liaison-theme");
    if (stored && !root.hasAttribute("data-theme") && doc.cookie.indexOf("theme=") < 0) {
      setCookie("theme", stored);
      applyTheme(stored);
    }
  } catch (e) { /* private mode */ }
  try {
    var tz = Intl.DateTimeFormat().resolvedOptions().timeZone;
    if (tz && doc.cookie.indexOf("tz=" + encodeURIComponent(tz)) < 0) setCookie("tz", tz);
  } catch (e) { /* old browser */ }

  doc.addEventListener("click", function (e) {
    var b = e.target.closest("[data-theme-set]");
    if (!b) return;
    e.preventDefault();
    var t = b.getAttribute("data-theme-set");
    applyTheme(t);
    setCookie("theme", t);
    try { t ? localStorage.setItem("liaison-theme", t) : localStorage.removeItem("liaison-theme"); } catch (err) { }
    var menu = b.closest("details"); if (menu) menu.open = false;
  });

  // ---------- menus: close on outside click and Escape ----------
  doc.addEventListener("click", function (e) {
    doc.querySelectorAll("details.menu[open]").forEach(function (d) {
      if (!d.contains(e.target)) d.open = false;
    });
  });

  // ---------- unsaved changes ----------
  var dirty = null;
  function unsavedMessage() { return doc.body.getAttribute("data-unsaved-message") || "Leave without saving?"; }
  doc.addEventListener("input", function (e) {
    var f = e.target.form || e.target.closest("form");
    if (f && f.hasAttribute("data-unsaved")) dirty = f;
  });
  doc.addEventListener("submit", function (e) {
    var f = e.target;
    var msg = f.getAttribute("data-confirm");
    if (msg && !confirm(msg)) { e.preventDefault(); e.stopImmediatePropagation(); return; }
    if (f === dirty) dirty = null;
  }, true);
  window.addEventListener("beforeunload", function (e) {
    if (dirty && doc.body.contains(dirty)) { e.preventDefault(); e.returnValue = ""; }
  });
  doc.addEventListener("htmx:confirm", function (e) {
    // Boosted links and forms leave the page without an unload event. Ask
    // only when the swap would replace the unsaved form: requests made by
    // the form itself (its submit, a picker that refills one field) and
    // swaps elsewhere on the page keep what was typed.
    var elt = e.detail.elt, target = e.detail.target;
    if (!dirty || !doc.body.contains(dirty) || (elt && dirty.contains(elt))) return;
    if (target && !target.contains(dirty)) return;
    e.preventDefault();
    if (confirm(unsavedMessage())) { dirty = null; e.detail.issueRequest(true); }
  });
  doc.addEventListener("htmx:afterSwap", function (e) {
    if (dirty && !doc.body.contains(dirty)) dirty = null;
  });

  // ---------- toasts ----------
  function initToasts(scope) {
    (scope || doc).querySelectorAll(".toast:not([data-init])").forEach(function (t) {
      t.setAttribute("data-init", "1");
      setTimeout(function () { t.classList.add("hide"); setTimeout(function () { t.remove(); }, 400); }, 6000);
    });
  }
  doc.addEventListener("click", function (e) {
    var c = e.target.closest(".toast-close");
    if (c) c.closest(".toast").remove();
  });
  function toast(msg) {
    var box = doc.getElementById("toasts"); if (!box) return;
    var t = doc.createElement("div"); t.className = "toast"; t.textContent = msg;
    box.appendChild(t); initToasts(box);
  }

  // ---------- copy ----------
  doc.addEventListener("click", function (e) {
    var b = e.target.closest("[data-copy]");
    if (!b) return;
    var el = doc.querySelector(b.getAttribute("data-copy"));
    if (!el || !navigator.clipboard) return;
    navigator.clipboard.writeText(el.textContent.trim()).then(function () {
      toast(doc.body.getAttribute("data-copied-message") || "Copied");
    });
  });

  // ---------- dialogs: links marked data-dialog open their page's form in a modal ----------
  doc.addEventListener("click", function (e) {
    var a = e.target.closest("a[data-dialog]");
    if (!a || e.ctrlKey || e.metaKey || e.shiftKey || e.button !== 0) return;
    var dlg = doc.getElementById("dialog");
    if (!dlg || typeof dlg.showModal !== "function") return;
    e.preventDefault();
    e.stopPropagation();
    fetch(a.href, { headers: { "HX-Request": "true" }, credentials: "same-origin" }).then(function (r) {
      return r.text();
    }).then(function (html) {
      var page = new DOMParser().parseFromString(html, "text/html");
      var form = page.getElementById("form-main");
      if (!form) { location.href = a.href; return; }
      var body = doc.getElementById("dialog-body");
      body.replaceChildren(doc.importNode(form, true));
      doc.getElementById("dialog-title").textContent = form.getAttribute("data-title") || page.title.split(" · ")[0];
      if (window.htmx) htmx.process(body);
      var menu = a.closest("details"); if (menu) menu.open = false;
      dlg.showModal();
      var first = body.querySelector("input:not([type=hidden]), select, textarea");
      if (first) first.focus();
    }).catch(function () { location.href = a.href; });
  }, true);
  doc.addEventListener("click", function (e) {
    var c = e.target.closest("[data-dialog-close]");
    if (!c) return;
    var dlg = c.closest("dialog");
    if (dlg) { e.preventDefault(); dlg.close(); }
  });
  doc.addEventListener("htmx:beforeSwap", function (e) {
    // A form submitted from the dialog: the answer replaces the page, so close it.
    var dlg = doc.getElementById("dialog");
    var src = (e.detail.requestConfig && e.detail.requestConfig.elt) || e.detail.elt;
    if (dlg && dlg.open && dlg.contains(src)) {
      var page = new DOMParser().parseFromString(e.detail.xhr.responseText, "text/html");
      var form = page.getElementById("form-main");
      if (form && e.detail.xhr.status >= 400) {
        // Rejected: show the form again, with its errors, in the dialog.
        e.detail.shouldSwap = false;
        var body = doc.getElementById("dialog-body");
        body.replaceChildren(doc.importNode(form, true));
        htmx.process(body);
        var bad = body.querySelector("[aria-invalid=true]"); if (bad) bad.focus();
        return;
      }
      dirty = null;
      dlg.close();
    }
  });

  // ---------- tree: arrow keys move, left/right collapse and expand ----------
  function treeItems(tree) {
    return Array.prototype.filter.call(tree.querySelectorAll("[data-tree-item]"), function (a) {
      // visible when every ancestor <details> (other than its own row's) is open
      var node = a.closest("li").parentElement.closest("details");
      while (node) { if (!node.open) return false; node = node.parentElement.closest("details"); }
      return true;
    });
  }
  function initTrees(scope) {
    (scope || doc).querySelectorAll("[data-tree] summary").forEach(function (s) { s.setAttribute("tabindex", "-1"); });
    (scope || doc).querySelectorAll("[data-tree-tools]").forEach(function (t) { t.hidden = false; });
  }
  doc.addEventListener("keydown", function (e) {
    var a = e.target.closest && e.target.closest("[data-tree-item]");
    if (!a || e.altKey || e.ctrlKey || e.metaKey) return;
    var tree = a.closest("[data-tree]");
    var items = treeItems(tree), i = items.indexOf(a);
    var details = a.closest("summary") ? a.closest("details") : null;
    var move = function (j) { if (items[j]) { items[j].focus(); e.preventDefault(); } };
    switch (e.key) {
      case "ArrowDown": move(i + 1); break;
      case "ArrowUp": move(i - 1); break;
      case "Home": move(0); break;
      case "End": move(items.length - 1); break;
      case "ArrowRight":
        if (details && !details.open) { details.open = true; e.preventDefault(); }
        else if (details) move(i + 1);
        break;
      case "ArrowLeft":
        if (details && details.open) { details.open = false; e.preventDefault(); }
        else {
          var parent = a.closest("li").parentElement.closest("details");
          if (parent) { parent.querySelector("[data-tree-item]").focus(); e.preventDefault(); }
        }
        break;
    }
  });
  doc.addEventListener("click", function (e) {
    var b = e.target.closest("[data-tree-expand], [data-tree-collapse]");
    if (!b) return;
    var open = b.hasAttribute("data-tree-expand");
    doc.querySelectorAll("[data-tree] details").forEach(function (d) { d.open = open; });
  });

  // ---------- keyboard shortcuts ----------
  function typing(el) {
    if (!el) return false;
    var t = el.tagName;
    return t === "INPUT" || t === "TEXTAREA" || t === "SELECT" || el.isContentEditable;
  }
  function go(href) {
    // Follow the nav link, so that htmx's boosted navigation and history apply.
    var link = doc.querySelector('.nav a[href="' + href + '"]');
    if (link) link.click(); else location.href = href;
  }
  function showShortcuts() {
    var d = doc.getElementById("shortcuts");
    if (d && !d.open) d.showModal();
  }
  doc.addEventListener("click", function (e) {
    if (e.target.closest("[data-open-shortcuts]")) { showShortcuts(); var m = e.target.closest("details"); if (m) m.open = false; }
  });
  var pendingG = 0;
  doc.addEventListener("keydown", function (e) {
    if (e.defaultPrevented || e.ctrlKey || e.metaKey || e.altKey) return;
    if (e.key === "Escape") {
      doc.querySelectorAll("details.menu[open]").forEach(function (d) { d.open = false; });
      if (typing(e.target) && e.target.type === "search") e.target.blur();
      return;
    }
    if (typing(e.target) || doc.querySelector("dialog[open]")) return;
    var now = Date.now();
    if (pendingG && now - pendingG < 1200) {
      pendingG = 0;
      var to = { h: "/", a: "/accounts", t: "/organisations", p: "/portfolio" }[e.key];
      if (to) { e.preventDefault(); go(to); }
      return;
    }
    switch (e.key) {
      case "/": {
        var s = doc.querySelector("[data-shortcut=search]");
        if (s) { e.preventDefault(); s.focus(); s.select(); }
        break;
      }
      case "?": e.preventDefault(); showShortcuts(); break;
      case "g": pendingG = now; break;
      case "n": case "e": {
        var el = doc.querySelector(e.key === "n" ? "[data-shortcut-new]" : "[data-shortcut-edit]");
        if (el) { e.preventDefault(); el.click(); }
        break;
      }
    }
  });

  function init(scope) {
    initToasts(scope);
    initTrees(scope);
    doc.querySelectorAll("[data-open-shortcuts]").forEach(function (b) { b.hidden = false; });
  }
  if (doc.readyState === "loading") doc.addEventListener("DOMContentLoaded", function () { init(); });
  else init();
  doc.addEventListener("htmx:load", function (e) { init(e.target); });
  // ---------- usage form: choosing a service shows its levels ----------
  doc.addEventListener("change", function (e) {
    var f = e.target.form;
    if (!f || e.target.name !== "service_id" || !f.hasAttribute("data-pick-service")) return;
    var i = doc.createElement("input");
    i.type = "hidden"; i.name = "pick_service"; i.value = "1";
    f.appendChild(i);
    if (f.requestSubmit) f.requestSubmit(); else f.submit();
  });
})();

// A print button (the meeting report): the browser's print dialog.
(function () {
  document.addEventListener("click", function (e) {
    if (e.target.closest && e.target.closest("[data-print]")) window.print();
  });
})();
