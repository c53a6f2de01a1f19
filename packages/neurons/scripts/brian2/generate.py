#!/usr/bin/python3
"""Reference trajectories from Brian2 for the neuron models of @snn/neurons (issue 17).

Each model is written here from its published equations in Brian2's own model language; Brian2
derives the update (forward Euler, exponential Euler or the exact solution of a linear ODE), and
runs threshold, reset and refractoriness in its own schedule. The numbers are float64. The test
`packages/neurons/test/brian2.test.ts` steps our float32 nodes with the same input and compares.

Usage (Debian's Brian2: `apt-get install python3-brian`; use Debian's interpreter):

    /usr/bin/python3 packages/neurons/scripts/brian2/generate.py            # every model
    /usr/bin/python3 packages/neurons/scripts/brian2/generate.py adex hh    # some of them

It writes packages/neurons/test/golden/brian2-<model>.json. See README.md next to this file.
"""

import datetime
import json
import math
import os
import platform
import sys

import numpy as np
import brian2 as b2
from brian2 import (NeuronGroup, Network, StateMonitor, TimedArray, linked_var, ms, mV, nA, nS, pF,
                    uA, uF, mS, cm, defaultclock, prefs, start_scope)

# numpy code generation: no compiler, and the same float64 arithmetic on every machine.
prefs.codegen.target = 'numpy'
b2.set_device('runtime')

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.normpath(os.path.join(HERE, '..', '..', 'test', 'golden'))
SCRIPT = 'packages/neurons/scripts/brian2/generate.py'


# The smallest |threshold quantity − threshold| any step may meet, in the model's unit: 17 to 70
# times the largest float32-vs-float64 difference seen in the test (AdEx 7e-3 mV on the upswing,
# HH 6e-3 mV on the upstroke, GLIF 4e-5 mV, Diehl & Cook 1.2e-4 mV, the models in steps 2.4e-5),
# so that rounding cannot flip a spike. The generator refuses drives that come closer (set
# BRIAN2_MARGIN_WARN_ONLY=1 to list the close calls per neuron instead, while choosing drives).
MIN_MARGIN = {'adex': 0.5, 'hh': 0.1, 'glif': 1e-3, 'diehl-cook': 5e-3, 'discrete': 5e-4}


# ---------------------------------------------------------------------------------------------
# Inputs: deterministic drives, every value exactly a float32 (so both sides read the same input).


def f32(a):
    return np.asarray(a, dtype=np.float32).astype(np.float64)


def float32_text(v):
    """`v` (a float32 value) as the shortest decimal that reads back to the same float32."""
    return float(np.format_float_positional(np.float32(v), unique=True, trim='-'))


def drives(T, specs):
    """`[T, N]` input: one column per spec, ('const', a), ('step', a, t_on, t_off),
    ('ramp', a0, a1), ('sine', mean, amp, period), ('pulses', a, every, width)."""
    t = np.arange(T, dtype=np.float64)
    cols = []
    for s in specs:
        kind = s[0]
        if kind == 'const':
            c = np.full(T, s[1])
        elif kind == 'step':
            c = np.where((t >= s[2]) & (t < s[3]), s[1], 0.0)
        elif kind == 'ramp':
            c = s[1] + (s[2] - s[1]) * t / (T - 1)
        elif kind == 'sine':
            c = s[1] + s[2] * np.sin(2 * np.pi * t / s[3])
        elif kind == 'pulses':
            c = np.where((t % s[2]) < s[3], s[1], 0.0)
        else:
            raise ValueError(kind)
        cols.append(c)
    return f32(np.stack(cols, axis=1))


# ---------------------------------------------------------------------------------------------
# Running a group and collecting what the test compares.


def rounded(a, digits=7):
    """Nested lists of floats rounded to `digits` significant digits (5e-8 relative: 200 times
    below the tightest tolerance of the test, and under half the size of full float64)."""
    return [[float(f'{v:.{digits}g}') for v in row] for row in np.asarray(a, dtype=np.float64).tolist()]


def describe_group(eqs, threshold, reset, method, refractory=None, regular=()):
    """What the case's group was made of, as Brian2 read it (for the JSON's provenance)."""
    return {
        'equations': '\n'.join(line.strip() for line in eqs.strip().splitlines()),
        'threshold': threshold,
        'reset': reset,
        'method': method,
        'refractory': refractory,
        'run_regularly': [{'when': w, 'order': o, 'code': '\n'.join(l.strip() for l in c.strip().splitlines())}
                          for (c, w, o) in regular],
    }


