#!/usr/bin/env bash
# Training and inference throughput, jBIA (DL4J backend) next to the PyTorch peer, in one run on this
# machine: pyBIA's AlexNet and the standard ResNet-18 at 67x67x3, batch 32, SGD, 2 threads.
# Usage: bench/train/speed.sh [N_IMAGES] [EPOCHS] [ARCHS...]   (defaults: 512 images, 2 epochs, alexnet resnet18)
# Each pair runs twice, alternating, so that a busy machine hurts both sides alike.
set -euo pipefail
N=${1:-512}
EPOCHS=${2:-2}
shift $(( $# < 2 ? $# : 2 ))
ARCHS=("$@")
[ ${#ARCHS[@]} -eq 0 ] && ARCHS=(alexnet resnet18)
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
cd "$ROOT"
CP=$(bench/train/classpath.sh)
for arch in "${ARCHS[@]}"; do
  for round in 1 2; do
    torch=$(/usr/bin/python3 "$ROOT/../shared/peers/torch_ref.py" speed "$arch" 67 "$N" "$EPOCHS" 2 | tail -1)
    jbia=$(java -Xmx4g -cp "$CP" org.jbia.train.bench.TrainBench --arch "$arch" --size 67 --images "$N" \
      --epochs "$EPOCHS" --threads 2 2>/dev/null | tail -1)
    tt=$(sed -E 's/.*train ([0-9.]+).*/\1/' <<<"$torch"); ti=$(sed -E 's/.*infer ([0-9.]+).*/\1/' <<<"$torch")
    jt=$(sed -E 's/train: ([0-9.]+).*/\1/' <<<"$jbia"); ji=$(sed -E 's/.*infer: ([0-9.]+).*/\1/' <<<"$jbia")
    awk -v a="$arch" -v r="$round" -v jt="$jt" -v tt="$tt" -v ji="$ji" -v ti="$ti" 'BEGIN {
      printf "%-9s round %d  train: jbia %6.1f  torch %6.1f  (%.2fx)   infer: jbia %6.1f  torch %6.1f  (%.2fx)\n",
             a, r, jt, tt, jt / tt, ji, ti, ji / ti }'
  done
done
