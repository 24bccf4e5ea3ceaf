"""Battle groups: which models fight in an arena, adapted to the keys the user has.

Built-in groups, chosen from catalog data (never a hand-typed list):

- **Frontier**: the strongest model of each major vendor. Vendors (a model's `family`: claude,
  openai, gemini, deepseek, ...) are ranked by their best frontier-tier model (mean capability
  prior over the intents); the group takes the first `GROUP_SIZE` vendors the user can reach
  (a vendor of the first `GROUP_SIZE` that cannot be reached is named in `dropped`).
  A vendor reachable through another provider (Claude through OpenRouter) keeps its place.
- **Fast**: cheap, quick models: for each vendor its cheapest fast-tier model (blended price,
  3 input : 1 output), vendors ranked cheapest first, `GROUP_SIZE` of them.
- **Hybrid**: the strongest reachable frontier model, the cheapest fast model of another vendor,
  the strongest model of a Chinese vendor (DeepSeek, Qwen, GLM, Kimi, MiniMax) not yet in the
  group, and the strongest local model when Ollama is up.

User groups come from `smartRouter.arenaGroups` (`{"name": [model ids]}`); a user group with a
built-in's name (any case) replaces it. Built-in groups never take retired models. Models
retired by their provider, of a disabled provider, without a key, or local while the local
server is down are dropped, each with its reason.
"""

from __future__ import annotations

import statistics
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from smart_router.catalog import Catalog, ModelSpec
from smart_router.errors import ConfigError

__all__ = [
    "BUILTIN_GROUPS",
    "CHINESE_VENDORS",
    "GROUP_SIZE",
    "MIN_MEMBERS",
    "ResolvedGroup",
    "blended_price",
    "group_names",
    "mean_prior",
    "resolve_group",
    "unavailable_reason",
]

GROUP_SIZE = 4
"""How many vendors the Frontier and Fast groups take."""
MIN_MEMBERS = 2
"""Fewest contestants that make a battle."""
BUILTIN_GROUPS: tuple[str, ...] = ("Frontier", "Fast", "Hybrid")
CHINESE_VENDORS = frozenset({"deepseek", "qwen", "glm", "kimi", "minimax"})
"""Vendors (model families) that fill the Hybrid group's Chinese-vendor place."""
LOCAL_SLOT = "local model"
"""What `dropped` names when the Hybrid group finds no local model at all."""


@dataclass(frozen=True, slots=True)
class ResolvedGroup:
    """A group as it can run now: its members in column order and what it had to leave out."""

    name: str
    members: tuple[ModelSpec, ...]
    dropped: tuple[tuple[str, str], ...]
    """(model id, reason) for each model the group would take but cannot use now."""
    builtin: bool = True

    @property
    def member_ids(self) -> tuple[str, ...]:
        return tuple(m.id for m in self.members)

    def require_battle(self) -> ResolvedGroup:
        """This group, or a ConfigError saying why it cannot battle (fewer than two members)."""
        if len(self.members) >= MIN_MEMBERS:
            return self
        have = ", ".join(self.member_ids) or "none"
        why = "; ".join(f"{mid}: {reason}" for mid, reason in self.dropped) or "it names too few models"
        raise ConfigError(
            f"The arena group '{self.name}' has {len(self.members)} usable model(s) ({have}); a battle "
            f"needs {MIN_MEMBERS}. Left out: {why}. Add the missing API keys or choose another group.",
            kind="arena_group_too_small",
        )


def mean_prior(m: ModelSpec) -> float:
    """The model's mean capability prior over the intents (0-10): its overall strength."""
    return statistics.fmean(m.priors.values()) if m.priors else 0.0


def blended_price(m: ModelSpec) -> Decimal:
    """USD per million tokens for a 3:1 mix of input and output tokens."""
    return (3 * m.input_usd_per_mtok + m.output_usd_per_mtok) / 4


Reason = Callable[[ModelSpec], str | None]


def _reason_fn(catalog: Catalog, keyed: Collection[str], local_up: bool, today: str) -> Reason:
    """Why a model cannot run now, or None when it can."""

    def reason(m: ModelSpec) -> str | None:
        p = catalog.providers.get(m.provider)
        if p is None:
            return f"its provider '{m.provider}' is not configured"
        if not p.enabled:
            return f"{p.name} is disabled or has no baseUrl in smartRouter.providers"
        if m.deprecation_date is not None and m.deprecation_date <= today:
            return f"{p.name} retired it on {m.deprecation_date}"
        if p.local:
            return None if local_up else f"{p.name} is not running: start it to add local models"
        if p.id not in keyed:
            env = f" or set {p.api_key_env}" if p.api_key_env else ""
            return f"no API key for {p.name}: run Smart Router: Set API Key{env}"
        return None

    return reason


def unavailable_reason(
    m: ModelSpec, catalog: Catalog, keyed_providers: Collection[str], local_up: bool, today: str | None = None
) -> str | None:
    """Why `m` cannot run now (provider disabled, retired, no key, local server down), or None."""
    return _reason_fn(catalog, keyed_providers, local_up, today or date.today().isoformat())(m)


def _by_vendor(models: Iterable[ModelSpec]) -> dict[str, list[ModelSpec]]:
    out: dict[str, list[ModelSpec]] = {}
    for m in models:
        out.setdefault(m.family, []).append(m)
    return out


def _strongest(m: ModelSpec) -> tuple[float, Decimal, str]:
    return (-mean_prior(m), blended_price(m), m.id)


def _cheapest(m: ModelSpec) -> tuple[Decimal, float, str]:
    return (blended_price(m), -mean_prior(m), m.id)


