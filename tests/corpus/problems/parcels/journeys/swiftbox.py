"""Swiftbox customers: a missed delivery with no card, a safe place, a damaged parcel."""

from simsuite import journey


def chat_about(customer, *messages, until=()):
    chat = customer.chat.connect("/")
    done = None
    for message in messages:
        if not chat.active:
            break
        chat.send(message)
        if customer.knows("booking_reference") and chat.asked_for:
            chat.answer(chat.asked_for[0])
        done = chat.heard_any(*until) if until else None
        if done:
            break
    chat.end()
    return done


@journey
def sb_rearrange_without_card(customer):
    """No card came through the door: track the parcel, try to rearrange online, then ask Sam."""
    web = customer.web
    web.goto("/")
    web.click("OK")
    web.fill("Tracking number", customer.fact("tracking_number"))
    web.click("Track")
    web.click("Rearrange delivery")
    if customer.knows("booking_reference"):
        web.fill("Card reference number", customer.fact("booking_reference"))
    web.fill("Postcode", customer.fact("postcode"))
    web.click("Find my parcel")
    done = chat_about(customer, "Hi, I missed a delivery and want it redelivered tomorrow.",
                      until=("has been rearranged",))
    if done:
        return customer.resolved(done)
    customer.gave_up("The parcel is still at the depot.")


@journey
def sb_safe_place(customer):
    """Away all day: ask for the parcel to be left in the porch, online then in the chat."""
    web = customer.web
    web.goto("/")
    web.click("OK")
    web.click("Choose a safe place")
    if web.click("Set a safe place"):
        return customer.resolved("Safe place set")
    done = chat_about(customer, "Can you leave my parcel in the porch tomorrow?", until=("safe place has been set",))
    if done:
        return customer.resolved(done)
    customer.gave_up("No safe place could be set without the app.")


@journey
def sb_damaged_parcel(customer):
    """The parcel arrived crushed: find out how to claim, online then in the chat, then ask for a person."""
    web = customer.web
    web.goto("/")
    web.click("OK")
    web.click("Report a damaged or missing parcel")
    if web.click("Start a claim"):
        return customer.resolved("Claim started")
    chat_about(customer, "My parcel arrived damaged, the box was crushed.", "Can I talk to a person?")
    customer.gave_up("Swiftbox will not take the claim.")


@journey
def sb_chat_only(customer):
    """On a phone at work: ask Sam to redeliver, and to leave it in the porch if nobody is in."""
    done = chat_about(customer, "I missed a delivery yesterday, can you redeliver it?", until=("has been rearranged",))
    chat_about(customer, "If I'm out, can you leave it in the porch?")
    if done:
        return customer.resolved(done)
    customer.gave_up("Neither redelivery nor a safe place.")
