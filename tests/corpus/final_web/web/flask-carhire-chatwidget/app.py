"""Roadwise Car & Van Hire help page with its chat widget "Tilly", as a Flask app.

Written like a vendor chat widget on a rental company's help page: an icon-only launcher ("Chat with
us", a Material glyph), a panel whose transcript is a role="log", a text box with only a placeholder
and an icon-only send button. Messages go to /widget/api/message by fetch; the widget shows "Tilly is
typing…" and adds the reply 900 ms later. Quick replies are buttons in the transcript, removed once the
customer answers. The bot does not understand free text on its first menu and falls back to the same
menu; under "Something else" it finds the rental, then hands over to the Payments team's queue. The
agent (scripted, as the live-chat connector replays them in this demo) asks for the rental agreement
number again and sends deposit questions to e-mail. Conversations are kept per `rw_chat` cookie.
"""

import re
import secrets

from flask import Flask, jsonify, make_response, request

RENTALS = {"RA-7730915": "Vauxhall Corsa, collected 21 October and returned 28 October at Bristol Temple Meads"}
MENU = ["Change or cancel a booking", "Extend my rental", "Damage or accident", "Something else"]

PAGE = """<!doctype html>
<html lang="en-GB">
<head>
<meta charset="utf-8">
<title>Help &amp; FAQs | Roadwise Car &amp; Van Hire</title>
<style>
  body { margin: 0; font-family: Arial, Helvetica, sans-serif; color: #222; }
  .nav { background: #c8102e; color: #fff; padding: 14px 34px; }
  .nav a { color: #fff; margin-right: 22px; text-decoration: none; }
  .nav .brand { font-weight: bold; font-size: 20px; }
  .help { max-width: 720px; margin: 28px auto 120px; padding: 0 18px; }
  .help details { border-bottom: 1px solid #ddd; padding: 10px 0; }
  .mi { font-family: "Material Icons"; font-style: normal; font-size: 24px; }
  #launcher { position: fixed; right: 28px; bottom: 28px; width: 60px; height: 60px; border-radius: 50%;
              background: #c8102e; color: #fff; border: 0; cursor: pointer; }
  #panel { position: fixed; right: 28px; bottom: 100px; width: 340px; height: 470px; background: #fff; display: none;
           flex-direction: column; box-shadow: 0 6px 28px rgba(0,0,0,.25); border-radius: 10px; overflow: hidden; }
  #panel.open { display: flex; }
  #panel .head { background: #c8102e; color: #fff; padding: 12px 14px; font-weight: bold; }
  #log { flex: 1; overflow-y: auto; padding: 10px; font-size: 14px; }
  #log .bot, #log .me { margin: 6px 0; padding: 8px 10px; border-radius: 8px; max-width: 85%; }
  #log .bot { background: #f1f1f1; }
  #log .me { background: #ffe3e8; margin-left: auto; }
  #log .chips button { margin: 3px 4px 3px 0; border: 1px solid #c8102e; background: #fff; color: #c8102e;
                       border-radius: 14px; padding: 5px 10px; cursor: pointer; }
  #log .typing { color: #777; font-style: italic; }
  .composer { display: flex; border-top: 1px solid #ddd; }
  .composer input { flex: 1; border: 0; padding: 12px; font-size: 14px; }
  .composer button { border: 0; background: none; color: #c8102e; width: 46px; cursor: pointer; }
</style>
</head>
<body>
<div class="nav"><a class="brand" href="/">Roadwise</a><a href="/locations/">Locations</a><a href="/vans/">Vans</a><a href="/help/">Help</a></div>
<div class="help">
  <h1>Help &amp; FAQs</h1>
  <details><summary>What do I need to bring when I collect my car?</summary><p>Your driving licence, a credit or debit card in the main driver's name and your booking confirmation.</p></details>
  <details><summary>How does the security deposit work?</summary><p>We hold a deposit on your card when you collect the vehicle and release it when the vehicle is returned and checked.</p></details>
  <details><summary>Can I add another driver?</summary><p>Yes, at the counter when you collect. Each driver must show their licence.</p></details>
  <details><summary>What fuel policy do you use?</summary><p>Full to full: return the vehicle with a full tank.</p></details>
  <p>Can't find what you need? Our assistant Tilly can help, any time.</p>
</div>
<button id="launcher" type="button" aria-label="Chat with us"><i class="mi">\ue0b7</i></button>
<section id="panel" aria-label="Chat with Roadwise">
  <div class="head">Tilly · Roadwise assistant</div>
  <div id="log" role="log" aria-live="polite"></div>
  <div class="composer">
    <input id="msg" type="text" placeholder="Type your message…" autocomplete="off">
    <button id="send" type="button" aria-label="Send message"><i class="mi">\ue163</i></button>
  </div>
</section>
<script>
(function () {
  var log = document.getElementById('log');
  var input = document.getElementById('msg');
  var started = false;

  function add(cls, text) {
    var div = document.createElement('div');
    div.className = cls;
    div.textContent = text;
    log.appendChild(div);
    log.scrollTop = log.scrollHeight;
    return div;
  }

  function clearChips() {
    log.querySelectorAll('.chips').forEach(function (c) { c.remove(); });
  }

  function show(replies) {
    var typing = add('typing', 'Tilly is typing…');
    setTimeout(function () {
      typing.remove();
      replies.forEach(function (r) {
        add('bot', r.text);
        if (r.buttons && r.buttons.length) {
          var chips = document.createElement('div');
          chips.className = 'chips';
          r.buttons.forEach(function (title) {
            var b = document.createElement('button');
            b.type = 'button';
            b.textContent = title;
            b.addEventListener('click', function () { send(title); });
            chips.appendChild(b);
          });
          log.appendChild(chips);
        }
      });
      log.scrollTop = log.scrollHeight;
    }, 900);
  }

  function post(text) {
    return fetch('/widget/api/message', {method: 'POST', credentials: 'same-origin',
      headers: {'Content-Type': 'application/json'}, body: JSON.stringify({text: text})})
      .then(function (r) { return r.json(); });
  }

  function send(text) {
    text = (text || '').trim();
    if (!text) return;
    clearChips();
    add('me', text);
    post(text).then(function (d) { show(d.replies); });
  }

  document.getElementById('launcher').addEventListener('click', function () {
    document.getElementById('panel').classList.toggle('open');
    if (!started) {
      started = true;
      post('').then(function (d) { show(d.replies); });
    }
    input.focus();
  });
  document.getElementById('send').addEventListener('click', function () {
    var text = input.value;
    input.value = '';
    send(text);
  });
  input.addEventListener('keydown', function (e) {
    if (e.key === 'Enter') { document.getElementById('send').click(); }
  });
})();
</script>
</body>
</html>"""


