// Disable a form's submit buttons once it is sent: a double tap must not post twice.
document.addEventListener("submit", function (event) {
  const form = event.target;
  if (form.dataset.allowResubmit !== undefined) return;
  window.setTimeout(function () {
    form.querySelectorAll("button[type=submit]").forEach(function (b) { b.disabled = true; });
  }, 0);
});
