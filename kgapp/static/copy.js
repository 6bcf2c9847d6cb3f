// A "Copy" button on every block of text meant to be copied (pre[data-copy]): citations, code.
// Without JavaScript the text is there to select by hand.
"use strict";

(function () {
  function copyable(pre) {
    if (pre.dataset.copyReady) return;
    pre.dataset.copyReady = "on";
    const button = document.createElement("button");
    button.type = "button";
    button.className = "copy";
    button.textContent = "Copy";
    const label = pre.getAttribute("aria-labelledby");
    const title = label && document.getElementById(label);
    button.setAttribute("aria-label", "Copy " + (title ? title.textContent.trim() : "text"));
    button.addEventListener("click", () => {
      navigator.clipboard.writeText(pre.textContent).then(
        () => (button.textContent = "Copied"),
        () => (button.textContent = "Select the text to copy it"),
      );
      setTimeout(() => (button.textContent = "Copy"), 2000);
    });
    pre.before(button);
  }

  function enhance(root) {
    root.querySelectorAll("pre[data-copy]").forEach(copyable);
  }

  window.kgapp = Object.assign(window.kgapp || {}, { copyable: enhance });
  enhance(document);
})();
