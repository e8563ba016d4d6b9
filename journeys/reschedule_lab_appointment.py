"""Move a lab appointment: try online first; if the site will not do it, call."""

from _lab_steps import by_phone, online

from simsuite import journey


@journey
def reschedule_lab_appointment(customer):
    """Online first (manage my booking, reschedule); if that fails, phone the lab and do what it says."""
    if customer.can_use("web") and online(customer):
        return
    if customer.can_use("phone") and by_phone(customer):
        return
    customer.gave_up("No channel could move the appointment.")
