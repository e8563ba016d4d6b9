"""Lumen Bank help page with a chat widget, as a Flask app.

Written like a bank's help centre with a vendor chat widget bolted on: a launcher button ("Chat with
us" plus a glyph), a panel whose log is role="log" aria-live="polite", an input with only a placeholder
("Type your message…"), and an icon-only send button named by aria-label="Send". The widget posts each
message to /chat/api/message and shows "Penny is typing…" before adding each reply, 900 ms apart, with
JavaScript. Quick replies are buttons in the log. The bot keeps its state per widget session.
"""

import re
from itertools import count

from flask import Flask, jsonify, request
from markupsafe import escape

CUSTOMERS = {"4417": "14/03/1985"}   # card last 4 -> date of birth

PAGE = """<!DOCTYPE html>
<html lang="en-GB">
<head>
<meta charset="utf-8">
<title>Help &amp; support | Lumen Bank</title>
<style>
 body { margin:0; font-family: "Source Sans Pro", Arial, sans-serif; color:#14213d; background:#fff; }
 .top { background:#14213d; color:#fff; padding:16px 44px; display:flex; justify-content:space-between; }
 .top a { color:#fff; text-decoration:none; margin-left:20px; }
 .logo { font-weight:700; font-size:22px; letter-spacing:1px; }
 main { max-width:900px; margin:30px auto; padding:0 20px; min-height:520px; }
 .faq h3 { margin:18px 0 4px; }
 .mi { font-family:"Material Icons"; font-style:normal; }
 #lw-launcher { position:fixed; right:24px; bottom:24px; background:#fca311; color:#14213d; border:0; border-radius:28px;
                padding:14px 22px; font-size:16px; font-weight:700; cursor:pointer; box-shadow:0 2px 10px rgba(0,0,0,.25); }
 #lw-panel { position:fixed; right:24px; bottom:90px; width:360px; height:500px; background:#fff; border-radius:12px;
             box-shadow:0 4px 24px rgba(0,0,0,.25); display:flex; flex-direction:column; }
 #lw-panel[hidden] { display:none; }
 #lw-head { background:#14213d; color:#fff; padding:12px 16px; border-radius:12px 12px 0 0; display:flex; justify-content:space-between; }
 #lw-head button { background:none; border:0; color:#fff; font-size:18px; cursor:pointer; }
 #lw-log { flex:1; overflow-y:auto; padding:12px; font-size:15px; }
 .lw-bot, .lw-user { margin:8px 0; padding:9px 12px; border-radius:10px; max-width:80%; }
 .lw-bot { background:#eef1f6; }
 .lw-user { background:#fca311; margin-left:auto; }
 .lw-quick button { margin:4px 4px 0 0; border:1px solid #14213d; background:#fff; border-radius:16px; padding:6px 12px; cursor:pointer; }
 .lw-typing { color:#666; font-style:italic; font-size:13px; }
 #lw-form { display:flex; border-top:1px solid #ddd; }
 #lw-input { flex:1; border:0; padding:14px; font-size:15px; }
 #lw-send { border:0; background:none; font-size:22px; padding:0 14px; cursor:pointer; color:#14213d; }
 footer { background:#f1f3f7; padding:26px 44px; font-size:13px; }
 footer a { color:#14213d; margin-right:14px; }
</style>
</head>
<body>
<div class="top">
  <span class="logo">LUMEN BANK</span>
  <nav><a href="/personal/">Personal</a><a href="/business/">Business</a><a href="/help/">Help</a><a href="/login/">Log in</a></nav>
</div>
<main>
  <h1>Help &amp; support</h1>
  <p>Search our help topics or chat with Penny, our digital assistant, any time.</p>
  <section class="faq">
    <h2>Popular topics</h2>
    <h3><a href="/help/lost-card">Lost or stolen cards</a></h3>
    <p>Freeze your card instantly in the app, then order a replacement.</p>
    <h3><a href="/help/sending-money-abroad">Sending money abroad</a></h3>
    <p>International payments, fees and cut-off times.</p>
    <h3><a href="/help/fraud">Fraud and scams</a></h3>
    <p>If you think you've been the victim of fraud, tell us straight away.</p>
  </section>
</main>
<footer>
  <a href="/accessibility/">Accessibility</a><a href="/privacy/">Privacy</a><a href="/cookies/">Cookies</a>
  <p>Lumen Bank plc is authorised by the Prudential Regulation Authority. Financial Services Register 998877.</p>
</footer>

<button id="lw-launcher" type="button" aria-controls="lw-panel" aria-expanded="false"><i class="mi">\ue0b7</i> Chat with us</button>
<section id="lw-panel" hidden aria-label="Chat with Penny">
  <div id="lw-head"><span>Penny · Lumen Bank</span><button type="button" id="lw-close" aria-label="Minimise chat"><i class="mi">\ue15b</i></button></div>
  <div id="lw-log" role="log" aria-live="polite"></div>
  <form id="lw-form" autocomplete="off">
    <input id="lw-input" type="text" placeholder="Type your message…">
    <button id="lw-send" type="submit" aria-label="Send"><i class="mi">\ue163</i></button>
  </form>
</section>
<script>
(function () {
  var launcher = document.getElementById('lw-launcher'), panel = document.getElementById('lw-panel');
  var log = document.getElementById('lw-log'), form = document.getElementById('lw-form'), input = document.getElementById('lw-input');
  var session = sessionStorage.getItem('lw-session'), started = false, queue = Promise.resolve();

  function bubble(cls, text) {
    var div = document.createElement('div'); div.className = cls; div.textContent = text; log.appendChild(div);
    log.scrollTop = log.scrollHeight; return div;
  }
  function delay(ms) { return new Promise(function (r) { setTimeout(r, ms); }); }
  function showReplies(replies) {
    replies.forEach(function (reply) {
      queue = queue.then(function () {
        var typing = bubble('lw-typing', 'Penny is typing…');
        return delay(900).then(function () {
          typing.remove();
          bubble('lw-bot', reply.text);
          if (reply.buttons && reply.buttons.length) {
            var row = document.createElement('div'); row.className = 'lw-quick';
            reply.buttons.forEach(function (b) {
              var btn = document.createElement('button'); btn.type = 'button'; btn.textContent = b.title;
              btn.addEventListener('click', function () { row.remove(); send(b.title, b.payload); });
              row.appendChild(btn);
            });
            log.appendChild(row);
          }
        });
      });
    });
  }
  function post(body) {
    return fetch('/chat/api/message', {method: 'POST', headers: {'Content-Type': 'application/json'},
                                       body: JSON.stringify(body)}).then(function (r) { return r.json(); });
  }
  function ensureSession() {
    if (session) return Promise.resolve(session);
    return fetch('/chat/api/session', {method: 'POST'}).then(function (r) { return r.json(); }).then(function (d) {
      session = d.session; sessionStorage.setItem('lw-session', session); return session;
    });
  }
  function send(text, payload) {
    bubble('lw-user', text);
    ensureSession().then(function (s) { return post({session: s, text: payload || text}); })
                   .then(function (d) { showReplies(d.replies); });
  }
  launcher.addEventListener('click', function () {
    panel.hidden = false; launcher.setAttribute('aria-expanded', 'true'); input.focus();
    if (!started) {
      started = true;
      ensureSession().then(function (s) { return post({session: s, event: 'start'}); })
                     .then(function (d) { showReplies(d.replies); });
    }
  });
  document.getElementById('lw-close').addEventListener('click', function () {
    panel.hidden = true; launcher.setAttribute('aria-expanded', 'false');
  });
  form.addEventListener('submit', function (e) {
    e.preventDefault();
    var text = input.value.trim(); if (!text) return;
    input.value = ''; send(text);
  });
})();
</script>
</body>
</html>"""

