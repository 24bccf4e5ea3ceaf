"""The user's routing rules (`smartRouter.rules`): when a request matches, what the router may
and should choose.

A rule matches on the request's intent, complexity, file language, file path (a glob), prompt
size in tokens and workspace; every condition it gives must hold. Its actions require, prefer
or forbid models, providers or tiers, cap the cost of one request, or keep the request on this
machine (`localOnly`: only local providers). Several rules may match: requirements and bans
add up, the tightest cost cap wins. Rules are checked against the catalog when the settings
load; a bad rule gets a `ConfigError` naming it (by name and index) and what is wrong.
"""

from __future__ import annotations

import difflib
import fnmatch
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import PurePath

from smart_router.catalog import Catalog, ModelSpec, ProviderSpec
from smart_router.config import Rule, RuleThen, RuleWhen
from smart_router.errors import ConfigError

__all__ = ["CompiledRule", "RequestFacts", "RuleEffect", "compile_rules", "match_rules"]

_LIST_ACTIONS = (
    ("require_model", "requireModel"),
    ("prefer_model", "preferModel"),
    ("forbid_model", "forbidModel"),
    ("require_provider", "requireProvider"),
    ("prefer_provider", "preferProvider"),
    ("forbid_provider", "forbidProvider"),
    ("require_tier", "requireTier"),
    ("prefer_tier", "preferTier"),
    ("forbid_tier", "forbidTier"),
)


@dataclass(frozen=True, slots=True)
class RequestFacts:
    """What the rules look at in a request."""

    intent: str
    complexity: float
    tokens: int
    language: str | None = None
    file_path: str | None = None
    workspace: str | None = None


@dataclass(frozen=True, slots=True)
class CompiledRule:
    """One validated rule, its lists as sets."""

    index: int
    name: str
    when: RuleWhen
    then: RuleThen
    globs: tuple[str, ...]
    languages: frozenset[str] | None

    @property
    def label(self) -> str:
        return f"'{self.name}'"

    def matches(self, facts: RequestFacts) -> bool:
        w = self.when
        if w.intent is not None and facts.intent not in w.intent:
            return False
        if w.complexity_min is not None and facts.complexity < w.complexity_min:
            return False
        if w.complexity_max is not None and facts.complexity > w.complexity_max:
            return False
        if w.tokens_min is not None and facts.tokens < w.tokens_min:
            return False
        if w.tokens_max is not None and facts.tokens > w.tokens_max:
            return False
        if self.languages is not None and (facts.language or "").lower() not in self.languages:
            return False
        if self.globs and not (
            facts.file_path and _path_matches(facts.file_path, facts.workspace, self.globs)
        ):
            return False
        return w.workspace is None or (
            facts.workspace is not None and _workspace_matches(facts.workspace, w.workspace)
        )

    def refuses(self, model: ModelSpec, provider: ProviderSpec) -> str | None:
        """Why this rule excludes the deployment, or None when it allows it."""
        t = self.then
        names = (model.id, model.canonical_id)
        if t.local_only and not provider.local:
            return f"rule {self.label} keeps this request on this machine (localOnly)"
        if t.require_model is not None and not any(n in t.require_model for n in names):
            return f"rule {self.label} requires {_either(t.require_model)}"
        if t.forbid_model is not None and any(n in t.forbid_model for n in names):
            return f"rule {self.label} forbids {model.id}"
        if t.require_provider is not None and provider.id not in t.require_provider:
            return f"rule {self.label} requires provider {_either(t.require_provider)}"
        if t.forbid_provider is not None and provider.id in t.forbid_provider:
            return f"rule {self.label} forbids provider {provider.id}"
        if t.require_tier is not None and model.tier not in t.require_tier:
            return f"rule {self.label} requires tier {_either(t.require_tier)}"
        if t.forbid_tier is not None and model.tier in t.forbid_tier:
            return f"rule {self.label} forbids tier {model.tier}"
        return None

    def prefers(self, model: ModelSpec, provider: ProviderSpec) -> bool:
        t = self.then
        return bool(
            (
                t.prefer_model is not None
                and (model.id in t.prefer_model or model.canonical_id in t.prefer_model)
            )
            or (t.prefer_provider is not None and provider.id in t.prefer_provider)
            or (t.prefer_tier is not None and model.tier in t.prefer_tier)
        )


