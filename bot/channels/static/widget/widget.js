// Kalasag's school widget: one script tag, no dependencies, no third parties.
//   <script src="https://bot.example.org/widget.js" data-country="PH" data-language="fil"
//           data-audience="teen" data-school="…" data-safeguarding-contact="…"></script>
// It renders the REST reply contract (docs/reply-contract.md) inside a shadow root.
// Message data only ever goes through textContent. The conversation and its random id
// live in sessionStorage, so nothing survives the tab; no cookies, no localStorage.
// Quick exit (the button, or Esc three times) wipes both and leaves for a neutral page.
(() => {
  "use strict";

  const CSS = `
    :host { all: initial; }
    * { box-sizing: border-box; font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; }
    .sr-only { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }
    .wrap { font-size: 16px; line-height: 1.45; color: #1a1a1a; }
    .floating { position: fixed; bottom: 16px; z-index: 2147483000; }
    .floating.right { right: 16px; } .floating.left { left: 16px; }
    .launcher, .composer button, .buttons button { background: var(--k-accent); color: #fff; border: 0;
      border-radius: 8px; padding: 10px 14px; font-size: 16px; cursor: pointer; }
    .launcher { box-shadow: 0 2px 8px rgba(0,0,0,.3); }
    button:focus-visible, input:focus-visible, a:focus-visible, .log:focus-visible {
      outline: 3px solid #1a1a1a; outline-offset: 2px; }
    .panel { display: none; flex-direction: column; background: #fff; border: 1px solid #6b6b6b;
      border-radius: 12px; overflow: hidden; width: min(380px, calc(100vw - 32px));
      height: min(560px, calc(100vh - 96px)); }
    .floating .panel { margin-bottom: 8px; box-shadow: 0 4px 16px rgba(0,0,0,.25); }
    .inline .panel { width: 100%; height: 520px; }
    .open .panel { display: flex; }
    .floating.open { display: flex; flex-direction: column-reverse; align-items: flex-end; }
    .floating.left.open { align-items: flex-start; }
    .header { display: flex; align-items: center; gap: 8px; padding: 8px 10px; background: #f2f2f2;
      border-bottom: 1px solid #6b6b6b; }
    .titles { flex: 1; } h2 { margin: 0; font-size: 16px; }
    .school { margin: 0; font-size: 13px; color: #3d3d3d; }
    .outside { margin-left: 8px; } .open .outside { display: none; }
    .exit { background: #b00020; color: #fff; border: 0; border-radius: 8px; padding: 8px 10px;
      font-size: 15px; font-weight: 700; cursor: pointer; }
    .close { background: transparent; border: 0; font-size: 24px; line-height: 1; padding: 4px 8px;
      cursor: pointer; color: #1a1a1a; }
    .banner:empty { display: none; }
    .crisis { background: #b00020; color: #fff; padding: 10px 12px; font-weight: 700; }
    .crisis a { color: #fff; font-size: 18px; }
    .crisis p { margin: 6px 0 0; font-weight: 400; }
    .log { flex: 1; overflow-y: auto; padding: 10px; display: flex; flex-direction: column; gap: 8px; }
    .msg { padding: 8px 10px; border-radius: 10px; max-width: 90%; white-space: pre-wrap; overflow-wrap: anywhere; }
    .msg.bot { background: #eef1f5; align-self: flex-start; }
    .msg.user { background: var(--k-accent); color: #fff; align-self: flex-end; }
    .msg.error { background: #fdecea; color: #5f1212; }
    .buttons { display: flex; flex-wrap: wrap; gap: 6px; margin-top: 6px; }
    .buttons button { padding: 8px 10px; font-size: 15px; }
    .sources { font-size: 14px; color: #3d3d3d; margin-top: 4px; }
    .sources ul { margin: 4px 0 0; padding-left: 18px; }
    a { color: #0b4f94; }
    .hotlines { display: flex; flex-direction: column; gap: 6px; margin-top: 6px; }
    .card { display: flex; flex-wrap: wrap; gap: 4px 10px; padding: 8px; border: 1px solid #6b6b6b; border-radius: 8px; }
    .card strong { width: 100%; }
    .composer { display: flex; gap: 6px; padding: 8px; border-top: 1px solid #6b6b6b; }
    .composer input { flex: 1; min-width: 0; font-size: 16px; padding: 8px; border: 1px solid #6b6b6b; border-radius: 8px; }
  `;
  const script = document.currentScript;
  if (!script) return;
  const d = script.dataset;
  const origin = new URL(script.src).origin;
  const ENDPOINT = origin + "/webhooks/rest/webhook";
  const KEY = "kalasag-widget";
  const LANG = d.language === "fil" ? "fil" : "en";
  const T = {
    en: {
      open: "Online safety help", close: "Close chat", exit: "Quick exit",
      exitHint: "Leave this page now (or press Esc three times)",
      title: "Kalasag: online safety help", message: "Your message", send: "Send",
      placeholder: "Ask a question", sources: "Sources (reviewed {date}):",
      call: "Call {number} now", danger: "In danger? Call your local emergency number now.",
      contact: "At school you can also talk to: {contact}",
      error: "Sorry, I couldn't reach the bot just now. Please try again. If you are in danger, call your local emergency number.",
      log: "Conversation", you: "You", bot: "Kalasag",
    },
    fil: {
      open: "Tulong sa online safety", close: "Isara ang chat", exit: "Mabilis na exit",
      exitHint: "Umalis agad sa page na ito (o pindutin ang Esc nang tatlong beses)",
      title: "Kalasag: tulong sa online safety", message: "Ang mensahe mo", send: "Ipadala",
      placeholder: "Magtanong", sources: "Pinagkunan (na-review noong {date}):",
      call: "Tumawag sa {number} ngayon",
      danger: "Nasa panganib? Tumawag agad sa emergency number ninyo.",
      contact: "Sa school, puwede mo ring kausapin si: {contact}",
      error: "Pasensya na, hindi ko maabot ang bot ngayon. Pakisubukan ulit. Kung nasa panganib ka, tumawag sa emergency number ninyo.",
      log: "Usapan", you: "Ikaw", bot: "Kalasag",
    },
  }[LANG];
  const say = (key, params = {}) => T[key].replace(/\{(\w+)\}/g, (_, k) => params[k] ?? "");
  const inline = d.mode === "inline";
  const exitUrl = /^https:\/\//.test(d.exitUrl || "") ? d.exitUrl : "https://www.google.com/";
  const accent = /^#[0-9a-f]{6}$/i.test(d.accent || "") ? d.accent : "#0b5cad";

  // -- state: only in this tab ----------------------------------------------------
  function load() {
    try {
      const saved = JSON.parse(sessionStorage.getItem(KEY) || "null");
      if (saved && typeof saved.sender === "string" && Array.isArray(saved.log)) return saved;
    } catch (_) { /* a damaged entry starts afresh */ }
    const bytes = crypto.getRandomValues(new Uint8Array(16));
    const sender = "web-" + Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
    return { sender, log: [] };
  }
  let state = load();
  const save = () => sessionStorage.setItem(KEY, JSON.stringify(state));

  // -- the DOM, in a shadow root so the school's styles and ours don't mix ---------
  const host = document.createElement("div");
  host.className = "kalasag-widget";
  host.style.setProperty("--k-accent", accent);
  if (inline) script.insertAdjacentElement("afterend", host);
  else document.body.appendChild(host);
  const root = host.attachShadow({ mode: "open" });
  const sheet = new CSSStyleSheet();
  sheet.replaceSync(CSS);
  root.adoptedStyleSheets = [sheet];

  const el = (tag, attrs = {}, text) => {
    const node = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, v);
    if (text !== undefined) node.textContent = text;
    return node;
  };
  const position = d.position === "left" ? "left" : "right";
  const wrap = el("div", { class: `wrap ${inline ? "inline" : "floating " + position}` });
  const launcher = el("button", { type: "button", class: "launcher", "aria-expanded": "false",
    "aria-controls": "kalasag-panel" }, say("open"));
  const panel = el("section", { id: "kalasag-panel", class: "panel", role: "dialog",
    "aria-label": say("title") });
  const header = el("div", { class: "header" });
  const title = el("h2", {}, say("title"));
  const exit = el("button", { type: "button", class: "exit", title: say("exitHint") }, say("exit"));
  // Quick exit stays on screen while the chat is closed too: leaving must never take two steps.
  const exitClosed = el("button", { type: "button", class: "exit outside", title: say("exitHint") }, say("exit"));
  const close = el("button", { type: "button", class: "close", "aria-label": say("close") }, "×");
  const banner = el("div", { class: "banner" });
  const log = el("div", { class: "log", role: "log", "aria-live": "polite", "aria-label": say("log"),
    tabindex: "0" });
  const form = el("form", { class: "composer", autocomplete: "off" });
  const label = el("label", { for: "kalasag-input", class: "sr-only" }, say("message"));
  const input = el("input", { id: "kalasag-input", type: "text", maxlength: "2000",
    placeholder: say("placeholder"), required: "" });
  const send = el("button", { type: "submit" }, say("send"));
  const titles = el("div", { class: "titles" });
  titles.append(title);
  if (d.school) titles.append(el("p", { class: "school" }, d.school));
  header.append(titles, exit);
  if (!inline) header.append(close);
  form.append(label, input, send);
  panel.append(header, banner, log, form);
  if (!inline) wrap.append(launcher, exitClosed);
  wrap.append(panel);
  root.append(wrap);

  // -- rendering the reply contract ----------------------------------------------
  function link(href, text, external) {
    const a = el("a", { href }, text);
    if (external) {
      a.target = "_blank";
      a.rel = "noopener noreferrer";
    }
    return a;
  }
  const safeUrl = (url) => /^https:\/\//.test(url || "");
  const tel = (number) => "tel:" + String(number).replace(/[^0-9+]/g, "");

  function renderButtons(buttons) {
    const row = el("div", { class: "buttons" });
    for (const b of buttons) {
      const button = el("button", { type: "button" }, b.title);
      button.addEventListener("click", () => ask(b.payload, b.title));
      row.append(button);
    }
    return row;
  }
  function renderSources(item) {
    const box = el("div", { class: "sources" }, say("sources", { date: item.reviewed_on || "" }));
    const list = el("ul");
    for (const s of item.sources || []) {
      if (!safeUrl(s.url)) continue;
      const li = el("li");
      li.append(link(s.url, `${s.publisher}: ${s.title}`, true));
      list.append(li);
    }
    box.append(list);
    return box;
  }
  function renderHotlines(item) {
    const box = el("div", { class: "hotlines" });
    for (const e of item.entries || []) {
      const card = el("div", { class: "card" });
      card.append(el("strong", {}, e.name));
      if (e.phone) card.append(link(tel(e.phone), e.phone_display || e.phone));
      if (e.sms) card.append(link("sms:" + String(e.sms).replace(/[^0-9+]/g, ""), e.sms));
      if (safeUrl(e.url)) card.append(link(e.url, e.url.replace(/^https:\/\//, ""), true));
      if (e.hours) card.append(el("span", {}, e.hours));
      box.append(card);
    }
    return box;
  }
  function renderCrisis(item) {
    const banner = el("div", { class: "crisis", role: "alert" });
    if (item.emergency_number) banner.append(link(tel(item.emergency_number), say("call", { number: item.emergency_number })));
    else banner.append(el("span", {}, say("danger")));
    if (d.safeguardingContact) banner.append(el("p", {}, say("contact", { contact: d.safeguardingContact })));
    return banner;
  }

  // Each entry of the log is one of: {who: "user"|"bot", text}, {reply: message}.
  function draw(entry) {
    let node;
    if (entry.who) {
      node = el("div", { class: `msg ${entry.who}` });
      node.append(el("span", { class: "sr-only" }, say(entry.who === "user" ? "you" : "bot") + ": "));
      node.append(document.createTextNode(entry.text));
    } else if (entry.error) {
      node = el("div", { class: "msg error" }, say("error"));
    } else {
      const m = entry.reply;
      node = el("div", { class: "reply" });
      const item = m.custom && typeof m.custom === "object" ? m.custom : null;
      if (item && item.kind === "crisis") { // a banner above the conversation, not in it
        banner.replaceChildren(renderCrisis(item));
        return;
      }
      if (typeof m.text === "string") node.append(el("div", { class: "msg bot" }, m.text));
      if (Array.isArray(m.buttons) && m.buttons.length) node.append(renderButtons(m.buttons));
      if (item && item.kind === "answer") node.append(renderSources(item));
      if (item && item.kind === "hotlines") node.append(renderHotlines(item));
      if (!node.childNodes.length) return; // an item for programs only (fallback): nothing to show
    }
    log.append(node);
    node.scrollIntoView({ block: "end" });
  }
  function record(entry) {
    state.log.push(entry);
    save();
    draw(entry);
  }

  async function ask(message, shown) {
    if (shown) record({ who: "user", text: shown });
    const metadata = { channel: "web" };
    for (const key of ["country", "language", "audience"]) if (d[key]) metadata[key] = d[key];
    try {
      const response = await fetch(ENDPOINT, {
        method: "POST", mode: "cors", credentials: "omit", referrerPolicy: "no-referrer",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ sender: state.sender, message, metadata }),
      });
      if (!response.ok) throw new Error("HTTP " + response.status);
      const replies = await response.json();
      for (const m of Array.isArray(replies) ? replies : []) {
        if (m.custom && m.custom.kind === "forgotten") { // the server forgot: so do we
          sessionStorage.removeItem(KEY);
          state = load();
          log.replaceChildren();
          banner.replaceChildren();
          continue;
        }
        record({ reply: m });
      }
    } catch (_) {
      record({ error: true });
    }
  }

  // -- opening, closing and leaving ------------------------------------------------
  function open() {
    wrap.classList.add("open");
    launcher.setAttribute("aria-expanded", "true");
    if (!state.log.length) ask("hello");
    input.focus();
  }
  function shut() {
    wrap.classList.remove("open");
    launcher.setAttribute("aria-expanded", "false");
    launcher.focus();
  }
  function quickExit() {
    sessionStorage.removeItem(KEY);
    state = { sender: "", log: [] };
    log.replaceChildren();
    banner.replaceChildren();
    location.replace(exitUrl); // replace: Back does not return here
  }
  launcher.addEventListener("click", () => (wrap.classList.contains("open") ? shut() : open()));
  close.addEventListener("click", shut);
  exit.addEventListener("click", quickExit);
  exitClosed.addEventListener("click", quickExit);
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const text = input.value.trim();
    if (!text) return;
    input.value = "";
    ask(text, text);
  });
  let escapes = [];
  document.addEventListener("keydown", (event) => {
    if (event.key !== "Escape") return;
    const now = Date.now();
    escapes = escapes.filter((t) => now - t < 1500).concat(now);
    if (escapes.length >= 3) quickExit();
    else if (!inline && wrap.classList.contains("open") && escapes.length === 1) shut();
  }, true);

  for (const entry of state.log) draw(entry);
  if (inline) {
    wrap.classList.add("open");
    if (!state.log.length) ask("hello");
  }
})();
