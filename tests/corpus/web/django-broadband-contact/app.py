"""Northwire Broadband support hub and contact page, as a single-file Django project.

Written like an ISP's Django site: settings configured in the module, CSRF on, `django.forms` forms
rendered field by field (Django 5 adds aria-invalid and aria-describedby to a field with errors). The
contact page carries two forms: the newsletter sign-up in the sidebar ("Your E-mail Address") and the
contact form ("Your E-Mail Address"). The contact form leaves validation to the server
(`use_required_attribute=False`): a missing privacy tick re-renders the same page with 200, a
role="alert" summary and Django's error list. The submit button ends in a Font Awesome paper-plane glyph
(U+F1D8). A valid message redirects to a thank-you page with the ticket number.
"""

import os

import django
from django import forms
from django.conf import settings
from django.http import HttpResponseNotFound
from django.shortcuts import redirect
from django.urls import path

TICKETS = {}          # e-mail -> ticket number (one open ticket per customer, the same on a resubmission)
SUBSCRIBERS = set()

LAYOUT = """<!DOCTYPE html>
<html lang="en-GB">
<head>
<meta charset="utf-8">
<title>{{ title }} – Northwire Broadband</title>
<style>
 body { margin: 0; font-family: "Segoe UI", Roboto, Arial, sans-serif; color: #1b1b3a; background: #fafaff; }
 .site-header { background: #3b1f8f; color: #fff; padding: 14px 48px; display: flex; align-items: center; gap: 40px; }
 .site-header a { color: #fff; text-decoration: none; margin-right: 22px; font-weight: 600; }
 .brand { font-size: 24px; font-weight: 800; }
 .wrap { max-width: 1080px; margin: 28px auto; display: grid; grid-template-columns: 2fr 1fr; gap: 40px; padding: 0 20px; }
 .card { background: #fff; border-radius: 10px; padding: 24px 28px; box-shadow: 0 1px 4px rgba(0,0,0,.08); }
 .form-row { margin-bottom: 16px; }
 .form-row label { display: block; font-weight: 600; margin-bottom: 4px; }
 .form-row input[type=text], .form-row input[type=email], .form-row select, .form-row textarea { width: 100%; padding: 9px; border: 1px solid #b9b4d6; border-radius: 6px; box-sizing: border-box; }
 .form-row .helptext { font-size: 13px; color: #555; }
 .errorlist { color: #b00020; margin: 4px 0; padding-left: 18px; }
 .alert { border-left: 4px solid #b00020; background: #fdecee; padding: 12px 16px; margin-bottom: 18px; }
 .btn { background: #e6007e; color: #fff; border: 0; border-radius: 24px; padding: 12px 26px; font-size: 16px; cursor: pointer; }
 .fa { font-family: FontAwesome; font-style: normal; }
 .links li { margin: 8px 0; }
 footer { background: #1b1b3a; color: #ccc; padding: 28px 48px; font-size: 13px; }
 footer a { color: #ccc; margin-right: 16px; }
</style>
</head>
<body>
<header class="site-header">
  <span class="brand">northwire</span>
  <nav aria-label="Primary"><a href="/broadband/">Broadband</a><a href="/tv/">TV</a><a href="/mobile/">Mobile</a><a href="/support/">Help &amp; support</a></nav>
  <nav aria-label="Account"><a href="/myaccount/">My Account</a></nav>
</header>
{{ body|safe }}
<footer>
  <p><a href="/support/">Help &amp; support</a><a href="/support/status/">Service status</a><a href="/accessibility/">Accessibility</a>
     <a href="/privacy/">Privacy Notice</a><a href="/cookies/">Cookies</a><a href="/complaints/">Complaints code</a></p>
  <p>Northwire Broadband Ltd, 1 Canal Wharf, Leeds LS11 5PS. Registered in England &amp; Wales 10293847.</p>
</footer>
</body>
</html>"""

HUB = """<div class="wrap"><div>
<div class="card">
<h1>Help &amp; support</h1>
<p>Find answers, check for problems in your area, or get in touch.</p>
<h2>Popular topics</h2>
<ul class="links">
  <li><a href="/support/articles/slow-broadband/">My broadband is slow or keeps dropping</a></li>
  <li><a href="/support/articles/router-lights/">What do the lights on my router mean?</a></li>
  <li><a href="/support/articles/understand-my-bill/">Understanding your bill</a></li>
  <li><a href="/support/articles/moving-home/">Moving home with Northwire</a></li>
</ul>
<h2>Still need help?</h2>
<ul class="links">
  <li><a href="/support/status/">Check for outages in your area</a></li>
  <li><a href="/support/contact/">Contact us</a></li>
</ul>
</div></div>
<aside><div class="card"><h2>Manage it online</h2><p>Pay a bill, change your package or update your details in
<a href="/myaccount/">My Account</a>.</p></div></aside></div>"""

