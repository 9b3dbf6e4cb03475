"""Stem-cell transplantation, GVHD prophylaxis, donor lymphocyte infusion, gene-corrected and
iPSC-derived grafts.

A graft is described as clinicians report it — CD34+ and CD3+ cells per kg of recipient
weight — and :func:`graft_states` turns those doses into the twin's graft states, those of
the donor clone ``d`` for an allogeneic graft and of the autologous-graft clone ``a``
otherwise (:data:`hematwin.twin.parts.CLONES`):

================= ===================================================================
``S_d``/``S_a``   long-term HSC of the graft clone, 10⁶/kg
``M_d``/``M_a``   CD34+ progenitors of the graft clone, 10⁶/kg
``T4_d``/``T4_a`` graft CD4 T cells, 10⁹/L blood-equivalent
``T8_d``/``T8_a`` graft CD8 T cells, 10⁹/L blood-equivalent
``TA``            alloreactive donor T cells, 10⁹/L blood-equivalent (allogeneic grafts only)
================= ===================================================================

Which clone: allogeneic grafts (:func:`stem_cell_transplant` from another person) and donor
lymphocytes (:func:`dli`) go to the donor clone; gene-corrected cells
(:func:`gene_therapy_graft`), iPSC-derived grafts (:func:`ipsc_graft`) and unmanipulated
autologous grafts (``donor="autologous"``) to the autologous-graft clone. An unmanipulated
autologous graft is the host's own cells; it goes to clone ``a`` rather than ``h`` only so
that the graft-derived share can be followed (the twin's clone ``a`` and host clone are then
identical in every parameter, so the counts are the same either way). Only allogeneic grafts
set the covariates of the allograft (``graft_allogeneic``, ``hla_disparity``); an autologous
graft given after an allograft leaves the allograft's immunology as it was.

The conversion constants live in one place, :class:`GraftConversion`, whose default
instance :data:`CALIBRATED` carries the values the twin is calibrated with
(``validation/twin_cases.py``); pass another instance to explore them.
"""

from __future__ import annotations

from dataclasses import dataclass, fields, replace

from hematwin.errors import RegimenError
from hematwin.therapy._checks import choice, fraction, non_negative, number, positive
from hematwin.therapy.conditioning import cyclophosphamide
from hematwin.therapy.regimen import Covariate, Dose, Regimen

# --- cell dose → twin states ------------------------------------------------------------


@dataclass(frozen=True)
class GraftConversion:
    """Constants that turn reported graft cell doses (cells/kg) into twin states.

    hsc_fraction_of_cd34
        Long-term HSC per infused CD34+ cell. Default 0.011: the twin's own marrow ratio of
        HSC to CD34+ progenitors, S0/M0 = 1.1×10⁶/kg (Craig, Humphries & Mackey, Bull Math
        Biol 2016;78:2304) over ~10⁸/kg marrow CD34+ cells (~1 % of 1.1×10¹⁰ nucleated
        marrow cells/kg; Harrison, J Clin Pathol 1962) — a graft carries HSC in the
        marrow's proportion. Functional assays give far lower frequencies of
        repopulating cells (Wang et al., Blood 1997;89:3919: one SCID-repopulating cell per
        9.3×10⁵ cord, 3.0×10⁶ marrow and 6.0×10⁶ mobilised blood cells); in the twin this
        constant is a calibrated scale of engraftment speed.
    homing_fraction
        Share of infused CD34+ cells that seed the marrow and proliferate: 0.1, calibrated
        on the neutrophil engraftment days of blood, marrow and double-cord grafts
        (14 / 19 / 23 days; validation/twin_targets.md), of the order of the 6-8 % of
        intravenously injected murine progenitors found in marrow 3 h later (Szilvassy et
        al., Blood 1999;93:1557). Lower values model impaired homing (cultured or
        iPSC-derived cells).
    blood_volume_l_per_kg
        0.07 L/kg, the adult blood volume (as the twin's ``BV``).
    t_cell_blood_share
        Share of the body's T cells that circulate in blood: ~2 % (Westermann & Pabst,
        Clin Investig 1992;70:539). Infused T cells spread over the whole lymphocyte pool,
        so their blood-equivalent count is cells/kg × share / (blood volume · 10⁹).
    cd4_share
        CD4 share of graft T cells: 0.64, the adult blood CD4:CD8 ratio of the twin's
        baselines (CD4 0.8, CD8 0.45 ×10⁹/L; adult reference ~1.5-2.5:1).
    alloreactive_share
        Share of donor T cells that respond to the recipient's alloantigens: 0.05, inside
        the 1-10 % of T cells that are alloreactive (Suchin et al., J Immunol
        2001;166:973).
    """

    hsc_fraction_of_cd34: float = 0.011
    homing_fraction: float = 0.1
    blood_volume_l_per_kg: float = 0.07
    t_cell_blood_share: float = 0.02
    cd4_share: float = 0.64
    alloreactive_share: float = 0.05

    def __post_init__(self) -> None:
        for f in fields(self):
            v = getattr(self, f.name)
            if f.name == "blood_volume_l_per_kg":
                positive(v, f.name, "GraftConversion")
            else:
                fraction(v, f.name, "GraftConversion")

    def t_cells_to_blood(self, cells_per_kg: float) -> float:
        """10⁹/L blood-equivalent for an infused dose of T cells per kg."""
        return cells_per_kg * self.t_cell_blood_share / (self.blood_volume_l_per_kg * 1e9)


