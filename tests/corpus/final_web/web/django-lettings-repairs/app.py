"""Copperleaf Lettings tenant help and repair reporting, as a small Django project in one file.

Written like a letting agent's tenant pages: DEBUG off, APPEND_SLASH on (so /help answers 301 to
/help/), CSRF on every POST form, a small cookie notice pinned to the bottom right corner that never
blocks anything, and a repair form built with django.forms whose server-side validation re-renders the
page with 200, a role="alert" summary, Django's ul.errorlist and aria-invalid on the field at fault,
keeping what the tenant typed. The repair form sits above a newsletter sign-up, and both ask for an
"Email address". The "Tenancy reference" label still points at the id the field had before a redesign.
Heating and hot-water reports are not handled by Copperleaf: they are passed on to a heating contractor,
who books the visit.
"""

from django import forms
from django.conf import settings
from django.http import HttpResponseRedirect
from django.urls import path
from django.views.decorators.http import require_http_methods

CATEGORIES = [
    ("", "Choose one"),
    ("heating", "Heating or hot water"),
    ("plumbing", "Plumbing, leaks or drains"),
    ("electrics", "Electrics"),
    ("doors", "Doors, windows and locks"),
    ("appliances", "Appliances supplied with the property"),
    ("damp", "Damp or mould"),
    ("other", "Something else"),
]
REPORTS: list[dict] = []

BASE = """<!doctype html>
<html lang="en-GB">
<head>
<meta charset="utf-8">
<title>{{ title }} | Copperleaf Lettings</title>
<style>
  body { margin: 0; font-family: Georgia, "Times New Roman", serif; color: #2b2b2b; }
  .masthead { border-bottom: 3px solid #b5651d; padding: 18px 40px; display: flex; justify-content: space-between; }
  .masthead .name { font-size: 24px; color: #b5651d; text-decoration: none; }
  .masthead nav a { margin-left: 18px; color: #2b2b2b; }
  .wrap { max-width: 760px; margin: 26px auto 80px; padding: 0 16px; font-family: Arial, sans-serif; }
  .wrap label, .wrap legend { display: block; font-weight: bold; margin: 14px 0 4px; }
  .wrap input[type=text], .wrap input[type=email], .wrap select, .wrap textarea { width: 380px; padding: 7px; }
  .wrap .radio label, .wrap .tick label { display: inline; font-weight: normal; }
  .hint { color: #666; font-size: 13px; margin: 2px 0; }
  .errorlist { color: #a00; margin: 4px 0; padding-left: 18px; }
  .problem { border: 3px solid #a00; padding: 10px 18px; margin-bottom: 18px; }
  .send { background: #b5651d; color: #fff; border: 0; padding: 10px 20px; font-size: 15px; margin-top: 16px; }
  .icon { font-family: "Material Icons"; font-style: normal; margin-left: 6px; }
  aside { background: #f6efe7; padding: 12px 18px; margin-top: 34px; }
  .cookie-note { position: fixed; right: 16px; bottom: 16px; width: 230px; background: #2b2b2b; color: #fff;
                 font: 12px Arial, sans-serif; padding: 10px 12px; border-radius: 4px; }
  .cookie-note button { margin-top: 6px; }
  footer { border-top: 1px solid #ddd; padding: 18px 40px; font: 13px Arial, sans-serif; color: #555; }
</style>
</head>
<body>
<div class="masthead">
  <a class="name" href="/">Copperleaf Lettings</a>
  <nav aria-label="Main"><a href="/lettings/">Homes to let</a><a href="/landlords/">Landlords</a><a href="/help/">Tenant help</a></nav>
</div>
<div class="wrap">
{{ body|safe }}
</div>
<footer>Copperleaf Lettings Ltd, 14 Oxford Road, Manchester M1 5QA · Office 0161 496 0800 ·
  <a href="/privacy/">Privacy</a> · ARLA Propertymark protected</footer>
{% if not cookie_ok %}
<div class="cookie-note" id="cookie-note">This site uses cookies to remember your preferences.
  <button type="button" onclick="document.cookie='cl_cookies=ok; path=/; max-age=31536000';document.getElementById('cookie-note').remove()">OK</button>
</div>
{% endif %}
</body>
</html>"""

