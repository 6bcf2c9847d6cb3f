// Suggestions for search boxes (every input[data-suggest]): a list under the box, filled from the
// JSON search API while typing; each suggestion is a link to its entity's page, so picking one
// (click, or arrow keys and Enter) opens the entity. Enter with nothing picked searches as usual.
// The ARIA combobox pattern: the box owns the list and names the option that is active.
// Without JavaScript the box is a plain search form.
"use strict";

(function () {
  const DELAY_MS = 120;

  function attach(input) {
    const url = input.dataset.suggest;
    const list = document.createElement("ul");
    list.id = input.id + "-suggestions";
    list.className = "suggestions";
    list.setAttribute("role", "listbox");
    list.setAttribute("aria-label", "Suggestions");
    list.hidden = true;
    input.after(list);
    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-controls", list.id);
    input.setAttribute("aria-expanded", "false");
    let pending = null;
    let timer = null;
    let active = -1;

    function options() {
      return Array.from(list.querySelectorAll("[role=option]"));
    }

    function close() {
      list.hidden = true;
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
      active = -1;
    }

    function highlight(index) {
      const all = options();
      if (!all.length) return;
      active = (index + all.length) % all.length;
      all.forEach((option, i) => option.setAttribute("aria-selected", String(i === active)));
      input.setAttribute("aria-activedescendant", all[active].id);
      all[active].scrollIntoView({ block: "nearest" });
    }

    function show(hits) {
      list.replaceChildren();
      hits.forEach((hit, i) => {
        if (!hit.url) return;
        const item = document.createElement("li");
        item.id = list.id + "-" + i;
        item.setAttribute("role", "option");
        item.setAttribute("aria-selected", "false");
        const link = document.createElement("a");
        link.href = hit.url;
        link.tabIndex = -1;
        link.textContent = hit.label;
        item.append(link);
        const about = [hit.type, hit.date].filter(Boolean).join(", ");
        if (about) {
          const note = document.createElement("span");
          note.className = "muted";
          note.textContent = " " + about;
          item.append(note);
        }
        if (hit.matched && hit.matched !== hit.label) {
          const alias = document.createElement("span");
          alias.className = "muted";
          alias.textContent = " (" + hit.matched + ")";
          item.append(alias);
        }
        list.append(item);
      });
      active = -1;
      list.hidden = !list.children.length;
      input.setAttribute("aria-expanded", String(!list.hidden));
    }

    function fetchSuggestions() {
      const text = input.value.trim();
      if (pending) pending.abort();
      if (text.length < 2) return close();
      pending = new AbortController();
      fetch(url + "?suggest=1&q=" + encodeURIComponent(text), {
        headers: { Accept: "application/json" },
        signal: pending.signal,
      })
        .then((response) => (response.ok ? response.json() : { results: [] }))
        .then((data) => show(data.results))
        .catch(() => {});
    }

    input.addEventListener("input", () => {
      clearTimeout(timer);
      timer = setTimeout(fetchSuggestions, DELAY_MS);
    });
    input.addEventListener("keydown", (event) => {
      if (list.hidden) return;
      if (event.key === "ArrowDown" || event.key === "ArrowUp") {
        event.preventDefault();
        highlight(active + (event.key === "ArrowDown" ? 1 : -1));
      } else if (event.key === "Enter" && active >= 0) {
        event.preventDefault();
        window.location.assign(options()[active].querySelector("a").href);
      } else if (event.key === "Escape") {
        close();
      }
    });
    input.addEventListener("blur", () => setTimeout(close, 150));
  }

  document.querySelectorAll("input[data-suggest]").forEach(attach);
})();
