"""Redaction is idempotent: a text redacted twice reads as once."""

def test_redacting_twice_changes_nothing_more():
    from simsuite.core.redact import Redactor

    r = Redactor()
    once = r.text("opened /lab/booking/7/reschedule?token=abc123&x=1")
    assert once == "opened /lab/booking/7/reschedule?token=[redacted]&x=1"
    assert r.text(once) == once and r.url(r.url("/a?token=abc")) == "/a?token=[redacted]"
