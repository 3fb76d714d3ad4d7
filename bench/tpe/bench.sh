#!/usr/bin/env bash
# Sample efficiency of jBIA's TpeSampler side by side with Optuna 3.1's TPESampler
# (shared/peers/optuna_ref.py, Debian /usr/bin/python3 with python3-optuna).
# Prints, per function, both mean bests, the mean regrets (mean best − known minimum) and
# the ratio jBIA/Optuna (acceptance: <= 1.1), plus random search's regret for scale.
# jBIA runs twice: with Optuna's random numbers (TpeBench --streams optuna: NumPy's RandomState(seed)
# streams, so each seed's run is paired with Optuna's; the acceptance ratio) and with the per-trial
# streams studies use (--streams trial: unpaired, so over 20 seeds mostly a measure of luck).
#   bench/tpe/bench.sh                      # 100 trials x 20 seeds, all three functions
#   TRIALS=50 SEEDS=5 FUNCTIONS=branin bench/tpe/bench.sh
#   PEER_RANDOM=1 bench/tpe/bench.sh        # also Optuna's RandomSampler
# A mean over 20 seeds is noisy: with the same sampler, it moves by a factor 2-3 from one block
# of 20 seeds to the next (mean regret is dominated by the few runs stuck in a worse basin).
# bench/tpe/noise.sh measures that spread over more seeds, and the ratio with an interval.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
TRIALS=${TRIALS:-100}
SEEDS=${SEEDS:-20}
FUNCTIONS=${FUNCTIONS:-branin hartmann6 mixed}
PEER=${PEER:-$ROOT/../shared/peers/optuna_ref.py}
PY=/usr/bin/python3

cd "$ROOT"
mvn -B -o -q -pl optimize-service compile
CP_FILE=optimize-service/target/tpe-bench-cp.txt
if [ ! -s "$CP_FILE" ]; then
  mvn -B -o -q -pl optimize-service dependency:build-classpath -Dmdep.outputFile=target/tpe-bench-cp.txt
fi
CP="optimize-service/target/classes:$(cat "$CP_FILE")"
echo "optuna $($PY -c 'import optuna; print(optuna.__version__)'), $(java -version 2>&1 | head -1)"
echo "trials $TRIALS, seeds $SEEDS"

minimum() {
  case "$1" in
    branin) echo 0.397887 ;;
    hartmann6) echo -3.32237 ;;
    mixed) echo 0 ;;
  esac
}
# "<sampler> <function>: mean best <v> ..." -> v
mean_best() { sed -n 's/.*: mean best \([-0-9.eE+]*\).*/\1/p' | tail -1; }

summary=()
for f in $FUNCTIONS; do
  echo "== $f"
  jout=$(java -cp "$CP" org.jbia.optimize.bench.TpeBench --function "$f" --trials "$TRIALS" --seeds "$SEEDS" --streams optuna)
  echo "$jout" | sed 's/^/jbia   /'
  jtpe=$(echo "$jout" | grep "^tpe " | mean_best)
  jrnd=$(echo "$jout" | grep "^random " | mean_best)
  tout=$(java -cp "$CP" org.jbia.optimize.bench.TpeBench --function "$f" --trials "$TRIALS" --seeds "$SEEDS" --streams trial)
  echo "$tout" | grep "^tpe " | sed 's/^/jbia (per-trial streams)   /'
  jtrial=$(echo "$tout" | grep "^tpe " | mean_best)
  start=$(date +%s)
  oout=$($PY "$PEER" "$f" "$TRIALS" "$SEEDS" tpe)
  echo "optuna $oout ($(( $(date +%s) - start )) s)"
  otpe=$(echo "$oout" | mean_best)
  ornd=""
  if [ -n "${PEER_RANDOM:-}" ]; then
    rout=$($PY "$PEER" "$f" "$TRIALS" "$SEEDS" random)
    echo "optuna $rout"
    ornd=$(echo "$rout" | mean_best)
  fi
  line=$(awk -v f="$f" -v m="$(minimum "$f")" -v j="$jtpe" -v o="$otpe" -v r="$jrnd" -v orr="$ornd" -v jt="$jtrial" 'BEGIN {
      rj = j - m; ro = o - m; rr = r - m;
      ratio = (ro > 0) ? sprintf("%.3f", rj / ro) : "inf";
      s = sprintf("%-9s regret jbia-tpe %.6f  optuna-tpe %.6f  ratio %s  jbia-random %.6f (tpe/random %.3f)",
                  f, rj, ro, ratio, rr, (rr > 0 ? rj / rr : 0));
      if (orr != "") s = s sprintf("  optuna-random %.6f", orr - m);
      s = s sprintf("  [per-trial streams: regret %.6f, ratio %.3f]", jt - m, (ro > 0 ? (jt - m) / ro : 0));
      print s }')
  summary+=("$line")
done
echo "== regret ratios (jBIA / Optuna, target <= 1.1; paired: jBIA drawing Optuna's random numbers)"
printf '%s\n' "${summary[@]}"
echo "(means over $SEEDS seeds; their spread between seed blocks: bench/tpe/noise.sh)"
