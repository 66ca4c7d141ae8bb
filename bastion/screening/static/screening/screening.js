// Screening pages: buttons that print the page (the CSP forbids inline handlers).
document.addEventListener("click", function (event) {
  const button = event.target.closest("[data-print]");
  if (button) window.print();
});

// Formsets with rows to add and remove (the visit form's members and returnees). Each
// [data-formset=PREFIX] holds a management form, [data-rows], a <template data-empty> with
// "__prefix__" in its names, and a [data-add-row] button; rows carry [data-remove-row].
// After a removal the rows are renumbered so that Django reads 0..n-1 without gaps.
(function () {
  function renumber(set) {
    const prefix = set.dataset.formset;
    const rows = set.querySelectorAll("[data-rows] > [data-row]");
    const pattern = new RegExp("^(id_)?" + prefix + "-(\\d+|__prefix__)-");
    rows.forEach(function (row, index) {
      row.querySelectorAll("[name], [id], [for], [data-field]").forEach(function (el) {
        ["name", "id", "for", "data-field"].forEach(function (attr) {
          const value = el.getAttribute(attr);
          if (value && pattern.test(value)) {
            el.setAttribute(attr, value.replace(pattern, "$1" + prefix + "-" + index + "-"));
          }
        });
      });
    });
    const total = set.querySelector("input[name='" + prefix + "-TOTAL_FORMS']");
    const initial = set.querySelector("input[name='" + prefix + "-INITIAL_FORMS']");
    if (total) total.value = rows.length;
    if (initial && Number(initial.value) > rows.length) initial.value = rows.length;
    const add = set.querySelector("[data-add-row]");
    const max = set.querySelector("input[name='" + prefix + "-MAX_NUM_FORMS']");
    if (add && max) add.disabled = rows.length >= Number(max.value);
  }

  document.addEventListener("click", function (event) {
    const add = event.target.closest("[data-add-row]");
    if (add) {
      const set = add.closest("[data-formset]");
      const template = set.querySelector("template[data-empty]");
      const rows = set.querySelector("[data-rows]");
      rows.appendChild(template.content.cloneNode(true));
      renumber(set);
      const fresh = rows.lastElementChild;
      const first = fresh && fresh.querySelector("input:not([type=hidden]), select");
      if (first) first.focus();
      return;
    }
    const remove = event.target.closest("[data-remove-row]");
    if (remove) {
      const set = remove.closest("[data-formset]");
      remove.closest("[data-row]").remove();
      renumber(set);
    }
  });
})();
