"""Unit normalisation: every accepted spelling lands in the canonical unit, exactly."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from hematwin.data.units import HB_MMOL_PER_L_PER_G_PER_DL, to_canonical
from hematwin.errors import UnitError


@pytest.mark.parametrize(
    "unit", ["10^9/L", "10*9/L", "x10E9/L", "×10⁹/L", "G/L", "Gpt/L", "/nL", "10^3/µL",
             "10*3/uL", "K/uL", "10^3/mm3", "10^9 cells/L"],
)
def test_count_units_equal_to_10e9_per_litre(unit):
    assert to_canonical(1.5, unit, "anc") == 1.5


@pytest.mark.parametrize("unit", ["cells/µL", "/µL", "/uL", "cells/uL", "/mm3", "/mm³",
                                  "cells/mm3", "10^6/L"])
def test_per_microlitre_is_divided_by_1000(unit):
    assert to_canonical(1500, unit, "platelets") == 1.5


def test_hemoglobin_units():
    assert to_canonical(12.3, "g/dL", "hemoglobin") == 12.3
    assert to_canonical(123, "g/L", "hemoglobin") == 12.3
    # monomer basis (Kratz et al., NEJM 2004): 6.2 mmol/L <-> 10.0 g/dL (CTCAE v5 anemia)
    assert to_canonical(6.206, "mmol/L", "hemoglobin") == pytest.approx(10.0, rel=1e-12)
    assert HB_MMOL_PER_L_PER_G_PER_DL == 0.6206


def test_temperature_units():
    assert to_canonical(38.5, "Cel", "temperature") == 38.5
    assert to_canonical(101.3, "[degF]", "temperature") == pytest.approx(38.5)
    assert to_canonical(212, "°F", "temperature") == pytest.approx(100.0)
    assert to_canonical(310.15, "K", "temperature") == pytest.approx(37.0)


def test_percent_and_fraction():
    assert to_canonical(0.1, "%", "bcr_abl1_is_pct") == 0.1
    assert to_canonical(1e-4, "1", "mrd_qpcr") == pytest.approx(0.01)


@pytest.mark.parametrize(("unit", "analyte"), [("g/L", "anc"), ("furlong", "wbc"), ("", "wbc"),
                                               ("mg", "hemoglobin"), ("%", "platelets"),
                                               ("g/dL", "temperature")])
def test_bad_unit_is_a_unit_error_naming_file_row_field(unit, analyte):
    with pytest.raises(UnitError) as info:
        to_canonical(1.0, unit, analyte, file="labs.csv", row=7, field="unit")
    err = info.value
    assert (err.file, err.row, err.field) == ("labs.csv", 7, "unit")
    assert "labs.csv" in str(err) and "row 7" in str(err) and "'unit'" in str(err)


@given(st.integers(0, 10**7))
def test_integer_cells_per_microlitre_convert_exactly(n):
    assert to_canonical(float(n), "cells/µL", "anc") == n / 1000
