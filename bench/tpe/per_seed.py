#!/usr/bin/python3
"""Optuna's best value per seed, with the peer's own objectives (shared/peers/optuna_ref.py).

  per_seed.py PEER FUNCTION TRIALS FIRST_SEED SEEDS [tpe|random]
prints one line per seed: "seed <s>: best <v>"
The peer prints only the mean and median over seeds 0..SEEDS-1; noise.sh needs each seed's best
and seeds beyond the first 20.
"""
import importlib.util
import sys

import optuna


def main():
    peer_path, name = sys.argv[1], sys.argv[2]
    trials, first, seeds = int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5])
    kind = sys.argv[6] if len(sys.argv) > 6 else "tpe"
    spec = importlib.util.spec_from_file_location("optuna_ref", peer_path)
    peer = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(peer)
    optuna.logging.set_verbosity(optuna.logging.WARNING)
    for s in range(first, first + seeds):
        # As the peer: TPESampler(seed=s) with its defaults, or RandomSampler(seed=s).
        sampler = optuna.samplers.TPESampler(seed=s) if kind == "tpe" else optuna.samplers.RandomSampler(seed=s)
        study = optuna.create_study(direction="minimize", sampler=sampler)
        study.optimize(peer.FUN[name], n_trials=trials)
        print(f"seed {s}: best {study.best_value!r}", flush=True)


if __name__ == "__main__":
    main()
