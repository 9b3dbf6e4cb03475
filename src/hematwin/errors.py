"""One exception hierarchy for hematwin.

Every error names where the fault is (file, row, field, line or equation) and what was
expected, so that a user can fix the input without reading our code.
"""

from __future__ import annotations

from typing import Any


class HematwinError(Exception):
    """Base class of every error hematwin raises on purpose.

    Parameters
    ----------
    message:
        What is wrong and what was expected.
    file, row, field, line, equation, model:
        Where the fault is; each is optional and, when given, is printed before the message.
    """

    def __init__(
        self,
        message: str,
        *,
        file: str | None = None,
        row: int | None = None,
        field: str | None = None,
        line: int | None = None,
        equation: str | None = None,
        model: str | None = None,
    ) -> None:
        self.message = message
        self.file = None if file is None else str(file)
        self.row = row
        self.field = field
        self.line = line
        self.equation = equation
        self.model = model
        super().__init__(self._render())

    @property
    def where(self) -> str:
        parts: list[str] = []
        if self.model is not None:
            parts.append(f"model {self.model!r}")
        if self.file is not None:
            parts.append(self.file)
        if self.line is not None:
            parts.append(f"line {self.line}")
        if self.row is not None:
            parts.append(f"row {self.row}")
        if self.field is not None:
            parts.append(f"field {self.field!r}")
        return ", ".join(parts)

    def _render(self) -> str:
        text = f"{self.where}: {self.message}" if self.where else self.message
        if self.equation is not None:
            text += f"\n    in: {self.equation}"
        return text

    def location(self) -> dict[str, Any]:
        """The location fields as a dict (for reports of rejected rows)."""
        return {
            "file": self.file,
            "row": self.row,
            "field": self.field,
            "line": self.line,
            "equation": self.equation,
            "model": self.model,
        }


# --- model specification -------------------------------------------------------------


class ModelError(HematwinError):
    """A model specification is invalid."""


class EquationSyntaxError(ModelError):
    """An equation or expression cannot be parsed."""


class UnknownSymbolError(ModelError):
    """An expression uses a name that is neither a state, parameter, nor definition."""


class DuplicateNameError(ModelError):
    """Two states, parameters, definitions or outputs share a name."""


class MissingEquationError(ModelError):
    """A state has no differential equation (or an equation names no declared state)."""


class ParameterError(ModelError):
    """A parameter value is missing, not finite, or outside its bounds."""


# --- therapy and events --------------------------------------------------------------


class RegimenError(HematwinError):
    """A dosing event or regimen is invalid (negative dose, unknown compartment...)."""


# --- data ----------------------------------------------------------------------------


class DataError(HematwinError):
    """A record in a patient data file is invalid."""


class UnitError(DataError):
    """A unit is unknown or cannot be converted to the unit expected."""


# --- numerics ------------------------------------------------------------------------


class SolverError(HematwinError):
    """A solver was asked for something it cannot do (bad tolerance, unknown method)."""


class BackendUnavailableError(HematwinError):
    """A requested compute backend cannot be used on this machine."""


# --- scenarios -----------------------------------------------------------------------


class ScenarioError(HematwinError):
    """A scenario file is invalid: the message names its line and field, what was expected
    and, for a choice, the valid options."""
