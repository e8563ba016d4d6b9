"""Report the outage in the telecom's chat, for a customer who cannot use the phone."""

from simsuite import journey

ACKNOWLEDGED = ("restore service by",)


@journey
def report_outage_by_chat(customer):
    """Tell the chat that service is out; if it sends you to the website, look there."""
    chat = customer.chat.connect("/telecom/chat")
    chat.send("Hello, my internet and landline have been out since the fire on my street.")
    known = chat.navigate(("outage", "fire", "service is out"), fallback=("technical support",),
                          until=ACKNOWLEDGED, max_turns=4)
    chat.end()
    if known:
        return customer.resolved(known)
    if customer.can_use("web"):
        customer.web.goto("/telecom/outages")
        known = customer.web.sentence_with("restore service by")
        if known:
            return customer.resolved(known)
    customer.gave_up("Neither the chat nor the website acknowledged the outage.")
