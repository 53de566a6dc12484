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

  document.addEventListener("selectionchange", refresh);
  if (claimButton) claimButton.addEventListener("click", function () { go(container.dataset.claimAddUrl); });
  if (evidenceButton) evidenceButton.addEventListener("click", function () { go(container.dataset.evidenceUrl); });
  refresh();
});
