"""Privacy by default: what a run writes down never holds a secret or a customer's e-mail address in a URL.

Every step, friction and outcome passes through a `Redactor` as it is recorded, so results, reports,
history, alerts and the terminal only ever see the redacted words:

- query parameters that carry secrets (`key`, `token`, `secret`, `password`, `code`, `session`, `email`
  and their kin, plus any a run adds) keep their name and lose their value: `?key=[redacted]`;
- credentials in a URL (`https://user:pass@host/`) are dropped: `https://[credentials]@host/`;
- an e-mail address inside a URL is masked: `/track/j***@example.com`;
- the customer's own facts (a car registration, an order number) are masked where a URL carries them;
- the values of the customer's secret facts (a password given by the scenario) never appear anywhere.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from urllib.parse import quote, quote_plus, unquote, urlsplit, urlunsplit

SECRET_PARAMS: tuple[str, ...] = (
    "key", "token", "secret", "password", "passwd", "pwd", "pass", "code", "session", "sessionid", "sid",
    "auth", "authorization", "signature", "sig", "apikey", "api_key", "access_token", "refresh_token",
    "otp", "pin", "email", "e-mail", "mail", "csrf", "csrfmiddlewaretoken", "csrftoken", "xsrf", "_token",
    "authenticity_token", "nonce",
)
"""Query parameters whose values are redacted (also as the last part of a longer name: `reset_token`,
except the short words that end harmless names too: `zip_code`, `bypass`)."""
_EXACT_ONLY = frozenset({"code", "pass", "pin", "mail", "sig", "sid", "otp", "auth"})

REDACTED = "[redacted]"
SECRET = "[secret]"
_URL = re.compile(r"\b(?:https?|ftp)://[^\s\"'<>)\]]+|(?<![\w/.])/[^\s\"'<>?]*\?[^\s\"'<>)\]]+", re.I)
_EMAIL = re.compile(r"([A-Za-z0-9._%+-])[A-Za-z0-9._%+-]*@([A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+)")
_PART = re.compile(r"[-_.]")


class Redactor:
    """Redacts secret query parameters, URL credentials, e-mail addresses in URLs and secret values."""

    def __init__(self, params: Iterable[str] = SECRET_PARAMS, secrets: Iterable[str] = (),
                 personal: Iterable[str] = ()) -> None:
        self.params = frozenset(p.lower() for p in params)
        self.secrets = sorted({s for s in secrets if s and len(s) >= 3}, key=len, reverse=True)
        self.personal = sorted({p for p in personal if p and len(p) >= 4}, key=len, reverse=True)
        self._personal_forms = [(form, value[0] + "***") for value in self.personal
                                for form in dict.fromkeys((value, quote(value, safe=""), quote_plus(value)))]

    def with_secrets(self, values: Iterable[str]) -> "Redactor":
        """The same redactor, also hiding these values."""
        return Redactor(self.params, [*self.secrets, *values], self.personal)

    def is_secret_param(self, name: str) -> bool:
        """Whether a query parameter's value is to be redacted."""
        low = name.lower()
        last = _PART.split(low)[-1]
        return low in self.params or (last in self.params and last not in _EXACT_ONLY)

    def url(self, url: str) -> str:
        """A URL (absolute or a path) with its secrets and e-mail addresses redacted."""
        if not url or ("?" not in url and "@" not in url and "%40" not in url and not self._personal_in(url)):
            return self._hide(url) if url else url
        parts = urlsplit(url)
        netloc = parts.netloc
        if "@" in netloc:
            netloc = "[credentials]@" + netloc.rsplit("@", 1)[1]
        query = "&".join(self._pair(piece) for piece in parts.query.split("&")) if parts.query else ""
        path = _mask_emails(parts.path) if "@" in unquote(parts.path) else parts.path
        return self._hide(self._mask_personal(urlunsplit((parts.scheme, netloc, path, query, parts.fragment))))

    def _personal_in(self, url: str) -> bool:
        return any(form in url for form, _ in self._personal_forms)

    def _mask_personal(self, url: str) -> str:
        """The customer's own facts (a car registration, an order number) masked where a URL's path, query
        or fragment carries them as a whole word (never inside a host name, a port or a longer number)."""
        if not self._personal_in(url):
            return url
        parts = urlsplit(url)
        rest = [parts.path, parts.query, parts.fragment]
        for form, mask in self._personal_forms:
            pattern = re.compile(r"(?<![A-Za-z0-9])" + re.escape(form) + r"(?![A-Za-z0-9])")
            rest = [pattern.sub(mask, piece) for piece in rest]
        return urlunsplit((parts.scheme, parts.netloc, *rest))

    def _pair(self, piece: str) -> str:
        name, sep, value = piece.partition("=")
        if sep and value and self.is_secret_param(unquote(name)) and value not in (REDACTED, REDACTED[:-1]):
            return f"{name}={REDACTED}"
        return _mask_emails(piece)

    def text(self, text: str) -> str:
        """Free text: every URL in it redacted, and every secret value hidden."""
        if not text:
            return text
        if "://" in text or "?" in text:  # absolute URLs, and paths with a query ("opened /view/?key=...")
            text = _URL.sub(lambda m: self.url(m.group(0)), text)
        return self._hide(text)

    def _hide(self, text: str) -> str:
        for value in self.secrets:
            if value in text:
                text = text.replace(value, SECRET)
        return text


def _mask_emails(text: str) -> str:
    """Each e-mail address as its first letter and domain: j***@example.com (also when written %40)."""
    if "%40" in text:
        text = text.replace("%40", "@")
    return _EMAIL.sub(lambda m: f"{m.group(1)}***@{m.group(2)}", text) if "@" in text else text
