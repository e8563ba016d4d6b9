"""Steps the lab journeys share: how a customer tries to move a lab appointment in each channel.

Each returns True once the appointment is moved (and records the outcome), False to try elsewhere.
"""

MOVED = ("has been moved to",)
WANTS = ("reschedule", "change appointment", "move appointment")
NEW_TIMES = ("tuesday", "wednesday", "thursday")
EXPLAIN = "I need to move my blood test to another day."


def pick_new_time(customer):
    """On a reschedule page: choose a time that fits and confirm it."""
    web = customer.web
    if not web.has_field("New date and time"):
        return False
    web.select("New date and time", *NEW_TIMES)
    web.click("Confirm new time")
    moved = web.sentence_with("has been moved to")
    if moved:
        customer.resolved(moved)
    return bool(moved)


def online(customer):
    """Manage my booking on the website, then reschedule."""
    web = customer.web
    web.goto("/lab/")
    web.click("Manage my booking")
    web.fill("Booking reference", customer.fact("booking_reference"))
    web.fill("Last name", customer.fact("name").split()[-1])
    web.click("Find my booking")
    return web.click("Reschedule appointment") and pick_new_time(customer)


def by_chat(customer):
    """Ask the lab's chat assistant, answering what it asks and taking a time it offers."""
    chat = customer.chat.connect("/lab/chat")
    chat.send("Hello, " + EXPLAIN[0].lower() + EXPLAIN[1:])
    moved = chat.navigate(NEW_TIMES, until=MOVED, max_turns=6)
    chat.end()
    if moved:
        customer.resolved(moved)
    return bool(moved)


def by_phone(customer):
    """Call the lab; if they email a link instead, follow it."""
    call = customer.phone.call("/lab/ivr/voice")
    moved = call.navigate(WANTS, fallback=("anything else", "speak with a person"), explain=EXPLAIN, until=MOVED)
    call.hangup()
    if moved:
        customer.resolved(moved)
        return True
    if call.heard_any("emailed you") and customer.can_use("email"):
        return by_emailed_link(customer)
    return False


def by_emailed_link(customer):
    """Wait for the lab's email and use the link in it."""
    mail = customer.email.wait_for(containing="reschedule", within_minutes=30)
    return bool(mail) and customer.can_use("web") and customer.email.follow(mail, "reschedule") \
        and pick_new_time(customer)