@dataclass(frozen=True, slots=True)
class RuleEffect:
    """The rules that matched one request, combined."""

    applied: tuple[CompiledRule, ...] = ()
    max_micro_usd: int | None = None
    """The tightest `maxCostUsd` of the matched rules, in micro-dollars."""
    cap_rule: CompiledRule | None = None
    local_only: bool = False

    def refuses(self, model: ModelSpec, provider: ProviderSpec) -> str | None:
        for rule in self.applied:
            why = rule.refuses(model, provider)
            if why:
                return why
        return None

    def prefers(self, model: ModelSpec, provider: ProviderSpec) -> tuple[CompiledRule, ...]:
        return tuple(r for r in self.applied if r.prefers(model, provider))

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(r.name for r in self.applied)


NO_RULES = RuleEffect()


def match_rules(rules: Sequence[CompiledRule], facts: RequestFacts) -> RuleEffect:
    """The combined effect of the rules that match `facts` (in their settings order)."""
    if not rules:
        return NO_RULES
    applied = tuple(r for r in rules if r.matches(facts))
    if not applied:
        return NO_RULES
    cap: int | None = None
    cap_rule: CompiledRule | None = None
    for r in applied:
        if r.then.max_cost_usd is not None:
            micro = round(r.then.max_cost_usd * 1_000_000)
            if cap is None or micro < cap:
                cap, cap_rule = micro, r
    return RuleEffect(applied, cap, cap_rule, any(r.then.local_only for r in applied))


def _either(items: Iterable[str]) -> str:
    items = list(items)
    return items[0] if len(items) == 1 else "one of " + ", ".join(items)


def _workspace_matches(workspace: str, wanted: str) -> bool:
    ws = workspace.rstrip("/\\")
    name = PurePath(ws).name
    return (
        ws == wanted.rstrip("/\\")
        or name == wanted
        or fnmatch.fnmatchcase(ws, wanted)
        or (fnmatch.fnmatchcase(name, wanted))
    )


def _path_matches(path: str, workspace: str | None, globs: Sequence[str]) -> bool:
    """A glob matches the whole path, the path relative to the workspace, or its tail
    (`*.env` matches any file ending in .env). `*` crosses folders, as `**` does."""
    path = path.removeprefix("file://").replace("\\", "/")
    candidates = [path]
    if workspace:
        root = workspace.removeprefix("file://").replace("\\", "/").rstrip("/") + "/"
        if path.startswith(root):
            candidates.append(path[len(root) :])
    pure = PurePath(path)
    for glob in globs:
        g = glob.replace("\\", "/")
        if any(
            fnmatch.fnmatchcase(c, g) or fnmatch.fnmatchcase(c, g.removeprefix("**/")) for c in candidates
        ):
            return True
        if "**" not in g and pure.match(g):
            return True
    return False


def compile_rules(rules: Sequence[Rule], catalog: Catalog) -> tuple[CompiledRule, ...]:
    """Check each rule against the catalog; a bad one raises a `ConfigError` naming it."""
    return tuple(_compile(i, rule, catalog) for i, rule in enumerate(rules))


