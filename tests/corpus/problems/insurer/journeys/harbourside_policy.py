"""Harbourside customers managing their policy: cancelling, renewing after a claim, moving house."""

from _harbourside import ask_chat, call, track_claim

from simsuite import journey


@journey
def hs_cancel_policy(customer):
    """Cancel the policy (the house is sold): the website, then the phone option it names."""
    web = customer.web
    web.goto("/")
    web.click("Accept all cookies")
    web.click("My policy")
    web.click("Cancel my policy")
    if web.click("Cancel policy"):
        return customer.resolved("Policy cancelled online")
    if customer.can_use("phone"):
        _, line = call(customer, ("cancel your policy", "cancel"), "I've sold the house and want to cancel.")
        if line.transfers:
            return customer.promised("Put through to the customer loyalty team to cancel.")
    customer.gave_up("The policy is still running.")


@journey
def hs_cancel_by_chat(customer):
    """A customer without a phone tries to cancel through the assistant, then asks for a person."""
    ask_chat(customer, "Hi, I want to cancel my home insurance, I've moved abroad.")
    chat = customer.chat.connect("/")
    chat.send("Can I talk to a person please?")
    chat.send("I want to cancel my policy.")
    chat.end()
    customer.gave_up("The chat will not cancel the policy and the customer cannot call.")


@journey
def hs_renew_after_claim(customer):
    """Renewal is near and a claim is open: check the claim, try to renew online, then ask the assistant."""
    track_claim(customer)
    web = customer.web
    web.click("My policy")
    web.click("Renew my policy")
    if web.click("Renew now"):
        return customer.resolved("Renewed online")
    done = ask_chat(customer, "Can I get a renewal quote please?", until=("requested a renewal quote",))
    if done:
        return customer.resolved(done)
    customer.gave_up("No renewal quote.")


@journey
def hs_change_address(customer):
    """Moving house: update the address online (the way that works)."""
    web = customer.web
    web.goto("/")
    web.click("Accept all cookies")
    web.click("My policy")
    web.click("Change my address")
    web.fill("New address", customer.fact("address"))
    web.fill("Postcode", customer.fact("postcode"))
    web.click("Update address")
    done = web.sentence_with("has been updated")
    if done:
        return customer.resolved(done)
    customer.gave_up("The address did not change.")