CONTACT = """<div class="wrap"><div>
<div class="card">
<h1>Contact us</h1>
<p>Send us a message and one of our team will get back to you. Most questions are answered in our
<a href="/support/">help pages</a>.</p>
<form method="post" action="/support/contact/" novalidate aria-labelledby="contact-heading">
  <h2 id="contact-heading">Send us a message</h2>
  {% csrf_token %}
  {% if form.errors %}
  <div class="alert" role="alert">
    <strong>Please correct the error below.</strong>
    {{ form.non_field_errors }}
  </div>
  {% endif %}
  {% for field in form %}
  <div class="form-row">
    {% if field.name == "privacy" %}
      {{ field }} {{ field.label_tag }}
    {% else %}
      {{ field.label_tag }} {{ field }}
    {% endif %}
    {% if field.help_text %}<div class="helptext" id="{{ field.auto_id }}_helptext">{{ field.help_text }}</div>{% endif %}
    {{ field.errors }}
  </div>
  {% endfor %}
  <button type="submit" class="btn">Submit Ticket <i class="fa">\uf1d8</i></button>
</form>
</div></div>
<aside>
<div class="card">
  <h2>Other ways to reach us</h2>
  <p>Faults: 0330 123 4567, 8am to 10pm every day.</p>
  <p>Follow us <a href="/social/">@northwire</a></p>
</div>
<div class="card" style="margin-top:20px">
<form method="post" action="/newsletter/" aria-labelledby="nl-heading">
  {% csrf_token %}
  <h2 id="nl-heading">Sign up to our newsletter</h2>
  <p>Deals, speed upgrades and news, once a month.</p>
  <div class="form-row">{{ newsletter.email.label_tag }} {{ newsletter.email }}</div>
  <button type="submit" class="btn">Subscribe</button>
</form>
</div>
</aside></div>"""

THANKS = """<div class="wrap"><div><div class="card">
<h1>Thanks, {{ first_name }} – we've got your message</h1>
<p>Your Ticket ID: <strong>{{ ticket }}</strong></p>
<p>One of our broadband specialists will reply by e-mail within 2 working days. If you contact us again
about this, please quote your Ticket ID so we can find your message.</p>
<p><a href="/support/">Back to Help &amp; support</a></p>
</div></div></div>"""

SUBSCRIBED = """<div class="wrap"><div><div class="card"><h1>You're subscribed</h1>
<p>Thanks for signing up. Look out for our next newsletter.</p></div></div></div>"""


class ContactForm(forms.Form):
    full_name = forms.CharField(label="Full name", max_length=100)
    email = forms.EmailField(label="Your E-Mail Address")
    account_number = forms.CharField(
        label="Account number", required=False, max_length=8,
        help_text="Optional. 8 digits starting with 4, at the top of your bill.")
    topic = forms.ChoiceField(label="What's it about?", choices=[
        ("", "Please choose"), ("billing", "Billing and payments"), ("fault", "Broadband fault or slow speeds"),
        ("moving", "Moving home"), ("upgrade", "Upgrading my package"), ("other", "Something else")])
    message = forms.CharField(label="Your message", widget=forms.Textarea(attrs={"rows": 6}))
    privacy = forms.BooleanField(
        label="I have read the Privacy Notice",
        error_messages={"required": "You must confirm you have read our Privacy Notice."})


class NewsletterForm(forms.Form):
    email = forms.EmailField(label="Your E-mail Address")


def render_page(request, title, body, **context):
    from django.http import HttpResponse
    from django.template import engines

    engine = engines["django"]
    inner = engine.from_string(body).render(context, request)
    return HttpResponse(engine.from_string(LAYOUT).render({"title": title, "body": inner}, request))


def support(request):
    return render_page(request, "Help & support", HUB)


def contact(request):
    form = ContactForm(request.POST or None, use_required_attribute=False)
    if request.method == "POST" and form.is_valid():
        email = form.cleaned_data["email"].lower()
        ticket = TICKETS.setdefault(email, 4821 + len(TICKETS))
        first = form.cleaned_data["full_name"].split()[0]
        return redirect(f"/support/contact/thanks/?ticket={ticket}&name={first}")
    newsletter = NewsletterForm(auto_id="newsletter-%s")
    return render_page(request, "Contact us", CONTACT, form=form, newsletter=newsletter)


def thanks(request):
    ticket = request.GET.get("ticket", "")
    if not ticket.isdigit():
        return HttpResponseNotFound("<h1>Not Found</h1>")
    return render_page(request, "Thank you", THANKS, ticket=ticket, first_name=request.GET.get("name", "there"))


def newsletter(request):
    form = NewsletterForm(request.POST or None, auto_id="newsletter-%s")
    if request.method == "POST" and form.is_valid():
        SUBSCRIBERS.add(form.cleaned_data["email"])
    return render_page(request, "Newsletter", SUBSCRIBED)


def article(request, slug):
    body = ('<div class="wrap"><div><div class="card"><h1>{{ slug|title }}</h1><p>This article is being '
            'refreshed. <a href="/support/">Back to Help &amp; support</a></p></div></div></div>')
    return render_page(request, "Help", body, slug=slug.replace("-", " "))


urlpatterns = [
    path("support/", support),
    path("support/contact/", contact),
    path("support/contact/thanks/", thanks),
    path("support/articles/<slug:slug>/", article),
    path("newsletter/", newsletter),
]


def make_app():
    if not settings.configured:
        settings.configure(
            DEBUG=False,
            SECRET_KEY=os.environ.get("DJANGO_SECRET_KEY", "northwire-support-not-secret"),
            ALLOWED_HOSTS=["localhost", "127.0.0.1"],
            ROOT_URLCONF=__name__,
            MIDDLEWARE=[
                "django.middleware.security.SecurityMiddleware",
                "django.middleware.common.CommonMiddleware",
                "django.middleware.csrf.CsrfViewMiddleware",
                "django.middleware.clickjacking.XFrameOptionsMiddleware",
            ],
            INSTALLED_APPS=[],
            TEMPLATES=[{"BACKEND": "django.template.backends.django.DjangoTemplates", "DIRS": [],
                        "APP_DIRS": False, "OPTIONS": {"context_processors": []}}],
            USE_TZ=True,
        )
        django.setup()
    from django.core.wsgi import get_wsgi_application

    return get_wsgi_application()
