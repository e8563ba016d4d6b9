"""Synthetic customers made with Faker from a seed: the same seed gives the same customers."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any

from faker import Faker

from ..errors import MissingFact

CHANNELS: tuple[str, ...] = ("web", "phone", "chat", "email", "sms", "app", "in_person")
SITUATIONS: dict[str, frozenset[str]] = {
    # situation (how a scenario may start a `situation:` entry) -> channels it takes away
    "no power or internet": frozenset({"web", "email", "chat", "app"}),
    "no email": frozenset({"email"}),
    "hard of hearing": frozenset({"phone"}),
    "outside business hours": frozenset({"in_person"}),
}
FACTS: tuple[str, ...] = (
    "name",
    "email",
    "phone",
    "address",
    "postcode",
    "date_of_birth",
    "booking_reference",
    "account_number",
)


@dataclass(frozen=True)
class Persona:
    """One synthetic customer: who they are, the channels they can use now and the facts they know."""

    id: str
    name: str
    records: dict[str, str]
    channels: frozenset[str]
    knows: frozenset[str]
    locale: str = "en_US"
    situation: tuple[str, ...] = field(default_factory=tuple)
    secrets: frozenset[str] = frozenset()  # facts never written down (a password): redacted everywhere

    def can_use(self, channel: str) -> bool:
        """Whether the customer can use this channel right now."""
        return channel in self.channels

    @property
    def outside_business_hours(self) -> bool:
        """Whether the customer can only act outside the company's business hours."""
        return "outside business hours" in situation_keys(self.situation)

    def knows_fact(self, fact: str) -> bool:
        """Whether the customer knows this fact (their records may hold facts they never learned)."""
        return fact in self.knows

    def fact(self, name: str) -> str:
        """The value of a fact the customer knows; asking for one they do not know is a script error."""
        if name not in self.knows:
            raise MissingFact(f"this customer does not know their {name.replace('_', ' ')}. Fix: check "
                              f"customer.knows({name!r}) first, or give the scenario's persona the fact "
                              f"(knows: [...] or facts: {{{name}: ...}})")
        return self.records[name]

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "name": self.name,
            "locale": self.locale,
            "channels": sorted(self.channels),
            "knows": sorted(self.knows),
            "situation": list(self.situation),
            "records": {k: ("[secret]" if k in self.secrets else v) for k, v in self.records.items()},
        }

    def personal_values(self) -> list[str]:
        """The values of the facts this customer knows, masked wherever a URL carries them."""
        return [self.records[k] for k in self.knows if k not in self.secrets and self.records.get(k)]

    def secret_values(self) -> list[str]:
        """The values of this customer's secret facts, for redaction."""
        return [self.records[k] for k in self.secrets if self.records.get(k)]

    def with_facts(self, facts: dict[str, str], *, secret: bool = False) -> "Persona":
        """This customer knowing these facts too, with these values (secret ones are never written down)."""
        if not facts:
            return self
        return replace(self, records={**self.records, **facts}, knows=self.knows | frozenset(facts),
                       secrets=self.secrets | frozenset(facts) if secret else self.secrets)


def situation_keys(situation: tuple[str, ...] | list[str]) -> list[str]:
    """The known situations among free-text entries ("no power or internet since the fire" -> "no power...")."""
    found = []
    for entry in situation:
        text = " ".join(entry.replace("_", " ").lower().split())
        found.extend(key for key in SITUATIONS if text.startswith(key))
    return found


def channels_in_situation(channels: tuple[str, ...] | list[str], situation: tuple[str, ...] | list[str]) -> frozenset[str]:
    """The channels left to a customer once their situation takes some away."""
    left = set(channels)
    for key in situation_keys(situation):
        left -= SITUATIONS[key]
    return frozenset(left)


def _place(fake: Faker) -> dict[str, str]:
    """Where the customer lives, as Twilio reports a caller: city, state (or region) and country code."""
    region = next((getattr(fake, name)() for name in ("state_abbr", "administrative_unit", "county", "region")
                   if hasattr(fake, name)), "")
    return {"city": fake.city(), "state": region, "country": fake.current_country_code()}


def _stable_seed(*parts: object) -> int:
    digest = hashlib.sha256("/".join(map(str, parts)).encode()).digest()
    return int.from_bytes(digest[:8], "big")


_BORN_FROM, _BORN_UNTIL = date(1936, 1, 1), date(2006, 12, 31)


def make_persona(
    seed: int,
    key: str,
    number: int = 0,
    *,
    channels: list[str] | tuple[str, ...] = CHANNELS,
    knows: list[str] | tuple[str, ...] = FACTS,
    locale: str = "en_US",
    situation: list[str] | tuple[str, ...] = (),
) -> Persona:
    """Make persona `number` of `key` (usually a scenario name) reproducibly from `seed`."""
    fake = Faker(locale)
    fake.seed_instance(_stable_seed(seed, key, number))
    name = fake.name()
    records = {
        "name": name,
        "email": fake.email(),
        "phone": "+1" + fake.numerify("555#######"),
        "address": fake.street_address(),
        "postcode": fake.postcode(),
        # between fixed dates, not "18 to 90 years before today": the same seed makes the same customer every day
        "date_of_birth": fake.date_between_dates(_BORN_FROM, _BORN_UNTIL).isoformat(),
        "booking_reference": fake.numerify("7#######"),
        "account_number": fake.numerify("4#########"),
    }
    records.update(_place(fake))
    return Persona(
        id=f"p{number + 1}-{records['booking_reference'][-4:]}",
        name=name,
        records=records,
        channels=channels_in_situation(channels, situation),
        knows=frozenset(knows),
        locale=locale,
        situation=tuple(situation),
    )