CALIBRATED = GraftConversion()
"""The conversion the twin's transplant calibration uses (the one place for its defaults)."""


def graft_clone(allogeneic: bool) -> str:
    """The twin clone a graft's cells join: ``"d"`` (donor) if allogeneic, else ``"a"``."""
    return "d" if allogeneic else "a"


def graft_states(cd34_per_kg: float, cd3_per_kg: float = 0.0, *, allogeneic: bool = True,
                 potency: float = 1.0, conversion: GraftConversion = CALIBRATED
                 ) -> dict[str, float]:
    """Amounts to add to each graft state of the twin for a graft of ``cd34_per_kg`` CD34+
    and ``cd3_per_kg`` CD3+ cells per kg of recipient weight.

    The graft clone ``c`` is ``d`` (donor) for an allogeneic graft, ``a`` (autologous graft)
    otherwise. ``S_c = cd34/10⁶ · hsc_fraction_of_cd34 · homing_fraction · potency`` and
    ``M_c = cd34/10⁶ · homing_fraction · potency`` (10⁶/kg); T cells go to ``T4_c``/``T8_c``
    (blood-equivalent, :meth:`GraftConversion.t_cells_to_blood`) and, for an allogeneic
    graft, their alloreactive share also to ``TA``. ``potency`` scales the engraftment of a
    product relative to a standard graft (iPSC-derived cells).
    """
    where = "graft_states"
    cd34 = non_negative(cd34_per_kg, "cd34_per_kg", where) / 1e6
    cd3 = non_negative(cd3_per_kg, "cd3_per_kg", where)
    pot = non_negative(potency, "potency", where)
    seeded = cd34 * conversion.homing_fraction * pot
    t_blood = conversion.t_cells_to_blood(cd3)
    c = graft_clone(allogeneic)
    out = {f"S_{c}": seeded * conversion.hsc_fraction_of_cd34, f"M_{c}": seeded,
           f"T4_{c}": t_blood * conversion.cd4_share,
           f"T8_{c}": t_blood * (1 - conversion.cd4_share)}
    if allogeneic:
        out["TA"] = t_blood * conversion.alloreactive_share
    return out


def _doses(day: float, amounts: dict[str, float]) -> list[Dose]:
    return [Dose(day, v, cmt) for cmt, v in amounts.items() if v > 0]


# --- graft sources and donors -----------------------------------------------------------


@dataclass(frozen=True)
class GraftSource:
    """Typical cell content of a graft, per kg of recipient weight, with its source."""

    cd34_per_kg: float
    cd3_per_kg: float
    citation: str