class Tilly:
    def __init__(self):
        self.chats: dict[str, dict] = {}

    def reply(self, chat_id: str, text: str) -> list[dict]:
        c = self.chats.setdefault(chat_id, {"state": "new"})
        t = text.strip()
        state = c["state"]
        if state == "new" or not t and state == "menu":
            c["state"] = "menu"
            return [{"text": "Hi, I'm Tilly, Roadwise's virtual assistant. 👋"},
                    {"text": "What can I help you with today?", "buttons": MENU}]
        if state == "menu":
            if t == "Something else":
                c["state"] = "ask_ra"
                return [{"text": "No problem. What's your rental agreement number? It starts with RA- and it's on "
                                 "the paperwork you got at the counter."}]
            if t in MENU:
                return [{"text": "You can manage that at roadwise.example/manage-booking.", "buttons": MENU}]
            return [{"text": "Sorry, I'm not sure I understood that. Please choose one of the options below.",
                     "buttons": MENU}]
        if state == "ask_ra":
            ra = t.upper().replace(" ", "")
            if ra in RENTALS:
                c["state"] = "queued"
                return [{"text": f"Thanks! I've found your rental: {RENTALS[ra]}."},
                        {"text": "Deposit and payment questions are looked after by our Payments team, so I'm "
                                 "transferring you to them now."},
                        {"text": "You're number 5 in the queue. Expected wait: about 20 minutes."}]
            return [{"text": "I couldn't find that one. Rental agreement numbers look like RA-1234567."}]
        if state == "queued":
            c["state"] = "agent_ra"
            return [{"text": "Hi, you're chatting with Marta from Payments. Could you confirm your rental agreement "
                             "number for me, please?"}]
        if state == "agent_ra":
            if re.search(r"RA-?\s*\d{7}", t, re.I):
                c["state"] = "agent_done"
                return [{"text": "Thank you. I can see the £250 hold from your rental. To look into a hold that hasn't "
                                 "dropped off, we need a copy of your bank statement showing it. Please e-mail it to "
                                 "deposits@roadwise-hire.example with your rental agreement number in the subject line."}]
            return [{"text": "Sorry, I need the rental agreement number to find your booking."}]
        return [{"text": "Is there anything else I can help with?"}]


def make_app():
    app = Flask(__name__)
    bot = Tilly()

    @app.get("/")
    def home():
        return '<!doctype html><title>Roadwise</title><h1>Roadwise Car &amp; Van Hire</h1><p><a href="/help/">Help</a></p>'

    @app.get("/help/")
    def help_page():
        return PAGE

    @app.post("/widget/api/message")
    def message():
        chat_id = request.cookies.get("rw_chat") or secrets.token_hex(8)
        body = request.get_json(silent=True) or {}
        replies = bot.reply(chat_id, str(body.get("text", "")))
        response = make_response(jsonify({"replies": replies}))
        response.set_cookie("rw_chat", chat_id, samesite="Lax", httponly=True)
        return response

    return app
