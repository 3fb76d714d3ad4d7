#!/usr/bin/python3
"""How much a mean regret over a few seeds varies, from per-seed bests of jBIA's and Optuna's TPE.

  noise.py MINIMUM BLOCK JBIA_FILE OPTUNA_FILE
JBIA_FILE has TpeBench --per-seed lines ("seed s: tpe v random w"), OPTUNA_FILE per_seed.py lines
("seed s: best v"). Prints both mean regrets over all seeds with a bootstrap 90% interval of
their ratio, then the ratio jBIA/Optuna block by block (BLOCK consecutive seeds, as bench.sh
uses), and Optuna against itself: each block's regret over the block of seeds 0..BLOCK-1.
"""
import re
import sys

import numpy as np


def per_seed(path, key):
    out = {}
    for line in open(path):
        m = re.match(r"seed (\d+): .*\b" + key + r" (\S+)", line)
        if m:
            out[int(m.group(1))] = float(m.group(2))
    return out


def main():
    minimum, block = float(sys.argv[1]), int(sys.argv[2])
    jt, jr, ot = per_seed(sys.argv[3], "tpe"), per_seed(sys.argv[3], "random"), per_seed(sys.argv[4], "best")
    seeds = sorted(set(jt) & set(ot))
    j = np.array([jt[s] for s in seeds]) - minimum
    o = np.array([ot[s] for s in seeds]) - minimum
    r = np.array([jr[s] for s in seeds]) - minimum
    n = len(seeds)
    rng = np.random.default_rng(0)
    boot = [j[rng.integers(0, n, n)].mean() / o[rng.integers(0, n, n)].mean() for _ in range(4000)]
    lo, hi = np.quantile(boot, [0.05, 0.95])
    print(f"{n} seeds: mean regret jbia-tpe {j.mean():.6f} (median {np.median(j):.6f}), "
          f"optuna-tpe {o.mean():.6f} (median {np.median(o):.6f}), jbia-random {r.mean():.6f}")
    print(f"  ratio jbia/optuna {j.mean() / o.mean():.3f}, bootstrap 90% interval [{lo:.3f}, {hi:.3f}]")
    nb = n // block
    if nb >= 2:
        jb = j[:nb * block].reshape(nb, block).mean(axis=1)
        ob = o[:nb * block].reshape(nb, block).mean(axis=1)
        print(f"  per block of {block} seeds (first seed, jbia, optuna, ratio, optuna / optuna's first block):")
        for b in range(nb):
            print(f"    {seeds[b * block]:4d}  {jb[b]:.6f}  {ob[b]:.6f}  {jb[b] / ob[b]:6.3f}  {ob[b] / ob[0]:6.3f}")
        print(f"  blocks with ratio <= 1.1: jbia/optuna {np.sum(jb / ob <= 1.1)} of {nb}; "
              f"optuna/optuna's first block {np.sum(ob[1:] / ob[0] <= 1.1)} of {nb - 1}")


if __name__ == "__main__":
    main()
