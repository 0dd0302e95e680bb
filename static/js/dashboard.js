// The dashboard works without JavaScript; this only adds a "Print" button where a page offers one.
document.querySelectorAll("[data-print]").forEach((button) => {
  button.hidden = false;
  button.addEventListener("click", () => window.print());
});
