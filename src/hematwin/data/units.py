"""Unit normalisation with pint: every value a reader accepts ends in its canonical unit.

Spellings understood (case matters only where the field uses it; ``u``, ``µ`` and ``μ`` all
mean micro):

==================  =======================================================================
analyte kind        units accepted
==================  =======================================================================
count (10^9/L)      ``10^9/L`` = ``10*9/L`` (UCUM) = ``x10E9/L`` = ``G/L`` = ``Gpt/L`` =
                    ``/nL`` = ``10^3/µL`` = ``10*3/uL`` = ``K/µL``; ``cells/µL`` = ``/µL`` =
                    ``/mm3`` = ``cells/mm³`` (divided by 1000); ``10^6/L``; ``/L``
hemoglobin (g/dL)   ``g/dL`` = ``g/100mL`` = ``g%``; ``g/L`` (divided by 10); ``mmol/L`` on
                    the monomer (haem) basis, 1 g/dL = 0.6206 mmol/L
temperature (degC)  ``degC`` = ``°C`` = ``Cel`` (UCUM) = ``C``; ``degF`` = ``°F`` = ``[degF]``
                    (UCUM) = ``F``; ``K``
percent (%)         ``%`` = ``percent`` = ``pct``; a plain fraction ``1`` / ``fraction``
                    / ``ratio`` is multiplied by 100
==================  =======================================================================

A unit that cannot be read, or whose dimension does not match the analyte's, raises
:class:`hematwin.errors.UnitError` naming the file, row and field.

Conversions are applied as exact rationals where they are ones (``/1000``, ``*5/9``), so
``1500 cells/µL`` becomes exactly ``1.5`` and a written value reads back bit for bit.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from fractions import Fraction
from functools import lru_cache

import pint

from hematwin.data.analytes import CANONICAL_UNIT, UnitKind, analyte
from hematwin.errors import UnitError

# Hemoglobin as the monomer (one globin chain with its haem, M = 16,114 g/mol): 1 g/dL
# = 0.6206 mmol/L (Kratz A et al., N Engl J Med 2004;351:1548, "Laboratory reference
# values", SI conversion table; the tetramer basis, M = 64,458 g/mol, would give 0.155 and
# is not used by laboratories reporting mmol/L). NCI CTCAE v5.0 (2017), term "Anemia",
# uses the same factor: 10.0 g/dL <-> 6.2 mmol/L.
HB_MMOL_PER_L_PER_G_PER_DL = 0.6206

_ureg = pint.UnitRegistry(autoconvert_offset_to_baseunit=False)

_SUPERSCRIPTS = str.maketrans("⁰¹²³⁴⁵⁶⁷⁸⁹⁻", "0123456789-")

# canonical units as pint expressions
_PINT_CANONICAL: dict[UnitKind, str] = {
    "count": "1e9 / liter",
    "mass_concentration": "gram / deciliter",
    "temperature": "degree_Celsius",
    "percent": "percent",
}

_TEMPERATURE_ALIASES = {
    "degc": "degree_Celsius", "°c": "degree_Celsius", "cel": "degree_Celsius",
    "c": "degree_Celsius", "celsius": "degree_Celsius", "℃": "degree_Celsius",
    "degf": "degree_Fahrenheit", "°f": "degree_Fahrenheit", "[degf]": "degree_Fahrenheit",
    "f": "degree_Fahrenheit", "fahrenheit": "degree_Fahrenheit", "℉": "degree_Fahrenheit",
    "k": "kelvin", "kelvin": "kelvin",
}
_PERCENT_ALIASES = {"%": "percent", "percent": "percent", "pct": "percent",
                    "1": "dimensionless", "fraction": "dimensionless",
                    "ratio": "dimensionless", "{ratio}": "dimensionless"}
# count units with a letter prefix that pint would misread (G = gauss, K = kelvin)
# (case-sensitive: "g/L" is grams per litre, "G/L" is giga-cells per litre)
_COUNT_PREFIXES = {"G": 10**9, "Gpt": 10**9, "GPT": 10**9, "K": 10**3, "k": 10**3,
                   "thou": 10**3, "M": 10**6, "T": 10**12}
_VOLUMES = {"l": "liter", "dl": "deciliter", "ml": "milliliter", "ul": "microliter",
            "nl": "nanoliter", "mm3": "millimeter**3", "mm^3": "millimeter**3",
            "cumm": "millimeter**3", "cmm": "millimeter**3", "100ml": "(100 * milliliter)"}


@dataclass(frozen=True)
class Conversion:
    """``canonical = (value + pre_offset) * multiply / divide``."""

    multiply: float = 1.0
    divide: float = 1.0
    pre_offset: float = 0.0

    def __call__(self, value: float) -> float:
        v = value + self.pre_offset if self.pre_offset else value
        if self.multiply != 1.0:
            v = v * self.multiply
        if self.divide != 1.0:
            v = v / self.divide
        return float(v)


def _clean(text: str) -> str:
    t = text.strip().translate(_SUPERSCRIPTS)
    t = t.replace("µ", "u").replace("μ", "u").replace("×", "x").replace(" ", "")
    return t


def _count_expression(t: str) -> str | None:
    """A pint expression for a count-per-volume spelling, or None if it is not one."""
    m = re.fullmatch(r"(.*?)(?:[Cc]ells?)?/(.+)", t)
    if m is None:
        return None
    head, volume = m.group(1), m.group(2).lower()
    if volume not in _VOLUMES:
        return None
    if head in ("", "1", "#", "n"):
        factor = 1
    elif head in _COUNT_PREFIXES:
        factor = _COUNT_PREFIXES[head]
    else:
        p = re.fullmatch(r"[xX]?10(?:\^|\*\*|\*|[eE])?(-?\d+)", head)
        if p is None:
            return None
        factor = 10 ** int(p.group(1)) if int(p.group(1)) >= 0 else Fraction(
            1, 10 ** -int(p.group(1)))
    return f"({factor}) / {_VOLUMES[volume]}"


def _pint_expression(text: str, kind: UnitKind) -> str:
    t = _clean(text)
    low = t.lower()
    if kind == "temperature":
        return _TEMPERATURE_ALIASES.get(low, t)
    if kind == "percent":
        return _PERCENT_ALIASES.get(low, t)
    if kind == "count":
        expr = _count_expression(t)
        return expr if expr is not None else t
    # mass concentration
    if low in ("g%", "g/100ml"):
        return "gram / deciliter"
    return t


def _snap(x: float) -> tuple[float, float]:
    """(multiply, divide) with integers where ``x`` is an exact small rational."""
    frac = Fraction(x).limit_denominator(10**9)
    if math.isclose(float(frac), x, rel_tol=1e-13, abs_tol=0.0):
        return float(frac.numerator), float(frac.denominator)
    return x, 1.0


@lru_cache(maxsize=512)
def _conversion(unit_text: str, kind: UnitKind) -> Conversion | str:
    """The conversion from ``unit_text`` to the canonical unit of ``kind``, or a reason."""
    if not unit_text.strip():
        return "unit is empty"
    expr = _pint_expression(unit_text, kind)
    canonical = _PINT_CANONICAL[kind]
    try:
        if kind == "temperature":
            unit = _ureg.Unit(expr)
            zero = _ureg.Quantity(0.0, _ureg.degree_Celsius).to(unit).magnitude
            one = _ureg.Quantity(zero + 1.0, unit).to(_ureg.degree_Celsius).magnitude
            multiply, divide = _snap(one)
            return Conversion(multiply, divide, pre_offset=-_round_offset(zero) + 0.0)
        q_in = _ureg.parse_expression(expr)
        q_in = q_in if isinstance(q_in, pint.Quantity) else _ureg.Quantity(q_in)
        if kind == "mass_concentration" and q_in.dimensionality == _ureg.parse_expression(
            "mol/L"
        ).dimensionality:
            mmol = q_in.to("mmol/L").magnitude
            multiply, divide = _snap(mmol)
            return Conversion(multiply, divide * HB_MMOL_PER_L_PER_G_PER_DL)
        scale = (q_in / _ureg.parse_expression(canonical)).to("dimensionless").magnitude
    except pint.DimensionalityError:
        return f"{unit_text!r} cannot be converted to {CANONICAL_UNIT[kind]}"
    except Exception:  # pint raises a zoo of parse errors (UndefinedUnitError, Syntax...)
        return f"{unit_text!r} is not a unit hematwin can read"
    multiply, divide = _snap(float(scale))
    return Conversion(multiply, divide)


def _round_offset(x: float) -> float:
    r = round(x, 9)
    return r if math.isclose(r, x, rel_tol=0, abs_tol=1e-9) else x


def conversion(
    unit_text: str,
    analyte_name: str,
    *,
    file: str | None = None,
    row: int | None = None,
    field: str | None = "unit",
) -> Conversion:
    """The :class:`Conversion` from ``unit_text`` to ``analyte_name``'s canonical unit.

    Raises
    ------
    UnitError
        if the unit cannot be read or has the wrong dimension (names file, row, field).
    """
    kind = analyte(analyte_name).kind
    result = _conversion(str(unit_text), kind)
    if isinstance(result, str):
        raise UnitError(
            f"{result} (analyte {analyte_name!r}, expected a unit convertible to "
            f"{CANONICAL_UNIT[kind]})",
            file=file, row=row, field=field,
        )
    return result


def to_canonical(
    value: float,
    unit_text: str,
    analyte_name: str,
    *,
    file: str | None = None,
    row: int | None = None,
    field: str | None = "unit",
) -> float:
    """``value`` in ``unit_text`` expressed in the canonical unit of ``analyte_name``."""
    return conversion(unit_text, analyte_name, file=file, row=row, field=field)(value)


def is_canonical(unit_text: str, analyte_name: str) -> bool:
    """True when ``unit_text`` is the canonical spelling for ``analyte_name``."""
    return unit_text == analyte(analyte_name).unit