HELP = """
<h1>Tenant help</h1>
<p>Living in a Copperleaf home? Here's how to get things sorted.</p>
<ul>
  <li><a href="/tenants/repairs/">Report a repair</a> – something broken or not working</li>
  <li><a href="/help/rent/">Paying your rent</a></li>
  <li><a href="/help/moving-out/">Moving out and your deposit</a></li>
  <li><a href="/help/contact/">Contact the lettings team</a></li>
</ul>
<p><strong>Smell gas?</strong> Leave the property and call the National Gas Emergency line on 0800 111 999 straight away.</p>
"""

REPAIRS = """
<h1>Report a repair</h1>
<p>Tell us what's wrong and we'll get it to the right contractor. If something is dangerous, such as
   exposed wiring or a major leak, tell us in the description and we'll treat it as urgent.</p>
{% if form.errors %}
<div class="problem" role="alert" tabindex="-1">
  <h2>There is a problem</h2>
  <ul>{% for field in form %}{% for error in field.errors %}<li><a href="#id_{{ field.name }}">{{ error }}</a></li>{% endfor %}{% endfor %}</ul>
</div>
{% endif %}
<form method="post" action="/tenants/repairs/" aria-label="Report a repair">
  {% csrf_token %}
  <h2>Repair details</h2>
  <label for="id_name">Your name</label>{{ form.name }}
  <label for="id_email">Email address</label>{{ form.email }}
  <label for="id_postcode">Postcode of the property</label>{{ form.postcode }}
  <label for="tenancyRef">Tenancy reference</label>{{ form.tenancy_reference }}
  <p class="hint">Printed at the top of your tenancy agreement, for example CL-10482.</p>
  <label for="id_category">What needs fixing?</label>{{ form.category }}
  <label for="id_description">Describe the problem</label>{{ form.description }}
  <fieldset style="border:0;padding:0;margin:0">
    <legend>Can the contractor use our key if you're not in?</legend>
    <div class="radio"><input type="radio" id="key-yes" name="access" value="key"{% if form.data.access != 'arrange' %} checked{% endif %}> <label for="key-yes">Yes, use the office key</label></div>
    <div class="radio"><input type="radio" id="key-no" name="access" value="arrange"{% if form.data.access == 'arrange' %} checked{% endif %}> <label for="key-no">No, contact me to arrange access</label></div>
  </fieldset>
  <div class="tick" style="margin-top:14px">{{ form.confirm }} <label for="id_confirm">I confirm I am named on the tenancy agreement</label>
    {% for error in form.confirm.errors %}<div class="errorlist">{{ error }}</div>{% endfor %}</div>
  <button type="submit" class="send">Send report<i class="icon">\uf1d8</i></button>
</form>
<aside>
<form method="post" action="/newsletter/">
  {% csrf_token %}
  <h2>New homes in your inbox</h2>
  <p>Moving on soon? Be first to hear about new listings.</p>
  <label for="nl-email">Email Address *</label><input type="email" id="nl-email" name="email">
  <button type="submit">Subscribe</button>
</form>
</aside>
"""

RECEIVED = """
<h1>Repair reported</h1>
<p>Thank you, {{ report.first_name }}. Your repair reference is <strong>{{ report.reference }}</strong>.</p>
<p>Heating and hot water repairs are handled by our heating partner, Hartwell Heating Services. We've
   sent them your report, and one of their engineers will phone you to book a time.</p>
<p>Hartwell aim to visit within 3 working days of receiving a report.</p>
<p>Please quote {{ report.reference }} if you contact us about this repair.</p>
<p><a href="/help/">Back to tenant help</a></p>
"""

SIMPLE = """<h1>{{ heading }}</h1><p>{{ text }}</p><p><a href="/help/">Back to tenant help</a></p>"""