Key = Callable[[ModelSpec], tuple[object, ...]]


def _per_vendor(models: Sequence[ModelSpec], tier: str, order: Key, reason: Reason) -> ResolvedGroup:
    """One model per vendor of `tier`, best first by `order`; `GROUP_SIZE` reachable vendors."""
    vendors = _by_vendor(m for m in models if m.tier == tier)
    ranked = sorted(vendors.values(), key=lambda ms: order(min(ms, key=order)))
    members: list[ModelSpec] = []
    dropped: list[tuple[str, str]] = []
    for rank, models in enumerate(ranked):
        if len(members) == GROUP_SIZE:
            break
        models = sorted(models, key=order)
        usable = [m for m in models if reason(m) is None]
        if usable:
            members.append(usable[0])
        elif rank < GROUP_SIZE:  # a vendor the group takes with every key: say why it is missing
            dropped.append((models[0].id, reason(models[0]) or ""))
    name = "Frontier" if tier == "frontier" else "Fast"
    return ResolvedGroup(name, tuple(members), tuple(dropped))


def _first(
    candidates: Sequence[ModelSpec], reason: Reason, taken: list[ModelSpec], dropped: list[tuple[str, str]]
) -> None:
    """Add the first usable candidate to `taken`; note the best one left out when it was not usable."""
    ordered = [m for m in candidates if m not in taken]
    for m in ordered:
        why = reason(m)
        if why is None:
            taken.append(m)
            return
        if m is ordered[0]:
            dropped.append((m.id, why))


def _hybrid(models: Sequence[ModelSpec], reason: Reason, local_up: bool) -> ResolvedGroup:
    members: list[ModelSpec] = []
    dropped: list[tuple[str, str]] = []
    _first(sorted((m for m in models if m.tier == "frontier"), key=_strongest), reason, members, dropped)
    vendors = {m.family for m in members}
    fast = sorted((m for m in models if m.tier == "fast"), key=_cheapest)
    _first([m for m in fast if m.family not in vendors] or fast, reason, members, dropped)
    vendors = {m.family for m in members}
    chinese = sorted((m for m in models if m.family in CHINESE_VENDORS and m.tier != "local"), key=_strongest)
    chinese.sort(key=lambda m: m.family in vendors)  # stable: other vendors first, strongest first
    _first(chinese, reason, members, dropped)
    local = sorted((m for m in models if m.tier == "local"), key=_strongest)
    if local:
        _first(local, reason, members, dropped)
    elif not local_up:
        dropped.append((LOCAL_SLOT, "Ollama is not running: start it and pull a model to add one"))
    else:
        dropped.append((LOCAL_SLOT, "Ollama has no models pulled: run `ollama pull <model>` to add one"))
    return ResolvedGroup("Hybrid", tuple(members), tuple(dropped))


def _user_group(name: str, ids: Sequence[str], catalog: Catalog, reason: Reason) -> ResolvedGroup:
    local_prefixes = tuple(f"{pid}/" for pid, p in catalog.providers.items() if p.local)
    members: list[ModelSpec] = []
    dropped: list[tuple[str, str]] = []
    for mid in dict.fromkeys(ids):  # in order, each once
        m = catalog.models.get(mid)
        if m is None and mid.startswith(local_prefixes):
            dropped.append((mid, "the local server does not report it: start it, or pull the model"))
            continue
        if m is None:
            known = ", ".join(sorted(catalog.models))
            raise ConfigError(
                f"smartRouter.arenaGroups['{name}'] names unknown model '{mid}'. Use catalog ids: {known}.",
                kind="unknown_model",
                model=mid,
            )
        why = reason(m)
        if why is None:
            members.append(m)
        else:
            dropped.append((mid, why))
    return ResolvedGroup(name, tuple(members), tuple(dropped), builtin=False)


def group_names(user_groups: Mapping[str, Sequence[str]] | None = None) -> list[str]:
    """Every group's name: the built-ins (unless a user group replaces one), then the user's."""
    user = dict(user_groups or {})
    replaced = {n.lower() for n in user}
    return [g for g in BUILTIN_GROUPS if g.lower() not in replaced] + list(user)


def resolve_group(
    name: str,
    catalog: Catalog,
    keyed_providers: Collection[str],
    local_up: bool,
    *,
    user_groups: Mapping[str, Sequence[str]] | None = None,
    today: str | None = None,
) -> ResolvedGroup:
    """The group `name` (a built-in, any case, or one of `user_groups`) as it can run now.

    `keyed_providers`: provider ids with a usable key (local providers may be included);
    `local_up`: the local server answered; `today` (YYYY-MM-DD, default the local date)
    decides which models are retired.
    """
    today = today or date.today().isoformat()
    reason = _reason_fn(catalog, keyed_providers, local_up, today)
    user = dict(user_groups or {})
    for key in (name, *(k for k in user if k.lower() == name.lower())):
        if key in user:
            return _user_group(key, user[key], catalog, reason)
    current = [m for m in catalog.models.values() if not m.deprecation_date or m.deprecation_date > today]
    match name.lower():
        case "frontier":
            return _per_vendor(current, "frontier", _strongest, reason)
        case "fast":
            return _per_vendor(current, "fast", _cheapest, reason)
        case "hybrid":
            return _hybrid(current, reason, local_up)
    raise ConfigError(
        f"Unknown arena group '{name}'. Use one of: {', '.join(group_names(user))}; "
        "or define it in smartRouter.arenaGroups.",
        kind="unknown_arena_group",
    )
