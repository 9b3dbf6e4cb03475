"""Leukemic burden at diagnosis, in the twin's disease states and parameters.

The twin's leukemic line (:mod:`hematwin.twin.leukemia`) starts from the parameters
``LS_0`` (leukemic stem cells, 10⁶/kg) and ``LB_0`` (AML marrow blasts, 10⁹/kg), with
``leuk_block`` = 1 for AML (blasts do not mature) and 0 for chronic-phase CML. The helpers
here turn clinical descriptions into those values: as parameter values for the start of a
simulation (:meth:`LeukemicBurden.params`) or as state replacements at a later time
(:meth:`LeukemicBurden.regimen`, e.g. a relapse).

The normal counts of a simulation that starts at diagnosis are those of the parameters
(healthy by default); the marrow crowding by blasts lowers them over the following weeks.
Start the simulation a few weeks before treatment for counts that reflect the disease.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
from scipy.optimize import brentq
from scipy.stats import norm

from hematwin.errors import RegimenError
from hematwin.therapy._checks import fraction, number, positive
from hematwin.therapy.regimen import Covariate, Regimen, Replace

LSC_PER_MILLION_BLASTS = 1.0
"""Leukemic stem cells per 10⁶ AML blasts: about 1 SCID-leukemia-initiating cell per 10⁶
AML cells (Bonnet & Dick, Nat Med 1997;3:730; the frequency varies between patients over
more than two orders of magnitude)."""

CML_LSC_TO_HSC = 0.25
"""Leukemic to normal stem cells at CML diagnosis: 2.5×10⁵ leukemic against 10⁶ normal stem
cells in Michor et al., Nature 2005;435:1267 (the initial values of their Fig. 4)."""


LEUKEMIC_CHEMOSENSITIVITY_SD = 0.3
"""Spread between patients of the twin's leukemic chemosensitivity ``chemo_sens_L`` (the
multiplier of the cytotoxic kill of leukemic stem cells and blasts): log-normal with median
1 and this SD of its natural logarithm. AML patients in the same cytogenetic group differ in
how deep chemotherapy takes their leukemia — after the same induction, residual disease
measured by flow cytometry spans several logs (San Miguel et al., Blood 2001;98:1746) and a
quarter of the patients in first CR still carry it before transplant (24 of 99: Walter et
al., J Clin Oncol 2011;29:1190) — so the twin draws the kill multiplier per patient.
Calibrated [aml_7_3_cr, aml_mrd_before_transplant, aml_allo_relapse] (validation/twin_cases.py):
the 7+3 CR rate and the MRD-positive share before transplant in first CR."""


def leukemic_chemosensitivity(n: int, rng: np.random.Generator | None = None, *,
                              sd: float = LEUKEMIC_CHEMOSENSITIVITY_SD) -> np.ndarray:
    """``n`` values of the twin parameter ``chemo_sens_L`` for a virtual AML cohort
    (:data:`LEUKEMIC_CHEMOSENSITIVITY_SD`): draws from ``rng``, or without one the ``n``
    equally spaced quantiles (i + ½)/n of the distribution (a deterministic cohort)."""
    where = "leukemic_chemosensitivity"
    if isinstance(n, bool) or not isinstance(n, (int, np.integer)) or n < 1:
        raise RegimenError(f"{where}: n must be a positive integer, got {n!r}", field="n")
    spread = number(sd, "sd", where)
    if spread < 0:
        raise RegimenError(f"{where}: sd must be ≥ 0, got {spread}", field="sd")
    z = rng.standard_normal(n) if rng is not None else norm.ppf((np.arange(n) + 0.5) / n)
    return np.exp(spread * z)


def _twin_values(params: Mapping[str, float] | None, names: tuple[str, ...]) -> dict[str, float]:
    from hematwin.twin import twin_spec  # lazily: the twin is a higher layer

    defaults = {p.name: float(p.default) for p in twin_spec().parameters}
    values = dict(defaults)
    for k, v in (params or {}).items():
        if k in defaults:
            values[k] = float(v)
    return {k: values[k] for k in names}


@dataclass(frozen=True)
class LeukemicBurden:
    """Leukemic stem cells (10⁶/kg), marrow blasts (10⁹/kg) and the differentiation block."""

    lsc: float
    blasts: float
    leuk_block: float

    def params(self) -> dict[str, float]:
        """Parameter values for a simulation that starts at diagnosis."""
        return {"LS_0": self.lsc, "LB_0": self.blasts, "leuk_block": self.leuk_block}

    def regimen(self, time: float, blood_blasts: float | None = None) -> Regimen:
        """Replacements of ``LS`` and ``LB`` (and ``LPB``, circulating blasts in 10⁹/L, when
        given) at ``time``, with ``leuk_block`` changed from then on."""
        t = number(time, "time", "LeukemicBurden.regimen")
        items: list = [Replace(t, "LS", self.lsc), Replace(t, "LB", self.blasts),
                       Covariate(t, "leuk_block", self.leuk_block)]
        if blood_blasts is not None:
            items.append(Replace(t, "LPB", number(blood_blasts, "blood_blasts",
                                                  "LeukemicBurden.regimen")))
        return Regimen(items)


def aml_at_diagnosis(marrow_blasts_pct: float = 60.0, *,
                     lsc_per_million_blasts: float = LSC_PER_MILLION_BLASTS,
                     params: Mapping[str, float] | None = None) -> LeukemicBurden:
    """AML with ``marrow_blasts_pct`` % blasts in the marrow (≥ 20 % defines AML, ≥ 10 % with
    defining genetic abnormalities; Döhner et al., Blood 2022;140:1345).

    Marrow blasts ``LB`` solve the twin's blast percentage,
    ``100·LB/(LB + K_marrow·crowd(LB))`` with ``crowd = 1/(1 + (LB/LB50_crowd)^h_crowd)``:
    the normal marrow taken at its quasi-steady size under crowding (the twin's output
    ``marrow_blasts_pct`` with ``neut_marrow/(4·NP0)`` ≈ ``crowd``). ``params`` overrides
    the twin's defaults of ``K_marrow``, ``LB50_crowd``, ``h_crowd``, ``LB_max``. Leukemic
    stem cells: ``lsc_per_million_blasts`` per 10⁶ blasts (:data:`LSC_PER_MILLION_BLASTS`).

    The percentage is reached once the normal marrow has shrunk under the crowding, not at
    t0 (a simulation starts with a healthy marrow, so the output reads lower at first), and
    it is not a steady state: untreated, the twin's blasts move towards the balance between
    their production by the leukemic stem cells (which keep expanding) and their net loss
    (blasts do not sustain themselves: ``d_LB + k_out_LB > r_LB``), and the percentage with
    them.
    """
    where = "aml_at_diagnosis"
    pct = number(marrow_blasts_pct, "marrow_blasts_pct", where)
    if not 0 < pct < 100:
        raise RegimenError(f"{where}: marrow_blasts_pct must be in (0, 100), got {pct}",
                           field="marrow_blasts_pct")
    per_million = positive(lsc_per_million_blasts, "lsc_per_million_blasts", where)
    v = _twin_values(params, ("K_marrow", "LB50_crowd", "h_crowd", "LB_max"))

    def blast_pct(lb: float) -> float:
        crowd = 1 / (1 + (lb / v["LB50_crowd"]) ** v["h_crowd"])
        return 100 * lb / (lb + v["K_marrow"] * crowd)

    ceiling = blast_pct(v["LB_max"])
    if pct >= ceiling:
        raise RegimenError(f"{where}: marrow_blasts_pct must be below {ceiling:.1f} % (the "
                           f"twin's marrow blast capacity LB_max = {v['LB_max']} ×10⁹/kg), "
                           f"got {pct}", field="marrow_blasts_pct")
    lb = brentq(lambda x: blast_pct(x) - pct, 0.0, v["LB_max"], xtol=1e-12)
    # LB in 10⁹/kg, LS in 10⁶/kg: per 10⁶ blasts → ×1e-6 × 1e3
    return LeukemicBurden(lsc=lb * per_million * 1e-3, blasts=lb, leuk_block=1.0)


def cml_chronic_phase(*, lsc_to_hsc: float = CML_LSC_TO_HSC,
                      params: Mapping[str, float] | None = None) -> LeukemicBurden:
    """Chronic-phase CML at diagnosis: leukemic stem cells ``lsc_to_hsc`` times the normal
    HSC (``q_niche·S0``; :data:`CML_LSC_TO_HSC`, Michor et al. 2005), ``leuk_block`` = 0 (the
    leukemic line matures: Michor's progenitor and differentiated compartments, which the
    twin starts at their balance with ``LS_0``), and no blasts (``LB`` = 0: chronic phase has
    < 10 % marrow blasts, WHO: Arber et al., Blood 2016;127:2391; < 15 % by ELN: Hochhaus et
    al., Leukemia 2020;34:966; the twin has no blocked CML blasts, so no blast crisis).
    ``params`` overrides the twin's defaults of ``S0`` and ``q_niche``.

    With the twin's defaults, 60 days untreated give leukocytosis (WBC > 11 ×10⁹/L) and
    BCR::ABL1 ~100 % on the International Scale (the output ``bcr_abl_pct``, a transcript
    ratio of blood leukocytes: :mod:`hematwin.twin.leukemia`)."""
    where = "cml_chronic_phase"
    ratio = positive(lsc_to_hsc, "lsc_to_hsc", where)
    v = _twin_values(params, ("S0", "q_niche"))
    return LeukemicBurden(lsc=ratio * v["q_niche"] * v["S0"], blasts=0.0, leuk_block=0.0)


def remission_burden(log_reduction: float, burden: LeukemicBurden) -> LeukemicBurden:
    """``burden`` reduced by ``log_reduction`` logs (e.g. 3 for MRD 10⁻³), for starting a
    simulation in remission."""
    where = "remission_burden"
    logs = number(log_reduction, "log_reduction", where)
    if logs < 0:
        raise RegimenError(f"{where}: log_reduction must be ≥ 0, got {logs}",
                           field="log_reduction")
    f = 10.0 ** -logs
    fraction(f, "log_reduction", where)
    return LeukemicBurden(burden.lsc * f, burden.blasts * f, burden.leuk_block)
