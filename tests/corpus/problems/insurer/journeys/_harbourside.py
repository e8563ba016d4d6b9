"""Steps the Harbourside journeys share: one per channel, each returning what the company said that ends it."""

CLAIM_WANTS = ("amend an existing claim", "amend", "update", "existing claim")


def track_claim(customer):
    """Look the claim up on the website; return True if the page lets the customer change it."""
    web = customer.web
    web.goto("/")
    web.click("Accept all cookies")
    web.click("Claims")
    web.click("Track or update a claim")
    web.fill("Claim reference", customer.fact("claim_reference"))
    web.click("Find my claim")
    return bool(web.click("Update my claim"))


def ask_chat(customer, message, *, until=(), follow_up=None):
    """Open Harbour Help, say what is needed, optionally ask again; return the sentence matching `until`."""
    chat = customer.chat.connect("/")
    chat.send(message)
    done = chat.heard_any(*until) if until else None
    if not done and follow_up:
        chat.send(follow_up)
        done = chat.heard_any(*until) if until else None
    chat.end()
    return done


def call(customer, wants, explain, until=()):
    """Call the claims line and take the option that fits; return the sentence matching `until`, if any."""
    line = customer.phone.call("/ivr/voice")
    done = line.navigate(wants, fallback=("anything else",), explain=explain, until=until, max_turns=6)
    line.hangup()
    return done, line
