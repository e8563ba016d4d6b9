"""The phone channel: calls an IVR over HTTP, the way Twilio (TwiML) or a VoiceXML 2.1 browser does.

- `PhoneChannel` places calls; `Call` is the caller's API (press, say, wait, answer, choose, navigate).
- `IvrLeg` is the IVR's side of one call: it fetches documents within bounds and records each step.
- Dialects (`DIALECTS`: TwiML, VoiceXML, or a plugin's) run documents, chosen by each document's root.
- `driver` places calls for the explorers without a journey script.
"""

from .call import Call
from .channel import PhoneChannel
from .dialect import DIALECTS, Dialect
from .leg import IvrLeg, Listener, new_http_client
from .twiml import TwimlDialect
from .voicexml import VoiceXmlDialect

DIALECTS.register("twiml", TwimlDialect)
DIALECTS.register("voicexml", VoiceXmlDialect)

__all__ = ["DIALECTS", "Call", "Dialect", "IvrLeg", "Listener", "PhoneChannel", "TwimlDialect", "VoiceXmlDialect",
           "new_http_client"]