def simulate(groups, main, T, dt, record, margin=None, spikes=True):
    """Runs the network of `groups` for T steps of dt. `record` maps our state names to
    (group, brian2 variable, unit): recorded at the end of every step (after reset and every
    other update of the step). `margin` = (group, variable, unit): the value the threshold
    compares with 0, recorded just before the threshold (to show no spike is a close call).
    Returns (spike [T, N] of group `main`, {name: [T, N]}, margins [T, N] or None)."""
    net = Network(*groups)
    mons = {}
    for name, (g, var, unit) in record.items():
        m = StateMonitor(g, var, record=True, when='end', order=100)
        mons[name] = (m, var, unit)
        net.add(m)
    mmon = None
    if margin is not None:
        mmon = StateMonitor(margin[0], margin[1], record=True, when='thresholds', order=-100)
        net.add(mmon)
    smon = None
    if spikes:
        smon = b2.SpikeMonitor(main)
        net.add(smon)
    net.run(T * dt, namespace={})
    N = len(main)
    spike = np.zeros((T, N), dtype=np.int64)
    if smon is not None:
        steps = np.round(np.asarray(smon.t / dt)).astype(np.int64)
        for k, i in zip(steps, np.asarray(smon.i)):
            assert spike[k, i] == 0
            spike[k, i] = 1
    out = {}
    for name, (m, var, unit) in mons.items():
        vals = np.asarray(getattr(m, var) / unit).T  # [T, N]
        assert vals.shape == (T, N), (name, vals.shape)
        out[name] = vals
    margins = None if mmon is None else np.asarray(getattr(mmon, margin[1]) / margin[2]).T
    return spike, out, margins


def case(name, node, options, dt_ms, x, x_unit, spike, states, units, margins, brian, params, notes,
         min_margin):
    T, N = x.shape
    n = dict(notes)
    n['spike_counts'] = spike.sum(axis=0).tolist()
    if margins is not None:
        mm = float(np.min(np.abs(margins)))
        n['min_abs_margin'] = float(f'{mm:.4g}')
        if not mm >= min_margin:
            if os.environ.get('BRIAN2_MARGIN_WARN_ONLY'):
                per = np.min(np.abs(margins), axis=0)
                print(f'warning: {name}: |margin| {mm} < {min_margin}; per neuron {per.tolist()}, '
                      f'at t {np.argmin(np.abs(margins), axis=0).tolist()}', file=sys.stderr)
            else:
                raise AssertionError(f'{name}: a spike decision is a close call (|margin| {mm} < {min_margin}); '
                                 'change the drive')
    return {
        'name': name,
        'node': node,
        'options': options,
        'dt_ms': dt_ms,
        'params': params,
        'units': {'x': x_unit, **units},
        'brian2': brian,
        'inputs': {'x_seq': [[float32_text(v) for v in row] for row in x]},
        'outputs': {'spike_seq': spike.tolist(), 'state': {k: rounded(v) for k, v in states.items()}},
        'shapes': {'x_seq': [T, N], 'spike_seq': [T, N], **{k: [T, N] for k in states}},
        'notes': n,
    }


# ---------------------------------------------------------------------------------------------
# Models.


def adex():
    """AdEx (Brette & Gerstner 2005), method 'euler': Brian2 derives the forward Euler step of both
    equations at the old state, and converts nA to pA itself (units are checked)."""
    eqs = '''
    dv/dt = (gL*(EL - v) + gL*DeltaT*exp((v - VT)/DeltaT) + I - w)/C : volt
    dw/dt = (a*(v - EL) - w)/tau_w : amp
    I = I_ta(t, i) : amp
    margin = v - V_peak : volt
    '''
    threshold, reset, method = 'v >= V_peak', 'v = V_r\nw += b', 'euler'
    cases = []
    variants = [
        ('adex_defaults', 0.1, 400, {}, [('const', 0.5), ('const', 0.9), ('const', 1.5), ('step', 2.5, 50, 300),
                                        ('ramp', 0.0, 3.0), ('sine', 1.2, 0.8, 150)]),
        ('adex_bursting_dt0.2', 0.2, 300,
         dict(cm=200, gL=12, eL=-70, vT=-50, deltaT=2, tauW=300, a=2, b=0.06, vThreshold=-10, vReset=-58),
         [('const', 0.3), ('const', 0.5), ('step', 0.8, 20, 250), ('ramp', 0.1, 1.2), ('pulses', 1.0, 60, 30),
          ('sine', 0.4, 0.35, 120)]),
    ]
    for name, dt, T, o, specs in variants:
        p = dict(cm=281, gL=30, eL=-70.6, vT=-50.4, deltaT=2, tauW=144, a=4, b=0.0805, vThreshold=0, vReset=None)
        p.update(o)
        if p['vReset'] is None:
            p['vReset'] = p['eL']
        start_scope()
        defaultclock.dt = dt * ms
        x = drives(T, specs)
        ns = dict(C=p['cm'] * pF, gL=p['gL'] * nS, EL=p['eL'] * mV, VT=p['vT'] * mV, DeltaT=p['deltaT'] * mV,
                  tau_w=p['tauW'] * ms, a=p['a'] * nS, b=p['b'] * nA, V_peak=p['vThreshold'] * mV,
                  V_r=p['vReset'] * mV, I_ta=TimedArray(x * nA, dt=dt * ms))
        g = NeuronGroup(x.shape[1], eqs, threshold=threshold, reset=reset, method=method, namespace=ns)
        g.v = p['eL'] * mV
        g.w = 0 * nA
        spike, st, margins = simulate([g], g, T, dt * ms, {'v': (g, 'v', mV), 'w': (g, 'w', nA)},
                                      margin=(g, 'margin', mV))
        options = {'dt': dt, **p}
        cases.append(case(name, 'AdExNode', options, dt, x, 'nA', spike, st, {'v': 'mV', 'w': 'nA'}, margins,
                          describe_group(eqs, threshold, reset, method),
                          {k: f'{v}' for k, v in ns.items() if k != 'I_ta'},
                          {'v_init': 'E_L', 'w_init': 0}, min_margin=MIN_MARGIN['adex']))
    return cases


