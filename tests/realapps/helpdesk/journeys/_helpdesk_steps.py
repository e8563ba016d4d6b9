"""Steps the help desk journeys share: submitting the public "Submit a Ticket" form."""

import re

PROBLEM = "My parcel never arrived"
DETAILS = ("I ordered a kettle ten days ago. The tracking page has said 'in transit' for a week "
           "and nobody has been in touch.")


def submit_ticket(customer, summary=PROBLEM, details=DETAILS):
    """Fill the public form on the home page; return the ticket reference the help desk shows, or None."""
    web = customer.web
    web.goto("/")
    web.select("Queue", "customer support", "orders", "delivery")
    web.fill("Summary of the problem", summary)
    web.fill("Description of your issue", details)
    if customer.knows("email"):
        web.fill("Your E-Mail Address", customer.fact("email"))
    if not web.click("Submit Ticket"):
        return None
    # The help desk answers with the ticket itself: "[support-2] . My parcel never arrived [Open]"
    match = re.search(r"\[([a-z0-9-]+-\d+)\]", web.text)
    return match.group(1) if match else None
