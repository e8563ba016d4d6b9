from _helpdesk_steps import PROBLEM, submit_ticket

from simsuite import journey


@journey
def submit_ticket_online(customer):
    """A customer whose parcel never arrived opens a ticket on the public form, without an account."""
    web = customer.web
    reference = submit_ticket(customer)
    if reference and web.has_text(PROBLEM):
        # The page is the ticket itself; the confirmation e-mail repeats its number.
        if customer.can_use("email") and customer.email.wait_for(containing=reference, within_minutes=10):
            return customer.promised(f"Ticket [{reference}] is open and the help desk e-mailed its number.")
        return customer.promised(f"Ticket [{reference}] is open.")
    customer.gave_up("The form did not give me a ticket.")
