#!/bin/bash
# AUROC of a jBIA model bundle (e.g. the demo's model.zip) for simulated lenses against each kind of non-lens
# alone, and its recall at 0.5 on the 20 real lenses: which negatives does the model confuse with lenses?
#   bench/simulator/auroc_by_kind.sh MODEL.zip [WORK_DIR] [SEED]
set -euo pipefail
model=$(realpath "$1"); work=${2:-/tmp/auroc-by-kind}; seed=${3:-4242}
home="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
bia="java -Djava.awt.headless=true -Dbia.home=$home -jar $home/cli/target/bia.jar"
mkdir -p "$work"
[ -f "$work/lens/lenses.npy" ] || $bia simulate --lenses 200 --others 0 --seed "$seed" "$work/lens" >/dev/null
$bia predict --model "$model" -o "$work/lens.pred.npy" "$work/lens/lenses.npy" >/dev/null
for kind in LONE_ELLIPTICAL ELLIPTICAL_WITH_COMPANIONS DISK STAR CROWDED_FIELD; do
  [ -f "$work/$kind/other.npy" ] || $bia simulate --lenses 0 --others 300 --seed $((seed + 1)) --kinds "$kind" "$work/$kind" >/dev/null
  $bia predict --model "$model" -o "$work/$kind.pred.npy" "$work/$kind/other.npy" >/dev/null
done
$bia predict --model "$model" -o "$work/real.pred.npy" "$home/../shared/data/lenses.npy" >/dev/null
/usr/bin/python3 - "$work" <<'PY'
import sys
import numpy as np
w = sys.argv[1]
lens = np.load(w + "/lens.pred.npy")[:, 0]
def auc(pos, neg):
    s = np.r_[pos, neg]; r = np.empty(len(s)); r[np.argsort(s, kind="stable")] = np.arange(1, len(s) + 1)
    return (r[:len(pos)].sum() - len(pos) * (len(pos) + 1) / 2) / (len(pos) * len(neg))
print("simulated lenses: median P %.3f" % np.median(lens))
for kind in ["LONE_ELLIPTICAL", "ELLIPTICAL_WITH_COMPANIONS", "DISK", "STAR", "CROWDED_FIELD"]:
    neg = np.load(w + "/" + kind + ".pred.npy")[:, 0]
    print("%-28s AUROC %.4f  median P %.3f" % (kind, auc(lens, neg), np.median(neg)))
real = np.load(w + "/real.pred.npy")[:, 0]
print("real lenses: %d/20 above 0.5, median P %.3f" % ((real > 0.5).sum(), np.median(real)))
PY
