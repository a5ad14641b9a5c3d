// The plain chat page: renders the REST reply contract (docs/reply-contract.md).
// All message data goes through textContent; nothing is stored beyond this tab.
"use strict";

const ENDPOINT = "/webhooks/rest/webhook";
const log = document.getElementById("log");
const form = document.getElementById("composer");
const input = document.getElementById("message");

function senderId() {
  let id = sessionStorage.getItem("kalasag-sender");
  if (!id) {
    id = "web-" + crypto.randomUUID();
    sessionStorage.setItem("kalasag-sender", id);
  }
  return id;
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
    const a = document.createElement("a");
    a.href = s.url;
    a.target = "_blank";
    a.rel = "noopener noreferrer";
    a.textContent = s.publisher + ": " + s.title;
    li.appendChild(a);
    list.appendChild(li);
  }
  box.appendChild(list);
}

function render(messages) {
  for (const m of messages) {
    if (m.text) add("div", "msg msg--bot", m.text);
    if (m.buttons && m.buttons.length) renderButtons(m.buttons);
    const item = m.custom;
    if (item && item.kind === "answer") renderSources(item);
    // Other kinds (fallback, hotlines, crisis) carry their words in `text`.
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

send("/greet");
