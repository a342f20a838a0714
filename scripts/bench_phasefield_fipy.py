"""FiPy side of the phase-field peer case (scripts/bench-phasefield): the case spelab's bench wrote to
the JSON file given as argument, solved with FiPy's explicit terms on the same grid, initial state and
time step. FiPy is used as an installed peer only (pip install fipy into target/fipy-venv).

    dxi/dt = L_s*kappa0*lap(xi) - L_s*g'(xi) - L_eta*h'(xi)*sqrt(c)*(exp((1-a)f eta) - exp(-a f eta))
    dc/dt  = div(D(1 - h(xi)) grad c) - sink*dxi/dt          (no flux on every side, phi = 0)

Prints FiPy's time, the time ratio FiPy/spelab and the relative differences of sum(xi), sum(c)."""
import json
import sys
import time

import fipy as fp
import numpy as np

case = json.load(open(sys.argv[1]))
nx, ny, dx, dt, steps = case["nx"], case["ny"], case["dx"], case["dt"], case["steps"]
mesh = fp.Grid2D(dx=dx, dy=dx, nx=nx, ny=ny)
x, y = mesh.cellCenters
ell = case["interface_width"]


def profile(d):
    return 0.5 * (1.0 - np.tanh(d / (2.0 * ell)))


x0 = case["front"]
r = np.sqrt((x - x0) ** 2 + (y - case["nucleus_y"]) ** 2)
xi0 = np.maximum(profile(x - x0), profile(r - case["nucleus_radius"]))
xi0 = np.where(xi0 < 1e-30, 0.0, xi0)
xi = fp.CellVariable(mesh=mesh, value=xi0, hasOld=True)
c = fp.CellVariable(mesh=mesh, value=1.0, hasOld=True)

W, k0, Ls, Le = case["well_height"], case["gradient_coefficient"], case["interface_mobility"], \
    case["reaction_coefficient"]
f, eta, a, D, sink = case["f"], case["eta"], case["alpha"], case["diffusivity"], case["sink"]
bv = np.exp((1.0 - a) * f * eta) - np.exp(-a * f * eta)

xc = fp.CellVariable(mesh=mesh, value=xi0)  # xi clamped to [0, 1] for h and h'
gprime = 2.0 * W * xi * (1.0 - xi) * (1.0 - 2.0 * xi)
hprime = 30.0 * xc ** 2 * (1.0 - xc) ** 2
h = xc ** 3 * (6.0 * xc ** 2 - 15.0 * xc + 10.0)
react = Le * hprime * c ** 0.5 * bv
xi_eq = fp.TransientTerm(var=xi) == fp.ExplicitDiffusionTerm(coeff=Ls * k0, var=xi) - Ls * gprime - react
# D(1 - h) at the old xi; harmonic face mean as spelab (a 1e-300 floor keeps 0/0 out in the metal).
dcell = D * (1.0 - h) + 1e-300
rate = fp.CellVariable(mesh=mesh, value=0.0)
c_eq = fp.TransientTerm(var=c) == fp.ExplicitDiffusionTerm(coeff=dcell.harmonicFaceValue, var=c) - sink * rate

# Direct solves: the matrices are diagonal (explicit terms), and an iterative solver's relative
# tolerance would leave the small per-step change unsolved.
solver = fp.LinearLUSolver(tolerance=1e-30, iterations=1)
t0, c0 = time.perf_counter(), time.process_time()
for _ in range(steps):
    xi.updateOld()
    c.updateOld()
    xc.setValue(np.clip(np.array(xi.value), 0.0, 1.0))
    dc = np.array(dcell.value)  # D at the old xi, frozen before xi moves
    xi_eq.solve(var=xi, dt=dt, solver=solver)
    rate.setValue((np.array(xi.value) - np.array(xi.old.value)) / dt)
    xc.setValue(np.clip(np.array(xi.old.value), 0.0, 1.0))
    assert np.allclose(np.array(dcell.value), dc)
    c_eq.solve(var=c, dt=dt, solver=solver)
secs, cpu = time.perf_counter() - t0, time.process_time() - c0

sx, sc = float(np.sum(xi.value)), float(np.sum(c.value))
ratio = secs / case["spelab_seconds"]
print(f"fipy {fp.__version__}: {secs:.3f} s wall ({cpu:.3f} s CPU) for {steps} steps of {nx}x{ny}: "
      f"FiPy/spelab wall time ratio {ratio:.0f}")
print(f"  sum xi {sx:.12e} (spelab relative difference {sx / case['spelab_sum_xi'] - 1:.2e}), "
      f"sum c {sc:.12e} ({sc / case['spelab_sum_c'] - 1:.2e})")
