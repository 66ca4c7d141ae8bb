// The printable roster: a button that opens the print dialog.
document.addEventListener("click", function (event) {
  if (event.target.closest("[data-print]")) window.print();
});
