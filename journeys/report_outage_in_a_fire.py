"""Report a service outage after a fire, with no power and no internet: the phone is all there is."""

from simsuite import journey

ACKNOWLEDGED = ("restore service by", "service will be restored by")


@journey
def report_outage_in_a_fire(customer):
    """Call the telecom, get past the menus, and learn that they know and when service is back."""
    if not customer.can_use("phone"):
        return customer.gave_up("No phone: there is no way to reach the company.")
    call = customer.phone.call("/telecom/ivr/voice")
    known = call.navigate(("outage", "fire", "service is out", "call back when service is restored"),
                          fallback=("technical support", "technician"),
                          explain="There was a giant fire on my street and my phone and internet are out.",
                          until=ACKNOWLEDGED, max_turns=20)
    call.hangup()
    known = known or call.heard_any(*ACKNOWLEDGED, whole=True)
    if known:
        return customer.resolved(known)
    customer.gave_up("Nobody acknowledged the outage or said when service will be back.")
