// The briefing editor: "插入数据" puts a figure's placeholder at the cursor of a paragraph, and
// each paragraph shows, as it is typed, its words with the live figures filled in. The server
// still checks every edit (bastion.party.briefing.clean_paragraphs): this only helps typing.
document.addEventListener("DOMContentLoaded", function () {
  const editor = document.querySelector("[data-editor]");
  const picker = document.querySelector("[data-figure-picker]");
  const data = document.getElementById("briefing-figures");
  if (!editor || !picker || !data) return;
  const figures = JSON.parse(data.textContent); // placeholder key -> the figure as printed
  const search = picker.querySelector("[data-figure-search]");
  const items = Array.from(picker.querySelectorAll("[data-insert]"));
  const groups = Array.from(picker.querySelectorAll("[data-figure-group]"));
  const PLACEHOLDER = /\{([a-z_]+\.[a-z_]+)\}/g;
  let target = null;

  function live(textarea) {
    const out = textarea.closest("[data-field]").querySelector("[data-live]");
    if (!out) return;
    out.replaceChildren();
    const text = textarea.value;
    let last = 0;
    for (const match of text.matchAll(PLACEHOLDER)) {
      out.append(text.slice(last, match.index));
      const known = Object.prototype.hasOwnProperty.call(figures, match[1]);
      const part = document.createElement(known ? "mark" : "span");
      part.textContent = known ? figures[match[1]] : match[0];
      part.title = match[1];
      if (!known) part.className = "text-danger";
      out.append(part);
      last = match.index + match[0].length;
    }
    out.append(text.slice(last));
  }

  // Remember the cursor: tapping the button or the list takes the focus from the text.
  function remember(event) {
    const t = event.target;
    t.dataset.cursorStart = t.selectionStart;
    t.dataset.cursorEnd = t.selectionEnd;
  }

  function filter() {
    const q = search.value.trim().toLowerCase();
    for (const item of items) {
      item.hidden = q !== "" && !item.dataset.search.toLowerCase().includes(q);
    }
    for (const group of groups) {
      group.hidden = !group.querySelector("[data-insert]:not([hidden])");
    }
  }

  function close() {
    picker.hidden = true;
    target = null;
  }

  function insert(key) {
    if (!target) return;
    const token = "{" + key + "}";
    const value = target.value;
    const hasCursor = target.dataset.cursorStart !== undefined;
    const start = hasCursor ? Number(target.dataset.cursorStart) : value.length;
    const end = hasCursor ? Number(target.dataset.cursorEnd) : value.length;
    target.value = value.slice(0, start) + token + value.slice(end);
    const after = start + token.length;
    target.focus();
    target.setSelectionRange(after, after);
    target.dataset.cursorStart = after;
    target.dataset.cursorEnd = after;
    target.dispatchEvent(new Event("input", { bubbles: true }));
    close();
  }

  for (const textarea of editor.querySelectorAll("[data-field] textarea")) {
    for (const name of ["keyup", "click", "select", "blur", "input"]) {
      textarea.addEventListener(name, remember);
    }
    textarea.addEventListener("input", function () { live(textarea); });
    live(textarea);
  }
  for (const button of editor.querySelectorAll("[data-open-picker]")) {
    button.hidden = false;
    button.addEventListener("click", function () {
      const field = button.closest("[data-field]");
      if (target && !picker.hidden && field.contains(picker)) return close();
      target = field.querySelector("textarea");
      field.append(picker);
      search.value = "";
      filter();
      picker.hidden = false;
      picker.scrollIntoView({ block: "nearest" });
    });
  }
  search.addEventListener("input", filter);
  // Enter in the search box inserts the first match instead of submitting the form.
  search.addEventListener("keydown", function (event) {
    if (event.key !== "Enter") return;
    event.preventDefault();
    const first = items.find(function (item) { return !item.hidden; });
    if (first) insert(first.dataset.insert);
  });
  picker.querySelector("[data-picker-close]").addEventListener("click", close);
  for (const item of items) {
    item.addEventListener("click", function () { insert(item.dataset.insert); });
  }
});
