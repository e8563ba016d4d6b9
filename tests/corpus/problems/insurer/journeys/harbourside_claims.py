"""Harbourside customers with an open claim who need to change something on it."""

from _harbourside import CLAIM_WANTS, ask_chat, call, track_claim

from simsuite import journey


@journey
def hs_update_claim_online_then_phone(customer):
    """Find the claim online; when the site will not change it, ring the claims line."""
    if customer.can_use("web") and track_claim(customer):
        return customer.resolved("Claim updated online")
    if customer.can_use("phone"):
        done, _ = call(customer, CLAIM_WANTS, "I need to add a second damaged ceiling to my claim.",
                       until=("has been updated",))
        if done:
            return customer.resolved(done)
    customer.gave_up("Neither the website nor the phone line would change the claim.")


@journey
def hs_update_claim_by_chat(customer):
    """A customer who cannot use the phone asks the assistant, then tries the website."""
    done = ask_chat(customer, "Hello, I need to update my claim, the builder found more damage.",
                    until=("has been updated",))
    if done:
        return customer.resolved(done)
    if customer.can_use("web") and track_claim(customer):
        return customer.resolved("Claim updated online")
    customer.gave_up("No channel the customer can use will change the claim.")


@journey
def hs_send_claim_documents(customer):
    """Send the photos and the builder's estimate: website first, then the assistant, then the phone."""
    web = customer.web
    web.goto("/")
    web.click("Accept all cookies")
    web.click("Claims")
    web.click("Send us documents")
    if web.click("Upload files"):
        return customer.resolved("Documents uploaded")
    done = ask_chat(customer, "I need to send photos and an estimate for my claim.", until=("received your",))
    if done:
        return customer.resolved(done)
    if customer.can_use("phone"):
        done, _ = call(customer, ("photos", "documents"), "I want to send photos for my claim.",
                       until=("received your",))
        if done:
            return customer.resolved(done)
    customer.gave_up("Nowhere would take the photos and the estimate.")
