from _helpdesk_steps import PROBLEM, submit_ticket

from simsuite import journey


@journey
def look_up_ticket_two_days_later(customer):
    """Two days after opening a ticket, the customer checks on it with its reference and their e-mail."""
    reference = submit_ticket(customer)
    if not reference:
        return customer.gave_up("I never got a ticket reference.")

    customer.later(days=2)  # back on the help desk's home page, the "View a Ticket" box
    web = customer.web
    web.goto("/")
    web.fill("Ticket", reference)
    web.fill("Your E-mail Address", customer.fact("email"))
    web.click("View Ticket")
    if web.has_text(PROBLEM):
        return customer.resolved(web.sentence_with(PROBLEM))

    # The help desk's e-mail has a link to the ticket.
    mail = customer.email.wait_for(containing=reference, within_minutes=60)
    if mail:
        customer.email.follow(mail, "/view/?ticket=")
        if web.has_text(PROBLEM):
            return customer.resolved(web.sentence_with(PROBLEM))
    customer.gave_up("I could not see my ticket with its reference and my e-mail address.")
