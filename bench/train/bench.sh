#!/usr/bin/env bash
# Training and inference throughput of jBIA's two backends (dl4j, libtorch) side by side with PyTorch
# (shared/peers/torch_ref.py on Debian's /usr/bin/python3 with python3-torch and libopenblas0-pthread), in one
# run on this machine:
# pyBIA's AlexNet and the standard ResNet-18 on random 67x67x3 images, batch 32, SGD lr 1e-4 momentum 0.9,
# the same thread count for everyone. Prints every figure, then the ratios jBIA / PyTorch.
#   bench/train/bench.sh                          # 512 images x 2 epochs, 2 threads, alexnet and resnet18, 3 rounds
#   IMAGES=64 EPOCHS=1 ROUNDS=1 bench/train/bench.sh   # a quick check that everything runs
#   ARCHS=alexnet BACKENDS=libtorch THREADS=1 bench/train/bench.sh
#   JENV=OMP_WAIT_POLICY=PASSIVE ARCHS=resnet18 BACKENDS=dl4j bench/train/bench.sh
#                                                 # jBIA only under extra environment (here: passive OpenMP
#                                                 # waiting instead of the bounded spin jBIA sets)
# Each round runs PyTorch, then every backend, one after the other, and takes their ratios; the summary is
# the median round's ratio with the lowest and highest: on a shared 2-core host one run's figures swing by
# 20% and more, and a ratio of neighbouring runs is steadier than either figure.
# The Java side runs in train-service's packaged classpath (target/quarkus-app, rebuilt here when
# train-service changed), as `bia bench train` does. Run it on a quiet machine: figures taken while
# other work runs are noise.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
IMAGES=${IMAGES:-512}
EPOCHS=${EPOCHS:-2}
THREADS=${THREADS:-2}
ARCHS=${ARCHS:-alexnet resnet18}
BACKENDS=${BACKENDS:-dl4j libtorch}
ROUNDS=${ROUNDS:-3}
SIZE=67
BATCH=32
PEER=${PEER:-$ROOT/../shared/peers/torch_ref.py}
PY=/usr/bin/python3

cd "$ROOT"
CP=$(bench/train/classpath.sh)
JENV=${JENV:-}
JAVA=(env $JENV java -Xmx4g -Djava.awt.headless=true -cp "$CP" org.jbia.train.bench.TrainBench)

# Debian's python3-torch does its matrix products through whichever libblas.so.3 the system selects: netlib's
# reference BLAS unless an optimised one is installed, which makes PyTorch's AlexNet about 4x slower (measured)
PEER_BLAS=$(readlink -f /usr/lib/x86_64-linux-gnu/libblas.so.3 2>/dev/null || echo unknown)
echo "pytorch $($PY -c 'import torch; print(torch.__version__)') (BLAS $PEER_BLAS), $(java -version 2>&1 | head -1)"
case "$PEER_BLAS" in
  */blas/libblas.so.3*)
    echo "warning: the peer runs on netlib's reference BLAS: apt-get install libopenblas0-pthread for a fair peer" >&2 ;;
esac
echo "${SIZE}x${SIZE}x3, batch $BATCH, $THREADS threads, $IMAGES images x $EPOCHS epochs, $ROUNDS rounds"

# torch_ref: "... train X images/s  infer Y images/s ..."; TrainBench: "train: X images/s, infer: Y images/s"
train_of() { sed -n 's/.*train:\{0,1\} \([0-9.]*\) images\/s.*/\1/p' | tail -1; }
infer_of() { sed -n 's/.*infer:\{0,1\} \([0-9.]*\) images\/s.*/\1/p' | tail -1; }
# median (lowest-highest) of the numbers on standard input, one a line
spread() { sort -g | awk '{ v[NR] = $1 } END { printf "%.2fx (%.2f-%.2f)", v[int((NR + 1) / 2)], v[1], v[NR] }'; }

summary=()
for arch in $ARCHS; do
  echo "== $arch"
  declare -A train_ratios=() infer_ratios=()
  for round in $(seq 1 "$ROUNDS"); do
    pout=$(BS=$BATCH $PY "$PEER" speed "$arch" "$SIZE" "$IMAGES" "$EPOCHS" "$THREADS")
    echo "pytorch   $pout"
    ptrain=$(echo "$pout" | train_of)
    pinfer=$(echo "$pout" | infer_of)
    for backend in $BACKENDS; do
      jout=$("${JAVA[@]}" --arch "$arch" --size "$SIZE" --images "$IMAGES" --epochs "$EPOCHS" --threads "$THREADS" \
             --batch "$BATCH" --backend "$backend" 2>/dev/null)
      if [ "$round" = 1 ]; then # the backend's description (engine, device, threads)
        echo "$jout" | grep -E "^(DL4J|libtorch) " | head -1 | sed "s/^/$(printf '%-9s' "$backend") /" | cut -c1-320
      fi
      jtrain=$(echo "$jout" | train_of)
      jinfer=$(echo "$jout" | infer_of)
      ratios=$(awk -v jt="$jtrain" -v ji="$jinfer" -v pt="$ptrain" -v pi="$pinfer" \
        'BEGIN { printf "%.3f %.3f", jt / pt, ji / pi }')
      echo "$(printf '%-9s' "$backend") $(echo "$jout" | tail -1)   round $round: ${ratios% *}x train, ${ratios#* }x infer"
      train_ratios[$backend]+="${ratios% *} "
      infer_ratios[$backend]+="${ratios#* } "
    done
  done
  for backend in $BACKENDS; do
    summary+=("$(printf '%-9s %-9s train %s   infer %s' "$arch" "$backend" \
      "$(echo "${train_ratios[$backend]}" | tr ' ' '\n' | grep . | spread)" \
      "$(echo "${infer_ratios[$backend]}" | tr ' ' '\n' | grep . | spread)")")
  done
  unset train_ratios infer_ratios
done
echo "== jBIA / PyTorch, median round (lowest-highest)"
printf '%s\n' "${summary[@]}"