MENU = [{"title": "Lost or stolen card", "payload": "/lost_card"},
        {"title": "Make a payment", "payload": "/payment"},
        {"title": "Update my details", "payload": "/update_details"},
        {"title": "Something else", "payload": "/other"}]


def reply(text, buttons=None):
    return {"text": text, "buttons": buttons or []}


class Penny:
    """The widget's bot: one state per session id, kept for as long as the server runs."""

    def __init__(self):
        self.sessions = {}
        self.ids = count(5301)

    def new_session(self):
        sid = f"lw-{next(self.ids)}"
        self.sessions[sid] = {"state": "menu", "card": None}
        return sid

    def handle(self, sid, text, event=None):
        s = self.sessions.setdefault(sid, {"state": "menu", "card": None})
        if event == "start":
            s["state"] = "menu"
            return [reply("Hi, I'm Penny, Lumen Bank's digital assistant."),
                    reply("What can I help you with today?", MENU)]
        t = (text or "").strip()
        low = t.lower()
        state = s["state"]
        if low == "/agent" or "agent" in low or "human" in low:
            if state in ("agent_card", "queued"):
                return [reply("You're in the queue for our Card Services team. An agent will be with you shortly.")]
            s["state"] = "agent_card"
            return [reply("I can pass you to one of our team. Before I do, can you confirm the last 4 digits of your card?")]
        if state == "menu":
            if re.search(r"recogni[sz]e|dispute|unknown payment|didn't make", low):
                s["state"] = "ask_card"
                return [reply("I can help with payments you don't recognise."),
                        reply("First, please enter the last 4 digits of your card.")]
            if low == "/lost_card" or "lost" in low or "stolen" in low:
                return [reply("You can freeze your card straight away in the Lumen Bank app, or call us 24/7 on 0800 123 9000.")]
            return [reply("Sorry, I didn't catch that. Could you tell me in a few words what you need help with?", MENU)]
        if state == "ask_card":
            if re.fullmatch(r"\d{4}", t):
                s["card"] = t
                s["state"] = "ask_dob"
                return [reply("Thanks. And your date of birth, please (DD/MM/YYYY)?")]
            return [reply("That doesn't look right. Please enter the last 4 digits of your card.")]
        if state == "ask_dob":
            if CUSTOMERS.get(s["card"]) == t:
                s["state"] = "after"
                return [reply("Thanks, you're verified."),
                        reply("Disputes about card payments can only be raised in the Lumen Bank app: go to Cards › "
                              "Report a payment. Is there anything else I can help with?",
                              [{"title": "Talk to an agent", "payload": "/agent"},
                               {"title": "No thanks", "payload": "/bye"}])]
            return [reply("Sorry, those details don't match our records. Please enter your date of birth as DD/MM/YYYY.")]
        if state == "agent_card":
            if re.fullmatch(r"\d{4}", t):
                s["state"] = "queued"
                return [reply("Thanks. I'm transferring you to our Card Services team."),
                        reply("You're number 9 in the queue and the current wait is around 20 minutes. "
                              "Please keep this window open.")]
            return [reply("Please enter the last 4 digits of your card so I can pass you to the team.")]
        if state == "queued":
            return [reply("You're in the queue for our Card Services team. An agent will be with you shortly.")]
        if low == "/bye":
            return [reply("Thanks for chatting with Lumen Bank. Have a good day!")]
        return [reply("Is there anything else I can help with?", MENU)]


def make_app():
    app = Flask(__name__)
    bot = Penny()

    @app.get("/help/")
    def help_page():
        return PAGE

    @app.post("/chat/api/session")
    def session():
        return jsonify({"session": bot.new_session()})

    @app.post("/chat/api/message")
    def message():
        body = request.get_json(silent=True) or {}
        sid = str(body.get("session", ""))
        if not sid:
            return jsonify({"error": "session required"}), 400
        return jsonify({"replies": bot.handle(sid, body.get("text"), body.get("event"))})

    @app.get("/help/<topic>")
    def topic(topic):
        return f"<!doctype html><title>Help</title><h1>{escape(topic.replace('-', ' ').capitalize())}</h1><p><a href='/help/'>Back to help</a></p>"

    return app
