"""Per-patient solver outcome codes, shared by every backend.

A patient that fails is flagged with its reason and the batch goes on; the rows of a failed
patient after the failure time are NaN.
"""

from __future__ import annotations

SUCCESS = 0
MAX_STEPS = 1  # the max-steps guard was hit
STEP_UNDERFLOW = 2  # the step size fell below the floor (stiff or singular problem)
NON_FINITE = 3  # a state or derivative became NaN or infinite
SINGULAR_MATRIX = 4  # the Rosenbrock iteration matrix could not be factorised
LAG_OUT_OF_RANGE = 5  # a state-dependent delay's lag left [0, max_lag]

REASONS = {
    SUCCESS: "ok",
    MAX_STEPS: "max_steps reached",
    STEP_UNDERFLOW: "step size underflow",
    NON_FINITE: "non-finite state or derivative (NaN/Inf)",
    SINGULAR_MATRIX: "singular iteration matrix",
    LAG_OUT_OF_RANGE: ("a state-dependent delay's lag became negative or longer than the "
                       "model's declared max_lag (history)"),
}


def reason(code: int) -> str:
    """The human-readable reason of a status code."""
    return REASONS.get(int(code), f"unknown status {code}")