def hh():
    """Hodgkin–Huxley. Two groups: `memb` holds V (method 'euler'), `gates` holds m, h, n
    (method 'exponential_euler', Brian2's exact step for an equation linear in the gate with V held
    over the step). Both read the state at the start of the step: the gates see V through
    `v_prev`, which a run_regularly before the state updaters copies from V."""
    gate_eqs = '''
    dm/dt = alpham*(1 - m) - betam*m : 1
    dh/dt = alphah*(1 - h) - betah*h : 1
    dn/dt = alphan*(1 - n) - betan*n : 1
    alpham = 0.1/mV*(v_prev + 40*mV)/(1 - exp(-(v_prev + 40*mV)/(10*mV)))/ms : Hz
    betam = 4*exp(-(v_prev + 65*mV)/(18*mV))/ms : Hz
    alphah = 0.07*exp(-(v_prev + 65*mV)/(20*mV))/ms : Hz
    betah = 1/(1 + exp(-(v_prev + 35*mV)/(10*mV)))/ms : Hz
    alphan = 0.01/mV*(v_prev + 55*mV)/(1 - exp(-(v_prev + 55*mV)/(10*mV)))/ms : Hz
    betan = 0.125*exp(-(v_prev + 65*mV)/(80*mV))/ms : Hz
    v_prev : volt (linked)
    '''
    memb_eqs = '''
    dv/dt = (I - gNa*m**3*h*(v - ENa) - gK*n**4*(v - EK) - gL*(v - EL))/Cm : volt
    I = I_ta(t, i) : amp/meter**2
    v_prev : volt
    margin = v - v_th : volt
    m : 1 (linked)
    h : 1 (linked)
    n : 1 (linked)
    '''
    threshold = 'v >= v_th and v_prev < v_th'
    copy = ('v_prev = v', 'groups', -10)
    cases = []
    variants = [
        ('hh_defaults_dt0.025', 0.025, 1600, {},
         [('const', 1.0), ('const', 3.52), ('const', 8.0), ('step', 15.0, 40, 400), ('ramp', 0.0, 24.75),
          ('pulses', 30.3, 150, 20)]),
        ('hh_dt0.01', 0.01, 1500, dict(gNa=100, gK=30, eL=-60, vRest=-68, vThreshold=-20),
         [('const', 2.02), ('const', 12.12), ('step', 39.8, 100, 160), ('sine', 10.0, 8.0, 300),
          ('ramp', 3.03, 30.3), ('pulses', 50.0, 200, 30)]),
    ]
    for name, dt, T, o, specs in variants:
        p = dict(cm=1, gNa=120, gK=36, gL=0.3, eNa=50, eK=-77, eL=-54.387, vRest=-65, vThreshold=0)
        p.update(o)
        start_scope()
        defaultclock.dt = dt * ms
        x = drives(T, specs)
        area = cm ** 2
        ns = dict(Cm=p['cm'] * uF / area, gNa=p['gNa'] * mS / area, gK=p['gK'] * mS / area,
                  gL=p['gL'] * mS / area, ENa=p['eNa'] * mV, EK=p['eK'] * mV, EL=p['eL'] * mV,
                  v_th=p['vThreshold'] * mV, I_ta=TimedArray(x * uA / area, dt=dt * ms))
        N = x.shape[1]
        # order: V's update (0) must read the old gates, so it runs before the gates' (1).
        memb = NeuronGroup(N, memb_eqs, threshold=threshold, reset='', method='euler', namespace=ns, name='memb',
                           order=0)
        gates = NeuronGroup(N, gate_eqs, method='exponential_euler', namespace=ns, name='gates', order=1)
        gates.v_prev = linked_var(memb, 'v_prev')
        memb.m = linked_var(gates, 'm')
        memb.h = linked_var(gates, 'h')
        memb.n = linked_var(gates, 'n')
        memb.run_regularly(copy[0], when=copy[1], order=copy[2])
        # The gates at their steady state at vRest (float64), as the node starts.
        v0 = p['vRest']
        am = 0.1 * (v0 + 40) / (1 - math.exp(-(v0 + 40) / 10))
        bm = 4 * math.exp(-(v0 + 65) / 18)
        ah = 0.07 * math.exp(-(v0 + 65) / 20)
        bh = 1 / (1 + math.exp(-(v0 + 35) / 10))
        an = 0.01 * (v0 + 55) / (1 - math.exp(-(v0 + 55) / 10))
        bn = 0.125 * math.exp(-(v0 + 65) / 80)
        memb.v = v0 * mV
        memb.v_prev = v0 * mV
        initial_gates = [am / (am + bm), ah / (ah + bh), an / (an + bn)]
        gates.m, gates.h, gates.n = initial_gates
        spike, st, margins = simulate(
            [memb, gates], memb, T, dt * ms,
            {'v': (memb, 'v', mV), 'm': (gates, 'm', 1), 'h': (gates, 'h', 1), 'n': (gates, 'n', 1)},
            margin=(memb, 'margin', mV))
        options = {'dt': dt, **p}
        brian = {
            'groups': {
                'memb': describe_group(memb_eqs, threshold, None, 'euler', regular=[copy]),
                'gates': describe_group(gate_eqs, None, None, 'exponential_euler'),
            },
            'order': 'v_prev = v (groups, order -10), memb state update (order 0, old gates), gates '
                     'state update (order 1, old V through v_prev), threshold',
        }
        cases.append(case(name, 'HodgkinHuxleyNode', options, dt, x, 'uA/cm^2', spike, st,
                          {'v': 'mV', 'm': '1', 'h': '1', 'n': '1'}, margins, brian,
                          {k: f'{v}' for k, v in ns.items() if k != 'I_ta'},
                          {'v_init': 'vRest', 'gates_init': 'steady state at vRest (float64)',
                           'initial_gates': initial_gates},
                          min_margin=MIN_MARGIN['hh']))
    return cases


