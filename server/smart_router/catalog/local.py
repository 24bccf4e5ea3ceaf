"""Models found at run time on a local server (Ollama's `/api/tags`): free, tier `local`.

Their priors come from the packaged `localModels` references: the first reference one of whose
names the model's name starts with (`gemma3:27b` matches `gemma3:27b-it-qat`), else the default
reference (an 8B-class model). A user entry in `smartRouter.models` with the same id applies on
top, as for any catalog model.
"""

from __future__ import annotations

import re
from decimal import Decimal
from typing import NamedTuple, Protocol

from smart_router.catalog.schema import LocalReference, packaged
from smart_router.catalog.specs import ModelFlags, ModelSpec, frozen_priors

__all__ = [
    "DEFAULT_LOCAL_CONTEXT",
    "Discovered",
    "LocalModel",
    "as_local_model",
    "local_model_spec",
    "local_reference",
]

DEFAULT_LOCAL_CONTEXT = 4096
"""Context window assumed when discovery does not report one (Ollama's default `num_ctx`)."""


class LocalModel(NamedTuple):
    """A model a local server reports: its name there, its family, its context window if known."""

    name: str
    family: str | None
    context_window: int | None = None


class Discovered(Protocol):
    """What discovery reports of a model (e.g. `providers.ollama.LocalModel`)."""

    @property
    def name(self) -> str: ...
    @property
    def family(self) -> str | None: ...


def as_local_model(
    item: Discovered | tuple[str, str | None] | tuple[str, str | None, int | None],
) -> LocalModel:
    """A `LocalModel` from a tuple `(name, family[, context_window])` or a discovery record."""
    if isinstance(item, tuple):
        return LocalModel(*item)
    window = getattr(item, "context_window", None)
    return LocalModel(item.name, item.family, window if isinstance(window, int) else None)


def _family(reported: str | None, fallback: str) -> str:
    """Ollama reports families like `gemma3` or `qwen2`: the catalog's family is `gemma`, `qwen`."""
    family = re.sub(r"[\d.]+$", "", (reported or "").strip().lower())
    return family or fallback


def local_reference(name: str) -> tuple[LocalReference, str | None]:
    """The reference whose priors a local model `name` takes, and the name prefix that matched."""
    local = packaged().local_models
    key = name.lower().removesuffix(":latest")
    for ref in local.references:
        for prefix in ref.names:
            if key == prefix or key.startswith((prefix + "-", prefix + "_")):
                return ref, prefix
    return local.default, None


def local_model_spec(provider: str, model: LocalModel) -> ModelSpec:
    """The catalog entry `<provider>/<name>` of a discovered local model."""
    ref, matched = local_reference(model.name)
    how = f"matched '{matched}'" if matched else "no reference matched: default"
    window = model.context_window or DEFAULT_LOCAL_CONTEXT
    return ModelSpec(
        id=f"{provider}/{model.name}",
        provider=provider,
        api_name=model.name,
        input_usd_per_mtok=Decimal(0),
        output_usd_per_mtok=Decimal(0),
        context_window=window,
        max_output_tokens=window,
        tier="local",
        price_source=f"local model on '{provider}': no per-token charge",
        family=_family(model.family, ref.family),
        priors=frozen_priors(ref.priors),
        prior_source=f"local reference ({how}): {ref.prior_source}",
        flags=ModelFlags(streaming=True, system_role=True, json_mode=True, vision=False),
    )
