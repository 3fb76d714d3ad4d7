#!/usr/bin/env bash
# Reading a 60 MB float32 .npy: jBIA's Npy.read against numpy.load on the same file, side by side.
# Usage: bench/npy/bench.sh [REPEATS]   (from anywhere; builds common's jar if it is missing)
# Prints best and median milliseconds of each and the speed ratio numpy_time / jbia_time
# (>= 0.5 is the acceptance bar of issue 3: jBIA at least half as fast as NumPy).
set -euo pipefail
repeats=${1:-15}
root=$(cd "$(dirname "$0")/../.." && pwd)
python=/usr/bin/python3
jar=$(ls "$root"/common/target/common-*.jar 2>/dev/null | grep -v -e sources -e javadoc | head -1 || true)
if [[ -z "$jar" ]]; then
  (cd "$root" && mvn -B -o -q -pl common package -DskipTests)
  jar=$(ls "$root"/common/target/common-*.jar | grep -v -e sources -e javadoc | head -1)
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
file="$work/stack_60MB.npy"
# 500 images of 100x100x3 float32 = 60 000 000 data bytes
"$python" -c "import numpy as np; np.save('$file', np.random.default_rng(0).normal(0, 100, (500, 100, 100, 3)).astype(np.float32))"

read -r np_best np_median < <("$python" - "$file" "$repeats" <<'PY'
import sys, time
import numpy as np
path, repeats = sys.argv[1], int(sys.argv[2])
for _ in range(3):
    np.load(path)
times = []
for _ in range(repeats):
    t = time.perf_counter()
    a = np.load(path)
    times.append((time.perf_counter() - t) * 1e3)
times.sort()
print("%.2f %.2f" % (times[0], times[len(times) // 2]))
PY
)
read -r j_best j_median < <(java -Xmx2g -cp "$jar" "$root/bench/npy/NpyBench.java" "$file" "$repeats" 2>/dev/null)

echo "file: $(stat -c %s "$file") bytes, (500, 100, 100, 3) float32, $repeats timed reads each, page cache warm"
printf '%-22s best %8s ms   median %8s ms\n' "numpy.load" "$np_best" "$np_median" "jBIA Npy.read" "$j_best" "$j_median"
awk -v nb="$np_best" -v nm="$np_median" -v jb="$j_best" -v jm="$j_median" 'BEGIN {
  printf "jBIA speed relative to numpy (numpy_time / jbia_time): best %.2fx, median %.2fx (acceptance: >= 0.5x)\n", nb / jb, nm / jm }'
