"""Routing rules: each condition, each action, and the errors that name a bad rule."""

from __future__ import annotations

from typing import Any

import pytest

from smart_router.catalog import load_catalog
from smart_router.config import Rule, Settings, parse_settings
from smart_router.editor import EditorContext
from smart_router.errors import ConfigError
from smart_router.intent.types import Classification
from smart_router.router import Decision, compile_rules, select_model
from smart_router.router.rules import RequestFacts, match_rules

LOCAL = Settings(
    providers={"lab": {"baseUrl": "http://127.0.0.1:9/v1", "local": True}},
    models=[
        {
            "id": "lab/coder",
            "provider": "lab",
            "inputUsdPerMtok": 0,
            "outputUsdPerMtok": 0,
            "contextWindow": 32768,
            "tier": "local",
        }
    ],
)
CATALOG = load_catalog(LOCAL)
KEYS = {"openai", "anthropic", "deepseek"}


def rules(*raw: dict[str, Any]) -> tuple[Any, ...]:
    return compile_rules([Rule.model_validate(r) for r in raw], CATALOG)


def route(
    raw_rules: tuple[Any, ...], *, intent: str = "debugging", complexity: float = 0.5, **kw: Any
) -> Decision:
    return select_model(
        CATALOG,
        input_tokens=kw.pop("tokens", 300),
        output_cap=1024,
        keyed_providers=kw.pop("keys", KEYS),
        today="2026-11-22",
        classification=Classification(intent, 0.9, complexity, "lexical"),
        rules=raw_rules,
        **kw,
    )


def facts(**kw: Any) -> RequestFacts:
    base: dict[str, Any] = {"intent": "debugging", "complexity": 0.5, "tokens": 300}
    return RequestFacts(**{**base, **kw})


def matched(rule: dict[str, Any], **kw: Any) -> bool:
    return bool(match_rules(rules({"name": "r", "then": {"localOnly": True}, **rule}), facts(**kw)).applied)


@pytest.mark.parametrize(
    ("when", "yes", "no"),
    [
        ({"intent": ["debugging", "code_review"]}, {}, {"intent": "writing"}),
        ({"complexityMin": 0.4, "complexityMax": 0.6}, {"complexity": 0.6}, {"complexity": 0.7}),
        ({"complexityMin": 0.4}, {"complexity": 0.4}, {"complexity": 0.39}),
        ({"language": ["Python"]}, {"language": "python"}, {"language": "go"}),
        ({"language": ["python"]}, {"language": "python"}, {}),
        (
            {"fileGlob": "**/secrets/**"},
            {"file_path": "/home/u/app/secrets/db.yaml"},
            {"file_path": "/home/u/app/src/db.yaml"},
        ),
        (
            {"fileGlob": "secrets/*"},
            {"file_path": "/w/secrets/k.txt", "workspace": "/w"},
            {"file_path": "/w/src/k.txt", "workspace": "/w"},
        ),
        (
            {"fileGlob": ["*.env", "*.pem"]},
            {"file_path": "/w/config/prod.env"},
            {"file_path": "/w/config/prod.yaml"},
        ),
        ({"fileGlob": "*.env"}, {"file_path": "file:///w/.env"}, {}),
        ({"tokensMin": 100, "tokensMax": 1000}, {"tokens": 1000}, {"tokens": 1001}),
        ({"tokensMax": 100}, {"tokens": 100}, {"tokens": 101}),
        ({"workspace": "payments"}, {"workspace": "/home/u/payments"}, {"workspace": "/home/u/web"}),
        ({"workspace": "/home/u/pay*"}, {"workspace": "/home/u/payments"}, {}),
        ({"intent": ["debugging"], "language": ["go"]}, {"language": "go"}, {"language": "python"}),
    ],
)
def test_each_condition_matches_and_fails_to_match(
    when: dict[str, Any], yes: dict[str, Any], no: dict[str, Any]
) -> None:
    assert matched({"when": when}, **yes)
    assert not matched({"when": when}, **no)


def test_local_only_keeps_a_secrets_file_on_this_machine_and_says_which_rule() -> None:
    secrets = rules(
        {"name": "secrets stay local", "when": {"fileGlob": "**/secrets/**"}, "then": {"localOnly": True}}
    )
    editor = EditorContext(
        language="yaml", file_path="/w/secrets/prod.yaml", selection="password: x", workspace="/w"
    )
    d = route(secrets, editor=editor)
    assert d.model.id == "lab/coder" and d.fallbacks == ()
    assert d.rules == ("secrets stay local",) and "Rules applied: 'secrets stay local'." in d.explanation
    elsewhere = route(secrets, editor=EditorContext(file_path="/w/src/app.py", workspace="/w"))
    assert elsewhere.provider.id != "lab" and elsewhere.rules == ()


