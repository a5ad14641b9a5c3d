// The plain chat page: renders the REST reply contract (docs/reply-contract.md).
// All message data goes through textContent; nothing is stored beyond this tab.
"use strict";

const ENDPOINT = "/webhooks/rest/webhook";
const log = document.getElementById("log");
const form = document.getElementById("composer");
const input = document.getElementById("message");

function senderId() {
  // 128 random bits: the server refuses guessable ids.
  let id = sessionStorage.getItem("kalasag-sender");
  if (!id) {
    const bytes = crypto.getRandomValues(new Uint8Array(16));
    id = "web-" + Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
    sessionStorage.setItem("kalasag-sender", id);
  }
  return id;
}

function link(href, text, external) {
  const a = document.createElement("a");
  a.href = href;
  a.textContent = text;
  if (external) {
    a.target = "_blank";
    a.rel = "noopener noreferrer";
  }
  return a;
}

function add(tag, className, text) {
  const el = document.createElement(tag);
  el.className = className;
  if (text !== undefined) el.textContent = text;
  log.appendChild(el);
  el.scrollIntoView({ block: "end" });
  return el;
}

function renderButtons(buttons) {
  const row = add("div", "buttons");
  for (const b of buttons) {
    const button = document.createElement("button");
    button.type = "button";
    button.textContent = b.title;
    button.addEventListener("click", () => send(b.payload, b.title));
    row.appendChild(button);
  }
}

function renderSources(item) {
  const box = add("div", "sources");
  box.appendChild(document.createTextNode("Sources (reviewed " + item.reviewed_on + "):"));
  const list = document.createElement("ul");
  for (const s of item.sources || []) {
    const li = document.createElement("li");
    li.appendChild(link(s.url, s.publisher + ": " + s.title, true));
    list.appendChild(li);
  }
  for (const l of item.links || []) {
    const li = document.createElement("li");
    li.appendChild(link(l.path, l.title, true));
    list.appendChild(li);
  }
  box.appendChild(list);
}

function renderHotlines(item) {
  // The text above lists them; here each becomes something a phone can act on.
  const box = add("div", "hotlines");
  for (const e of item.entries || []) {
    if (e.phone) box.appendChild(link("tel:" + e.phone, e.name + ": " + (e.phone_display || e.phone)));
    else if (e.url || e.chat) box.appendChild(link(e.url || e.chat, e.name, true));
  }
}

function renderCrisis(item) {
  const banner = add("div", "crisis");
  banner.setAttribute("role", "alert");
  if (item.emergency_number) {
    banner.appendChild(link("tel:" + item.emergency_number, "Call " + item.emergency_number + " now"));
  } else {
    banner.textContent = "In danger? Call your local emergency number now.";
  }
}

function render(messages) {
  for (const m of messages) {
    if (m.text) add("div", "msg msg--bot", m.text);
    if (m.buttons && m.buttons.length) renderButtons(m.buttons);
    const item = m.custom;
    if (item && item.kind === "answer") renderSources(item);
    if (item && item.kind === "hotlines") renderHotlines(item);
    if (item && item.kind === "crisis") renderCrisis(item);
    // The server deleted the conversation: the next message starts a new one.
    if (item && item.kind === "forgotten") sessionStorage.removeItem("kalasag-sender");
    // Other kinds (fallback) carry their words in `text`.
  }
}

async function send(message, shown) {
  if (shown) add("div", "msg msg--user", shown);
  try {
    const response = await fetch(ENDPOINT, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ sender: senderId(), message, metadata: { channel: "web" } }),
    });
    if (!response.ok) throw new Error("HTTP " + response.status);
    render(await response.json());
  } catch (err) {
    add("div", "msg msg--error",
      "Sorry, I couldn't reach the bot just now. Please try again. " +
      "If you are in danger, call your local emergency number.");
  }
}

form.addEventListener("submit", (event) => {
  event.preventDefault();
  const text = input.value.trim();
  if (!text) return;
  input.value = "";
  send(text, text);
});

send("hello");
