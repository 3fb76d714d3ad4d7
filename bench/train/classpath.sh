#!/usr/bin/env bash
# Prints train-service's packaged classpath for the train benchmarks, rebuilding the package first
# when train-service changed: the application jar, then ND4J's oneDNN natives ahead of the plain ones
# (as the pom orders them), then the rest. Run from the project root.
set -euo pipefail
APP=train-service/target/quarkus-app
if [ ! -f "$APP/quarkus-run.jar" ] \
   || [ -n "$(find train-service/src/main train-service/pom.xml -newer "$APP/quarkus-run.jar" -type f | head -1)" ]; then
  mvn -B -o -q -pl train-service -am package -DskipTests >&2
fi
CP=$(ls "$APP"/app/*.jar | sort | tr '\n' ':')
CP=$CP$(ls "$APP"/lib/main/*.jar | grep onednn | tr '\n' ':' || true)
CP=$CP$(ls "$APP"/lib/main/*.jar | grep -v onednn | sort | tr '\n' ':')
echo "$CP"
