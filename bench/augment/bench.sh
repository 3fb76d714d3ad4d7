#!/usr/bin/env bash
# Augmentation throughput, jBIA next to the OpenCV peer, in one run on this machine.
# Usage: bench/augment/bench.sh [N_IMAGES] [THREADS]   (defaults: 2000 images, 1 thread)
# Also runs jBIA with 2 threads when THREADS is 1, to show the scaling.
set -euo pipefail
N=${1:-2000}
T=${2:-1}
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
cd "$ROOT"
CLASSES=augment-service/target/classes
if [ ! -f "$CLASSES/org/jbia/augment/bench/AugmentBench.class" ] \
   || [ -n "$(find augment-service/src/main -newer "$CLASSES/org/jbia/augment/bench/AugmentBench.class" -name '*.java' | head -1)" ]; then
  mvn -B -o -q -pl augment-service compile
fi
COMMON=$(ls "$HOME"/.m2/repository/org/jbia/common/*/common-*.jar | grep -v sources | head -1)
CP="$CLASSES:$COMMON"

opencv=$(/usr/bin/python3 "$ROOT/../shared/peers/augment_bench.py" "$N" "$T" | awk '/^opencv/ {print $2}')
jbia=$(java -cp "$CP" org.jbia.augment.bench.AugmentBench --images "$N" --threads "$T" | tail -1 | awk '{print $2}')
echo "opencv ($T thread): $opencv images/s"
echo "jbia   ($T thread): $jbia images/s"
awk -v j="$jbia" -v o="$opencv" 'BEGIN {printf "jbia / opencv: %.2fx\n", j / o}'
if [ "$T" = 1 ]; then
  jbia2=$(java -cp "$CP" org.jbia.augment.bench.AugmentBench --images "$N" --threads 2 | tail -1 | awk '{print $2}')
  echo "jbia   (2 threads): $jbia2 images/s"
  awk -v a="$jbia2" -v b="$jbia" 'BEGIN {printf "jbia 2 threads / 1 thread: %.2fx\n", a / b}'
fi
