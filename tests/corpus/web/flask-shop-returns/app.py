"""Harlow & Finch help centre and returns portal, as a small Flask app.

Written like a fashion retailer's storefront help pages: a cookie-consent overlay that covers the
page until it is answered (the choice is kept in the `hf_consent` cookie, set by the banner's own
script), a help centre with topic lists, and a returns portal whose order lookup is a GET form (so the
shopper's e-mail address ends up in the URL). The lookup form's "Order number" label points at an id
that no longer exists (the input was renamed in a redesign), the e-mail field has only a placeholder,
and the search button ends in a Font Awesome glyph (U+F002). Faulty and damaged items cannot be
returned through the portal at all: the reason list has no such option and a note sends the shopper
to the phone line.
"""

from flask import Flask, abort, render_template_string, request

ORDERS = {
    "HF-100442": {
        "email": "jane.doe@example.com",
        "placed": "3 June 2024",
        "items": [
            {"id": "1", "name": "Quilted Jacket – Olive, size M", "price": "£89.00"},
            {"id": "2", "name": "Organic Cotton T-Shirt – White, size M", "price": "£18.00"},
        ],
    },
}

BASE = """<!doctype html>
<html lang="en-GB">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{ title }} | Harlow &amp; Finch</title>
<style>
  body { font-family: Helvetica, Arial, sans-serif; margin: 0; color: #222; }
  .topbar { background: #111; color: #fff; font-size: 12px; text-align: center; padding: 6px; }
  header { display: flex; align-items: center; gap: 32px; padding: 16px 40px; border-bottom: 1px solid #ddd; }
  header .logo { font-size: 22px; letter-spacing: 3px; text-transform: uppercase; color: #111; text-decoration: none; }
  header nav a { margin-right: 18px; color: #111; text-decoration: none; text-transform: uppercase; font-size: 13px; }
  main { max-width: 880px; margin: 32px auto; padding: 0 20px; min-height: 480px; }
  .crumbs { font-size: 12px; color: #777; }
  .crumbs a { color: #777; }
  .topics { list-style: none; padding: 0; display: grid; grid-template-columns: 1fr 1fr; gap: 12px; }
  .topics a { display: block; border: 1px solid #ddd; padding: 18px; color: #111; text-decoration: none; }
  .btn { display: inline-block; background: #111; color: #fff; border: 0; padding: 12px 22px; font-size: 14px;
         text-decoration: none; cursor: pointer; }
  .fa { font-family: "Font Awesome 6 Free"; font-style: normal; margin-left: 6px; }
  .field { margin: 14px 0; }
  .field label, .field .lbl { display: block; font-size: 13px; margin-bottom: 4px; }
  .field input, .field select { width: 320px; padding: 9px; border: 1px solid #999; }
  .note { background: #f5f1ea; padding: 14px 18px; margin: 18px 0; font-size: 14px; }
  table.items td { padding: 8px 12px 8px 0; }
  footer { background: #f4f4f4; padding: 30px 40px; font-size: 13px; }
  footer ul { list-style: none; padding: 0; display: inline-block; vertical-align: top; margin-right: 60px; }
  footer a { color: #333; }
  #cookie-backdrop { position: fixed; inset: 0; background: rgba(0,0,0,.55); z-index: 1000; }
  #cookie-banner { position: fixed; left: 50%; top: 50%; transform: translate(-50%, -50%); width: 520px;
                   background: #fff; padding: 28px; z-index: 1001; box-shadow: 0 4px 24px rgba(0,0,0,.3); }
  #cookie-banner .actions button { margin: 8px 8px 0 0; }
</style>
</head>
<body>
<div class="topbar">Free standard delivery on orders over £50 · Free returns within 30 days</div>
<header>
  <a class="logo" href="/">Harlow &amp; Finch</a>
  <nav aria-label="Main">
    <a href="/women/">Women</a><a href="/men/">Men</a><a href="/new-in/">New in</a><a href="/sale/">Sale</a>
  </nav>
  <nav aria-label="Account"><a href="/help/">Help</a> <a href="/account/">Sign in</a> <a href="/bag/">Bag (0)</a></nav>
</header>
<main>
{{ body|safe }}
</main>
<footer>
  <ul><li><strong>Customer care</strong></li><li><a href="/help/">Help centre</a></li>
      <li><a href="/help/delivery">Delivery information</a></li><li><a href="/help/returns-and-refunds">Returns &amp; refunds</a></li>
      <li><a href="/help/size-guide">Size guide</a></li></ul>
  <ul><li><strong>About us</strong></li><li><a href="/about/">Our story</a></li><li><a href="/stores/">Find a store</a></li>
      <li><a href="/careers/">Careers</a></li></ul>
  <ul><li><strong>Legal</strong></li><li><a href="/privacy/">Privacy policy</a></li><li><a href="/cookies/">Cookie policy</a></li>
      <li><a href="/terms/">Terms &amp; conditions</a></li></ul>
  <p>&copy; 2024 Harlow &amp; Finch Ltd. Registered in England No. 08812345.</p>
</footer>
{% if not consent %}
<div id="cookie-backdrop"></div>
<div id="cookie-banner" role="dialog" aria-modal="true" aria-labelledby="cookie-title">
  <h2 id="cookie-title">We value your privacy</h2>
  <p>We use cookies to give you the best experience, to personalise ads and to analyse our traffic.
     By clicking “Accept all cookies”, you agree to the storing of cookies on your device.
     <a href="/cookies/">Cookie policy</a></p>
  <div class="actions">
    <button type="button" class="btn" data-consent="all">Accept all cookies</button>
    <button type="button" class="btn" data-consent="necessary">Necessary cookies only</button>
    <button type="button" data-consent="settings" style="background:none;border:0;text-decoration:underline;cursor:pointer">Cookie settings</button>
  </div>
</div>
<script>
  document.querySelectorAll('#cookie-banner [data-consent]').forEach(function (b) {
    b.addEventListener('click', function () {
      var choice = b.getAttribute('data-consent') === 'settings' ? 'necessary' : b.getAttribute('data-consent');
      document.cookie = 'hf_consent=' + choice + '; path=/; max-age=31536000; SameSite=Lax';
      document.getElementById('cookie-banner').remove();
      document.getElementById('cookie-backdrop').remove();
    });
  });
</script>
{% endif %}
</body>
</html>"""

