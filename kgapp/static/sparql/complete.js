// Context-sensitive completion for the query editor (CodeMirror's show-hint addon): prefixes in a
// PREFIX line, classes after "a", properties where a predicate goes, names of things (looked up
// in the search API as one types, inserted as id:… terms) where a subject or object goes,
// variables already used, terms of a prefix after "prefix:", and keywords. The vocabulary comes
// from /sparql/completions.json: this build's own ontology and data.
"use strict";

(function () {
  const form = document.getElementById("query-form");
  if (!form || !window.CodeMirror) return;
  const Pos = window.CodeMirror.Pos;
  const KEYWORDS = [
    "SELECT", "DISTINCT", "WHERE", "FILTER", "OPTIONAL", "UNION", "MINUS", "GRAPH", "BIND", "AS",
    "VALUES", "ORDER BY", "GROUP BY", "HAVING", "LIMIT", "OFFSET", "ASK", "CONSTRUCT", "DESCRIBE",
    "COUNT", "SAMPLE", "MIN", "MAX", "SUM", "AVG", "GROUP_CONCAT", "STR", "LANG", "LANGMATCHES",
    "REGEX", "CONTAINS", "STRSTARTS", "LCASE", "UCASE", "EXISTS", "NOT EXISTS", "COALESCE", "IF",
    "isIRI", "isLiteral", "YEAR", "NOW",
  ];
  const MAX_SHOWN = 40;
  let vocabulary = { prefixes: {}, classes: [], properties: [], entitySearch: null };
  let lookup = null;

  fetch(form.dataset.completions, { headers: { Accept: "application/json" } })
    .then((response) => (response.ok ? response.json() : vocabulary))
    .then((found) => (vocabulary = found))
    .catch(() => {});

  // The word being typed: letters, digits and - _ : ? $ before the cursor.
  function wordAt(cm) {
    const cursor = cm.getCursor();
    const line = cm.getLine(cursor.line);
    let start = cursor.ch;
    while (start > 0 && /[\w\-:?$]/.test(line.charAt(start - 1))) start--;
    return { text: line.slice(start, cursor.ch), from: Pos(cursor.line, start), to: cursor };
  }

  // Where the word stands: in a PREFIX line, outside the braces, or as subject, property, object.
  function positionOf(cm, from) {
    const before = cm
      .getRange(Pos(0, 0), from)
      .replace(/#[^\n]*/g, " ")
      .replace(/"(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*'/g, ' "" ')
      .replace(/<[^<>\s]*>/g, " <> ");
    if (/(^|\n)\s*PREFIX\s+$/i.test(before)) return "prefix";
    const depth = (before.match(/{/g) || []).length - (before.match(/}/g) || []).length;
    if (depth <= 0) return "keyword";
    const cut = Math.max(...["{", "}", ".", ";", ","].map((c) => before.lastIndexOf(c)));
    const separator = before.charAt(cut);
    const tokens = before.slice(cut + 1).split(/\s+/).filter(Boolean);
    const previous = tokens[tokens.length - 1];
    if (previous === "a" || previous === "rdf:type") return "class";
    if (separator === ";") return tokens.length ? "object" : "property";
    if (separator === ",") return "object";
    if (!tokens.length) return "subject";
    return tokens.length === 1 && !/^[A-Z]+$/.test(tokens[0]) ? "property" : "object";
  }

  function matches(term, typed) {
    const wanted = typed.toLowerCase();
    return !wanted || term.text.toLowerCase().includes(wanted) || term.label.toLowerCase().includes(wanted);
  }

  function ranked(terms, typed) {
    const wanted = typed.toLowerCase();
    return terms
      .filter((t) => matches(t, typed))
      .sort((a, b) => {
        const starts = (t) => (t.text.toLowerCase().split(":").pop().startsWith(wanted) ? 0 : 1);
        return starts(a) - starts(b) || b.uses - a.uses;
      })
      .slice(0, MAX_SHOWN)
      .map((t) => ({ text: t.text, displayText: t.text + " — " + t.label, className: "hint-" + t.kind }));
  }

  function variables(cm, typed) {
    const seen = new Set(cm.getValue().match(/[?$][A-Za-z_]\w*/g) || []);
    return Array.from(seen)
      .filter((v) => v.startsWith(typed) && v !== typed)
      .map((v) => ({ text: v, className: "hint-variable" }));
  }

  function keywords(typed) {
    const wanted = typed.toUpperCase();
    return KEYWORDS.filter((k) => k.toUpperCase().startsWith(wanted) && k.toUpperCase() !== wanted).map(
      (k) => ({ text: k + " ", displayText: k, className: "hint-keyword" }),
    );
  }

  function prefixDeclarations(cm) {
    const declared = new Set((cm.getValue().match(/PREFIX\s+([\w-]*):/gi) || []).map((p) => p.split(/\s+/)[1]));
    return Object.entries(vocabulary.prefixes)
      .filter(([prefix]) => !declared.has(prefix + ":"))
      .map(([prefix, namespace]) => ({ text: prefix + ": <" + namespace + ">", className: "hint-prefix" }));
  }

  // Names of things, from the search API; inserted as id:local when the id: prefix covers them.
  function entities(typed, done) {
    const text = typed.replace(/^[\w-]*:/, "").replace(/[-_]/g, " ").trim();
    if (text.length < 2 || !vocabulary.entitySearch) return done([]);
    if (lookup) lookup.abort();
    lookup = new AbortController();
    const separator = vocabulary.entitySearch.includes("?") ? "&" : "?";
    fetch(vocabulary.entitySearch + separator + "q=" + encodeURIComponent(text), {
      headers: { Accept: "application/json" },
      signal: lookup.signal,
    })
      .then((response) => (response.ok ? response.json() : { results: [] }))
      .then((data) => done(data.results.map(entityHint)))
      .catch(() => done([]));
  }

  function entityHint(hit) {
    const about = [hit.type, hit.date].filter(Boolean).join(", ");
    return {
      text: curie(hit.iri),
      displayText: hit.label + (about ? " (" + about + ")" : "") + " — " + curie(hit.iri),
      className: "hint-entity",
    };
  }

  function curie(iri) {
    for (const [prefix, namespace] of Object.entries(vocabulary.prefixes)) {
      const local = iri.slice(namespace.length);
      if (iri.startsWith(namespace) && /^[\w.-]+$/.test(local)) return prefix + ":" + local;
    }
    return "<" + iri + ">";
  }

  function hint(cm, callback) {
    const word = wordAt(cm);
    const at = positionOf(cm, word.from);
    const reply = (list) => callback(list.length ? { list: list, from: word.from, to: word.to } : null);
    if (at === "prefix") return reply(prefixDeclarations(cm));
    if (word.text.startsWith("?") || word.text.startsWith("$")) return reply(variables(cm, word.text));
    if (at === "keyword") return reply(keywords(word.text));
    const prefix = word.text.includes(":") ? word.text.split(":")[0] : null;
    const terms = at === "class" ? vocabulary.classes : vocabulary.properties.concat(vocabulary.classes);
    if (prefix !== null) {
      const inPrefix = terms.filter((t) => t.text.startsWith(prefix + ":"));
      const known = ranked(inPrefix, word.text.slice(prefix.length + 1));
      if (known.length || at === "class" || at === "property") return reply(known);
      return entities(word.text, (found) => reply(found.filter((h) => h.text.startsWith(prefix + ":"))));
    }
    if (at === "class") return reply(ranked(vocabulary.classes, word.text));
    if (at === "property") return reply(ranked(vocabulary.properties, word.text));
    const local = keywords(word.text).concat(variables(cm, "?").filter(() => !word.text));
    entities(word.text, (found) => reply(found.concat(word.text ? local : [])));
  }
  hint.async = true;

  window.kgapp = Object.assign(window.kgapp || {}, { sparqlHint: hint });
})();
