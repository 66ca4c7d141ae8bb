// The officer's registration form: remembered plate prefix, one tap per occupant, pickers.
(function () {
  "use strict";
  const form = document.getElementById("passage-form");
  if (!form) return;

  // The plate's province prefix is remembered on this phone; 湘B (Zhuzhou) the first time.
  const PREFIX_KEY = "bastion.checkpoints.plate-prefix";
  const plate = form.querySelector("input[name=plate]");
  let remembered = "湘B";
  try { remembered = window.localStorage.getItem(PREFIX_KEY) || remembered; } catch (e) { /* private mode */ }
  if (plate && !plate.value) plate.value = remembered;
  form.querySelectorAll("[data-prefix]").forEach(function (button) {
    button.addEventListener("click", function () {
      const rest = plate.value.trim().replace(/^[\u4e00-\u9fff][A-Za-z]?/, "");
      plate.value = button.dataset.prefix + rest;
      plate.focus();
    });
  });
  form.addEventListener("submit", function () {
    const match = plate.value.trim().match(/^([\u4e00-\u9fff][A-Za-z])/);
    if (match) {
      try { window.localStorage.setItem(PREFIX_KEY, match[1].toUpperCase()); } catch (e) { /* ignore */ }
    }
  });

  // One tap adds an occupant: the formset's empty form, numbered.
  const total = form.querySelector("input[name=occupants-TOTAL_FORMS]");
  const list = document.getElementById("occupants");
  const template = document.getElementById("occupant-template");
  const add = document.getElementById("add-occupant");
  if (add && total && list && template) {
    add.addEventListener("click", function () {
      const i = parseInt(total.value, 10);
      const html = template.innerHTML.replace(/__prefix__/g, String(i)).replace(/__n__/g, String(i + 1));
      list.insertAdjacentHTML("beforeend", html);
      total.value = String(i + 1);
      if (window.htmx) window.htmx.process(list.lastElementChild);
      const name = list.lastElementChild.querySelector("input[name$='-name']");
      if (name) name.focus();
    });
  }

  // A fever reading selects "转送发热门诊" at once; the server checks it again.
  const threshold = parseFloat(form.dataset.fever || "37.3");
  form.addEventListener("input", function (event) {
    const input = event.target;
    if (!input.matches || !input.matches(".temperature-input")) return;
    const value = parseFloat(input.value.replace(/[,，。]/, "."));
    const card = input.closest("[data-occupant]");
    const fever = !isNaN(value) && value >= threshold && value <= 43;
    card.classList.toggle("border-danger", fever);
    card.querySelector("[data-fever-hint]").classList.toggle("d-none", !fever);
    if (fever) {
      const refer = card.querySelector("input[value=refer_fever_point]");
      if (refer) refer.checked = true;
    }
  });

  // Pickers: a tapped destination or origin fills the form.
  const destination = form.querySelector("input[name=destination]");
  const destinationQuery = form.querySelector("input[name=destination_q]");
  const chosen = document.getElementById("destination-chosen");
  document.addEventListener("click", function (event) {
    const unit = event.target.closest("[data-destination]");
    if (unit) {
      destination.value = unit.dataset.destination;
      destinationQuery.value = unit.dataset.name;
      chosen.textContent = unit.dataset.label;
      document.getElementById("destination-results").innerHTML = "";
    }
    const origin = event.target.closest("[data-origin]");
    if (origin) {
      form.querySelector("input[name=origin]").value = origin.dataset.origin;
      document.getElementById("origin-results").innerHTML = "";
    }
  });
  if (destinationQuery) {
    destinationQuery.addEventListener("input", function () {
      destination.value = "";
      chosen.textContent = "";
    });
  }
})();