HELP = """
<h1>Help centre</h1>
<p>Hi, how can we help? Choose a topic below to find answers to the questions we're asked most.</p>
<form action="/help/search" method="get" role="search" style="margin: 18px 0">
  <input type="search" name="q" aria-label="Search help articles" placeholder="Search help articles" style="width:420px;padding:10px">
</form>
<ul class="topics">
  <li><a href="/help/delivery">Delivery<br><small>Delivery options, tracking and costs</small></a></li>
  <li><a href="/help/returns-and-refunds">Returns &amp; refunds<br><small>How to send something back</small></a></li>
  <li><a href="/help/payments">Payments &amp; promotions<br><small>Payment methods, gift cards, discount codes</small></a></li>
  <li><a href="/help/my-account">My account<br><small>Passwords, addresses and preferences</small></a></li>
  <li><a href="/help/product-care">Product care<br><small>Washing and caring for your clothes</small></a></li>
  <li><a href="/help/size-guide">Size guide<br><small>Find your fit</small></a></li>
</ul>
<h2>Popular questions</h2>
<ul>
  <li><a href="/help/delivery#when">When will my order arrive?</a></li>
  <li><a href="/help/returns-and-refunds#refund-time">When will I get my refund?</a></li>
  <li><a href="/help/payments#klarna">Can I pay with Klarna?</a></li>
</ul>
"""

RETURNS_ARTICLE = """
<p class="crumbs"><a href="/help/">Help centre</a> › Returns &amp; refunds</p>
<h1>Returns &amp; refunds</h1>
<p>Changed your mind? No problem. You can return unworn items with their tags attached within
   <strong>30 days</strong> of delivery for a full refund.</p>
<h2>How to return an item</h2>
<ol>
  <li>Start your return online using your order number and the e-mail address you used at checkout.</li>
  <li>Print your free returns label, or show the QR code at any Evri ParcelShop.</li>
  <li>Drop your parcel off within 14 days.</li>
</ol>
<p><a class="btn" href="/returns/">Start a return</a></p>
<h2 id="refund-time">When will I get my refund?</h2>
<p>Once your return reaches our warehouse we'll refund you to your original payment method. We'll
   e-mail you when it's done.</p>
<h2>Returning a gift?</h2>
<p>Use the order number on your gift receipt.</p>
"""

