"""Harbor Point Motors: sales, service and parts line for one store of a dealer group (Flask).

The group's numbers all point at /incoming, which picks the store from the number that was called and
redirects (302) to that store's menu. The menu handler hands service-status calls to the lookup page
with redirect(..., 303). The finance branch reads the store's lender from a config dict that the group
never filled in for this store, so Flask answers its standard HTML "500 Internal Server Error" page.
"""

from xml.sax.saxutils import escape

from flask import Flask, redirect, request, url_for

FRONT_DESK = "+14145550100"
SALES = "+14145550111"
SERVICE_DESK = "+14145550122"

STORES = {"harbor-point": {"name": "Harbor Point Motors", "advisor_line": "+14145550123"}}   # no "lender_id"
LENDERS = {"hp-credit-union": "Harbor Point Credit Union"}

# repair order number -> status the service advisor typed in the dealer management system
REPAIR_ORDERS = {
    "551093": {"advisor": "Karen",
               "status": "Your 2019 Subaru Outback is with our technician, Dave. We're waiting on a replacement "
                         "water pump, which arrives tomorrow morning. We expect your vehicle to be ready by "
                         "4 PM tomorrow, and we'll send you a text when it is."},
}


def xml(*verbs):
    return ('<?xml version="1.0" encoding="UTF-8"?><Response>' + "".join(verbs) + "</Response>",
            200, {"Content-Type": "text/xml"})


def say(text):
    return f"<Say>{escape(text)}</Say>"


def make_app():
    app = Flask(__name__)

    @app.route("/incoming", methods=["GET", "POST"])
    def incoming():
        # one store for now; the group will add more stores keyed by request.values["Called"]
        return redirect(url_for("store_menu", store="harbor-point"))

    @app.route("/store/<store>/menu", methods=["GET", "POST"])
    def store_menu(store):
        shop = STORES[store]
        return xml(
            f'<Gather numDigits="1" action="{url_for("store_route", store=store)}" timeout="6">',
            say(f"Thank you for calling {shop['name']}. Calls may be recorded for quality. "
                "For sales, dial 1. For service and repair status, dial 2. For parts, dial 3. "
                "For financing and your auto loan, dial 4. For hours and directions, dial 5. "
                "To schedule a service appointment, dial 6."),
            "</Gather>",
            say("Let me get someone from our front desk."),
            f"<Dial>{FRONT_DESK}</Dial>",
        )

    @app.route("/store/<store>/route", methods=["POST"])
    def store_route(store):
        digit = request.form.get("Digits", "")
        back = url_for("store_menu", store=store)
        if digit == "1":
            return xml(say("Connecting you to a sales consultant."), f"<Dial>{SALES}</Dial>")
        if digit == "2":
            return redirect(url_for("service_status", store=store), code=303)
        if digit == "3":
            return xml(say("Our parts counter now takes orders by text message. Please text your VIN and the "
                           "part you need to 4 1 4, 5 5 5, 0 1 9 0, and a parts specialist will reply with a "
                           "price and availability. Goodbye."),
                       "<Hangup/>")
        if digit == "4":
            lender = LENDERS[STORES[store]["lender_id"]]
            return xml(say(f"Financing for {STORES[store]['name']} is provided by {lender}."),
                       f"<Redirect>{back}</Redirect>")
        if digit == "5":
            return xml(say("Our service department is open Monday through Friday, 7 AM to 6 PM, and Saturday, "
                           "8 AM to 2 PM. Sales is open until 8 PM on weekdays. We're at 2100 Harbor Drive, "
                           "across from the marina. You can also book service online at harbor point motors "
                           "dot com."),
                       f"<Redirect>{back}</Redirect>")
        if digit == "6":
            return xml(say("All of our service advisors are currently helping customers. After the tone, please "
                           "leave your name, phone number, vehicle, and the day you'd like to come in. An "
                           "advisor will call you back within 3 hours during business hours."),
                       f'<Record maxLength="120" action="{url_for("voicemail_saved", store=store)}"/>')
        return xml(say("Sorry, that's not a valid choice."), f"<Redirect>{back}</Redirect>")

    @app.route("/store/<store>/service", methods=["GET", "POST"])
    def service_status(store):
        return xml(
            f'<Gather action="{url_for("service_lookup", store=store)}" finishOnKey="#" timeout="10">',
            say("Please enter your six digit repair order number, then press pound. "
                "If you don't have it, press zero."),
            "</Gather>",
            f"<Redirect>{url_for('store_menu', store=store)}</Redirect>",
        )

    @app.route("/store/<store>/service/lookup", methods=["POST"])
    def service_lookup(store):
        ro = request.form.get("Digits", "")
        order = REPAIR_ORDERS.get(ro)
        if order is None:
            return xml(say("No problem. Transferring you to the service desk."), f"<Dial>{SERVICE_DESK}</Dial>")
        return xml(
            say("Thanks. " + order["status"]),
            f'<Gather numDigits="1" action="{url_for("service_after", store=store, ro=ro)}" timeout="6">',
            say("To speak with your service advisor, dial 1. To return to the main menu, dial 9."),
            "</Gather>",
            say(f"Thank you for calling {STORES[store]['name']}. Goodbye."),
        )

    @app.route("/store/<store>/service/after", methods=["POST"])
    def service_after(store):
        order = REPAIR_ORDERS.get(request.args.get("ro", ""), {})
        if request.form.get("Digits") == "1" and order:
            return xml(say(f"One moment while I connect you to {order['advisor']}, your service advisor."),
                       f"<Dial><Number>{STORES[store]['advisor_line']}</Number></Dial>")
        return redirect(url_for("store_menu", store=store))

    @app.route("/store/<store>/voicemail-saved", methods=["POST"])
    def voicemail_saved(store):
        return xml(say("Thank you. Your message has been saved. Goodbye."), "<Hangup/>")

    return app
