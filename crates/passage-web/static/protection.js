// Passage, protection pages: on the screening interview, a question asked only after
// certain earlier answers is hidden (and left out of the form) until its condition holds.
// Without this script every question shows, each with its condition in words.
"use strict";
(function () {
  const form = document.querySelector("form[data-screening]");
  if (!form) return;
  const blocks = Array.from(form.querySelectorAll("[data-question]"));

  // The answer to a question as the server reads it; undefined when unanswered.
  function answer(name) {
    const inputs = Array.from(form.querySelectorAll("[name='a." + name + "']")).filter(
      (i) => !i.disabled,
    );
    if (inputs.length === 0) return undefined;
    const type = inputs[0].type;
    if (type === "checkbox") {
      const chosen = inputs.filter((i) => i.checked).map((i) => i.value);
      return chosen.length ? chosen : undefined;
    }
    if (type === "radio") {
      const c = inputs.find((i) => i.checked);
      if (!c || c.value === "") return undefined;
      if (c.value === "yes") return true;
      if (c.value === "no") return false;
      return c.value;
    }
    const v = inputs[0].value.trim();
    if (v === "") return undefined;
    if (type === "number") {
      const n = Number(v);
      return Number.isInteger(n) ? n : undefined;
    }
    return v;
  }

  function holds(c) {
    if (Array.isArray(c.all)) return c.all.every(holds);
    if (Array.isArray(c.any)) return c.any.some(holds);
    const a = answer(c.question);
    if (a === undefined) return false;
    switch (c.op) {
      case "is":
        return !Array.isArray(a) && a === c.value;
      case "is_not":
        return !Array.isArray(a) && a !== c.value;
      case "below":
        return typeof a === "number" && a < c.value;
      case "at_least":
        return typeof a === "number" && a >= c.value;
      case "includes":
        return Array.isArray(a) && a.includes(c.value);
      default:
        return false;
    }
  }

  // In question order, so that a question hidden takes its dependants with it.
  function update() {
    for (const block of blocks) {
      const relevant = block.dataset.relevant;
      if (!relevant) continue;
      let shown = false;
      try {
        shown = holds(JSON.parse(relevant));
      } catch (_) {
        shown = true;
      }
      block.hidden = !shown;
      for (const input of block.querySelectorAll("input, textarea, select")) {
        input.disabled = !shown;
      }
    }
  }

  form.addEventListener("input", update);
  form.addEventListener("change", update);
  update();
})();
