#!/usr/bin/env bash
# How much bench.sh's ratio (mean regret over 20 seeds) moves with the choice of seeds: runs jBIA's
# and Optuna's TPE on SEEDS seeds (default 200), then prints both mean regrets with a bootstrap
# interval of their ratio, the ratio for each block of 20 seeds, and Optuna against itself
# (each block against seeds 0-19). Slow: Optuna takes about 1-3 s per seed and function.
#   bench/tpe/noise.sh                           # 200 seeds x 100 trials, all three functions
#   SEEDS=100 FUNCTIONS=branin bench/tpe/noise.sh
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
TRIALS=${TRIALS:-100}
SEEDS=${SEEDS:-200}
BLOCK=${BLOCK:-20}
FUNCTIONS=${FUNCTIONS:-branin hartmann6 mixed}
PEER=${PEER:-$ROOT/../shared/peers/optuna_ref.py}
PY=/usr/bin/python3
OUT=${OUT:-$ROOT/optimize-service/target/tpe-noise}

cd "$ROOT"
mvn -B -o -q -pl optimize-service compile
CP_FILE=optimize-service/target/tpe-bench-cp.txt
if [ ! -s "$CP_FILE" ]; then
  mvn -B -o -q -pl optimize-service dependency:build-classpath -Dmdep.outputFile=target/tpe-bench-cp.txt
fi
CP="optimize-service/target/classes:$(cat "$CP_FILE")"
mkdir -p "$OUT"
minimum() {
  case "$1" in
    branin) echo 0.397887 ;;
    hartmann6) echo -3.32237 ;;
    mixed) echo 0 ;;
  esac
}
for f in $FUNCTIONS; do
  echo "== $f, $TRIALS trials"
  java -cp "$CP" org.jbia.optimize.bench.TpeBench --function "$f" --trials "$TRIALS" --seeds "$SEEDS" --per-seed \
    > "$OUT/jbia-$f.txt"
  $PY bench/tpe/per_seed.py "$PEER" "$f" "$TRIALS" 0 "$SEEDS" tpe > "$OUT/optuna-$f.txt"
  $PY bench/tpe/noise.py "$(minimum "$f")" "$BLOCK" "$OUT/jbia-$f.txt" "$OUT/optuna-$f.txt"
done
