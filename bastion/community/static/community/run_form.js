// The run form: choosing a disinfectant offers its usual concentration and shows its unit.
document.addEventListener("DOMContentLoaded", function () {
  const form = document.querySelector("[data-run-form]");
  const data = document.getElementById("agent-defaults");
  if (!form || !data) return;
  const defaults = JSON.parse(data.textContent);
  const agent = form.querySelector("select[name=agent]");
  const amount = form.querySelector("input[name=concentration]");
  const unit = form.querySelector("[data-concentration-unit]");
  function showUnit() {
    const d = defaults[agent.value];
    if (d && unit) unit.textContent = d.unit;
  }
  agent.addEventListener("change", function () {
    const d = defaults[agent.value];
    if (d) amount.value = d.value;
    showUnit();
  });
  showUnit();
});
