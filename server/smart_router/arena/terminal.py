"""`smart-router arena "prompt"`: a live battle in the terminal.

Every contestant runs at once; the terminal cannot show columns, so it says who fights (and who
was left out) on standard error, reports each contestant as it finishes, then prints every answer
under its model's name, followed by the pick and its reason, then the judge's merged answer when a
judge is set (`smartRouter.arenaJudge`), or why there was no merge. With `--json` it prints the
result object only (the `smartRouter/arena` result, in snake_case). Ctrl-C stops every contestant; what
they used is recorded.
"""

from __future__ import annotations

import sys
import uuid
from typing import TYPE_CHECKING, TextIO

from smart_router.arena.results import ArenaOutcome, ArenaStart, ContestantResult
from smart_router.budget import SpendSummary
from smart_router.tokens import micro_to_usd

if TYPE_CHECKING:
    from smart_router.engine import Engine

__all__ = ["live_command"]


def _usd(micro: int) -> str:
    return f"${micro_to_usd(micro):.6f}"


def _ms(value: float | None) -> str:
    return "-" if value is None else f"{value:.0f} ms"


class _TerminalListener:
    def __init__(self, err: TextIO) -> None:
        self._err = err

    def started(self, start: ArenaStart) -> None:
        names = ", ".join(m.model for m in start.members)
        most = _usd(start.estimated_max_micro_usd)
        self._err.write(f"[arena {start.group} ({start.intent}): {names}; at most {most}]\n")
        for model, why in start.dropped:
            self._err.write(f"[left out {model}: {why}]\n")
        self._err.flush()

    def delta(self, request_id: str, model: str, text: str) -> None:
        pass

    def contestant(self, request_id: str, result: ContestantResult) -> None:
        how = result.error.message if result.error else result.status
        self._err.write(f"[{result.model}: {how}, {_ms(result.total_ms)}]\n")
        self._err.flush()

    def settled(self, summary: SpendSummary) -> None:
        pass

    def merge(self, request_id: str, judge: str, sources: tuple[str, ...], text: str) -> None:
        if not text:
            self._err.write(f"[{judge} is merging the answers of {', '.join(sources)}]\n")
            self._err.flush()


def _print(outcome: ArenaOutcome, out: TextIO) -> None:
    for c in outcome.contestants:
        mark = "*" if outcome.pick and outcome.pick.model == c.model else " "
        out.write(
            f"{mark} == {c.model} ({c.provider}) · {c.status} · first token {_ms(c.ttft_ms)} · total "
            f"{_ms(c.total_ms)} · {c.input_tokens} in / {c.output_tokens} out · {_usd(c.cost_micro_usd)}\n"
        )
        if c.error is not None:
            out.write(f"error: {c.error.message}\n")
        if c.text:
            out.write(c.text if c.text.endswith("\n") else c.text + "\n")
        out.write("\n")
    if outcome.pick is not None:
        out.write(f"pick: {outcome.pick.model}: {outcome.pick.reason}\n")
    else:
        out.write("pick: none: no contestant gave a usable answer\n")
    m = outcome.merged
    if m is not None:
        out.write(
            f"\n== merged by {m.model} ({m.provider}) from {', '.join(m.sources)} · {m.status} · first token "
            f"{_ms(m.ttft_ms)} · total {_ms(m.total_ms)} · {m.input_tokens} in / {m.output_tokens} out · "
            f"{_usd(m.cost_micro_usd)}\n"
        )
        if m.error is not None:
            out.write(f"error: {m.error.message}\n")
        if m.text:
            out.write(m.text if m.text.endswith("\n") else m.text + "\n")
        out.write("\n")
    elif outcome.merge_skipped:
        out.write(f"merge skipped: {outcome.merge_skipped}\n")
    cost = _usd(outcome.total_cost_micro_usd)
    out.write(
        f"battle {outcome.start.battle_id} · {cost} · {outcome.wall_ms:.0f} ms. "
        "Vote in VS Code's arena to rate the models.\n"
    )


async def live_command(
    engine: Engine,
    prompt: str,
    *,
    group: str | None,
    models: list[str] | None,
    as_json: bool,
    out: TextIO,
    err: TextIO = sys.stderr,
) -> int:
    """Run one battle and print it; 0 when some contestant answered, 1 when none did."""
    from smart_router.protocol_arena import arena_result

    outcome = await engine.arena(uuid.uuid4().hex, prompt, _TerminalListener(err), group=group, models=models)
    if as_json:
        out.write(arena_result(outcome).model_dump_json() + "\n")
    else:
        _print(outcome, out)
    return 0 if outcome.pick is not None else 1