def glif():
    """GLIF5 (Teeter et al. 2018): V and Θv with method 'euler' (Brian2's forward Euler at the old
    state); Θs and the after-spike currents decay exactly by a run_regularly after the state
    update (so V's step reads the old currents). The threshold sees the new components."""
    eqs = '''
    dv/dt = (I + asc1 + asc2 - G*(v - EL))/C : volt
    dtheta_v/dt = a_v*(v - EL) - b_v*theta_v : volt
    theta_s : volt
    asc1 : amp
    asc2 : amp
    I = I_ta(t, i) : amp
    margin = v - (theta_inf + theta_s + theta_v) : volt
    '''
    threshold = 'v >= theta_inf + theta_s + theta_v'
    reset = 'v = EL + f_v*(v - EL) - delta_V\ntheta_s += delta_theta_s\nasc1 += A1\nasc2 += A2'
    decay = ('theta_s = theta_s*exp(-b_s*dt)\nasc1 = asc1*exp(-dt/tau1)\nasc2 = asc2*exp(-dt/tau2)', 'groups', 10)
    cases = []
    variants = [
        ('glif5_defaults_dt0.25', 0.25, 400, {},
         [('const', 0.05), ('const', 0.15), ('const', 0.3), ('step', 0.5, 40, 300), ('ramp', 0.0, 0.6),
          ('sine', 0.25, 0.2, 100)]),
        ('glif5_other_dt0.1', 0.1, 500,
         dict(cm=150, gL=7.5, eL=-65, vThreshold=-45, ascAmps=[-0.04, 0.01], ascTau=[5, 50], deltaThetaS=4,
              bS=0.05, aV=0.02, bV=0.05, fV=0.6, deltaV=1),
         [('const', 0.2), ('const', 0.4), ('step', 0.8, 100, 400), ('ramp', 0.1, 0.9), ('pulses', 0.7, 120, 60),
          ('sine', 0.4, 0.3, 200)]),
    ]
    for name, dt, T, o, specs in variants:
        p = dict(cm=100, gL=5, eL=-70, vThreshold=-50, ascAmps=[-0.02, -0.005], ascTau=[10, 100], deltaThetaS=2,
                 bS=0.1, aV=0.005, bV=0.1, fV=0.3, deltaV=2)
        p.update(o)
        start_scope()
        defaultclock.dt = dt * ms
        x = drives(T, specs)
        ns = dict(C=p['cm'] * pF, G=p['gL'] * nS, EL=p['eL'] * mV, theta_inf=p['vThreshold'] * mV,
                  A1=p['ascAmps'][0] * nA, A2=p['ascAmps'][1] * nA, tau1=p['ascTau'][0] * ms,
                  tau2=p['ascTau'][1] * ms, delta_theta_s=p['deltaThetaS'] * mV, b_s=p['bS'] / ms,
                  a_v=p['aV'] / ms, b_v=p['bV'] / ms, f_v=p['fV'], delta_V=p['deltaV'] * mV,
                  I_ta=TimedArray(x * nA, dt=dt * ms))
        g = NeuronGroup(x.shape[1], eqs, threshold=threshold, reset=reset, method='euler', namespace=ns)
        g.run_regularly(decay[0], when=decay[1], order=decay[2])
        g.v = p['eL'] * mV
        spike, st, margins = simulate(
            [g], g, T, dt * ms,
            {'v': (g, 'v', mV), 'thetaS': (g, 'theta_s', mV), 'thetaV': (g, 'theta_v', mV),
             'asc1': (g, 'asc1', nA), 'asc2': (g, 'asc2', nA)},
            margin=(g, 'margin', mV))
        options = {'dt': dt, **p}
        cases.append(case(name, 'GLIFNode', options, dt, x, 'nA', spike, st,
                          {'v': 'mV', 'thetaS': 'mV', 'thetaV': 'mV', 'asc1': 'nA', 'asc2': 'nA'}, margins,
                          describe_group(eqs, threshold, reset, 'euler', regular=[decay]),
                          {k: f'{v}' for k, v in ns.items() if k != 'I_ta'}, {}, min_margin=MIN_MARGIN['glif']))
    return cases


