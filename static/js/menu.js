// The main menu: one "Menu" button on a phone, its groups side by side on a wider screen; a group
// opens its entries, one group at a time, and closes on Escape or a click elsewhere.
const WIDE = window.matchMedia("(min-width: 900px)");
const menu = document.querySelector("[data-menu]");

if (menu) {
  const groups = [...menu.querySelectorAll("details.menu-group")];
  // Wide: the groups in a row, closed until chosen. Narrow: the menu closed, its groups all open inside.
  const fit = () => {
    menu.open = WIDE.matches;
    for (const group of groups) group.open = !WIDE.matches;
  };
  fit();
  WIDE.addEventListener("change", fit);
  for (const group of groups) {
    group.addEventListener("toggle", () => {
      if (group.open && WIDE.matches) for (const other of groups) if (other !== group) other.open = false;
    });
  }
  const closeGroups = () => { if (WIDE.matches) for (const group of groups) group.open = false; };
  document.addEventListener("click", (event) => { if (!menu.contains(event.target)) closeGroups(); });
  document.addEventListener("keydown", (event) => {
    if (event.key !== "Escape") return;
    const open = groups.find((group) => group.open);
    if (open && WIDE.matches) {
      open.open = false;
      open.querySelector("summary").focus();
    } else if (!WIDE.matches && menu.open) {
      menu.open = false;
      menu.querySelector("summary").focus();
    }
  });
}
