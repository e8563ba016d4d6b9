"""Move a lab appointment: try online first; if the site will not do it, call."""

from simsuite import journey

MOVED = ("has been moved to",)


@journey
def reschedule_lab_appointment(customer):
    """Online first (manage my booking, reschedule); if that fails, phone the lab."""
    if customer.can_use("web"):
        web = customer.web
        web.goto("/lab/")
        web.click("Manage my booking")
        web.fill("Booking reference", customer.fact("booking_reference"))
        web.fill("Last name", customer.fact("name").split()[-1])
        web.click("Find my booking")
        if web.click("Reschedule appointment") and web.has_field("New date and time"):
            web.select("New date and time", "tuesday", "wednesday", "thursday")
            web.click("Confirm new time")
            moved = web.sentence_with("has been moved to")
            if moved:
                return customer.resolved(moved)

    if customer.can_use("phone"):
        call = customer.phone.call("/lab/ivr/voice")
        moved = call.navigate(("reschedule", "change appointment", "move appointment"),
                              fallback=("anything else", "speak with a person"),
                              explain="I need to move my blood test to another day.", until=MOVED)
        call.hangup()
        if moved:
            return customer.resolved(moved)
    customer.gave_up("No channel could move the appointment.")