# Discrete-time models (time in steps): Brian2 runs them with dt = 1 ms standing for one step.
STEP = 1.0


def discrete_group(N, eqs, threshold, reset, method, x, ns, regular=()):
    ns = dict(ns, step=STEP * ms, I_ta=TimedArray(x, dt=STEP * ms))
    g = NeuronGroup(N, eqs, threshold=threshold, reset=reset, method=method, namespace=ns)
    for code, when, order in regular:
        g.run_regularly(code, when=when, order=order)
    return g


def clif():
    """Current-based LIF (snnTorch's Synaptic, reset in the step of the spike): its definition is a
    difference equation, run as such by a run_regularly in the state-update slot."""
    eqs = '''
    v : 1
    isyn : 1
    I = I_ta(t, i) : 1
    margin = v - v_th : 1
    '''
    update = ('isyn = alpha*isyn + I\nv = beta*v + isyn', 'groups', 0)
    cases = []
    variants = [
        ('clif_hard', dict(alpha=0.9, beta=0.8, vThreshold=1, vReset=0), 'v = v_reset',
         [('const', 0.015), ('const', 0.03), ('const', 0.07), ('step', 0.15, 20, 120), ('ramp', -0.05, 0.15),
          ('pulses', 0.6, 25, 2)]),
        ('clif_soft_tau', dict(tauSyn=5, tauMem=10, vThreshold=1.5, vReset=None), 'v -= v_th',
         [('const', 0.02), ('const', 0.05), ('const', 0.15), ('step', 0.3, 50, 150), ('ramp', 0.0, 0.25),
          ('sine', 0.0804, 0.1005, 40)]),
        ('clif_hard_nonzero_reset', dict(alpha=0.5, beta=0.95, vThreshold=0.8, vReset=-0.3), 'v = v_reset',
         [('const', 0.01), ('const', 0.03), ('const', 0.1), ('step', 0.25, 10, 90), ('ramp', -0.05, 0.2),
          ('pulses', 0.5, 30, 3)]),
    ]
    for name, o, reset, specs in variants:
        alpha = math.exp(-1 / o['tauSyn']) if 'tauSyn' in o else o['alpha']
        beta = math.exp(-1 / o['tauMem']) if 'tauMem' in o else o['beta']
        start_scope()
        defaultclock.dt = STEP * ms
        T = 200
        x = drives(T, specs)
        ns = dict(alpha=alpha, beta=beta, v_th=o['vThreshold'], v_reset=o['vReset'] if o['vReset'] is not None else 0)
        g = discrete_group(x.shape[1], eqs, 'v >= v_th', reset, 'euler', x, ns, [update])
        spike, st, margins = simulate([g], g, T, STEP * ms, {'v': (g, 'v', 1), 'i': (g, 'isyn', 1)},
                                      margin=(g, 'margin', 1))
        cases.append(case(name, 'CLIFNode', o, None, x, '1', spike, st, {'v': '1', 'i': '1'}, margins,
                          describe_group(eqs, 'v >= v_th', reset, None, regular=[update]),
                          {k: v for k, v in ns.items()}, {'time': 'one step = 1 ms of Brian2 time'},
                          min_margin=MIN_MARGIN['discrete']))
    return cases


