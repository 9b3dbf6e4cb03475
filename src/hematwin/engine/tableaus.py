"""Butcher tableaus shared by every backend, so that Numba and JAX integrate identically.

Dormand–Prince 5(4): Dormand & Prince, J. Comput. Appl. Math. 6:19 (1980), Table 2; the
dense-output polynomial of order 4 is Shampine's, as in Hairer, Nørsett & Wanner, *Solving
Ordinary Differential Equations I* (2nd ed., 1993), section II.6 (and SciPy's ``RK45``).

Rosenbrock 2(3) "ode23s": Shampine & Reichelt, SIAM J. Sci. Comput. 18:1 (1997), eq. (4.3),
L-stable, with its own continuous extension (same paper, section 4).
"""

from __future__ import annotations

import numpy as np

# --- Dormand–Prince 5(4) ------------------------------------------------------------
DP5_C = np.array([0.0, 1 / 5, 3 / 10, 4 / 5, 8 / 9, 1.0, 1.0])
DP5_A = np.array(
    [
        [0, 0, 0, 0, 0, 0],
        [1 / 5, 0, 0, 0, 0, 0],
        [3 / 40, 9 / 40, 0, 0, 0, 0],
        [44 / 45, -56 / 15, 32 / 9, 0, 0, 0],
        [19372 / 6561, -25360 / 2187, 64448 / 6561, -212 / 729, 0, 0],
        [9017 / 3168, -355 / 33, 46732 / 5247, 49 / 176, -5103 / 18656, 0],
        [35 / 384, 0, 500 / 1113, 125 / 192, -2187 / 6784, 11 / 84],
    ],
    dtype=np.float64,
)
# 5th-order weights (the solution) and the difference to the embedded 4th-order weights.
DP5_B = np.array([35 / 384, 0, 500 / 1113, 125 / 192, -2187 / 6784, 11 / 84, 0])
DP5_E = np.array(
    [71 / 57600, 0, -71 / 16695, 71 / 1920, -17253 / 339200, 22 / 525, -1 / 40]
)
# Dense output: y(t + θh) = y + h * Σ_i k_i * Σ_j P[i, j] θ^(j+1)
DP5_P = np.array(
    [
        [1, -8048581381 / 2820520608, 8663915743 / 2820520608, -12715105075 / 11282082432],
        [0, 0, 0, 0],
        [0, 131558114200 / 32700410799, -68118460800 / 10900136933, 87487479700 / 32700410799],
        [0, -1754552775 / 470086768, 14199869525 / 1410260304, -10690763975 / 1880347072],
        [0, 127303824393 / 49829197408, -318862633887 / 49829197408, 701980252875 / 199316789632],
        [0, -282668133 / 205662961, 2019193451 / 616988883, -1453857185 / 822651844],
        [0, 40617522 / 29380423, -110615467 / 29380423, 69997945 / 29380423],
    ],
    dtype=np.float64,
)
DP5_ORDER = 5  # order used in the step-size controller exponent: 1 / (min order + 1) = 1/5

# --- Rosenbrock 2(3), Shampine & Reichelt 1997 --------------------------------------
ROS23_D = 1.0 / (2.0 + np.sqrt(2.0))
ROS23_E32 = 6.0 + np.sqrt(2.0)
ROS23_ORDER = 3  # controller exponent 1/3: the error estimate is O(h^3)
