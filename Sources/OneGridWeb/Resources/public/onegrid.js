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

// Live pages: an element with data-live listens to its server-sent events. The command room
// (data-live-refresh) fetches itself again and swaps in what changed, at most once in flight and
// soon after the last of a burst of events; the queue (data-live-notice) says how many cases
// changed and offers to reload, so a list being worked on never moves under the pointer.
(() => {
  const root = document.querySelector("[data-live]");
  if (!root || !window.EventSource) return;
  const changed = new Set();
  let timer = null;
  let firstPending = 0;
  let busy = false;
  let again = false;
  const refresh = () => {
    timer = null;
    if (busy) { again = true; return; }
    busy = true;
    fetch(location.href, { credentials: "same-origin", cache: "no-store" })
      .then((response) => {
        // An ended session is sent to sign in: show that page rather than figures going stale.
        if (response.redirected) { location.assign(response.url); return Promise.reject(response.status); }
        return response.ok ? response.text() : Promise.reject(response.status);
      })
      .then((html) => {
        const fresh = new DOMParser().parseFromString(html, "text/html").getElementById(root.id);
        if (fresh) root.innerHTML = fresh.innerHTML;
      })
      .catch(() => {})
      .finally(() => {
        busy = false;
        if (again) { again = false; refresh(); }
      });
  };
  // 200 ms after the last event, and never more than 600 ms after the first one waiting.
  const schedule = () => {
    const now = Date.now();
    if (timer === null) firstPending = now;
    clearTimeout(timer);
    timer = setTimeout(refresh, now - firstPending > 400 ? 0 : 200);
  };
  const notice = (ids) => {
    ids.forEach((id) => changed.add(id));
    if (changed.size === 0) return;
    const banner = root.querySelector("[data-live-banner]");
    const link = banner.querySelector("[data-live-reload]");
    link.textContent = root.dataset.liveNotice.replace("{count}", String(changed.size));
    link.href = location.href;
    banner.hidden = false;
  };
  const setStatus = (on) => {
    const mark = root.querySelector("[data-live-status]");
    if (!mark) return;
    mark.classList.toggle("off", !on);
    mark.textContent = on ? mark.dataset.on : mark.dataset.off;
  };
  const source = new EventSource(root.dataset.live);
  source.addEventListener("open", () => setStatus(true));
  source.addEventListener("error", () => setStatus(false));
  source.addEventListener("cases", (event) => {
    let ids = [];
    try { ids = JSON.parse(event.data).cases || []; } catch (_) { /* a sweep or an odd line: refresh anyway */ }
    if (root.dataset.liveRefresh) schedule(); else notice(ids);
  });
})();

// The citizen's report: "use where I am now" fills the point from the phone's position. Without
// a script (or a position) the community and the address place the report instead.
(() => {
  const button = document.getElementById("r-locate");
  if (!button || !navigator.geolocation) return;
  const state = document.getElementById("r-locate-state");
  button.hidden = false;
  button.addEventListener("click", () => {
    state.textContent = button.dataset.locating;
    navigator.geolocation.getCurrentPosition(
      (position) => {
        document.getElementById("r-lat").value = position.coords.latitude.toFixed(6);
        document.getElementById("r-lng").value = position.coords.longitude.toFixed(6);
        state.textContent = button.dataset.located;
      },
      () => { state.textContent = button.dataset.failed; },
      { enableHighAccuracy: true, timeout: 15000, maximumAge: 60000 });
  });
})();

// The citizen's report: photos are shrunk on the phone (field/photo.js) before the form goes, so
// a weak signal carries 500 KB, not a camera's megabytes. A photo the browser cannot read goes as
// it is; without scripts the form sends the originals.
(() => {
  const form = document.getElementById("report-form");
  if (!form || !window.OneGridPhoto || !window.DataTransfer) return;
  const input = form.querySelector("#r-photos");
  let shrunk = false;
  form.addEventListener("submit", (event) => {
    if (shrunk || !input.files.length) return;
    event.preventDefault();
    const button = form.querySelector("button[type=submit]");
    button.disabled = true;
    Promise.all(Array.from(input.files).map((file) =>
      OneGridPhoto.shrink(file)
        .then((blob) => new File([blob], file.name.replace(/\.[^.]*$/, "") + ".jpg", { type: "image/jpeg" }))
        .catch(() => file)))
      .then((files) => {
        const chosen = new DataTransfer();
        files.forEach((file) => chosen.items.add(file));
        input.files = chosen.files;
      })
      .finally(() => {
        shrunk = true;
        button.disabled = false;
        form.requestSubmit ? form.requestSubmit(button) : form.submit();
      });
  });
})();
