"""Counter-based random numbers: every draw is a pure function of (seed, patient id, index).

The same seed gives the same virtual patient whatever the chunking, the number of workers
or the backend, because no generator state is carried from one patient to the next.
The uniform variates come from the SplitMix64 finaliser (Steele, Lea & Flood, OOPSLA 2014)
applied to a combination of the three integers; normals by the inverse CDF.
"""

from __future__ import annotations

import numpy as np
from scipy.special import ndtri

_GOLDEN = np.uint64(0x9E3779B97F4A7C15)
_M1 = np.uint64(0xBF58476D1CE4E5B9)
_M2 = np.uint64(0x94D049BB133111EB)


def _mix(z: np.ndarray) -> np.ndarray:
    with np.errstate(over="ignore"):
        z = (z ^ (z >> np.uint64(30))) * _M1
        z = (z ^ (z >> np.uint64(27))) * _M2
        return z ^ (z >> np.uint64(31))


def uniforms(seed: int, patient_ids: np.ndarray, n_draws: int, stream: int = 0) -> np.ndarray:
    """U(0,1) variates, shape [len(patient_ids), n_draws], never exactly 0 or 1."""
    ids = np.asarray(patient_ids, dtype=np.uint64)[:, None]
    draw = np.arange(n_draws, dtype=np.uint64)[None, :]
    with np.errstate(over="ignore"):
        key = _mix(np.uint64(seed) * _GOLDEN + np.uint64(stream))
        z = _mix(key ^ (ids * _GOLDEN))
        z = _mix(z + (draw + np.uint64(1)) * _GOLDEN)
    # 53 high bits → (0, 1)
    return ((z >> np.uint64(11)).astype(np.float64) + 0.5) / float(1 << 53)


def standard_normals(seed: int, patient_ids: np.ndarray, n_draws: int, stream: int = 0):
    """N(0,1) variates, shape [len(patient_ids), n_draws]."""
    return ndtri(uniforms(seed, patient_ids, n_draws, stream))
