"""The chat channel: the customer talks to a company's real chat bot over its HTTP API.

Two adapters, chosen by `target.chat_config["adapter"]`:

- "rasa" (default): Rasa's REST channel, `POST {bot}/webhooks/rest/webhook` with `{"sender", "message"}`,
  answered by a list of `{"recipient_id", "text"?, "buttons"?: [{"title", "payload"}], "image"?}`.
- "http-json": any bot that takes a JSON request and answers JSON. A request template (where "{sender}"
  and "{message}" are replaced) and a dotted path to the list of replies describe it:

      adapter: http-json
      url: /api/messages          # relative to the bot's base URL, or absolute
      method: POST                # POST, PUT, or GET (the template becomes the query string)
      request: {"user": "{sender}", "text": "{message}"}
      replies: data.replies       # "$" or "" for the root; integers index lists: "results.0.messages"
      text: body                  # then the fields of one reply (defaults: text, buttons, title, payload)
      buttons: options
      title: label
      payload: value
      headers: {"Authorization": "Bearer test-token"}

Everything the customer types or presses is a step; each reply is a "heard" step, so the detectors judge
the bot's words. Typing and reading advance the simulated clock. An HTTP error or a reply that is not
what the adapter expects ends the conversation (a dead end); a bot that cannot be reached at all raises
`SiteUnreachable`.

    chat = customer.chat.connect("/lab/chat")
    chat.send("Hi")
    chat.navigate(("reschedule",), until=("has been moved",))
    chat.choose("tuesday", fallback=("wednesday",))
"""

from .adapters import MAX_REPLIES_PER_TURN, Adapter, BadReply, Button, Reply, make_adapter
from .config import (
    ADAPTERS,
    RASA_WEBHOOK,
    ChatConfig,
    ChatConfigError,
    chat_config_from_file,
    fill_template,
    resolve_path,
    validate_chat_config,
)
from .conversation import DONT_KNOW, MAX_TURNS, ChatChannel, ChatConversation

__all__ = ["ADAPTERS", "DONT_KNOW", "MAX_REPLIES_PER_TURN", "MAX_TURNS", "RASA_WEBHOOK", "Adapter", "BadReply",
           "Button", "ChatChannel", "ChatConfig", "ChatConfigError", "ChatConversation", "Reply", "chat_config_from_file",
           "fill_template", "make_adapter", "resolve_path", "validate_chat_config"]