SOURCES: dict[str, GraftSource] = {
    # HLA-identical sibling, randomised: medians of the infused grafts
    "peripheral_blood": GraftSource(
        7.3e6, 2.79e8, "Bensinger et al., N Engl J Med 2001;344:175 (G-CSF-mobilised blood: "
        "median CD34+ 7.3×10⁶/kg, CD3+ 27.9×10⁷/kg); same setting as Champlin et al., Blood "
        "2000;95:3702"),
    "bone_marrow": GraftSource(
        2.4e6, 2.3e7, "Bensinger et al., N Engl J Med 2001;344:175 (marrow: median CD34+ "
        "2.4×10⁶/kg, CD3+ 2.3×10⁷/kg)"),
    "cord_blood": GraftSource(
        1.7e5, 0.5e7, "CD34+ 1.7×10⁵/kg, the single-unit dose above which Wagner et al., "
        "Blood 2002;100:1611 found high survival; CD3+ half the two-unit dose of Barker 2005"),
    "double_cord": GraftSource(
        4.9e5, 1.0e7, "Barker et al., Blood 2005;105:1343 (two units: median 3.5×10⁷ "
        "nucleated cells/kg, CD34+ 4.9×10⁵/kg; CD3+ ~1×10⁷/kg, 25-30 % of cord nucleated "
        "cells)"),
}

DONORS: dict[str, float] = {
    "matched_sibling": 0.0,
    "matched_unrelated": 0.3,
    "mismatched_unrelated": 0.5,
    "haploidentical": 1.0,
    "autologous": 0.0,
}
"""HLA disparity of each donor type on the twin's scale (``hla_disparity``: 0 matched
sibling, ~0.3 matched unrelated, 1 haploidentical; :mod:`hematwin.twin.lymphoid`).
"mismatched_unrelated" (0.5, between the two; assumption) is the default for cord blood,
whose units are usually 4-5/6 HLA-matched (Barker et al. 2005)."""

DEFAULT_DONOR = {"peripheral_blood": "matched_sibling", "bone_marrow": "matched_sibling",
                 "cord_blood": "mismatched_unrelated", "double_cord": "mismatched_unrelated"}

# --- GVHD prophylaxis -------------------------------------------------------------------

PROPHYLAXIS_LEVEL = {"csa_mtx": 0.8, "tac_mtx": 0.85, "ptcy": 0.8, "none": 0.0}
"""Strength of each GVHD prophylaxis on the twin's ``immunosuppression`` scale (0 none,
1 complete). ciclosporin + methotrexate 0.8: calibrated (``validation/twin_cases.py``:
grade II-IV aGVHD after matched-sibling HSCT). Tacrolimus + methotrexate slightly stronger
(0.85; assumption from the lower grade II-IV aGVHD with tacrolimus: Ratanatharathorn et
al., Blood 1998;92:2303; Nash et al., Blood 2000;96:2062). After PTCy, tacrolimus + MMF
(0.8, as CsA/MTX; Luznik et al., Biol Blood Marrow Transplant 2008;14:641)."""

PROPHYLAXIS_START = {"csa_mtx": -1.0, "tac_mtx": -1.0, "ptcy": 5.0}
"""Day the calcineurin inhibitor starts: day −1 with methotrexate on days +1, +3, +6, +11
(Storb et al., N Engl J Med 1986;314:729); day +5 after PTCy (Luznik et al. 2008)."""

TAPER_START_DAY = 100.0
TAPER_END_DAY = 180.0
"""The calcineurin inhibitor is given at full dose to about day 100 and tapered off by about
day 180 in the absence of GVHD (Storb et al. 1986; Luznik et al. 2008: tacrolimus to day
180)."""

MTX_SHORT_COURSE = ((1.0, 15.0), (3.0, 10.0), (6.0, 10.0), (11.0, 10.0))
"""Short-course methotrexate with a calcineurin inhibitor: 15 mg/m² i.v. on day +1 and
10 mg/m² on days +3, +6 and +11 (Storb et al., N Engl J Med 1986;314:729), as (day, mg/m²).
Methotrexate kills the cycling cells of the regenerating graft as well as alloreactive T cells
and delays engraftment: median neutrophil engraftment 17 vs 12 days with ciclosporin +
methotrexate vs ciclosporin alone after sibling marrow (Locatelli et al., Blood
2000;96:1690, randomised)."""

PTCY_DAYS = (3.0, 4.0)
PTCY_MG_PER_KG = 50.0
"""Post-transplant cyclophosphamide 50 mg/kg on days +3 and +4 (Luznik et al. 2008)."""