def test_local_only_without_a_local_model_is_a_clear_error() -> None:
    secrets = compile_rules(
        [
            Rule.model_validate(
                {"name": "secrets", "when": {"fileGlob": "**/secrets/**"}, "then": {"localOnly": True}}
            )
        ],
        load_catalog(Settings()),
    )
    with pytest.raises(ConfigError) as info:
        select_model(
            load_catalog(Settings()),
            input_tokens=10,
            output_cap=100,
            keyed_providers=KEYS,
            rules=secrets,
            editor=EditorContext(file_path="/w/secrets/a.txt"),
        )
    assert info.value.kind == "no_local_model"
    assert (
        "Rule 'secrets' keeps this request on this machine" in info.value.message
        and "Ollama" in info.value.message
    )


def test_a_request_naming_a_model_the_rules_forbid_is_refused() -> None:
    secrets = rules({"name": "secrets", "when": {"fileGlob": "**/secrets/**"}, "then": {"localOnly": True}})
    with pytest.raises(ConfigError) as info:
        route(secrets, forced="gpt-4.1", editor=EditorContext(file_path="/w/secrets/a.txt"))
    assert info.value.kind == "rule_refused"
    assert (
        "'gpt-4.1' cannot take this request: rule 'secrets' keeps this request on this machine"
        in info.value.message
    )


@pytest.mark.parametrize(
    ("then", "check"),
    [
        ({"requireModel": ["gpt-4.1"]}, lambda d: d.model.id == "gpt-4.1" and d.fallbacks == ()),
        (
            {"forbidModel": ["claude-opus-5-5", "claude-opus-4-5"]},
            lambda d: "opus" not in d.model.id + "".join(d.fallbacks),
        ),
        ({"requireProvider": ["deepseek"]}, lambda d: {c.provider.id for c in d.candidates} == {"deepseek"}),
        (
            {"forbidProvider": ["anthropic"]},
            lambda d: all(c.provider.id != "anthropic" for c in d.candidates),
        ),
        ({"requireTier": ["fast"]}, lambda d: {c.model.tier for c in d.candidates} == {"fast"}),
        ({"forbidTier": ["frontier"]}, lambda d: "frontier" not in {c.model.tier for c in d.candidates}),
        ({"maxCostUsd": 0.001}, lambda d: all(c.max_micro_usd <= 1000 for c in d.candidates)),
        ({"localOnly": True}, lambda d: [c.model.id for c in d.candidates] == ["lab/coder"]),
    ],
)
def test_each_restricting_action(then: dict[str, Any], check: Any) -> None:
    d = route(rules({"name": "r", "when": {"intent": ["debugging"]}, "then": then}), complexity=0.9)
    assert check(d), (d.model.id, d.fallbacks)
    unmatched = route(rules({"name": "r", "when": {"intent": ["writing"]}, "then": then}), complexity=0.9)
    assert unmatched.rules == () and len(unmatched.candidates) > len(d.candidates)


@pytest.mark.parametrize(
    ("then", "winner"),
    [
        ({"preferModel": ["gpt-4.1-mini"]}, lambda d: d.model.id == "gpt-4.1-mini"),
        ({"preferProvider": ["openai"]}, lambda d: d.provider.id == "openai"),
        ({"preferTier": ["local"]}, lambda d: d.model.id == "lab/coder"),
    ],
)
def test_prefer_actions_tilt_the_choice(then: dict[str, Any], winner: Any) -> None:
    plain = route((), intent="general", complexity=0.0)
    assert not winner(plain)
    tilted = route(
        rules({"name": "r", "when": {"intent": ["general"]}, "then": then}), intent="general", complexity=0.0
    )
    assert winner(tilted), tilted.model.id


def test_several_rules_add_up_and_the_tightest_cap_wins() -> None:
    both = rules(
        {
            "name": "no anthropic",
            "when": {"intent": ["debugging"]},
            "then": {"forbidProvider": ["anthropic"], "maxCostUsd": 0.01},
        },
        {"name": "cheap python", "when": {"language": ["python"]}, "then": {"maxCostUsd": 0.002}},
    )
    d = route(both, complexity=1.0, editor=EditorContext(language="python"))
    assert d.rules == ("no anthropic", "cheap python")
    assert all(c.provider.id != "anthropic" and c.max_micro_usd <= 2000 for c in d.candidates)
    assert "Rules applied: 'no anthropic', 'cheap python'." in d.explanation


def test_rules_leaving_no_model_name_themselves() -> None:
    only_gemini = rules(
        {"name": "gemini only", "when": {"complexityMin": 0}, "then": {"requireProvider": ["gemini"]}}
    )
    with pytest.raises(ConfigError, match="No usable model satisfies the rules 'gemini only'"):
        route(only_gemini)


