"""Channel adapters and their registry: web, phone, chat and email, and any a user's package adds.

A channel is made for one journey from a narrow `ChannelContext` (journal, clock, target, persona,
phrases), never from the whole customer. Channels that talk (phone calls, chats) share the
`Conversation` base, which also states the return convention of every channel's actions.
"""

from .base import CHANNELS, Channel, ChannelFactory, register_channel
from .chat import ChatChannel, ChatConversation
from .conversation import Conversation
from .email import EmailChannel
from .phone import Call, PhoneChannel
from .web import WebChannel

CHANNELS.register("web", WebChannel)
CHANNELS.register("phone", PhoneChannel)
CHANNELS.register("chat", ChatChannel)
CHANNELS.register("email", EmailChannel)

__all__ = ["CHANNELS", "Call", "Channel", "ChannelFactory", "ChatChannel", "ChatConversation", "Conversation",
           "EmailChannel", "PhoneChannel", "WebChannel", "register_channel"]