def methotrexate_short_course(day0: float = 0.0) -> Regimen:
    """The methotrexate doses of ciclosporin/tacrolimus + methotrexate prophylaxis
    (:data:`MTX_SHORT_COURSE`, i.v. boluses into ``MTX_c``), days after a transplant on
    model day ``day0``."""
    d0 = number(day0, "day0", "methotrexate_short_course")
    return Regimen([Dose(d0 + day, mg_m2, "MTX_c") for day, mg_m2 in MTX_SHORT_COURSE])


def gvhd_prophylaxis(kind: str = "csa_mtx", day0: float = 0.0, *, level: float | None = None,
                     taper_start: float = TAPER_START_DAY, taper_end: float = TAPER_END_DAY,
                     taper_steps: int = 4) -> Regimen:
    """GVHD prophylaxis as the twin's ``immunosuppression`` covariate (and, for ``"ptcy"``,
    cyclophosphamide doses; for ``"csa_mtx"`` and ``"tac_mtx"``, the methotrexate doses of
    :func:`methotrexate_short_course`): full ``level`` from its start day to ``taper_start``, then
    ``taper_steps`` equal steps down, reaching 0 on ``taper_end`` (days after transplant,
    shifted by ``day0``).

    PTCy kills the alloreactive donor T cells expanding in the first days after the graft;
    in the twin, cyclophosphamide's lymphocyte kill (``kill_lymph``) acts on ``TA`` and the
    graft T cells, and its marrow toxicity on the graft (the reason it is given only from
    day +3, after the stem cells have homed).
    """
    where = "gvhd_prophylaxis"
    k = choice(kind, "kind", where, PROPHYLAXIS_LEVEL)
    d0 = number(day0, "day0", where)
    if k == "none":
        return Regimen([Covariate(d0, "immunosuppression", 0.0)])
    lev = PROPHYLAXIS_LEVEL[k] if level is None else fraction(level, "level", where)
    start = PROPHYLAXIS_START[k]
    a = number(taper_start, "taper_start", where)
    b = number(taper_end, "taper_end", where)
    if not start < a <= b:
        raise RegimenError(f"{where}: need start day {start} < taper_start ≤ taper_end, got "
                           f"{a} and {b}", field="taper_start")
    if isinstance(taper_steps, bool) or not isinstance(taper_steps, int) or taper_steps < 1:
        raise RegimenError(f"{where}: taper_steps must be a whole number ≥ 1, got "
                           f"{taper_steps!r}", field="taper_steps")
    items: list = [Covariate(d0 + start, "immunosuppression", lev)]
    n = taper_steps
    for i in range(1, n + 1):
        items.append(Covariate(d0 + a + (i - 1) * (b - a) / n, "immunosuppression",
                               lev * (1 - i / (n + 1))))
    items.append(Covariate(d0 + b, "immunosuppression", 0.0))
    reg = Regimen(items)
    if k == "ptcy":
        reg = cyclophosphamide(PTCY_DAYS, PTCY_MG_PER_KG, d0) + reg
    elif k in ("csa_mtx", "tac_mtx"):
        reg = methotrexate_short_course(d0) + reg
    return reg


# --- transplants ------------------------------------------------------------------------


