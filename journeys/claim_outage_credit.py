"""Claim a credit for the days without service: check the bill online, then call billing."""

from simsuite import journey

CREDITED = ("credit of", "credit has already been applied", "credited")


@journey
def claim_outage_credit(customer):
    """Look for the outage credit on the bill online; if it cannot be had there, call billing."""
    if customer.can_use("web"):
        web = customer.web
        web.goto("/telecom/")
        web.click("Billing")
        web.fill("Account number", customer.fact("account_number"))
        web.fill("Postcode", customer.fact("postcode"))
        web.click("View my bill")
        credit = web.sentence_with("outage credit of")
        if credit:
            return customer.resolved(credit)

    if customer.can_use("phone"):
        call = customer.phone.call("/telecom/ivr/voice")
        credit = call.navigate(("credit", "billing"), fallback=("anything else",),
                               explain="I want the credit for the days my service was out.", until=CREDITED)
        call.hangup()
        if credit:
            return customer.resolved(credit)
    customer.gave_up("No credit for the outage.")
