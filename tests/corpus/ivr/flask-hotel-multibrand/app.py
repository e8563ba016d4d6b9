"""Harborline Hotels: one voice webhook for every property's local number.

The number that was dialled (Twilio's `Called`) picks the hotel; /voice then redirects to that hotel's
menu. TwiML is rendered from Jinja templates like the rest of the site.
"""

from flask import Flask, Response, redirect, render_template_string, request, url_for

HOTELS = {
    "+12065550170": {"slug": "seattle", "name": "Harborline Hotel Seattle", "desk": "+12065550171",
                     "address": "200 Alaskan Way", "parking": "Valet parking is 48 dollars a night."},
    "+16195550180": {"slug": "san-diego", "name": "Harborline Hotel San Diego", "desk": "+16195550181",
                     "address": "1 Harbor Drive", "parking": "Self parking is 32 dollars a night."},
}
CENTRAL = {"slug": "central", "name": "Harborline Hotels", "desk": "+18005550190",
           "address": "our hotels in Seattle and San Diego", "parking": "Parking varies by hotel."}
BY_SLUG = {h["slug"]: h for h in [*HOTELS.values(), CENTRAL]}
RESERVATIONS = {"HL48213": "2 nights starting June 12 at the Harborline Hotel San Diego"}

TEMPLATE = """<?xml version="1.0" encoding="UTF-8"?>
<Response>
{%- block body %}{% endblock %}
</Response>"""

MENU = TEMPLATE.replace("{%- block body %}{% endblock %}", """
  <Gather numDigits="1" action="{{ url_for('choice', slug=hotel.slug) }}" timeout="6">
    <Say voice="Polly.Amy">Welcome to {{ hotel.name }}.For reservations, press 1.For parking and directions.Press 2.
    To check on an existing reservation, press 3.For the front desk, press 0.</Say>
  </Gather>
  <Say voice="Polly.Amy">Connecting you to the front desk.</Say>
  <Dial>{{ hotel.desk }}</Dial>""")

SAY = TEMPLATE.replace("{%- block body %}{% endblock %}", """
  <Say voice="Polly.Amy">{{ text }}</Say>
  {%- if then %}
  <Redirect>{{ then }}</Redirect>{% endif %}
  {%- if dial %}
  <Dial>{{ dial }}</Dial>{% endif %}
  {%- if hangup %}
  <Hangup/>{% endif %}""")

GATHER = TEMPLATE.replace("{%- block body %}{% endblock %}", """
  <Gather action="{{ action }}" {% if digits %}numDigits="{{ digits }}"{% else %}finishOnKey="#"{% endif %} timeout="10">
    <Say voice="Polly.Amy">{{ text }}</Say>
  </Gather>
  <Redirect>{{ back }}</Redirect>""")


def xml(template, **context):
    return Response(render_template_string(template, **context), mimetype="text/xml")


def make_app():
    app = Flask(__name__)

    @app.route("/voice", methods=["POST"])
    def voice():
        hotel = HOTELS.get(request.values.get("Called", ""), CENTRAL)
        return redirect(url_for("menu", slug=hotel["slug"]))

    @app.route("/h/<slug>/menu", methods=["GET", "POST"])
    def menu(slug):
        return xml(MENU, hotel=BY_SLUG[slug])

    @app.route("/h/<slug>/choice", methods=["POST"])
    def choice(slug):
        hotel, digit = BY_SLUG[slug], request.values.get("Digits")
        back = url_for("menu", slug=slug)
        if digit == "1":
            return redirect(url_for("reservations", slug=slug), code=308)
        if digit == "2":
            return xml(SAY, text=f"{hotel['name']} is at {hotel['address']}. {hotel['parking']}", then=back)
        if digit == "3":
            return xml(GATHER, action=url_for("lookup", slug=slug), back=back,
                       text="Please enter the five digits of your confirmation number, after the letters H L, "
                            "followed by the pound key.")
        if digit == "0":
            return xml(SAY, text="Connecting you to the front desk.", dial=hotel["desk"])
        return xml(SAY, text="Sorry, that's not a valid option.", then=back)

    @app.route("/h/<slug>/reservations", methods=["POST"])
    def reservations(slug):
        return xml(GATHER, action=url_for("nights", slug=slug), digits=4, back=url_for("menu", slug=slug),
                   text="Please enter your arrival date as four digits: two for the month and two for the day.")

    @app.route("/h/<slug>/reservations/nights", methods=["POST"])
    def nights(slug):
        return xml(GATHER, action=url_for("availability", slug=slug), digits=1, back=url_for("menu", slug=slug),
                   text="How many nights will you be staying? Enter a number from 1 to 9.")

    @app.route("/h/<slug>/reservations/availability", methods=["POST"])
    def availability(slug):
        return xml(SAY, dial=CENTRAL["desk"],
                   text="Good news, we have rooms available from 189 dollars a night. Connecting you to a "
                        "reservations agent to complete your booking.")

    @app.route("/h/<slug>/lookup", methods=["POST"])
    def lookup(slug):
        found = next((v for k, v in RESERVATIONS.items() if k[2:] == request.values.get("Digits", "")), None)
        if not found:
            return xml(SAY, text="We couldn't find that reservation.", then=url_for("menu", slug=slug))
        return xml(SAY, hangup=True,
                   text=f"We found your reservation for {found}. To make changes, please use Manage Booking on "
                        "harborline hotels dot com or in the Harborline app. Thank you for calling.")

    return app
