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

// Intake: the categories proposed from the text while the clerk types, a click on the map
// chooses the grid, and a proposal chosen is the category chosen.
(() => {
  const form = document.getElementById("intake-form");
  if (!form) return;
  const select = form.querySelector("#f-category");
  const box = document.getElementById("proposals");
  let timer;
  const propose = () => {
    const text = [form.elements.title.value, form.elements.description.value].join(" ").trim();
    const query = new URLSearchParams({ text, category: select.value });
    fetch(form.dataset.proposals + "?" + query, { credentials: "same-origin" })
      .then((response) => (response.ok ? response.text() : Promise.reject(response.status)))
      .then((html) => { box.innerHTML = html; })
      .catch(() => {});
  };
  form.addEventListener("input", (event) => {
    if (event.target.name === "title" || event.target.name === "description") {
      clearTimeout(timer);
      timer = setTimeout(propose, 350);
    }
  });
  form.addEventListener("change", (event) => {
    if (event.target.matches("#proposals input[name=category]")) select.value = event.target.value;
    if (event.target === select) box.querySelectorAll("input").forEach((radio) => { radio.checked = radio.value === select.value; });
  });
  const grid = form.querySelector("#f-grid");
  const mark = () => form.querySelectorAll(".grid-pick").forEach((g) => g.classList.toggle("picked", g.dataset.grid === grid.value));
  form.querySelectorAll(".grid-pick").forEach((shape) => {
    shape.addEventListener("click", () => { grid.value = shape.dataset.grid; mark(); });
  });
  grid.addEventListener("change", mark);
})();

// A receipt's print button.
document.addEventListener("click", (event) => {
  if (event.target.closest("[data-print]")) window.print();
});
