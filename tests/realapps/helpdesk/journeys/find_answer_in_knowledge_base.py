from simsuite import journey


@journey
def find_answer_in_knowledge_base(customer):
    """Before writing in, the customer looks in the knowledge base for how long delivery takes."""
    web = customer.web
    web.goto("/")
    web.click("Knowledge Base")
    if web.has_field("Search"):
        web.fill("Search", "where is my order")
        web.click("Search")
    else:
        web.click("Orders and delivery")
    web.click("Where is my order?")
    if answer := web.sentence_with("working days"):
        return customer.resolved(answer)
    customer.gave_up("The knowledge base did not say when my order would arrive.")
