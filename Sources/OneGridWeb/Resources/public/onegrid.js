// A little help where it pays; every page works without it.
document.addEventListener("click", (event) => {
  // The sign-in page's demo accounts fill in the username.
  const fill = event.target.closest("[data-fill-username]");
  if (fill) {
    const field = document.getElementById("username");
    field.value = fill.dataset.fillUsername;
    document.getElementById("password").focus();
  }
});
document.addEventListener("change", (event) => {
  // "Select page" ticks every row of the queue.
  if (event.target.matches("[data-select-all]")) {
    for (const box of document.querySelectorAll("input[name=case]")) box.checked = event.target.checked;
  }
  // A bulk action names a department only when it dispatches.
  if (event.target.matches("[data-bulk-action]")) {
    const needs = event.target.selectedOptions[0]?.dataset.needsDepartment === "true";
    document.querySelectorAll("[data-bulk-department]").forEach((el) => { el.hidden = !needs; });
  }
});
document.addEventListener("keydown", (event) => {
  // "/" jumps to the queue's text filter, as in most consoles.
  if (event.key === "/" && !event.target.closest("input, textarea, select")) {
    const search = document.getElementById("filter-q");
    if (search) { event.preventDefault(); search.focus(); }
  }
});
