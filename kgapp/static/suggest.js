// Autocomplete for search boxes: fills the box's <datalist> from the JSON search API.
// Pages work without it; it only adds suggestions while typing.
(function () {
  "use strict";
  function attach(input) {
    var list = document.getElementById(input.getAttribute("list"));
    var url = input.getAttribute("data-suggest");
    var pending = null;
    if (!list || !url) return;
    input.addEventListener("input", function () {
      var text = input.value.trim();
      if (pending) pending.abort();
      if (text.length < 2) return;
      pending = new AbortController();
      fetch(url + "?suggest=1&q=" + encodeURIComponent(text), {
        headers: { Accept: "application/json" },
        signal: pending.signal,
      })
        .then(function (response) { return response.ok ? response.json() : { results: [] }; })
        .then(function (data) {
          list.replaceChildren();
          data.results.forEach(function (hit) {
            var option = document.createElement("option");
            option.value = hit.label;
            if (hit.type) option.label = hit.label + " (" + hit.type + ")";
            list.appendChild(option);
          });
        })
        .catch(function () {});
    });
  }
  document.querySelectorAll("input[data-suggest]").forEach(attach);
})();