def stem_cell_transplant(day: float = 0.0, source: str = "peripheral_blood",
                         donor: str | None = None, cd34_per_kg: float | None = None,
                         cd3_per_kg: float | None = None, *,
                         homing_fraction: float | None = None,
                         hsc_fraction_of_cd34: float | None = None,
                         prophylaxis: str | None = None, hla_disparity: float | None = None,
                         conversion: GraftConversion = CALIBRATED) -> Regimen:
    """A stem-cell transplant on model day ``day``.

    source
        ``"peripheral_blood"`` (G-CSF-mobilised), ``"bone_marrow"``, ``"cord_blood"`` or
        ``"double_cord"``; it sets the default CD34+ and CD3+ doses (:data:`SOURCES`, with
        their citations).
    donor
        ``"matched_sibling"``, ``"matched_unrelated"``, ``"mismatched_unrelated"``,
        ``"haploidentical"`` or ``"autologous"`` (default: matched sibling for blood and
        marrow, mismatched unrelated for cord). An allogeneic graft joins the donor clone
        and sets ``graft_allogeneic`` and ``hla_disparity`` (:data:`DONORS`;
        ``hla_disparity`` overrides the latter); an autologous one joins the
        autologous-graft clone and sets neither.
    cd34_per_kg, cd3_per_kg
        Infused cells per kg of recipient weight (``cd3_per_kg=0`` for a T-depleted graft).
    homing_fraction, hsc_fraction_of_cd34
        Override the fields of ``conversion`` (:class:`GraftConversion`).
    prophylaxis
        ``"csa_mtx"``, ``"tac_mtx"``, ``"ptcy"`` or ``"none"`` (:func:`gvhd_prophylaxis`);
        default: PTCy for haploidentical donors (Luznik et al. 2008), ciclosporin +
        methotrexate for other allogeneic donors, none for autologous grafts.
    """
    where = "stem_cell_transplant"
    t = number(day, "day", where)
    src = choice(source, "source", where, SOURCES)
    dnr = choice(donor if donor is not None else DEFAULT_DONOR[src], "donor", where, DONORS)
    allo = dnr != "autologous"
    if not allo and src in ("cord_blood", "double_cord"):
        raise RegimenError(f"{where}: a cord-blood graft cannot be autologous here; use "
                           "source 'peripheral_blood' or 'bone_marrow'", field="donor")
    typical = SOURCES[src]
    cd34 = typical.cd34_per_kg if cd34_per_kg is None else positive(cd34_per_kg, "cd34_per_kg",
                                                                    where)
    cd3 = typical.cd3_per_kg if cd3_per_kg is None else non_negative(cd3_per_kg, "cd3_per_kg",
                                                                     where)
    conv = _override(conversion, where, homing_fraction=homing_fraction,
                     hsc_fraction_of_cd34=hsc_fraction_of_cd34)
    if hla_disparity is None:
        disparity = DONORS[dnr]
    else:
        disparity = fraction(hla_disparity, "hla_disparity", where)
        if not allo and disparity > 0:
            raise RegimenError(f"{where}: an autologous graft has no HLA disparity, got "
                               f"{disparity}", field="hla_disparity")
    if prophylaxis is None:
        prophylaxis = "none" if not allo else ("ptcy" if dnr == "haploidentical" else "csa_mtx")
    kind = choice(prophylaxis, "prophylaxis", where, PROPHYLAXIS_LEVEL)
    items: list = ([Covariate(t, "graft_allogeneic", 1.0), Covariate(t, "hla_disparity",
                                                                      disparity)]
                   if allo else [])
    items += _doses(t, graft_states(cd34, cd3, allogeneic=allo, conversion=conv))
    return Regimen(items) + gvhd_prophylaxis(kind, t)


def _override(conversion: GraftConversion, where: str, **values: float | None
              ) -> GraftConversion:
    given = {k: v for k, v in values.items() if v is not None}
    for k, v in given.items():
        fraction(v, k, where, open_low=True)
    return replace(conversion, **given) if given else conversion


def dli(day: float, cd3_per_kg: float = 1e7, *, conversion: GraftConversion = CALIBRATED
        ) -> Regimen:
    """Donor lymphocyte infusion of ``cd3_per_kg`` CD3+ cells/kg on model day ``day``, into
    the donor T cells (``T4_d``, ``T8_d``) and (its alloreactive share) the alloreactive
    donor T cells (``TA``). Give it
    after an allogeneic :func:`stem_cell_transplant` (which sets ``graft_allogeneic``).

    DLI induces remissions of relapsed leukemia after allografting (Kolb et al., Blood
    1995;86:2041; Kolb, Blood 2008;112:4371); escalating doses start at 1×10⁷ CD3+/kg
    (Dazzi et al., Blood 2000;95:67), the default here.
    """
    where = "dli"
    t = number(day, "day", where)
    cd3 = positive(cd3_per_kg, "cd3_per_kg", where)
    amounts = graft_states(0.0, cd3, allogeneic=True, conversion=conversion)
    return Regimen(_doses(t, amounts))


