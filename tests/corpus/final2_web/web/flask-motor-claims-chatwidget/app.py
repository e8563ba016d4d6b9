"""Northfield Motor Insurance's claims help page with its chat widget, as a Flask application.

Written like an insurer's help page carrying a vendor chat widget: an icon-only launcher ("Chat with
us"), a transcript in a role="log", quick-reply buttons replaced by each new answer, a message box with
only a placeholder and an icon-only send button. Every answer is fetched from /api/chat and added about
900 ms after a "Rowan is typing…" indicator. The bot ("Rowan") finds a claim by its number and, once the
car is with the approved repairer, tells the customer to phone the repairer; a message it does not
understand brings back the menu; "Something else" queues the customer for the claims team, whose agent
starts by asking for the claim number again.
"""

import re

from flask import Flask, jsonify, request

MENU = ["Make a new claim", "Check on a claim", "Windscreen or glass", "Something else"]
CLAIMS = {"NF4471903": {"car": "Vauxhall Corsa, YR68 KTP", "repairer": "Kestrel Body Works in Leeds",
                        "phone": "0113 496 0702"}}

PAGE = """<!doctype html>
<html lang="en-GB">
<head>
<meta charset="utf-8">
<title>Claims help | Northfield Motor Insurance</title>
<style>
  @font-face { font-family: "nf-icons"; src: url("/static/nf-icons.woff2") format("woff2"); }
  .nfi { font-family: "nf-icons"; font-style: normal; }
  body { margin: 0; font-family: "Open Sans", Arial, sans-serif; color: #1d1d1b; background: #fff; }
  .top { background: #003b5c; color: #fff; padding: 16px 36px; font-size: 20px; }
  .body { max-width: 820px; margin: 26px auto; padding: 0 24px; }
  .tiles a { display: block; margin: 8px 0; color: #005e8a; }
  .aside { background: #eef5f9; padding: 12px 18px; border-radius: 6px; margin-top: 20px; }
  #launcher { position: fixed; right: 26px; bottom: 26px; width: 58px; height: 58px; border-radius: 50%; border: 0;
              background: #e4002b; color: #fff; font-size: 24px; cursor: pointer; }
  #widget { position: fixed; right: 26px; bottom: 96px; width: 360px; background: #fff; border: 1px solid #c5ced6;
            border-radius: 10px; box-shadow: 0 6px 24px rgba(0,0,0,.18); display: none; }
  #widget.open { display: block; }
  #widget header { background: #003b5c; color: #fff; padding: 10px 14px; border-radius: 10px 10px 0 0;
                   display: flex; justify-content: space-between; }
  #widget header button { background: none; border: 0; color: #fff; cursor: pointer; }
  #log { height: 300px; overflow-y: auto; padding: 10px 14px; font-size: 14px; }
  #log .bot { background: #eef2f5; border-radius: 8px; padding: 7px 10px; margin: 6px 30px 6px 0; }
  #log .me { background: #003b5c; color: #fff; border-radius: 8px; padding: 7px 10px; margin: 6px 0 6px 30px; }
  #typing { font-size: 12px; color: #667; padding: 0 14px; min-height: 16px; }
  #chips { padding: 4px 10px; }
  #chips button { margin: 3px; border: 1px solid #005e8a; color: #005e8a; background: #fff; border-radius: 14px;
                  padding: 5px 10px; cursor: pointer; }
  #compose { display: flex; border-top: 1px solid #dde3e8; }
  #compose input { flex: 1; border: 0; padding: 12px; font-size: 14px; }
  #compose button { border: 0; background: none; color: #003b5c; font-size: 18px; padding: 0 14px; cursor: pointer; }
</style>
</head>
<body>
<div class="top">Northfield Motor Insurance</div>
<main class="body">
  <h1>Claims help</h1>
  <p>Had an accident or damage to your car? Here's what happens next.</p>
  <div class="tiles">
    <a href="/claims/help/after-a-claim">What happens after I make a claim?</a>
    <a href="/claims/help/glass">Windscreen and glass claims</a>
    <a href="/claims/help/excess">Paying your excess</a>
  </div>
  <div class="aside"><strong>Courtesy cars.</strong> If your policy includes one, our approved repairer arranges it
    when your car goes in for repair.</div>
</main>

<button id="launcher" type="button" aria-label="Chat with us"><i class="nfi" aria-hidden="true">\ue0b7</i></button>
<section id="widget" aria-label="Chat">
  <header><span>Northfield Claims</span>
    <button type="button" aria-label="Close chat" onclick="document.getElementById('widget').classList.remove('open')"><i class="nfi" aria-hidden="true">\ue5cd</i></button></header>
  <div id="log" role="log" aria-live="polite"></div>
  <div id="typing"></div>
  <div id="chips"></div>
  <form id="compose" autocomplete="off">
    <input id="msg" type="text" placeholder="Type your message">
    <button type="submit" aria-label="Send message"><i class="nfi" aria-hidden="true">\ue163</i></button>
  </form>
</section>

<script>
(function () {
  var conversation = "c" + Date.now().toString(36) + Math.random().toString(36).slice(2, 8);
  var log = document.getElementById("log"), chips = document.getElementById("chips");
  var typing = document.getElementById("typing"), started = false;

  function add(cls, text) {
    var p = document.createElement("p"); p.className = cls; p.textContent = text;
    log.appendChild(p); log.scrollTop = log.scrollHeight;
  }
  function send(text, shown) {
    if (shown) add("me", shown);
    chips.innerHTML = "";
    typing.textContent = "Rowan is typing\u2026";
    fetch("/api/chat", {method: "POST", headers: {"Content-Type": "application/json"},
                        body: JSON.stringify({conversation: conversation, text: text})})
      .then(function (r) { return r.json(); })
      .then(function (data) {
        setTimeout(function () {
          typing.textContent = "";
          data.messages.forEach(function (m) { add("bot", m); });
          (data.quick_replies || []).forEach(function (title) {
            var b = document.createElement("button"); b.type = "button"; b.textContent = title;
            b.addEventListener("click", function () { send(title, title); });
            chips.appendChild(b);
          });
        }, 900);
      });
  }
  document.getElementById("launcher").addEventListener("click", function () {
    document.getElementById("widget").classList.add("open");
    if (!started) { started = true; send("__start__", null); }
  });
  document.getElementById("compose").addEventListener("submit", function (ev) {
    ev.preventDefault();
    var box = document.getElementById("msg"), text = box.value.trim();
    if (!text) return;
    box.value = "";
    send(text, text);
  });
})();
</script>
</body>
</html>"""


