// Select2 (the admin's autocomplete) names its combobox by the selected text only: empty, it has no
// accessible name. Name each one by its field's label (or the <select>'s aria-label in a table row),
// followed by the selection, for the fields on the page and for rows added later.
(function () {
  "use strict";
  function fieldName(select) {
    const label = select.id && document.querySelector('label[for="' + select.id + '"]');
    return (label ? label.textContent : select.getAttribute("aria-label") || "").replace(/:\s*$/, "").trim();
  }
  function nameComboboxes() {
    for (const select of document.querySelectorAll("select.admin-autocomplete")) {
      const container = select.parentElement && select.parentElement.querySelector(".select2-selection__rendered");
      const combobox = container && container.closest(".select2-selection");
      const name = fieldName(select);
      if (!combobox || !name || !select.id) continue;
      const nameId = select.id + "-name";
      if (!document.getElementById(nameId)) {
        const hidden = document.createElement("span");
        hidden.id = nameId;
        hidden.hidden = true;
        hidden.textContent = name;
        select.parentElement.appendChild(hidden);
      }
      combobox.setAttribute("aria-labelledby", nameId + " " + container.id);
      container.setAttribute("aria-labelledby", nameId);  // its role="textbox" needs a name too
    }
  }
  // The admin turns the <select>s into Select2 in a jQuery ready handler (autocomplete.js, loaded
  // after this file): name them once that has run.
  document.addEventListener("DOMContentLoaded", function () {
    const jQuery = window.django && window.django.jQuery;
    if (jQuery) jQuery(function () { setTimeout(nameComboboxes, 0); });
  });
  window.addEventListener("load", function () { setTimeout(nameComboboxes, 0); });
  document.addEventListener("formset:added", function () { setTimeout(nameComboboxes, 0); });
})();
