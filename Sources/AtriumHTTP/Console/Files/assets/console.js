// Atrium console: the little JavaScript the pages need. Reading pages work without it; it adds in-place editing of
// cells, kanban drag and drop, confirmations, and upload progress. Every call goes to Atrium's own REST API with the
// session cookie and the session's CSRF token.
"use strict";

(function () {
  const csrf = () => document.body.dataset.csrf || "";

  /** Calls the records API; resolves to the parsed body, rejects with the API's first message. */
  async function api(method, path, body) {
    const response = await fetch(path, {
      method,
      credentials: "same-origin",
      headers: Object.assign({ "Accept": "application/json", "X-CSRF-Token": csrf() },
        body === undefined ? {} : { "Content-Type": "application/json" }),
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    let parsed = null;
    try { parsed = text ? JSON.parse(text) : null; } catch (_) { parsed = null; }
    if (!response.ok) {
      const message = parsed && (parsed.messages && parsed.messages[0] || parsed.message || parsed.error) || ("HTTP " + response.status);
      throw new Error(message);
    }
    return parsed;
  }

  function element(tag, attributes, children) {
    const node = document.createElement(tag);
    for (const [name, value] of Object.entries(attributes || {})) {
      if (name === "text") node.textContent = value; else node.setAttribute(name, value);
    }
    for (const child of children || []) node.appendChild(child);
    return node;
  }

  // ---------------------------------------------------------------- in-place editing

  const composites = {
    CURRENCY: [["amount", "Amount", "number"], ["currencyCode", "Currency", "text"]],
    FULL_NAME: [["firstName", "First name", "text"], ["lastName", "Last name", "text"]],
    LINKS: [["primaryLinkUrl", "URL", "url"], ["primaryLinkLabel", "Label", "text"]],
    EMAILS: [["primaryEmail", "Email", "email"]],
    PHONES: [["primaryPhoneCallingCode", "Code", "text"], ["primaryPhoneNumber", "Number", "tel"]],
    ADDRESS: [["addressStreet1", "Street", "text"], ["addressCity", "City", "text"], ["addressPostcode", "Postcode", "text"], ["addressCountry", "Country", "text"]],
  };

  function currentValue(cell) {
    try { return JSON.parse(cell.dataset.value || "null"); } catch (_) { return null; }
  }

  /** The editor of a cell: inputs, and `read()` giving the value to send (or throwing a message). */
  function editorFor(cell) {
    const type = cell.dataset.type;
    const value = currentValue(cell);
    const box = element("div", { class: "editor" });
    let read;
    if (composites[type]) {
      const inputs = composites[type].map(([key, label, kind]) => {
        let start = value && value[key] !== undefined && value[key] !== null ? value[key] : "";
        if (type === "CURRENCY" && key === "amount") start = value && value.amountMicros != null ? value.amountMicros / 1e6 : "";
        const input = element("input", { type: kind, placeholder: label, "aria-label": label, "data-key": key });
        if (kind === "number") input.setAttribute("step", "any");
        input.value = start;
        box.appendChild(input);
        return input;
      });
      read = () => {
        const result = {};
        for (const input of inputs) {
          const key = input.dataset.key;
          if (type === "CURRENCY" && key === "amount") {
            if (input.value.trim() === "") { result.amountMicros = null; continue; }
            const amount = Number(input.value);
            if (!Number.isFinite(amount)) throw new Error("Enter a number");
            result.amountMicros = Math.round(amount * 1e6);
          } else {
            result[key] = input.value;
          }
        }
        return result;
      };
    } else if (type === "SELECT" || type === "MULTI_SELECT") {
      const options = JSON.parse(cell.dataset.options || "[]");
      const select = element("select", type === "MULTI_SELECT" ? { multiple: "multiple", "aria-label": "Options" } : { "aria-label": "Option" });
      if (type === "SELECT") select.appendChild(element("option", { value: "", text: "—" }));
      const chosen = new Set(Array.isArray(value) ? value : value ? [value] : []);
      for (const option of options) {
        const node = element("option", { value: option.value, text: option.label });
        if (chosen.has(option.value)) node.selected = true;
        select.appendChild(node);
      }
      box.appendChild(select);
      read = () => type === "MULTI_SELECT" ? Array.from(select.selectedOptions).map((o) => o.value) : (select.value || null);
    } else if (type === "BOOLEAN") {
      const select = element("select", { "aria-label": "Value" });
      for (const [v, label] of [["true", "Yes"], ["false", "No"], ["", "—"]]) {
        const node = element("option", { value: v, text: label });
        if (String(value) === v || (value === null && v === "")) node.selected = true;
        select.appendChild(node);
      }
      box.appendChild(select);
      read = () => select.value === "" ? null : select.value === "true";
    } else if (type === "RELATION") {
      return relationEditor(cell);
    } else if (type === "RAW_JSON" || type === "ARRAY") {
      const area = element("textarea", { rows: "3", "aria-label": "JSON" });
      area.value = value === null ? "" : JSON.stringify(value);
      box.appendChild(area);
      read = () => {
        if (area.value.trim() === "") return null;
        try { return JSON.parse(area.value); } catch (_) { throw new Error("Enter valid JSON"); }
      };
    } else if (type === "RICH_TEXT_V2" || type === "RICH_TEXT") {
      const area = element("textarea", { rows: "4", "aria-label": "Text" });
      area.value = value && value.markdown !== undefined ? (value.markdown || "") : (typeof value === "string" ? value : "");
      box.appendChild(area);
      read = () => type === "RICH_TEXT_V2" ? { markdown: area.value, blocknote: null } : area.value;
    } else {
      // Numbers are typed as text (inputmode decimal): a number input hides what it cannot read as an empty value.
      const kinds = { DATE: "date", DATE_TIME: "datetime-local" };
      const input = element("input", { type: kinds[type] || "text", "aria-label": "Value" });
      if (type === "NUMBER" || type === "NUMERIC") input.setAttribute("inputmode", "decimal");
      if (type === "DATE_TIME" && value) {
        const date = new Date(value);
        const pad = (n) => String(n).padStart(2, "0");
        input.value = date.getFullYear() + "-" + pad(date.getMonth() + 1) + "-" + pad(date.getDate()) + "T" + pad(date.getHours()) + ":" + pad(date.getMinutes());
      } else {
        input.value = value === null ? "" : String(value);
      }
      box.appendChild(input);
      read = () => {
        const text = input.value;
        if (text === "") return null;
        if (type === "NUMBER" || type === "NUMERIC") {
          if (text.trim() === "" || !Number.isFinite(Number(text))) throw new Error("Enter a number");
          return type === "NUMBER" ? Number(text) : text;
        }
        if (type === "DATE_TIME") return new Date(text).toISOString();
        return text;
      };
    }
    return { box, read, field: cell.dataset.field };
  }

  /** A search picker over the relation's target records. */
  function relationEditor(cell) {
    const box = element("div", { class: "editor picker" });
    const input = element("input", { type: "search", placeholder: "Search…", "aria-label": "Search records" });
    const list = element("ul", { hidden: "hidden" });
    box.appendChild(input);
    box.appendChild(list);
    let chosen = undefined;
    let timer = null;
    const target = cell.dataset.target;
    const labelField = cell.dataset.targetLabel || "name";
    const composite = cell.dataset.targetComposite === "true";
    async function search() {
      const text = input.value.replace(/[%"\\]/g, "");
      const filter = text === "" ? "" : composite
        ? `or(${labelField}.firstName[ilike]:"%${text}%",${labelField}.lastName[ilike]:"%${text}%")`
        : `${labelField}[ilike]:"%${text}%"`;
      const query = "?limit=8" + (filter ? "&filter=" + encodeURIComponent(filter) : "");
      try {
        const result = await api("GET", "/rest/" + target + query);
        const records = result && result.data ? Object.values(result.data)[0] || [] : [];
        list.replaceChildren(element("li", { "data-id": "", text: "— none —" }),
          ...records.map((record) => {
            const label = record[labelField];
            const text = label && typeof label === "object" ? [label.firstName, label.lastName].filter(Boolean).join(" ") : (label || "Untitled");
            return element("li", { "data-id": record.id, text });
          }));
        list.hidden = false;
      } catch (error) {
        showError(cell, error.message);
      }
    }
    input.addEventListener("input", () => { clearTimeout(timer); timer = setTimeout(search, 150); });
    list.addEventListener("mousedown", (event) => {
      const item = event.target.closest("li");
      if (!item) return;
      event.preventDefault();
      chosen = item.dataset.id || null;
      save(cell, { box, field: cell.dataset.field + "Id", read: () => chosen }, item.textContent);
    });
    setTimeout(search, 0);
    return { box, field: cell.dataset.field + "Id", read: () => { if (chosen === undefined) throw new Error("Pick a record from the list"); return chosen; } };
  }

  function showError(cell, message) {
    cell.classList.add("invalid");
    let note = cell.querySelector(".cell-error");
    if (!note) { note = element("span", { class: "cell-error", role: "alert" }); cell.appendChild(note); }
    note.textContent = message;
  }

  function display(cell, value, label) {
    const type = cell.dataset.type;
    if (label !== undefined) return label;
    if (value === null || value === undefined) return "";
    switch (type) {
      case "CURRENCY": return value.amountMicros == null ? "" : (value.currencyCode ? value.currencyCode + " " : "") + (value.amountMicros / 1e6).toLocaleString("en-US", { maximumFractionDigits: 2 });
      case "FULL_NAME": return [value.firstName, value.lastName].filter(Boolean).join(" ");
      case "LINKS": return value.primaryLinkLabel || value.primaryLinkUrl || "";
      case "EMAILS": return value.primaryEmail || "";
      case "PHONES": return [value.primaryPhoneCallingCode, value.primaryPhoneNumber].filter(Boolean).join(" ");
      case "ADDRESS": return [value.addressStreet1, value.addressCity, value.addressCountry].filter(Boolean).join(", ");
      case "BOOLEAN": return value ? "Yes" : "No";
      case "RICH_TEXT_V2": return value.markdown || "";
      case "DATE_TIME": return String(value).slice(0, 16).replace("T", " ");
      case "SELECT": case "MULTI_SELECT": {
        const options = JSON.parse(cell.dataset.options || "[]");
        const labels = (Array.isArray(value) ? value : [value]).map((v) => (options.find((o) => o.value === v) || { label: v }).label);
        return labels.join(", ");
      }
      default: return typeof value === "object" ? JSON.stringify(value) : String(value);
    }
  }

  async function save(cell, editor, label) {
    let value;
    try { value = editor.read(); } catch (error) { showError(cell, error.message); return; }
    const row = cell.closest("[data-id]");
    const object = cell.closest("[data-object]").dataset.object;
    try {
      const result = await api("PATCH", "/rest/" + object + "/" + row.dataset.id, { [editor.field]: value });
      const record = result && result.data ? Object.values(result.data)[0] : null;
      const stored = record && editor.field in record ? record[editor.field] : value;
      finish(cell, editor.field.endsWith("Id") && cell.dataset.type === "RELATION" ? stored : stored, display(cell, stored, label));
    } catch (error) {
      showError(cell, error.message);
    }
  }

  function finish(cell, value, text) {
    cell.classList.remove("editing", "invalid");
    cell.dataset.value = JSON.stringify(value === undefined ? null : value);
    const shown = element("span", { class: "shown" });
    const link = cell.querySelector(".shown a.open");
    if (link) { link.textContent = text || "Untitled"; shown.appendChild(link); } else { shown.textContent = text; }
    cell.replaceChildren(shown);
  }

  function cancel(cell) {
    cell.classList.remove("editing", "invalid");
    cell.replaceChildren(cell._shown);
  }

  function startEditing(cell) {
    if (cell.classList.contains("editing")) return;
    if (cell.dataset.type === "BOOLEAN") {
      const value = currentValue(cell);
      save(cell, { field: cell.dataset.field, read: () => !value });
      return;
    }
    const editor = editorFor(cell);
    cell._shown = cell.querySelector(".shown");
    cell.classList.add("editing");
    cell.replaceChildren(editor.box);
    if (cell.dataset.type !== "RELATION") {
      const ok = element("button", { type: "button", class: "small primary", text: "Save" });
      ok.addEventListener("click", () => save(cell, editor));
      editor.box.appendChild(ok);
    }
    const first = editor.box.querySelector("input, select, textarea");
    if (first) first.focus();
    editor.box.addEventListener("keydown", (event) => {
      if (event.key === "Enter" && !(event.target.tagName === "TEXTAREA" && !event.ctrlKey)) { event.preventDefault(); if (cell.dataset.type !== "RELATION") save(cell, editor); }
      if (event.key === "Escape") { event.preventDefault(); cancel(cell); }
    });
  }

  document.addEventListener("click", (event) => {
    const cell = event.target.closest("td.editable");
    if (!cell || event.target.closest("a, .editor")) return;
    startEditing(cell);
  });
  document.addEventListener("keydown", (event) => {
    if (event.key === "Enter" && event.target.matches && event.target.matches("td.editable")) { event.preventDefault(); startEditing(event.target); }
  });

  // ---------------------------------------------------------------- confirmations

  document.addEventListener("submit", (event) => {
    const form = event.target;
    if (form.dataset.confirm && !window.confirm(form.dataset.confirm)) event.preventDefault();
  });

  // ---------------------------------------------------------------- kanban

  function kanban(board) {
    if (board.dataset.movable !== "true") return;
    let dragged = null;
    board.addEventListener("dragstart", (event) => {
      dragged = event.target.closest(".card-item");
      if (!dragged) return;
      dragged.classList.add("dragging");
      event.dataTransfer.effectAllowed = "move";
      event.dataTransfer.setData("text/plain", dragged.dataset.id);
    });
    board.addEventListener("dragend", () => { if (dragged) dragged.classList.remove("dragging"); });
    board.addEventListener("dragover", (event) => {
      const column = event.target.closest(".kanban-column");
      if (!column) return;
      event.preventDefault();
      board.querySelectorAll(".over").forEach((c) => c.classList.remove("over"));
      column.classList.add("over");
    });
    board.addEventListener("drop", async (event) => {
      const column = event.target.closest(".kanban-column");
      board.querySelectorAll(".over").forEach((c) => c.classList.remove("over"));
      if (!column || !dragged) return;
      event.preventDefault();
      const from = dragged.closest(".kanban-column");
      if (from === column) return;
      const card = dragged;
      const value = column.dataset.value === "" ? null : column.dataset.value;
      column.querySelector("ul").prepend(card);
      const count = (c, delta) => { const node = c.querySelector(".count"); node.textContent = String(Number(node.textContent) + delta); };
      count(from, -1); count(column, 1);
      try {
        await api("PATCH", "/rest/" + board.dataset.object + "/" + card.dataset.id, { [board.dataset.field]: value });
        card.classList.remove("invalid");
      } catch (error) {
        from.querySelector("ul").prepend(card);
        count(from, 1); count(column, -1);
        card.classList.add("invalid");
        window.alert(error.message);
      }
    });
  }

  // ---------------------------------------------------------------- CSV import

  /** The first `count` records of CSV `text` (quotes and doubled quotes understood; `,` or `;` as delimiter). */
  function csvRecords(text, count) {
    const firstLine = text.split(/\r?\n/, 1)[0] || "";
    const delimiter = (firstLine.match(/;/g) || []).length > (firstLine.match(/,/g) || []).length ? ";" : ",";
    const records = [];
    let record = [], field = "", quoted = false;
    for (let i = 0; i < text.length && records.length < count; i++) {
      const c = text[i];
      if (quoted) {
        if (c === '"' && text[i + 1] === '"') { field += '"'; i++; } else if (c === '"') { quoted = false; } else { field += c; }
      } else if (c === '"') { quoted = true; }
      else if (c === delimiter) { record.push(field); field = ""; }
      else if (c === "\n" || c === "\r") {
        if (c === "\r" && text[i + 1] === "\n") i++;
        record.push(field); records.push(record); record = []; field = "";
      } else { field += c; }
    }
    if ((field !== "" || record.length) && records.length < count) { record.push(field); records.push(record); }
    return records;
  }

  function csvImport(section) {
    const object = section.dataset.object;
    const fileInput = document.getElementById("csv-file");
    const mapping = document.getElementById("csv-mapping");
    const dryRun = document.getElementById("csv-dry-run");
    const start = document.getElementById("csv-import-start");
    const progress = document.getElementById("csv-progress");
    const bar = progress.querySelector("div");
    const status = document.getElementById("csv-status");
    const errors = document.getElementById("csv-errors");
    const targets = document.getElementById("csv-targets").innerHTML;
    let file = null;

    fileInput.addEventListener("change", async () => {
      file = fileInput.files[0] || null;
      errors.hidden = true;
      status.textContent = "";
      if (!file) return;
      const head = await file.slice(0, 65536).text();
      const [header, first] = csvRecords(head.replace(/^\uFEFF/, ""), 2);
      const body = mapping.querySelector("tbody");
      body.replaceChildren(...(header || []).map((name, index) => {
        const select = element("select", { "aria-label": "Field for " + name, "data-header": name });
        select.innerHTML = targets;
        return element("tr", {}, [element("td", { text: name }), element("td", { text: first ? first[index] || "" : "" }), element("td", {}, [select])]);
      }));
      mapping.hidden = false;
      dryRun.disabled = false;
      start.disabled = false;
    });

    function chosenMapping() {
      const result = {};
      for (const select of mapping.querySelectorAll("select")) {
        if (select.value === "-") result[select.dataset.header] = null;
        else if (select.value) result[select.dataset.header] = select.value;
      }
      return result;
    }

    function send(dry) {
      return new Promise((resolve, reject) => {
        const form = new FormData();
        form.append("file", file, file.name);
        form.append("dryRun", dry ? "true" : "false");
        form.append("mapping", JSON.stringify(chosenMapping()));
        const request = new XMLHttpRequest();
        request.open("POST", "/rest/" + object + "/import");
        request.setRequestHeader("X-CSRF-Token", csrf());
        request.upload.addEventListener("progress", (event) => {
          if (event.lengthComputable) bar.style.width = Math.round(50 * event.loaded / event.total) + "%";
        });
        request.addEventListener("load", () => {
          let parsed = null;
          try { parsed = JSON.parse(request.responseText); } catch (_) { parsed = null; }
          if (request.status >= 200 && request.status < 300) resolve({ status: request.status, body: parsed, location: request.getResponseHeader("Location") });
          else reject(new Error(parsed && parsed.messages ? parsed.messages[0] : "HTTP " + request.status));
        });
        request.addEventListener("error", () => reject(new Error("The upload failed")));
        request.send(form);
      });
    }

    function report(result, dry) {
      const data = result && result.data ? result.data.import : null;
      if (!data) return;
      const verb = dry ? "would be" : "were";
      status.textContent = `${data.createdCount} created and ${data.updatedCount} updated ${verb}; ${data.failedCount} refused` +
        (data.skippedColumns && data.skippedColumns.length ? `; columns skipped: ${data.skippedColumns.join(", ")}` : "") + ".";
      const body = errors.querySelector("tbody");
      body.replaceChildren(...(data.errors || []).map((e) =>
        element("tr", {}, [element("td", { text: String(e.line || e.row) }), element("td", { text: e.column || "" }), element("td", { text: e.value || "" }), element("td", { text: e.message })])));
      errors.hidden = !(data.errors && data.errors.length);
    }

    async function run(dry) {
      if (!file) return;
      dryRun.disabled = start.disabled = true;
      progress.hidden = false;
      bar.style.width = "0%";
      status.textContent = dry ? "Checking…" : "Importing…";
      try {
        let result = await send(dry);
        if (result.status === 202 && result.location) {
          for (;;) {
            const state = await api("GET", result.location);
            const data = state.data.import;
            bar.style.width = (50 + Math.round(50 * data.rowsDone / Math.max(1, data.rowCount))) + "%";
            status.textContent = `Imported ${data.rowsDone} of ${data.rowCount} rows…`;
            if (data.status !== "QUEUED" && data.status !== "RUNNING") { result = state; break; }
            await new Promise((r) => setTimeout(r, 1000));
          }
          report(result, dry);
        } else {
          report(result.body, dry);
        }
        bar.style.width = "100%";
      } catch (error) {
        status.textContent = error.message;
      } finally {
        dryRun.disabled = start.disabled = false;
      }
    }
    dryRun.addEventListener("click", () => run(true));
    start.addEventListener("click", () => run(false));
  }

  // ---------------------------------------------------------------- start

  document.addEventListener("DOMContentLoaded", () => {
    const board = document.getElementById("kanban");
    if (board) kanban(board);
    const importer = document.getElementById("csv-import");
    if (importer) csvImport(importer);
  });
})();
