"""Move a lab appointment from a phone's chat: chat first, then whatever the company sends you to."""

from _lab_steps import by_chat, by_phone

from simsuite import journey


@journey
def reschedule_via_chat(customer):
    """Chat with the lab's assistant; if it cannot help, call; if the call sends an email, use its link."""
    if customer.can_use("chat") and by_chat(customer):
        return
    if customer.can_use("phone") and by_phone(customer):
        return
    customer.gave_up("Chat, phone and email could not move the appointment.")
