// A "Print" button ([data-print]) on the stock's printable sheets: the browser's print dialog.
// Without JavaScript the button stays hidden behind the browser's own print command.
document.querySelectorAll("[data-print]").forEach((button) => {
  if (typeof window.print !== "function") return;
  button.hidden = false;
  button.addEventListener("click", () => window.print());
});
