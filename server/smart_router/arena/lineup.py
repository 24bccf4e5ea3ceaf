"""The line-up of a battle: which models fight for this prompt, each priced for it.

A battle takes a group (built-in or the user's, `arena.groups`) or an explicit list of models.
On top of what the group leaves out for keys and retirement, a member is left out when the
prompt does not fit its context window or when its circuit is open (it failed just now and is
paused). Each remaining member is priced like a routing candidate: the prompt's tokens for its
tokenizer, the longest answer it may give, the estimated and the worst-case cost.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass

from smart_router.arena.groups import ResolvedGroup, resolve_group
from smart_router.catalog import Catalog, ModelSpec
from smart_router.errors import BadInputError
from smart_router.router import Candidate
from smart_router.router.health import Health
from smart_router.router.selection import TYPICAL_ANSWER_TOKENS
from smart_router.tokens import cost_micro_usd

__all__ = ["CUSTOM_GROUP", "DEFAULT_GROUP", "Lineup", "choose_lineup", "price", "resolve_members"]

DEFAULT_GROUP = "Hybrid"
CUSTOM_GROUP = "Custom"
"""The group's name in results when the request lists its models."""


@dataclass(frozen=True, slots=True)
class Lineup:
    group: str
    candidates: tuple[Candidate, ...]
    """The members in column order, priced for the prompt."""
    dropped: tuple[tuple[str, str], ...]
    """(model id, reason) of each model left out."""

    @property
    def max_micro_usd(self) -> int:
        """The most the whole battle may cost: every member giving its longest answer."""
        return sum(c.max_micro_usd for c in self.candidates)


def price(catalog: Catalog, m: ModelSpec, prompt_tokens: int, output_cap: int) -> Candidate:
    """`m` as a candidate for a prompt of `prompt_tokens` tokens (as the router prices one)."""
    out_cap = max(1, min(output_cap, m.max_output_tokens, m.context_window - prompt_tokens))
    return Candidate(
        model=m,
        provider=catalog.providers[m.provider],
        input_tokens=prompt_tokens,
        max_output_tokens=out_cap,
        estimated_micro_usd=cost_micro_usd(m, prompt_tokens, min(out_cap, TYPICAL_ANSWER_TOKENS)),
        max_micro_usd=cost_micro_usd(m, prompt_tokens, out_cap),
    )


def resolve_members(
    catalog: Catalog,
    keyed_providers: Collection[str],
    local_up: bool,
    *,
    group: str | None,
    models: Sequence[str] | None,
    user_groups: Mapping[str, Sequence[str]],
) -> ResolvedGroup:
    """The group named, or the models listed (which win over the group), as they can run now."""
    if models:
        local = tuple(f"{pid}/" for pid, p in catalog.providers.items() if p.local)
        unknown = [m for m in models if m not in catalog.models and not m.startswith(local)]
        if unknown:
            raise BadInputError(
                f"Unknown model(s) for the arena: {', '.join(unknown)}. Use catalog ids "
                "(smart-router models lists them).",
                kind="unknown_model",
                model=unknown[0],
            )
        return resolve_group(
            CUSTOM_GROUP, catalog, keyed_providers, local_up, user_groups={CUSTOM_GROUP: list(models)}
        )
    return resolve_group(group or DEFAULT_GROUP, catalog, keyed_providers, local_up, user_groups=user_groups)


def choose_lineup(
    resolved: ResolvedGroup,
    catalog: Catalog,
    *,
    prompt_tokens: Callable[[ModelSpec], int],
    output_cap: int,
    health: Health | None = None,
) -> Lineup:
    """Price the group's members for the prompt, leaving out those that cannot take it now;
    a ConfigError when fewer than two are left."""
    priced: list[Candidate] = []
    dropped = list(resolved.dropped)
    for m in resolved.members:
        tokens = prompt_tokens(m)
        if tokens >= m.context_window:
            dropped.append(
                (m.id, f"the prompt has {tokens} tokens; its context window takes {m.context_window}")
            )
        elif health is not None and not health.available(m.id, m.provider):
            dropped.append((m.id, "it failed just now and is paused (circuit open): retry in a minute"))
        else:
            priced.append(price(catalog, m, tokens, output_cap))
    ResolvedGroup(
        resolved.name, tuple(c.model for c in priced), tuple(dropped), resolved.builtin
    ).require_battle()
    return Lineup(resolved.name, tuple(priced), tuple(dropped))
