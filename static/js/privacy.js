// The print button of a person's data page: shown only when the browser can print.
document.querySelectorAll("[data-print]").forEach((button) => {
  if (typeof window.print !== "function") return;
  button.hidden = false;
  button.addEventListener("click", () => window.print());
});