def alpha_neuron():
    """Alpha neuron (snnTorch's Alpha, reset in the step of the spike): two traces driven with
    opposite signs, V their sum; the reset is written on the excitatory trace directly."""
    eqs = '''
    i_exc : 1
    i_inh : 1
    v = i_exc + i_inh : 1
    I = I_ta(t, i) : 1
    margin = v - v_th : 1
    '''
    update = ('i_exc = alpha*i_exc + I\ni_inh = beta*i_inh - I', 'groups', 0)
    cases = []
    variants = [
        ('alpha_hard', dict(alpha=0.9, beta=0.8, vThreshold=1, vReset=0), 'i_exc = v_reset - i_inh',
         [('const', 0.1), ('const', 0.3), ('const', 0.6), ('step', 1.0, 20, 120), ('ramp', -0.2, 0.8),
          ('pulses', 2.0, 25, 2)]),
        ('alpha_soft_tau', dict(tauExc=10, tauInh=4, vThreshold=0.5, vReset=None), 'i_exc -= v_th',
         [('const', 0.02), ('const', 0.06), ('const', 0.12), ('step', 0.3, 50, 150), ('ramp', 0.0, 0.25),
          ('sine', 0.08, 0.1, 40)]),
        ('alpha_hard_nonzero_reset', dict(alpha=0.95, beta=0.6, vThreshold=0.7, vReset=-0.2),
         'i_exc = v_reset - i_inh',
         [('const', 0.02), ('const', 0.0497), ('const', 0.1), ('step', 0.25, 10, 90), ('ramp', -0.05, 0.2),
          ('pulses', 0.5, 30, 3)]),
    ]
    for name, o, reset, specs in variants:
        alpha = math.exp(-1 / o['tauExc']) if 'tauExc' in o else o['alpha']
        beta = math.exp(-1 / o['tauInh']) if 'tauInh' in o else o['beta']
        start_scope()
        defaultclock.dt = STEP * ms
        T = 200
        x = drives(T, specs)
        ns = dict(alpha=alpha, beta=beta, v_th=o['vThreshold'], v_reset=o['vReset'] if o['vReset'] is not None else 0)
        g = discrete_group(x.shape[1], eqs, 'v >= v_th', reset, 'euler', x, ns, [update])
        spike, st, margins = simulate(
            [g], g, T, STEP * ms, {'v': (g, 'v', 1), 'iExc': (g, 'i_exc', 1), 'iInh': (g, 'i_inh', 1)},
            margin=(g, 'margin', 1))
        cases.append(case(name, 'AlphaNode', o, None, x, '1', spike, st, {'v': '1', 'iExc': '1', 'iInh': '1'},
                          margins, describe_group(eqs, 'v >= v_th', reset, None, regular=[update]),
                          {k: v for k, v in ns.items()}, {'time': 'one step = 1 ms of Brian2 time'},
                          min_margin=MIN_MARGIN['discrete']))
    return cases


def lif_eqs(decay_input):
    """SpikingJelly's LIF charge is the forward Euler step (dt = one step) of these."""
    if decay_input:
        return 'dv/dt = (I - (v - v_leak))/(tau*step) : 1'
    return 'dv/dt = -(v - v_leak)/(tau*step) + I/step : 1'


def adaptive_lif():
    """Adaptive-threshold LIF: V by method 'euler'; the spike is tested against vThreshold + θ
    with the θ of the previous step; θ ← θ − θ/τθ + θ₊·S after the reset (a run_regularly at the
    end of the step, reading a flag the reset sets)."""
    cases = []
    variants = [
        ('alif_hard_decay_input', dict(tau=2, decayInput=True, thetaPlus=0.05, tauTheta=50, vThreshold=1,
                                       vReset=0),
         [('const', 0.9), ('const', 1.3), ('const', 2.01), ('step', 3.0, 20, 150), ('ramp', 0.5, 3.0),
          ('sine', 1.5, 1.0, 50)]),
        ('alif_soft_tau5', dict(tau=5, decayInput=True, thetaPlus=0.3, tauTheta=30, vThreshold=1, vReset=None),
         [('const', 1.1), ('const', 1.6), ('const', 2.985), ('step', 4.0, 30, 170), ('ramp', 0.8, 4.0),
          ('pulses', 6.0, 20, 5)]),
        ('alif_hard_nonzero_reset_no_decay_input',
         dict(tau=10, decayInput=False, thetaPlus=0.2, tauTheta=80, vThreshold=0.5, vReset=-0.2),
         [('const', 0.06), ('const', 0.0995), ('const', 0.2), ('step', 0.35, 40, 160), ('ramp', 0.0, 0.4),
          ('sine', 0.12, 0.1, 60)]),
    ]
    for name, o, specs in variants:
        start_scope()
        defaultclock.dt = STEP * ms
        T = 200
        x = drives(T, specs)
        eqs = lif_eqs(o['decayInput']) + '''
        theta : 1
        fired : 1
        I = I_ta(t, i) : 1
        margin = v - (v_th + theta) : 1
        '''
        soft = o['vReset'] is None
        reset = ('v -= v_th + theta' if soft else 'v = v_reset') + '\nfired = 1'
        adapt = ('theta = theta - theta/tau_theta + theta_plus*fired\nfired = 0', 'end', 0)
        ns = dict(tau=o['tau'], v_leak=0 if soft else o['vReset'], v_th=o['vThreshold'],
                  v_reset=0 if soft else o['vReset'], tau_theta=o['tauTheta'], theta_plus=o['thetaPlus'])
        g = discrete_group(x.shape[1], eqs, 'v >= v_th + theta', reset, 'euler', x, ns, [adapt])
        g.v = 0 if soft else o['vReset']
        spike, st, margins = simulate([g], g, T, STEP * ms, {'v': (g, 'v', 1), 'theta': (g, 'theta', 1)},
                                      margin=(g, 'margin', 1))
        cases.append(case(name, 'AdaptiveLIFNode', o, None, x, '1', spike, st, {'v': '1', 'theta': '1'}, margins,
                          describe_group(eqs, 'v >= v_th + theta', reset, 'euler', regular=[adapt]),
                          ns, {'time': 'one step = 1 ms of Brian2 time'}, min_margin=MIN_MARGIN['discrete']))
    return cases