def bad(rule: dict[str, Any], index: int = 0) -> str:
    raw = [{"name": "fine", "when": {"intent": ["general"]}, "then": {"preferTier": ["fast"]}}] * index + [
        rule
    ]
    with pytest.raises(ConfigError) as info:
        compile_rules(parse_settings({"rules": raw}).rules, CATALOG)
    assert info.value.kind == "bad_settings"
    return info.value.message


def test_bad_rules_are_named_with_what_is_wrong() -> None:
    msg = bad(
        {"name": "typo", "when": {"intent": ["debugging"]}, "then": {"requireModel": ["gpt-4.2"]}}, index=2
    )
    assert msg.startswith("smartRouter.rules[2] ('typo'): then.requireModel names unknown model 'gpt-4.2'")
    assert "did you mean 'gpt-4.1'?" in msg
    msg = bad({"name": "always", "then": {"localOnly": True}})
    assert msg.startswith("smartRouter.rules[0] ('always'): empty match")
    msg = bad({"name": "idle", "when": {"intent": ["debugging"]}, "then": {}})
    assert "('idle'): 'then' gives no action" in msg
    msg = bad(
        {
            "name": "both",
            "when": {"intent": ["debugging"]},
            "then": {"requireModel": ["gpt-4.1"], "forbidModel": ["gpt-4.1"]},
        }
    )
    assert "('both'): contradictory actions: requireModel and forbidModel both name 'gpt-4.1'" in msg
    msg = bad(
        {
            "name": "local",
            "when": {"intent": ["debugging"]},
            "then": {"localOnly": True, "requireModel": ["gpt-4.1"]},
        }
    )
    assert "('local'): contradictory actions: requireModel names 'gpt-4.1' but localOnly keeps" in msg
    msg = bad(
        {
            "name": "p",
            "when": {"intent": ["debugging"]},
            "then": {"requireModel": ["gpt-4.1"], "forbidProvider": ["openai"]},
        }
    )
    assert "requireModel names 'gpt-4.1' but forbidProvider bans its provider 'openai'" in msg
    msg = bad(
        {
            "name": "gw",
            "when": {"intent": ["debugging"]},
            "then": {"localOnly": True, "requireProvider": ["openai"]},
        }
    )
    assert (
        "localOnly keeps the request on this machine but requireProvider names only remote providers" in msg
    )
    msg = bad(
        {"name": "range", "when": {"complexityMin": 0.8, "complexityMax": 0.2}, "then": {"localOnly": True}}
    )
    assert "('range'): when.complexityMin (0.8) is above complexityMax (0.2)" in msg
    msg = bad({"name": "tok", "when": {"tokensMin": 10, "tokensMax": 5}, "then": {"localOnly": True}})
    assert "when.tokensMin (10) is above tokensMax (5)" in msg
    msg = bad({"name": "prov", "when": {"intent": ["debugging"]}, "then": {"forbidProvider": ["opanai"]}})
    assert "then.forbidProvider names unknown provider 'opanai'" in msg
    msg = bad({"name": "empty", "when": {"intent": []}, "then": {"localOnly": True}})
    assert "when.intent is an empty list" in msg
    msg = bad(
        {
            "name": "pref",
            "when": {"intent": ["debugging"]},
            "then": {"preferTier": ["fast"], "forbidTier": ["fast"]},
        }
    )
    assert "preferTier and forbidTier both name 'fast'" in msg


def test_settings_refuse_malformed_rules_by_field() -> None:
    with pytest.raises(ConfigError, match=r"smartRouter\.rules\[0\] \('x'\)\.when\.intent\[0\]"):
        parse_settings(
            {"rules": [{"name": "x", "when": {"intent": ["debuging"]}, "then": {"localOnly": True}}]}
        )
    with pytest.raises(ConfigError, match=r"rules\[0\] \('x'\)\.then\.maxCostUsd: Input should be greater"):
        parse_settings(
            {"rules": [{"name": "x", "when": {"intent": ["debugging"]}, "then": {"maxCostUsd": 0}}]}
        )


def test_a_rule_may_name_a_local_model_before_it_is_discovered_and_a_gateway_deployment_counts() -> None:
    compile_rules(
        [
            Rule.model_validate(
                {
                    "name": "l",
                    "when": {"intent": ["debugging"]},
                    "then": {"preferModel": ["ollama/qwen3:30b"]},
                }
            )
        ],
        CATALOG,
    )
    sonnet = rules(
        {"name": "s", "when": {"intent": ["architecture"]}, "then": {"requireModel": ["claude-sonnet-4-5"]}}
    )
    d = route(sonnet, intent="architecture", keys={"openrouter"})
    assert d.model.id == "openrouter/anthropic/claude-sonnet-4.5"