RETURNS_START = """
<p class="crumbs"><a href="/help/">Help centre</a> › <a href="/help/returns-and-refunds">Returns &amp; refunds</a> › Start a return</p>
<h1>Start a return</h1>
<p>Enter your order details below to find your order.</p>
<form action="/returns/order" method="get" class="lookup">
  <div class="field">
    <label for="order-no">Order number</label>
    <input type="text" id="orderNumber" name="order_number" autocomplete="off">
    <small>You'll find this in your order confirmation e-mail, e.g. HF-123456</small>
  </div>
  <div class="field">
    <input type="email" name="email" placeholder="Email used at checkout">
  </div>
  <button type="submit" class="btn">Find my order <i class="fa">\uf002</i></button>
</form>
<p style="margin-top:28px"><a href="/help/returns-and-refunds">Read our returns policy</a></p>
"""

ORDER_PAGE = """
<p class="crumbs"><a href="/help/">Help centre</a> › <a href="/returns/">Start a return</a> › Your order</p>
<h1>Order {{ number }}</h1>
<p>Placed on {{ order.placed }} · Delivered</p>
<form action="/returns/{{ number }}/confirm" method="post">
  <h2>Which items are you returning?</h2>
  <table class="items">
  {% for item in order["items"] %}
    <tr><td><input type="checkbox" id="item-{{ item.id }}" name="items" value="{{ item.id }}"></td>
        <td><label for="item-{{ item.id }}">{{ item.name }}</label></td><td>{{ item.price }}</td></tr>
  {% endfor %}
  </table>
  <div class="field">
    <label for="reason">Reason for return</label>
    <select id="reason" name="reason">
      <option value="">Please select</option>
      <option value="too-small">Too small</option>
      <option value="too-big">Too big</option>
      <option value="not-as-pictured">Doesn't look like the picture</option>
      <option value="quality">Didn't like the quality</option>
      <option value="changed-mind">Changed my mind</option>
      <option value="arrived-late">Arrived too late</option>
      <option value="wrong-item">Wrong item sent</option>
    </select>
  </div>
  <div class="note">
    <strong>Item faulty or damaged?</strong> We're sorry about that. We can't process faulty returns online.
    Please call our Customer Care team on 0345 600 1234 (Monday to Friday, 9am to 6pm) and we'll arrange
    a collection.
  </div>
  <button type="submit" class="btn">Continue</button>
</form>
"""

CONFIRM = """
<h1>Your return is booked</h1>
<p>Return number <strong>R-{{ number }}-1</strong>. We've e-mailed your returns label.</p>
"""

SIMPLE = """<h1>{{ heading }}</h1><p>{{ text }}</p><p><a href="/help/">Back to the help centre</a></p>"""


def make_app():
    app = Flask(__name__)

    def page(title, body, **ctx):
        inner = render_template_string(body, **ctx)
        return render_template_string(BASE, title=title, body=inner,
                                      consent=request.cookies.get("hf_consent"))

    @app.get("/")
    def home():
        return page("Home", '<h1>New season, new favourites</h1><p><a href="/new-in/">Shop new in</a></p>')

    @app.get("/help/")
    def help_centre():
        return page("Help centre", HELP)

    @app.get("/help/returns-and-refunds")
    def returns_article():
        return page("Returns & refunds", RETURNS_ARTICLE)

    @app.get("/help/<topic>")
    def other_topic(topic):
        return page("Help", SIMPLE, heading=topic.replace("-", " ").capitalize(),
                    text="This article is being updated.")

    @app.get("/returns/")
    def returns_start():
        return page("Start a return", RETURNS_START)

    @app.get("/returns/order")
    def returns_order():
        number = request.args.get("order_number", "").strip().upper()
        email = request.args.get("email", "").strip().lower()
        order = ORDERS.get(number)
        if order is None or order["email"] != email:
            body = ('<h1>We couldn\'t find that order</h1><p>Please check your order number and e-mail address '
                    'and try again.</p><p><a href="/returns/">Try again</a></p>')
            return page("Order not found", body), 404
        return page(f"Order {number}", ORDER_PAGE, number=number, order=order)

    @app.post("/returns/<number>/confirm")
    def returns_confirm(number):
        if number not in ORDERS:
            abort(404)
        return page("Return booked", CONFIRM, number=number)

    return app