def non_spiking_lif():
    """Non-spiking LIF readout: the LIF ODE by method 'euler', no threshold."""
    cases = []
    variants = [
        ('nslif_decay_input', dict(tau=2, decayInput=True, vReset=0),
         [('const', 0.5), ('const', -1.0), ('step', 2.0, 20, 120), ('ramp', -1.0, 3.0), ('sine', 0.0, 1.5, 30),
          ('pulses', 4.0, 25, 3)]),
        ('nslif_tau20_nonzero_rest', dict(tau=20, decayInput=True, vReset=-0.5),
         [('const', 0.5), ('const', -1.0), ('step', 2.0, 20, 120), ('ramp', -1.0, 3.0), ('sine', 0.0, 1.5, 30),
          ('pulses', 4.0, 25, 3)]),
        ('nslif_no_decay_input', dict(tau=8, decayInput=False, vReset=0.25),
         [('const', 0.1), ('const', -0.2), ('step', 0.5, 20, 120), ('ramp', -0.3, 0.6), ('sine', 0.0, 0.4, 30),
          ('pulses', 1.0, 25, 3)]),
    ]
    for name, o, specs in variants:
        start_scope()
        defaultclock.dt = STEP * ms
        T = 200
        x = drives(T, specs)
        eqs = lif_eqs(o['decayInput']) + '\nI = I_ta(t, i) : 1'
        ns = dict(tau=o['tau'], v_leak=o['vReset'])
        g = discrete_group(x.shape[1], eqs, None, None, 'euler', x, ns)
        g.v = o['vReset']
        spike, st, margins = simulate([g], g, T, STEP * ms, {'v': (g, 'v', 1)}, spikes=False)
        cases.append(case(name, 'NonSpikingLIFNode', o, None, x, '1', spike, st, {'v': '1'}, None,
                          describe_group(eqs, None, None, 'euler'), ns,
                          {'time': 'one step = 1 ms of Brian2 time'}, min_margin=0))
    return cases


def recurrent_if():
    """Recurrent IF: dV/dt = w·(V − V_reset) + R·I with w per step, by method 'euler'."""
    cases = []
    variants = [
        ('rif_leaky_hard', dict(initW=-0.05, vThreshold=1, vReset=0),
         [('const', 0.03), ('const', 0.06), ('const', 0.2), ('step', 0.4, 20, 150), ('ramp', -0.1, 0.4),
          ('sine', 0.1, 0.15, 40)]),
        ('rif_excitatory_soft', dict(initW=0.02, vThreshold=1, vReset=None),
         [('const', -0.01), ('const', 0.01), ('const', 0.05), ('step', 0.15, 40, 140), ('ramp', -0.05, 0.2),
          ('pulses', 0.5, 30, 2)]),
        ('rif_default_w_nonzero_reset', dict(vThreshold=0.5, vReset=-0.5),
         [('const', 0.001), ('const', 0.008), ('const', 0.03), ('step', 0.1, 30, 170), ('ramp', 0.0, 0.08),
          ('sine', 0.0199, 0.02985, 50)]),
    ]
    for name, o, specs in variants:
        start_scope()
        defaultclock.dt = STEP * ms
        T = 200
        x = drives(T, specs)
        soft = o['vReset'] is None
        eqs = '''
        dv/dt = (w*(v - v_r) + I)/step : 1
        I = I_ta(t, i) : 1
        margin = v - v_th : 1
        '''
        reset = 'v -= v_th' if soft else 'v = v_r'
        ns = dict(w=o.get('initW', -1e-3), v_r=0 if soft else o['vReset'], v_th=o['vThreshold'])
        g = discrete_group(x.shape[1], eqs, 'v >= v_th', reset, 'euler', x, ns)
        g.v = 0 if soft else o['vReset']
        spike, st, margins = simulate([g], g, T, STEP * ms, {'v': (g, 'v', 1)}, margin=(g, 'margin', 1))
        cases.append(case(name, 'RecurrentIFNode', o, None, x, '1', spike, st, {'v': '1'}, margins,
                          describe_group(eqs, 'v >= v_th', reset, 'euler'), ns,
                          {'time': 'one step = 1 ms of Brian2 time'}, min_margin=MIN_MARGIN['discrete']))
    return cases


