"""Secrets are never stored as context: credentials in a text are replaced before it is stored.

Context entries are sent to models in later asks and kept in the database, so an API key that
sits in an opened file, a pasted snippet or a question must not reach them. `redact` replaces
what is recognisably a credential with `REDACTED` and keeps the rest of the text (and its line
count, so chunks keep their line numbers):

- keys with a known shape: OpenAI / Anthropic / OpenRouter (`sk-...`), Google (`AIza...`),
  GitHub (`ghp_...`, `github_pat_...`), Slack (`xox.-...`), AWS access key ids (`AKIA...`),
  Hugging Face (`hf_...`), Stripe (`sk_live_...`), JWTs (three base64url parts);
- private key blocks (`-----BEGIN ... PRIVATE KEY-----` to its END line, lines kept);
- the value given to a name that ends in a word saying it is secret (`api_key = "..."`,
  `password: ...`, `Authorization: Bearer ...`, `SECRET_TOKEN=...`, but not `max_tokens` or
  `tokenizer`) when the value looks like a credential: 8 or more characters of a key's alphabet,
  quoted or with a digit or given to a password (`api_key = settings.api_key` is code, kept).

Files that are secret as a whole are not stored at all (`smartRouter.context.exclude`).
"""

from __future__ import annotations

import re

__all__ = ["REDACTED", "redact"]

REDACTED = "REDACTED"

_KEYS = re.compile(
    r"""
    \b(?:
        sk-(?:ant-|or-|proj-)?[A-Za-z0-9_-]{20,}      # OpenAI, Anthropic, OpenRouter
      | sk_(?:live|test)_[A-Za-z0-9]{16,}             # Stripe
      | AIza[0-9A-Za-z_-]{35}                         # Google
      | gh[pousr]_[A-Za-z0-9]{36,} | github_pat_[A-Za-z0-9_]{40,}
      | xox[abposr]-[A-Za-z0-9-]{10,}                 # Slack
      | (?:AKIA|ASIA)[0-9A-Z]{16}                     # AWS access key id
      | hf_[A-Za-z0-9]{30,}                           # Hugging Face
      | eyJ[A-Za-z0-9_-]{10,}\.eyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}   # JWT
    )
    """,
    re.VERBOSE,
)
_PRIVATE_KEY = re.compile(
    r"-----BEGIN [A-Z ]*PRIVATE KEY-----.*?(?:-----END [A-Z ]*PRIVATE KEY-----|\Z)", re.DOTALL
)
_NAMED = re.compile(
    r"""
    (?P<name>\b[\w.-]*(?:api[_-]?key|apikey|secret(?:[_-]?key)?|token|passw(?:or)?d|pwd|credentials?
                          |(?:auth|access|private|signing)[_-]?key)
       ["']?\s*[:=]\s*(?P<quote>["']?))
    (?P<value>[A-Za-z0-9_+/=.~-]{8,})(?![\w(\[.])
    | (?P<bearer>\bAuthorization["']?\s*[:=]\s*["']?(?:Bearer|Basic|Token)\s+)
      (?P<credential>[A-Za-z0-9_+/=.~-]{8,})
    """,
    re.VERBOSE | re.IGNORECASE,
)
_PASSWORD = re.compile(r"passw(?:or)?d|pwd", re.IGNORECASE)


def _block(match: re.Match[str]) -> str:
    return REDACTED + "\n" * match.group(0).count("\n")


def _named(match: re.Match[str]) -> str:
    if match.group("bearer") is not None:
        return match.group("bearer") + REDACTED
    name, value = match.group("name"), match.group("value")
    code = all(part.isidentifier() for part in value.split("."))  # settings.api_key, count_tokens
    secret = (
        bool(match.group("quote")) or _PASSWORD.search(name) is not None or any(c.isdigit() for c in value)
    )
    if value == REDACTED or (code and not secret):
        return match.group(0)
    return name + REDACTED


def redact(text: str) -> str:
    """`text` with every credential it recognisably holds replaced by `REDACTED`."""
    if not text:
        return text
    text = _PRIVATE_KEY.sub(_block, text)
    text = _KEYS.sub(REDACTED, text)
    return _NAMED.sub(_named, text)
