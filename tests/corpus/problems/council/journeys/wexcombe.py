"""Wexcombe residents: a missed bin, a replacement bin, resident and visitor parking permits."""

from simsuite import journey


def start(customer, link):
    web = customer.web
    web.goto("/")
    web.click("Accept analytics cookies")
    web.click(link)
    return web


@journey
def wx_missed_bin(customer):
    """The bin was not emptied this morning: report it."""
    web = start(customer, "Bins and recycling")
    web.click("Report a missed bin collection")
    web.fill("Postcode", customer.fact("postcode"))
    web.select("Which bin was missed?", "black", "general waste")
    web.click("Report missed bin")
    if done := web.sentence_with("has been reported") or web.sentence_with("we'll collect"):
        return customer.resolved(done)
    customer.gave_up("The missed bin could not be reported today.")


@journey
def wx_replacement_bin(customer):
    """The bin lorry broke the lid: order a replacement, after checking the missed-bin rules."""
    web = start(customer, "Bins and recycling")
    web.click("Order a new or replacement bin")
    web.click("Sign in to My Wexcombe")
    if customer.knows("username"):
        web.fill("Username", customer.fact("username"))
    if web.click("Create an account"):
        return customer.resolved("Account created")
    customer.gave_up("No way to order a bin without an account.")


@journey
def wx_resident_permit(customer):
    """New to the street: apply for a resident parking permit."""
    web = start(customer, "Parking")
    web.click("Apply for a resident parking permit")
    if web.click("Apply now"):
        return customer.resolved("Applied online")
    customer.gave_up("A permit needs a trip to the Civic Centre.")


@journey
def wx_visitor_permit(customer):
    """Family visiting at the weekend: get visitor permits, then look at the resident permit too."""
    web = start(customer, "Parking")
    web.click("Visitor parking permits")
    if web.click("Buy visitor permits"):
        return customer.resolved("Bought online")
    web.click("Parking")
    web.click("Apply for a resident parking permit")
    customer.gave_up("Visitor permits only at the Civic Centre.")
