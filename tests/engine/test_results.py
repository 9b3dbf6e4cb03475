"""Simulation results: long tables, xarray, Parquet, chunked cohorts, reproducible IIV."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from engine_models import model

from hematwin.engine.population import lognormal_iiv
from hematwin.engine.random import standard_normals, uniforms
from hematwin.engine.results import SimulationResult
from hematwin.errors import ParameterError
from hematwin.library import friberg2002
from hematwin.therapy.regimen import Dose, Regimen

TIMES = np.linspace(0.0, 4.0, 9)


@pytest.fixture(scope="module")
def result() -> SimulationResult:
    params = {"k": [1.0, 0.0, 0.5], "q": [0.0, 1.0, 0.0], "x0": [2.0, 1.0, 0.0]}
    regimens = [Regimen(), Regimen(), Regimen([Dose(1.0, 3.0, "x")])]
    return model("onecpt").simulate(params=params, regimen=regimens, times=TIMES,
                                    record=["x", "e", "double"], ids=[7, 8, 9])


def test_shapes_names_units(result):
    assert result.values.shape == (3, 9, 3)
    assert result.names == ["x", "e", "double"]
    assert result.units == ["mg", "mg", "1"]
    assert result["e"].shape == (3, 9)
    assert result.n_patients == 3
    assert result.ok.tolist() == [True, False, True]  # patient 8 blows up at t = 1
    with pytest.raises(KeyError, match="'y' was not recorded"):
        result["y"]


def test_to_frame(result):
    frame = result.to_frame()
    assert list(frame.columns) == ["id", "time", "x", "e", "double", "status"]
    assert len(frame) == 3 * 9
    row = frame[(frame["id"] == 9) & (frame["time"] == 2.0)].iloc[0]
    j = int(np.flatnonzero(TIMES == 2.0)[0])
    assert row["x"] == result.values[2, j, 0]
    assert row["double"] == result.values[2, j, 2]
    assert frame.loc[frame["id"] == 8, "status"].unique().tolist() == [int(result.status[1])]
    np.testing.assert_array_equal(frame["x"].to_numpy().reshape(3, 9), result["x"])


def test_to_xarray(result):
    ds = result.to_xarray()
    assert ds["x"].dims == ("patient", "time")
    assert ds["x"].shape == (3, 9)
    assert ds["patient"].values.tolist() == [7, 8, 9]
    np.testing.assert_array_equal(ds["time"].values, TIMES)
    np.testing.assert_array_equal(ds["e"].values, result["e"])
    assert ds["x"].attrs["units"] == "mg"
    assert ds["time"].attrs["units"] == "day"
    assert ds["status"].values.tolist() == result.status.tolist()
    assert ds.attrs["model"] == "onecpt"
    assert float(ds["x"].sel(patient=9, time=1.0)) == result.values[2, 2, 0]


def test_failures_table(result):
    failures = result.failures()
    assert failures["id"].tolist() == [8]
    assert failures["reason"].iloc[0] != "ok"


def test_parquet_round_trip(result, tmp_path):
    path = result.to_parquet(tmp_path / "r.parquet")
    back = pd.read_parquet(path)
    pd.testing.assert_frame_equal(back, result.to_frame())


def test_concat_keeps_order(result):
    parts = [SimulationResult(model=result.model, ids=result.ids[i:i + 1], times=result.times,
                              names=result.names, values=result.values[i:i + 1],
                              status=result.status[i:i + 1], n_steps=result.n_steps[i:i + 1],
                              units=result.units) for i in range(3)]
    joined = SimulationResult.concat(parts)
    np.testing.assert_array_equal(joined.values, result.values)
    assert joined.ids.tolist() == [7, 8, 9]


# --- chunked cohorts ---------------------------------------------------------------------

SPEC = friberg2002.spec("docetaxel")
OMEGA = friberg2002.IIV["docetaxel"]


def _cohort_kwargs(ids):
    return dict(regimen=friberg2002.regimen("docetaxel", 180, cycles=2),
                params=lognormal_iiv(SPEC, OMEGA, ids, seed=42), ids=ids,
                times=np.arange(0.0, 43.0, 3.0), record=["anc", "conc"])


def test_simulate_to_parquet_in_chunks_equals_one_batch(tmp_path):
    m = model("friberg_docetaxel")
    ids = np.arange(100, 111)
    whole = m.simulate(**_cohort_kwargs(ids))
    counts = m.simulate_to_parquet(tmp_path / "c.parquet", chunk_size=4, **_cohort_kwargs(ids))
    assert counts == {"patients": 11, "failed": 0}
    back = pd.read_parquet(tmp_path / "c.parquet")
    pd.testing.assert_frame_equal(back, whole.to_frame())
    chunks = list(m.simulate_chunks(chunk_size=4, **_cohort_kwargs(ids)))
    assert [c.n_patients for c in chunks] == [4, 4, 3]


def test_lognormal_iiv_depends_only_on_seed_and_id():
    ids = np.arange(1, 41)
    full = lognormal_iiv(SPEC, OMEGA, ids, seed=7)
    rng = np.random.default_rng(3)
    shuffled = rng.permutation(ids)
    again = lognormal_iiv(SPEC, OMEGA, shuffled, seed=7)
    pd.testing.assert_frame_equal(again.loc[ids], full)
    parts = pd.concat([lognormal_iiv(SPEC, OMEGA, ids[a:a + 7], seed=7)
                       for a in range(0, 40, 7)])
    pd.testing.assert_frame_equal(parts, full)
    other = lognormal_iiv(SPEC, OMEGA, ids, seed=8)
    assert not np.allclose(other.to_numpy(), full.to_numpy())
    assert list(full.columns) == list(OMEGA)
    # the log-scale spread is ω (loose check on 40 draws)
    eta = np.log(full["MTT"] / SPEC.parameter("MTT").default)
    assert 0.15 < eta.std() < 0.45


def test_simulated_patients_are_the_same_whatever_the_order_and_chunking():
    m = model("friberg_docetaxel")
    ids = np.array([5, 17, 3, 99, 42, 8])
    a = m.simulate(chunk_size=4, **_cohort_kwargs(ids))
    order = np.array([3, 0, 5, 1, 4, 2])
    b = m.simulate(chunk_size=2, **_cohort_kwargs(ids[order]))
    np.testing.assert_array_equal(b.values, a.values[order])
    assert b.ids.tolist() == ids[order].tolist()


def test_random_streams_are_counter_based():
    u = uniforms(1, np.array([4, 5]), 3)
    assert u.shape == (2, 3) and np.all((u > 0) & (u < 1))
    np.testing.assert_array_equal(uniforms(1, np.array([5]), 3)[0], u[1])
    assert not np.array_equal(uniforms(1, np.array([4]), 3, stream=1)[0], u[0])
    z = standard_normals(11, np.arange(20_000), 1)[:, 0]
    assert abs(z.mean()) < 0.03 and abs(z.std() - 1) < 0.03


def test_lognormal_iiv_bad_omega():
    with pytest.raises(ParameterError, match="unknown parameter 'WT'"):
        lognormal_iiv(SPEC, {"WT": 0.2}, np.arange(3), seed=1)
    with pytest.raises(ParameterError, match="ω must be finite"):
        lognormal_iiv(SPEC, {"MTT": -0.1}, np.arange(3), seed=1)


def test_an_empty_cohort_gives_an_empty_result():
    """A cohort filtered down to no patient (or a dataset without IDs) is not an error.

    Bug: ``Model.simulate(n=0, ...)`` raises a bare ``IndexError`` from
    ``SimulationResult.concat([])`` (no chunk was simulated).
    """
    res = model("onecpt").simulate(n=0, times=TIMES, record=["x", "e"])
    assert res.values.shape == (0, 9, 2)
    assert res.to_frame().empty
