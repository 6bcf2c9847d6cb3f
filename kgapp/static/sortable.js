// Sortable columns for every table.sortable: each column heading becomes a button that sorts
// the rows by that column (again: the other way), numbers as numbers, and says so (aria-sort).
// Without JavaScript the table keeps the order the server gives.
"use strict";

(function () {
  const collator = new Intl.Collator(undefined, { numeric: true, sensitivity: "base" });

  function key(row, index) {
    const cell = row.cells[index];
    if (!cell) return "";
    return cell.dataset.sort !== undefined ? cell.dataset.sort : cell.textContent.trim();
  }

  function sortBy(table, index, button) {
    const body = table.tBodies[0];
    const heading = button.closest("th");
    const ascending = heading.getAttribute("aria-sort") !== "ascending";
    const rows = Array.from(body.rows);
    rows.sort((a, b) => collator.compare(key(a, index), key(b, index)) * (ascending ? 1 : -1));
    body.append(...rows);
    table.querySelectorAll("thead th").forEach((th) => th.removeAttribute("aria-sort"));
    heading.setAttribute("aria-sort", ascending ? "ascending" : "descending");
  }

  function enhance(root) {
    root.querySelectorAll("table.sortable").forEach(sortable);
  }

  function sortable(table) {
    if (!table.tHead || !table.tBodies.length || table.dataset.sortable) return;
    table.dataset.sortable = "on";
    Array.from(table.tHead.rows[0].cells).forEach((th, index) => {
      const button = document.createElement("button");
      button.type = "button";
      button.className = "sort";
      button.textContent = th.textContent;
      button.title = "Sort by " + th.textContent.trim().toLowerCase();
      button.addEventListener("click", () => sortBy(table, index, button));
      th.replaceChildren(button);
    });
  }

  window.kgapp = Object.assign(window.kgapp || {}, { sortable: enhance });
  enhance(document);
})();
