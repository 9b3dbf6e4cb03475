"""A model named on the command line: a library model or a YAML model file."""

from __future__ import annotations

import inspect
from pathlib import Path

from hematwin.errors import ModelError
from hematwin.model.spec import ModelSpec
from hematwin.model.text_format import load_model
from hematwin.therapy.regimen import Regimen


def spec_and_regimen(model: str) -> tuple[ModelSpec, Regimen | None]:
    """``model`` is a library name (its spec and, where ``regimen()`` needs no argument, its
    default regimen) or the path of a YAML model file (no regimen)."""
    from hematwin import library

    if model in library.STOCHASTIC_MODELS:
        raise ModelError(f"{model!r} is a stochastic reaction network, not an ODE model; it "
                         "has no spec to export", field="model")
    if library.canonical_name(model) in library.MODELS:
        module = library.get(model)
        make = getattr(module, "regimen", None)
        regimen = None
        if make is not None and all(
            p.default is not inspect.Parameter.empty
            for p in inspect.signature(make).parameters.values()
        ):
            regimen = make()
        return module.spec(), regimen
    path = Path(model)
    if path.suffix.lower() in (".yaml", ".yml") and path.is_file():
        return load_model(path), None
    raise ModelError(f"{model!r} is neither a library model ({', '.join(sorted(library.MODELS))})"
                     " nor a YAML model file", field="model")