class Rowan:
    def __init__(self):
        self.state: dict[str, dict] = {}

    def answer(self, conversation: str, text: str) -> tuple[list[str], list[str]]:
        c = self.state.setdefault(conversation, {"at": "new"})
        t = (text or "").strip()
        at = c["at"]
        if t == "__start__" or at == "new":
            c["at"] = "menu"
            return (["Hi, I'm Rowan, Northfield's virtual claims assistant.", "What can I help you with today?"], MENU)
        if at == "queued":
            c["at"] = "agent"
            return (["Dee from the Claims team has joined the chat.",
                     "Hi, I'm Dee. So I can find your claim, could you give me your claim number and your car's "
                     "registration, please?"], [])
        if at == "agent":
            if re.search(r"NF-?\d{7}", t, re.I):
                c["at"] = "done"
                return (["Thank you. I've asked Kestrel Body Works to e-mail you an update today at the address on "
                         "your policy, and I've added a note to your claim that you can't take phone calls.",
                         "Is there anything else I can help with?"], [])
            return (["Sorry, I need your claim number to find your claim."], [])
        if at == "done":
            return (["Thanks for chatting with Northfield. Take care."], [])
        if t == "Check on a claim":
            c["at"] = "ask_claim"
            return (["No problem. What's your claim number? You'll find it in your claim e-mail; it starts with NF."], [])
        if t == "Something else":
            c["at"] = "queued"
            return (["I'll pass you to a member of our Claims team.",
                     "You're number 5 in the queue and the current wait is about 25 minutes. Please keep this "
                     "window open."], [])
        if at == "ask_claim":
            m = re.search(r"NF-?(\d{7})", t, re.I)
            claim = CLAIMS.get("NF" + m.group(1)) if m else None
            if claim:
                c["at"] = "menu"
                return ([f"Thanks. Claim NF-{m.group(1)} ({claim['car']}): your car is with our approved repairer, "
                         f"{claim['repairer']}.",
                         "Once a car is with a repairer, they manage the repair and your courtesy car. For an update, "
                         f"please call Kestrel Body Works on {claim['phone']}.",
                         "Is there anything else I can help with?"], MENU)
            return (["I couldn't find that claim. Claim numbers look like NF-1234567."], [])
        if t in MENU:
            return (["You can do that in the Claims section of your online account."], MENU)
        return (["Sorry, I didn't quite catch that. Please choose one of the options below."], MENU)


def make_app():
    app = Flask(__name__)
    bot = Rowan()

    @app.get("/claims/help/")
    def help_page():
        return PAGE

    @app.post("/api/chat")
    def chat():
        data = request.get_json(silent=True) or {}
        messages, replies = bot.answer(str(data.get("conversation", "")), str(data.get("text", "")))
        return jsonify({"messages": messages, "quick_replies": replies})

    @app.get("/claims/help/<slug>")
    def article(slug):
        return "<!doctype html><title>Claims help</title><h1>Claims help</h1><p>This article is being updated.</p>"

    return app
