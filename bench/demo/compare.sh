#!/usr/bin/env bash
# The demo's acceptance figures in one run: `bia demo` (time, AUROC, TPR at 0 and 10 false positives),
# then pyBIA's AlexNet in PyTorch (shared/peers/torch_ref.py quality alexnet, Adam, lr 1e-4) on the
# demo's own un-augmented training arrays for as many epochs as the demo ran, tested on the same
# held-out set, then the demo model's recall at 0.5 on the 20 real lenses of shared/data/lenses.npy.
#   bench/demo/compare.sh              # the full demo (about 8 minutes on 2 cores), then the peer
#   SEED=2024 bench/demo/compare.sh    # another simulation and job seed
# Run it on a quiet machine: the demo's time is part of what it reports.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
SEED=${SEED:-1909}
DATA_DIR=${DATA_DIR:-$(mktemp -d /tmp/bia-demo-compare.XXXXXX)}
PEER=${PEER:-$ROOT/../shared/peers/torch_ref.py}
REAL=${REAL:-$ROOT/../shared/data/lenses.npy}
PY=/usr/bin/python3
demo="$DATA_DIR/demo"

cd "$ROOT"
start=$(date +%s)
./bia demo --seed "$SEED" --data-dir "$DATA_DIR" --json > "$DATA_DIR/demo.json" 2> "$DATA_DIR/demo.log"
seconds=$(( $(date +%s) - start ))
read -r auroc tpr0 tpr10 epochs < <($PY -c 'import json,sys; j = json.load(open(sys.argv[1]))
print(j["auroc"], j["tpr0"], j["tpr10"], j["epochs_run"])' "$DATA_DIR/demo.json")
grep '^time:' "$DATA_DIR/demo.log" || true

# torch_ref's data directories hold lenses.npy and other.npy, as `bia simulate` writes them.
peer=$(cd "$(dirname "$PEER")" && OPT=adam $PY "$PEER" quality alexnet "$demo/train" "$demo/test" "$epochs" 2 1e-4 2>&1 | tail -1)
peer_auroc=$(echo "$peer" | sed -n 's/.*AUC \([0-9.]*\).*/\1/p')

./bia predict --model "$demo/model.zip" -o "$DATA_DIR/real.pred.npy" "$REAL" > /dev/null
found=$($PY -c 'import numpy as np, sys; p = np.load(sys.argv[1])[:, 0]; print("%d of %d" % ((p > 0.5).sum(), len(p)))' \
        "$DATA_DIR/real.pred.npy")

echo "demo (seed $SEED): AUROC $auroc, TPR at 0 FP $tpr0, at 10 FP $tpr10, $epochs epochs, $seconds s end to end"
echo "peer (PyTorch AlexNet, Adam 1e-4, same un-augmented arrays, $epochs epochs): $peer"
awk -v a="$auroc" -v p="$peer_auroc" 'BEGIN { printf "demo / peer AUROC: %.4f / %.4f = %.3fx\n", a, p, a / p }'
echo "real lenses found at 0.5: $found"
echo "arrays, model, plots and logs in $DATA_DIR"