def _compile(index: int, rule: Rule, catalog: Catalog) -> CompiledRule:
    where = f"smartRouter.rules[{index}] ('{rule.name}')"

    def bad(what: str) -> ConfigError:
        return ConfigError(f"{where}: {what}", kind="bad_settings")

    w, t = rule.when, rule.then
    if all(getattr(w, f) is None for f in RuleWhen.model_fields):
        raise bad(
            "empty match: 'when' gives no condition, so the rule would apply to every request. "
            "Give at least one condition (intent, complexityMin/Max, language, fileGlob, "
            'tokensMin/Max, workspace); for every request use "complexityMin": 0.'
        )
    for field, alias in (("language", "language"), ("intent", "intent")):
        if getattr(w, field) == []:
            raise bad(f"when.{alias} is an empty list. List at least one value or drop it.")
    if w.complexity_min is not None and w.complexity_max is not None and w.complexity_min > w.complexity_max:
        raise bad(
            f"when.complexityMin ({w.complexity_min}) is above complexityMax ({w.complexity_max}): "
            "no request can match. Swap them."
        )
    if w.tokens_min is not None and w.tokens_max is not None and w.tokens_min > w.tokens_max:
        raise bad(
            f"when.tokensMin ({w.tokens_min}) is above tokensMax ({w.tokens_max}): no request can "
            "match. Swap them."
        )
    globs = (w.file_glob,) if isinstance(w.file_glob, str) else tuple(w.file_glob or ())
    if w.file_glob is not None and (not globs or not all(g.strip() for g in globs)):
        raise bad("when.fileGlob is empty. Give a glob such as **/secrets/** or drop it.")

    acted = [alias for field, alias in _LIST_ACTIONS if getattr(t, field) is not None]
    if not acted and t.max_cost_usd is None and not t.local_only:
        raise bad(
            "'then' gives no action. Add requireModel/preferModel/forbidModel, the same for "
            "Provider and Tier, maxCostUsd or localOnly."
        )
    for field, alias in _LIST_ACTIONS:
        if getattr(t, field) == []:
            raise bad(f"then.{alias} is an empty list. List at least one value or drop it.")

    local_prefixes = tuple(f"{pid}/" for pid, p in catalog.providers.items() if p.local)
    known_models = set(catalog.models) | {m.canonical_id for m in catalog.models.values()}
    for field, alias in (
        ("require_model", "requireModel"),
        ("prefer_model", "preferModel"),
        ("forbid_model", "forbidModel"),
    ):
        for mid in getattr(t, field) or ():
            if mid not in known_models and not mid.startswith(local_prefixes):
                close = difflib.get_close_matches(mid, sorted(known_models), n=1)
                hint = f" (did you mean '{close[0]}'?)" if close else ""
                raise bad(
                    f"then.{alias} names unknown model '{mid}'{hint}. Use a catalog id "
                    "(smart-router models lists them)."
                )
    for field, alias in (
        ("require_provider", "requireProvider"),
        ("prefer_provider", "preferProvider"),
        ("forbid_provider", "forbidProvider"),
    ):
        for pid in getattr(t, field) or ():
            if pid not in catalog.providers:
                raise bad(
                    f"then.{alias} names unknown provider '{pid}'. Use one of: "
                    f"{', '.join(sorted(catalog.providers))}."
                )
    _check_contradictions(t, catalog, bad)
    languages = frozenset(x.lower() for x in w.language) if w.language is not None else None
    return CompiledRule(index, rule.name, w, t, globs, languages)


def _check_contradictions(t: RuleThen, catalog: Catalog, bad: Callable[[str], ConfigError]) -> None:
    for kind in ("model", "provider", "tier"):
        required = set(getattr(t, f"require_{kind}") or ())
        preferred = set(getattr(t, f"prefer_{kind}") or ())
        forbidden = set(getattr(t, f"forbid_{kind}") or ())
        cap = kind.capitalize()
        both = sorted(required & forbidden)
        if both:
            raise bad(f"contradictory actions: require{cap} and forbid{cap} both name '{both[0]}'. Keep one.")
        both = sorted(preferred & forbidden)
        if both:
            raise bad(f"contradictory actions: prefer{cap} and forbid{cap} both name '{both[0]}'. Keep one.")
    if (
        t.local_only
        and t.require_provider
        and not any(catalog.providers[p].local for p in t.require_provider)
    ):
        raise bad(
            "contradictory actions: localOnly keeps the request on this machine but requireProvider "
            f"names only remote providers ({', '.join(t.require_provider)}). Drop one of them."
        )
    for mid in t.require_model or ():
        deployments = [m for m in catalog.models.values() if mid in (m.id, m.canonical_id)]
        if not deployments:
            continue  # a local model not discovered yet
        problems = [_refusal(t, m, catalog.providers[m.provider]) for m in deployments]
        if all(problems):
            raise bad(f"contradictory actions: requireModel names '{mid}' but {problems[0]}. Keep one.")


def _refusal(t: RuleThen, m: ModelSpec, provider: ProviderSpec) -> str | None:
    if t.local_only and not provider.local:
        return f"localOnly keeps the request on this machine and '{m.id}' runs at {provider.id}"
    if t.forbid_provider and provider.id in t.forbid_provider:
        return f"forbidProvider bans its provider '{provider.id}'"
    if t.require_provider and provider.id not in t.require_provider:
        return f"requireProvider does not include its provider '{provider.id}'"
    if t.forbid_tier and m.tier in t.forbid_tier:
        return f"forbidTier bans its tier '{m.tier}'"
    if t.require_tier and m.tier not in t.require_tier:
        return f"requireTier does not include its tier '{m.tier}'"
    return None
