"""Brightwater Energy customers: moving home, meter readings, Direct Debits and a complaint."""

from simsuite import journey

MENU_FALLBACK = ("anything else",)


def open_site(customer, link):
    web = customer.web
    web.goto("/")
    web.click("Accept cookies")
    web.click(link)
    return web


def ring(customer, wants, explain, until=()):
    call = customer.phone.call("/ivr/voice")
    done = call.navigate(wants, fallback=MENU_FALLBACK, explain=explain, until=until, max_turns=6)
    call.hangup()
    return done


@journey
def bw_move_home(customer):
    """Tell the supplier about a move: the website first, then the phone line it names."""
    if customer.can_use("web"):
        web = open_site(customer, "I'm moving home")
        if web.click("Tell us you're moving"):
            return customer.resolved("Move booked online")
    if customer.can_use("phone"):
        done = ring(customer, ("moving home", "moving"), "I'm moving out on the 14th.", until=("final reading",))
        if done:
            return customer.resolved(done)
    customer.gave_up("Nobody took the moving date.")


@journey
def bw_meter_reading(customer):
    """Give a meter reading without the account number (the bill never arrived): online, then by phone."""
    if customer.can_use("web"):
        web = open_site(customer, "Submit a meter reading")
        if customer.knows("account_number"):
            web.fill("Account number", customer.fact("account_number"))
        web.fill("Meter reading", "04217")
        web.click("Submit reading")
        if done := web.sentence_with("has been received"):
            return customer.resolved(done)
    if customer.can_use("phone"):
        done = ring(customer, ("meter reading",), "I want to give a meter reading.", until=("has been received",))
        if done:
            return customer.resolved(done)
    customer.gave_up("The reading was not taken.")


@journey
def bw_change_bank(customer):
    """Move the Direct Debit to a new bank account: online, then by phone."""
    web = open_site(customer, "Change my Direct Debit")
    if web.click("Change bank details"):
        return customer.resolved("Bank details changed online")
    if customer.can_use("phone"):
        done = ring(customer, ("direct debits", "payments"), "I want to change my bank details.",
                    until=("has been updated",))
        if done:
            return customer.resolved(done)
    customer.gave_up("The Direct Debit still comes from the old account.")


@journey
def bw_complaint(customer):
    """Complain about an estimated bill: look for the chat, use the complaint form, and chase by phone later."""
    web = open_site(customer, "Help")
    web.click("Complaints")
    web.fill("Tell us what went wrong", "My bill is estimated although I sent a reading every month.")
    web.fill("Email address", customer.fact("email"))
    web.click("Send complaint")
    customer.later(days=12)
    if customer.can_use("phone"):
        done = ring(customer, ("complaint",), "I'm chasing a complaint about my bill.", until=("call you back",))
        if done:
            return customer.promised(done)
    customer.gave_up("No answer to the complaint.")


@journey
def bw_complaint_by_phone(customer):
    """Complain by phone with the account number to hand."""
    done = ring(customer, ("complaint",), "I want to complain about my bill.", until=("call you back",))
    if done:
        return customer.promised(done)
    customer.gave_up("The complaint was not taken.")
