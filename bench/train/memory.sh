#!/usr/bin/env bash
# Does training leak? AlexNet on random 67x67x3 images under -Xmx2g, sampling the heap, JavaCPP's
# off-heap bytes and the process RSS after every epoch; the last line is the verdict (RSS growth from
# epoch FROM to the last).
# Usage: bench/train/memory.sh [EPOCHS] [IMAGES] [FROM] [extra MemoryBench options]
#        (defaults: 50 epochs, 1000 images, from epoch 5; smoke: bench/train/memory.sh 5 200 2)
set -euo pipefail
EPOCHS=${1:-50}
IMAGES=${2:-1000}
FROM=${3:-5}
shift $(( $# < 3 ? $# : 3 ))
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
cd "$ROOT"
CP=$(bench/train/classpath.sh)
exec java -Xmx2g -Djava.awt.headless=true -cp "$CP" org.jbia.train.bench.MemoryBench \
  --arch alexnet --size 67 --images "$IMAGES" --epochs "$EPOCHS" --from "$FROM" --threads 2 "$@"
