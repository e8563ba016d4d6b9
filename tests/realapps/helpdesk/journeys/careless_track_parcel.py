from simsuite import journey


@journey
def careless_track_parcel(customer):
    """A careless script: it names a button the help desk does not have ("Track my parcel")."""
    web = customer.web
    web.goto("/")
    if web.click("Track my parcel") and (status := web.sentence_with("delivered")):
        return customer.resolved(status)
    customer.gave_up("There is no way to track a parcel on the help desk.")