def gene_therapy_graft(cd34_per_kg: float, corrected_fraction: float, day: float = 0.0, *,
                       homing_fraction: float | None = None,
                       hsc_fraction_of_cd34: float | None = None,
                       conversion: GraftConversion = CALIBRATED) -> Regimen:
    """Autologous ex-vivo gene therapy: ``cd34_per_kg`` autologous CD34+ cells/kg of which
    ``corrected_fraction`` carry the correction (transduced or edited); corrected cells
    enter the autologous-graft clone (``S_a``, ``M_a``), the others the host clone (``S_h``,
    ``M_h``). No T cells (a CD34+-selected product) and no alloreactivity: host HLA, so the
    covariates of an allograft (``graft_allogeneic``, ``hla_disparity``) are left as they
    are (a patient may carry both).
    Give it after myeloablative busulfan
    (:func:`hematwin.therapy.conditioning.busulfan_myeloablative`), as in Cavazzana-Calvo et
    al., Nature 2010;467:318 (β-thalassaemia) and Biffi et al., Science 2013;341:1233158
    (metachromatic leukodystrophy); take the dose and corrected fraction from the trial's
    report.
    """
    where = "gene_therapy_graft"
    t = number(day, "day", where)
    cd34 = positive(cd34_per_kg, "cd34_per_kg", where)
    f = fraction(corrected_fraction, "corrected_fraction", where)
    conv = _override(conversion, where, homing_fraction=homing_fraction,
                     hsc_fraction_of_cd34=hsc_fraction_of_cd34)
    cells = graft_states(cd34, 0.0, allogeneic=False, conversion=conv)
    return Regimen(_doses(t, {"S_a": f * cells["S_a"], "M_a": f * cells["M_a"],
                              "S_h": (1 - f) * cells["S_a"], "M_h": (1 - f) * cells["M_a"]}))


IPSC_POTENCY = 0.1
"""Share of an iPSC-derived CD34+ product that engrafts like a standard graft's CD34+ cells
(scales what seeds the niche, on top of the homing fraction). An assumption: there are no
human data. The best-characterised human iPSC-derived HSPC (Sugimura et al., Nature
2017;545:432: haemogenic endothelium respecified by seven transcription factors) gave
multilineage engraftment in immunodeficient mice, but at low levels and in fewer recipients
than cord-blood CD34+ cells; 0.1 stands for "an order of magnitude less"."""

IPSC_SELF_RENEWAL = 0.9
"""Self-renewal of iPSC-derived HSC relative to adult HSC (the twin's ``graft_self_renewal``,
multiplying the maximal self-renewal probability ``a_h``). An assumption: the poor long-term
and secondary-recipient engraftment of iPSC-derived HSPC in mice (Sugimura et al. 2017)
points below 1, and no measurement gives the number. At 0.9 the graft clone fills the niche
only to (2·0.9·a_h − 1)/(2·a_h − 1) = 65 % of a normal HSC pool (a_h = 0.7), and loses out
to any residual host HSC (they have the full a_h), so incomplete conditioning leads to
mixed and then host chimerism."""


def ipsc_graft(cd34_per_kg: float, day: float = 0.0, *, potency: float = IPSC_POTENCY,
               self_renewal: float = IPSC_SELF_RENEWAL, homing_fraction: float | None = None,
               conversion: GraftConversion = CALIBRATED) -> Regimen:
    """An iPSC-derived HSC graft of ``cd34_per_kg`` CD34+ cells/kg, made from the patient's
    own cells.

    Its biology differs from an adult graft's in two of the twin's parameters, both
    assumptions (no clinical data; see :data:`IPSC_POTENCY`, :data:`IPSC_SELF_RENEWAL`):
    ``potency``, the share of the product that engrafts like standard CD34+ cells (scales
    ``S_a`` and ``M_a``; ``homing_fraction`` as for any graft), and ``self_renewal``, the
    self-renewal of its HSC relative to adult HSC (the covariate ``graft_self_renewal`` of
    the autologous-graft clone ``a``, set from ``day`` on). Autologous HLA: no alloreactive
    T cells, no GVHD, no graft-versus-leukemia, and no rejection (clone ``a`` is not
    attacked by host T cells, :mod:`hematwin.twin.lymphoid`)."""
    where = "ipsc_graft"
    t = number(day, "day", where)
    cd34 = positive(cd34_per_kg, "cd34_per_kg", where)
    pot = fraction(potency, "potency", where, open_low=True)
    renewal = fraction(self_renewal, "self_renewal", where, open_low=True)
    conv = _override(conversion, where, homing_fraction=homing_fraction)
    items: list = [Covariate(t, "graft_self_renewal", renewal)]
    items += _doses(t, graft_states(cd34, 0.0, allogeneic=False, potency=pot,
                                    conversion=conv))
    return Regimen(items)
