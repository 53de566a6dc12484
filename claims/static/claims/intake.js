// The source page's snapshot text: select a passage, then make a claim or evidence of it.
// The server computes the anchor; this only says which characters were selected (UTF-16 offsets,
// as the DOM counts them) and sends the verbatim text of that span.
// Admin media load in <head>: wait for the page before looking for its elements.
document.addEventListener("DOMContentLoaded", function () {
  "use strict";
  const container = document.getElementById("snapshot-text");
  if (!container) return;
  const claimButton = document.getElementById("claim-from-selection");
  const evidenceButton = document.getElementById("evidence-from-selection");

  function offsetWithin(node, offset) {
    const range = document.createRange();
    range.selectNodeContents(container);
    range.setEnd(node, offset);
    return range.toString().length;
  }

  function selectedSpan() {
    const selection = window.getSelection();
    if (!selection || selection.rangeCount === 0 || selection.isCollapsed) return null;
    const range = selection.getRangeAt(0);
    if (!container.contains(range.startContainer) || !container.contains(range.endContainer)) return null;
    const start = offsetWithin(range.startContainer, range.startOffset);
    const end = offsetWithin(range.endContainer, range.endOffset);
    // Verbatim characters from the text itself: Selection.toString() turns no-break spaces into spaces.
    const exact = container.textContent.slice(start, end);
    if (!exact.trim()) return null;
    return { start: start, exact: exact };
  }

  function refresh() {
    const span = selectedSpan();
    if (claimButton) claimButton.disabled = !span;
    if (evidenceButton) evidenceButton.disabled = !span;
  }

  function go(url) {
    const span = selectedSpan();
    if (!span) return;
    const params = new URLSearchParams({
      snapshot: container.dataset.snapshotId,
      exact: span.exact,
      start: String(span.start),
    });
    window.location.assign(url + "?" + params.toString());
  }

  // By keyboard (no caret browsing in a page's text): find the passage by its first and last words,
  // then widen or narrow the selection with Shift and the arrow keys while the text has focus.
  const finder = document.getElementById("passage-finder");
  const fromInput = document.getElementById("passage-from");
  const toInput = document.getElementById("passage-to");
  const status = document.getElementById("passage-status");

  // Case and typographic quotes ignored, one code unit for one, so that offsets stay the text's own.
  const QUOTES = { "\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"', "\u00a0": " " };
  function fold(text) {
    let folded = "";
    for (const unit of text.split("")) {
      const lower = QUOTES[unit] || unit.toLowerCase();
      folded += lower.length === 1 ? lower : unit;
    }
    return folded;
  }

  function select(start, end) {
    const node = container.firstChild;
    const range = document.createRange();
    range.setStart(node, start);
    range.setEnd(node, end);
    const selection = window.getSelection();
    selection.removeAllRanges();
    selection.addRange(range);
    container.scrollTop += range.getBoundingClientRect().top - container.getBoundingClientRect().top - 40;
  }

  function findPassage() {
    const first = fold(fromInput.value.trim());
    const last = fold(toInput.value.trim());
    if (!first || !container.firstChild) return;
    const text = fold(container.textContent);
    const current = selectedSpan();
    // Pressed again: the next match after the one selected.
    let start = text.indexOf(first, current ? current.start + 1 : 0);
    if (start < 0 && current) start = text.indexOf(first);
    let end = start < 0 ? -1 : start + first.length;
    if (start >= 0 && last) {
      const at = text.indexOf(last, end);
      end = at < 0 ? -1 : at + last.length;
    }
    if (start < 0 || end < 0) {
      status.textContent = status.dataset.notFound;
      return;
    }
    select(start, end);
    status.textContent = status.dataset.found.replace("{count}", String(end - start));
  }

  const EXTEND = { ArrowLeft: "backward", ArrowRight: "forward", ArrowUp: "backward", ArrowDown: "forward", Home: "backward", End: "forward" };
  function extendByKey(event) {
    const direction = EXTEND[event.key];
    if (!event.shiftKey || !direction || !container.firstChild) return;
    const selection = window.getSelection();
    if (!selection.rangeCount || !container.contains(selection.anchorNode)) {
      selection.collapse(container.firstChild, 0);
    }
    let granularity = event.ctrlKey || event.altKey ? "word" : "character";
    if (event.key === "ArrowUp" || event.key === "ArrowDown") granularity = "line";
    if (event.key === "Home" || event.key === "End") granularity = "lineboundary";
    selection.modify("extend", direction, granularity);
    event.preventDefault();
  }

  if (finder && fromInput && toInput && status) {
    finder.hidden = false;
    for (const input of [fromInput, toInput]) {
      input.addEventListener("keydown", function (event) {
        if (event.key !== "Enter") return;
        event.preventDefault(); // not the source form's submit
        findPassage();
      });
    }
    document.getElementById("passage-select").addEventListener("click", findPassage);
  }
  container.addEventListener("keydown", extendByKey);

  document.addEventListener("selectionchange", refresh);
  if (claimButton) claimButton.addEventListener("click", function () { go(container.dataset.claimAddUrl); });
  if (evidenceButton) evidenceButton.addEventListener("click", function () { go(container.dataset.evidenceUrl); });
  refresh();
});