class RepairForm(forms.Form):
    name = forms.CharField(max_length=80, error_messages={"required": "Enter your name"})
    email = forms.EmailField(error_messages={"required": "Enter your email address",
                                             "invalid": "Enter an email address like name@example.com"})
    postcode = forms.CharField(max_length=10, error_messages={"required": "Enter the postcode of the property"})
    tenancy_reference = forms.CharField(max_length=20, widget=forms.TextInput(attrs={"id": "id_tenancy_reference"}),
                                        error_messages={"required": "Enter your tenancy reference"})
    category = forms.ChoiceField(choices=CATEGORIES, error_messages={"required": "Choose what needs fixing"})
    description = forms.CharField(widget=forms.Textarea(attrs={"rows": 4}),
                                  error_messages={"required": "Describe the problem"})
    confirm = forms.BooleanField(error_messages={"required": "Confirm that you are named on the tenancy agreement"})

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        self.use_required_attribute = False   # validation is done on the server only

    def full_clean(self):
        super().full_clean()
        for name in self.errors:
            self.fields[name].widget.attrs["aria-invalid"] = "true"


def render(request, title, body, status=200, **ctx):
    from django.http import HttpResponse
    from django.template import engines

    engine = engines["django"]
    inner = engine.from_string(body).render(ctx, request)
    html = engine.from_string(BASE).render({"title": title, "body": inner,
                                            "cookie_ok": request.COOKIES.get("cl_cookies")}, request)
    return HttpResponse(html, status=status)


def home(request):
    return render(request, "Home", '<h1>Homes to let in Manchester</h1><p><a href="/lettings/">Browse homes</a></p>')


def help_page(request):
    return render(request, "Tenant help", HELP)


@require_http_methods(["GET", "POST"])
def repairs(request):
    if request.method == "POST":
        form = RepairForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            reference = f"CR-{20931 + len(REPORTS)}"
            REPORTS.append({**data, "reference": reference, "first_name": data["name"].split()[0]})
            request.session["last_report"] = len(REPORTS) - 1
            return HttpResponseRedirect("/tenants/repairs/received/", status=303)
        return render(request, "Report a repair", REPAIRS, form=form)
    return render(request, "Report a repair", REPAIRS, form=RepairForm())


def received(request):
    index = request.session.get("last_report")
    if index is None or index >= len(REPORTS):
        return HttpResponseRedirect("/tenants/repairs/")
    return render(request, "Repair reported", RECEIVED, report=REPORTS[index])


def newsletter(request):
    return render(request, "Subscribed", SIMPLE, heading="You're subscribed", text="Thanks for signing up.")


def other(request, rest=""):
    return render(request, "Tenant help", SIMPLE, heading="Tenant help", text="This page is being updated.")


urlpatterns = [
    path("", home),
    path("help/", help_page),
    path("tenants/repairs/", repairs),
    path("tenants/repairs/received/", received),
    path("newsletter/", newsletter),
    path("help/<path:rest>", other),
    path("lettings/", other),
    path("landlords/", other),
    path("privacy/", other),
]


def make_app():
    if not settings.configured:
        settings.configure(
            DEBUG=False,
            ALLOWED_HOSTS=["127.0.0.1", "localhost"],
            SECRET_KEY="copperleaf-corpus-not-a-secret",
            ROOT_URLCONF=__name__,
            APPEND_SLASH=True,
            INSTALLED_APPS=["django.contrib.sessions"],
            MIDDLEWARE=[
                "django.middleware.common.CommonMiddleware",
                "django.contrib.sessions.middleware.SessionMiddleware",
                "django.middleware.csrf.CsrfViewMiddleware",
            ],
            SESSION_ENGINE="django.contrib.sessions.backends.signed_cookies",
            TEMPLATES=[{"BACKEND": "django.template.backends.django.DjangoTemplates", "DIRS": [], "APP_DIRS": False,
                        "OPTIONS": {"context_processors": ["django.template.context_processors.csrf"]}}],
            USE_TZ=True,
        )
    import django
    from django.core.wsgi import get_wsgi_application

    django.setup()
    return get_wsgi_application()
