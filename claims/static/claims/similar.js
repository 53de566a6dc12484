// "Has this been checked before?": refresh the similar-claims panel while the claim is typed.
// Admin media load in <head>: wait for the page before looking for its elements.
document.addEventListener("DOMContentLoaded", function () {
  "use strict";
  const panel = document.getElementById("similar-claims");
  const list = document.getElementById("similar-claims-list");
  // The summary ("Claim reviewed") and the verbatim text both say what the claim is: either may
  // be typed first, and each change asks again with both.
  const inputs = ["id_claim_reviewed", "id_text"].map(function (id) { return document.getElementById(id); })
    .filter(Boolean);
  if (!panel || !list || !inputs.length) return;
  let timer = null;
  let latest = 0;

  function render(results) {
    list.replaceChildren();
    if (!results.length) {
      const empty = document.createElement("li");
      empty.className = "similar-none";
      // The text comes translated from the template (data-empty-text): the desk has no JS catalog.
      empty.textContent = panel.dataset.emptyText;
      list.appendChild(empty);
      return;
    }
    for (const item of results) {
      const li = document.createElement("li");
      li.dataset.score = String(item.score);
      li.dataset.strength = item.strength;
      const language = document.createElement("span");
      language.className = "similar-language";
      language.lang = item.language;
      language.textContent = item.language;
      const link = document.createElement("a");
      link.href = item.admin_url;
      link.lang = item.language;
      link.textContent = item.claim_reviewed;
      const strength = document.createElement("span");
      strength.className = "similar-strength";
      strength.textContent = " " + (item.strength === "same" ? panel.dataset.labelSame : panel.dataset.labelRelated);
      const status = document.createElement("span");
      status.className = "similar-status";
      status.textContent = " · " + item.status_display;
      li.append(language, " ", link, strength, status);
      if (item.verdict && item.verdict.rating) {
        const verdict = document.createElement("span");
        verdict.className = "similar-verdict";
        verdict.textContent = " · " + item.verdict.rating.label;
        li.appendChild(verdict);
      }
      list.appendChild(li);
    }
  }

  function lookup() {
    const text = inputs.map(function (input) { return input.value.trim(); }).filter(Boolean).join(" ");
    const ticket = ++latest;
    if (text.length < 8) return;
    fetch(panel.dataset.url + "?" + new URLSearchParams({ text: text }), {
      credentials: "same-origin",
      headers: { Accept: "application/json" },
    })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (body) { if (body && ticket === latest) render(body.results); })
      .catch(function () {});
  }

  for (const input of inputs) {
    input.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(lookup, 400);
    });
  }
});
