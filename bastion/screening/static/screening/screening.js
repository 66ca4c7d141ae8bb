// Screening pages: buttons that print the page (the CSP forbids inline handlers).
document.addEventListener("click", function (event) {
  const button = event.target.closest("[data-print]");
  if (button) window.print();
});
