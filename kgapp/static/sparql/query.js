// The query page without reloads: run the query in place, keep a shareable URL, load examples.
// Without JavaScript the same form submits as a plain GET and the server renders the results.
"use strict";

(function () {
  const form = document.getElementById("query-form");
  const editor = document.getElementById("query");
  const status = document.getElementById("status");
  if (!form || !editor) return;

  // CodeMirror (served by the app from npm's files) when present; the plain textarea otherwise.
  const code = window.CodeMirror
    ? window.CodeMirror.fromTextArea(editor, {
        mode: "application/sparql-query",
        lineNumbers: true,
        indentUnit: 2,
        viewportMargin: Infinity,
        extraKeys: { "Ctrl-Enter": () => run(), "Cmd-Enter": () => run() },
      })
    : null;

  function text() {
    return code ? code.getValue() : editor.value;
  }

  function setText(value) {
    if (code) code.setValue(value);
    else editor.value = value;
  }

  function pageUrl(query) {
    const params = new URLSearchParams(new FormData(form));
    params.set("query", query);
    return form.action + "?" + params.toString();
  }

  async function run() {
    if (code) code.save();
    const url = pageUrl(text());
    const button = form.querySelector("button[type=submit]");
    button.disabled = true;
    status.textContent = "Running…";
    const started = performance.now();
    try {
      const response = await fetch(url, { headers: { Accept: "text/html" } });
      const html = await response.text();
      const page = new DOMParser().parseFromString(html, "text/html");
      const results = document.getElementById("results");
      const fresh = page.getElementById("results");
      if (fresh) {
        results.replaceWith(fresh);
      } else {
        const message = page.querySelector(".error-message, pre");
        const box = document.createElement("section");
        box.id = "results";
        const heading = document.createElement("h2");
        heading.textContent = response.status + " " + response.statusText;
        const detail = document.createElement("pre");
        detail.className = "error";
        detail.textContent = message ? message.textContent : html;
        box.append(heading, detail);
        results.replaceWith(box);
      }
      history.pushState({ query: text() }, "", url);
      const seconds = ((performance.now() - started) / 1000).toFixed(2);
      status.textContent = response.ok ? "Done in " + seconds + " s." : "Failed (" + response.status + ").";
    } catch (error) {
      status.textContent = "The server could not be reached: " + error.message;
    } finally {
      button.disabled = false;
    }
  }

  form.addEventListener("submit", (event) => {
    event.preventDefault();
    run();
  });

  editor.addEventListener("keydown", (event) => {
    if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      run();
    } else if (event.key === "Tab" && !event.shiftKey) {
      event.preventDefault();
      editor.setRangeText("  ", editor.selectionStart, editor.selectionEnd, "end");
    }
  });

  document.querySelectorAll("#examples a[data-query]").forEach((link) => {
    link.addEventListener("click", (event) => {
      event.preventDefault();
      setText(link.dataset.query);
      (code || editor).focus();
      run();
    });
  });

  window.addEventListener("popstate", (event) => {
    if (event.state && typeof event.state.query === "string") {
      setText(event.state.query);
    }
  });
})();