def diehl_cook():
    """Diehl & Cook excitatory neuron (BindsNET semantics): leak and θ decay by method 'exact'
    (Brian2's solution of the linear ODEs over a step), the input increment added after it unless
    refractory (Brian2's `not_refractory`), threshold vThreshold + θ, reset V and θ += θ₊, Brian2's
    refractory period, and the lower bound of V clipped at the end of the step.

    Brian2 counts the step of the spike as the first refractory step; BindsNET (and the node)
    ignore the input on the ceil(refrac/dt) steps after it. So Brian2's period is refrac + dt."""
    eqs = '''
    dv/dt = (v_rest - v)/tau : volt
    dtheta/dt = -theta/tau_theta : volt
    I = I_ta(t, i) : volt
    margin = v - (v_th + theta) : volt
    '''
    add_input = ('v += I*int(not_refractory)', 'groups', 10)
    cases = []
    variants = [
        ('diehl_cook_dt1', 1.0, 200,
         dict(vRest=-65, vReset=-60, vThreshold=-52, tau=100, refrac=5, thetaPlus=1, tauTheta=60, vLowerBound=None),
         [('const', 0.1), ('const', 0.5), ('const', 1.5), ('step', 3.0, 20, 150), ('ramp', -0.5, 2.5),
          ('pulses', 8.0, 15, 1)]),
        ('diehl_cook_dt0.5_lower_bound', 0.5, 300,
         dict(vRest=-65, vReset=-60, vThreshold=-52, tau=20, refrac=2.5, thetaPlus=0.5, tauTheta=40,
              vLowerBound=-70),
         [('const', -1.0), ('const', 0.4), ('const', 1.2), ('step', 2.5, 40, 220), ('ramp', -2.0, 2.0),
          ('sine', 0.5, 2.0, 80)]),
    ]
    for name, dt, T, o, specs in variants:
        start_scope()
        defaultclock.dt = dt * ms
        x = drives(T, specs)
        regular = [add_input]
        if o['vLowerBound'] is not None:
            regular.append(('v = clip(v, v_lb, inf*mV)', 'end', 0))
        ns = dict(v_rest=o['vRest'] * mV, tau=o['tau'] * ms, tau_theta=o['tauTheta'] * ms, v_th=o['vThreshold'] * mV,
                  v_reset=o['vReset'] * mV, theta_plus=o['thetaPlus'] * mV,
                  I_ta=TimedArray(x * mV, dt=dt * ms))
        if o['vLowerBound'] is not None:
            ns['v_lb'] = o['vLowerBound'] * mV
        reset = 'v = v_reset\ntheta += theta_plus'
        refractory = (o['refrac'] + dt) * ms
        g = NeuronGroup(x.shape[1], eqs, threshold='v >= v_th + theta', reset=reset, refractory=refractory,
                        method='exact', namespace=ns)
        for code, when, order in regular:
            g.run_regularly(code, when=when, order=order)
        g.v = o['vRest'] * mV
        spike, st, margins = simulate([g], g, T, dt * ms, {'v': (g, 'v', mV), 'theta': (g, 'theta', mV)},
                                      margin=(g, 'margin', mV))
        options = {'dt': dt, **o}
        cases.append(case(name, 'DiehlCookNode', options, dt, x, 'mV', spike, st, {'v': 'mV', 'theta': 'mV'},
                          margins,
                          describe_group(eqs, 'v >= v_th + theta', reset, 'exact', refractory=f'{refractory}',
                                         regular=regular),
                          {k: f'{v}' for k, v in ns.items() if k != 'I_ta'},
                          {'mode': 'training (theta decays and grows)', 'batch': 1,
                           'refractory': 'Brian2 refractory = refrac + dt (its count includes the spike step)'},
                          min_margin=MIN_MARGIN['diehl-cook']))
    return cases


MODELS = {
    'adex': adex,
    'hh': hh,
    'glif': glif,
    'clif': clif,
    'alpha': alpha_neuron,
    'adaptive-lif': adaptive_lif,
    'non-spiking-lif': non_spiking_lif,
    'recurrent-if': recurrent_if,
    'diehl-cook': diehl_cook,
}


def main(argv):
    names = argv or list(MODELS)
    for name in names:
        cases = MODELS[name]()
        doc = {
            'family': f'brian2-{name}',
            'description': (MODELS[name].__doc__ or '').strip(),
            'generator': SCRIPT,
            'brian2_version': b2.__version__,
            'numpy_version': np.__version__,
            'python_version': platform.python_version(),
            'codegen_target': 'numpy (float64)',
            'date': datetime.date.today().isoformat(),
            'conventions': (
                'x_seq [T, N] is the input of each step (batch of 1, N neurons with different drives), '
                'given to Brian2 as a TimedArray with the simulation dt, so step t reads x_seq[t]. '
                'outputs.state.<name>[t] is the state after step t (recorded at the end of the step, '
                'after the reset), named as the node names it; spike_seq[t] = 1 where Brian2 '
                'recorded a spike at t. Units in units; options are the node options that give the '
                'same model. Outputs with 7 significant digits (Brian2 ran in float64); every input is '
                'a float32, written as the shortest decimal that reads back to it (Math.fround gives it). notes.min_abs_margin: the smallest |threshold quantity| met before '
                'any threshold test, to show float32 rounding cannot flip a spike.'),
            'cases': cases,
        }
        path = os.path.join(OUT, f'brian2-{name}.json')
        with open(path, 'w') as f:
            json.dump(doc, f, separators=(',', ':'))
            f.write('\n')
        print(f'{path}: {len(cases)} cases, spikes per case '
              f'{[sum(c["notes"]["spike_counts"]) for c in cases]}')


if __name__ == '__main__':
    main(sys.argv[1:])
