// spinlens workspace: the little script the pages use (no framework, no inline code).
// Article text never goes through innerHTML: only textContent is set here.
"use strict";

(function () {
  function byId(id) { return document.getElementById(id); }

  // Article page: a click on a highlighted passage, or Enter on a focused one, lists
  // every annotation over it; Escape hides a focused mark's details; the marks of a
  // hidden layer leave the Tab order.
  const text = byId("text");
  const inspector = byId("inspector");
  if (text && inspector) {
    let selected = null;
    const inspect = function (target) {
      const notes = [];
      let node = target;
      while (node && node !== text) {
        if (node.nodeType === 1 && node.tagName === "SPAN" && node.title) notes.push(node.title);
        node = node.parentNode;
      }
      const list = byId("inspector-notes");
      list.replaceChildren();
      notes.reverse().forEach(function (note) {
        const item = document.createElement("li");
        item.textContent = note;
        list.appendChild(item);
      });
      if (selected) selected.classList.remove("selected");
      selected = notes.length && target.tagName === "SPAN" ? target : null;
      if (selected) selected.classList.add("selected");
      inspector.hidden = notes.length === 0;
    };
    text.addEventListener("click", function (event) { inspect(event.target); });
    text.addEventListener("keydown", function (event) {
      if (event.key === "Enter" && event.target.dataset.layer) inspect(event.target);
      if (event.key === "Escape" && event.target.dataset.layer) event.target.classList.add("quiet");
    });
    text.addEventListener("focusout", function (event) { event.target.classList.remove("quiet"); });
    // Marks hidden by a layer switch or below the score filter leave the Tab order.
    const minimumStep = function () {
      const checked = document.querySelector("input[name=min-score]:checked");
      return checked ? Number(checked.id.replace("min-score-", "")) : 0;
    };
    const tabStops = function () {
      const minimum = minimumStep();
      text.querySelectorAll("span[data-layer]").forEach(function (mark) {
        const toggle = byId("show-" + mark.dataset.layer);
        const step = /\bsb-(\d+)\b/.exec(mark.className);
        const below = step !== null && Number(step[1]) < minimum;
        mark.tabIndex = (toggle && !toggle.checked) || below ? -1 : 0;
      });
    };
    document.addEventListener("change", function (event) {
      const id = event.target.id || "";
      if (id.startsWith("show-") || id.startsWith("min-score-")) tabStops();
    });
    tabStops();
  }

  // Job page: poll the job until it is finished, then show the final page.
  const job = byId("job");
  if (job && (job.dataset.state === "queued" || job.dataset.state === "running")) {
    const poll = function () {
      fetch("/api/jobs/" + encodeURIComponent(job.dataset.job), { headers: { Accept: "application/json" } })
        .then(function (response) { return response.ok ? response.json() : null; })
        .then(function (data) {
          if (!data) return;
          ["state", "done", "total", "analysed", "duplicates", "failed"].forEach(function (key) {
            const element = byId("job-" + key);
            if (element && data[key] !== null) element.textContent = String(data[key]);
          });
          const bar = byId("job-progress");
          if (bar && data.total) { bar.max = data.total; bar.value = data.done; }
          if (data.state === "done" || data.state === "failed") window.location.reload();
          else window.setTimeout(poll, 1000);
        })
        .catch(function () { window.setTimeout(poll, 3000); });
    };
    window.setTimeout(poll, 500);
  }

  // Analyse page: uploads go up with a progress bar, then the job page takes over.
  const form = byId("analyse-form");
  const files = byId("files");
  if (form && files && window.FormData) {
    form.addEventListener("submit", function (event) {
      if (!files.files.length) return;
      event.preventDefault();
      const box = byId("upload-progress");
      const bar = byId("upload-bar");
      const pct = byId("upload-pct");
      box.hidden = false;
      const request = new XMLHttpRequest();
      request.open("POST", form.action);
      request.setRequestHeader("Accept", "application/json");
      request.upload.addEventListener("progress", function (e) {
        if (!e.lengthComputable) return;
        bar.max = e.total;
        bar.value = e.loaded;
        pct.textContent = Math.round((100 * e.loaded) / e.total) + " %";
      });
      request.addEventListener("load", function () {
        if (request.status === 202) {
          window.location.assign(JSON.parse(request.responseText).redirect);
        } else {
          let detail = request.status === 401 ? "a valid access token is required" : request.statusText;
          try { detail = JSON.parse(request.responseText).detail || detail; } catch (e) { /* an HTML page */ }
          pct.textContent = "refused (HTTP " + request.status + "): " + detail;
        }
      });
      request.addEventListener("error", function () { pct.textContent = "upload failed (network error)"; });
      request.send(new FormData(form));
    });
  }
})();
