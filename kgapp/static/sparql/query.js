// The query page without reloads: run the query in place, put it in the address bar (so that
// sharing the address shares the query), mark where a syntax error is, complete as one types,
// load examples. Without JavaScript the same form submits as a plain GET and the server renders
// the results.
"use strict";

(function () {
  const form = document.getElementById("query-form");
  const editor = document.getElementById("query");
  const status = document.getElementById("status");
  if (!form || !editor) return;

  // CodeMirror (served by the app from npm's files) when present; the plain textarea otherwise.
  const hint = window.kgapp && window.kgapp.sparqlHint;
  const code = window.CodeMirror
    ? window.CodeMirror.fromTextArea(editor, {
        mode: "application/sparql-query",
        lineNumbers: true,
        indentUnit: 2,
        viewportMargin: Infinity,
        extraKeys: {
          "Ctrl-Enter": () => run(),
          "Cmd-Enter": () => run(),
          "Ctrl-Space": (cm) => hint && cm.showHint({ hint: hint, completeSingle: false }),
        },
        hintOptions: hint ? { hint: hint, completeSingle: false } : undefined,
      })
    : null;
  let errorMarks = [];

  if (code && hint && code.showHint) {
    code.on("inputRead", (cm, change) => {
      const typed = change.text[change.text.length - 1];
      if (!cm.state.completionActive && /[\w:?]$/.test(typed)) {
        cm.showHint({ hint: hint, completeSingle: false });
      }
    });
  }

  // Where the server says a syntax error is: the line and the column, marked in the editor.
  function markError(results) {
    errorMarks.forEach((clear) => clear());
    errorMarks = [];
    const line = Number(results.dataset.errorLine) - 1;
    const column = Number(results.dataset.errorColumn) - 1;
    if (!code || !(line >= 0)) return;
    const text = code.getLine(line) || "";
    const from = Math.min(column, Math.max(text.length - 1, 0));
    const mark = code.markText(
      { line: line, ch: from },
      { line: line, ch: Math.max(from + 1, Math.min(text.length, column + 1)) },
      { className: "cm-error-mark", title: "The query cannot be read from here" },
    );
    code.addLineClass(line, "background", "cm-error-line");
    errorMarks.push(() => mark.clear(), () => code.removeLineClass(line, "background", "cm-error-line"));
    code.setCursor({ line: line, ch: column });
    code.scrollIntoView({ line: line, ch: column }, 60);
  }

  function enhance(root) {
    if (window.kgapp && window.kgapp.sortable) window.kgapp.sortable(root);
    if (window.kgapp && window.kgapp.copyable) window.kgapp.copyable(root);
  }

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
      const snippets = page.getElementById("snippets");
      if (snippets) document.getElementById("snippets").replaceWith(snippets);
      if (fresh) {
        results.replaceWith(fresh);
        markError(fresh);
        enhance(document);
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

  const initial = document.getElementById("results");
  if (initial) markError(initial);

  window.addEventListener("popstate", (event) => {
    if (event.state && typeof event.state.query === "string") {
      setText(event.state.query);
    }
  });
})();
