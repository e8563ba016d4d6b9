"""Phone calls as audio: SIP signalling, RTP with G.711 and RFC 4733 keys, speech synthesised and heard.

- `codec`: G.711 mu-law and A-law.  `rtp`: one call's audio stream and its keys.
- `sip`: messages, SDP, digest.  `caller`: the caller's side of a call.  `server`: answers calls.
- `speech`: words to 8 kHz audio.  `prompts`: audio split into prompts by silence.
- `hearing` (with `words`): prompts recognised against the phrases a caller expects.
- `front`: a SIP front that renders a TwiML IVR (the demo companies') as audio.
- `install`: finds or installs espeak-ng and SIPp.
"""
