// Disable a form's submit buttons once it is sent: a double tap must not post twice.
document.addEventListener("submit", function (event) {
  const form = event.target;
  if (form.dataset.allowResubmit !== undefined) return;
  window.setTimeout(function () {
    form.querySelectorAll("button[type=submit]").forEach(function (b) { b.disabled = true; });
  }, 0);
});

// A long list of choices (a city officer's ~1,500 units) gets a filter box above it: typing
// part of a name or code keeps only the matching options. Options are rebuilt rather than
// hidden, because phones ignore hidden options in their native pickers.
const LONG_SELECT = 40;

function addSelectFilter(select) {
  if (select.multiple || select.dataset.filterReady || select.options.length < LONG_SELECT) return;
  select.dataset.filterReady = "1";
  const all = Array.from(select.options).map(function (o) {
    return { value: o.value, text: o.text, selected: o.selected };
  });
  const box = document.createElement("input");
  box.type = "search";
  box.className = "form-control form-control-sm mb-1";
  box.placeholder = document.body.dataset.selectFilter || "输入名称或代码筛选";
  box.setAttribute("aria-label", box.placeholder);
  box.setAttribute("autocomplete", "off");
  select.parentNode.insertBefore(box, select);
  box.addEventListener("input", function () {
    const needle = box.value.trim().toLowerCase();
    const current = select.value;
    select.replaceChildren();
    all.forEach(function (o) {
      const keep = !needle || o.value === "" || o.value === current ||
        o.text.toLowerCase().includes(needle) || o.value.toLowerCase().startsWith(needle);
      if (!keep) return;
      const option = new Option(o.text, o.value, false, o.value === current);
      select.add(option);
    });
  });
}

function addSelectFilters(root) {
  root.querySelectorAll("select").forEach(addSelectFilter);
}

document.addEventListener("DOMContentLoaded", function () { addSelectFilters(document); });
document.addEventListener("htmx:afterSwap", function (event) { addSelectFilters(event.target); });
