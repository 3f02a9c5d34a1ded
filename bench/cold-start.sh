#!/usr/bin/env bash
# Cold start of the packaged service: process start -> /q/health/ready answers 200 -> first publish answered 201,
# and the RSS at both points. Median of RUNS starts (default 5) of one JVM + application directory.
#
# Usage: bench/cold-start.sh LABEL JAVA_BIN APP_DIR [JVM_ARGS...]
#   bench/cold-start.sh "JDK 17 fast-jar" /usr/lib/jvm/java-17-openjdk-amd64/bin/java target/quarkus-app
#   bench/cold-start.sh "JDK 25 fast-jar" /usr/lib/jvm/temurin-25-jdk-amd64/bin/java target/quarkus-app
#   bench/cold-start.sh "JDK 25 AOT cache" /usr/lib/jvm/temurin-25-jdk-amd64/bin/java /tmp/aot-app -XX:AOTCache=app.aot
# The database: QUARKUS_DATASOURCE_{REACTIVE_URL,JDBC_URL,USERNAME,PASSWORD} from the environment when set (an
# already migrated database measures a restart; the first start migrates it), else the embedded PostgreSQL, whose
# own start (about 2 s, reported separately) is then part of the time to ready. Loopback only.
set -euo pipefail
cd "$(dirname "$0")/.."
LABEL=$1; JAVA=$2; APP=$(cd "$3" && pwd); shift 3
RUNS=${RUNS:-5}
WORK=$(mktemp -d /tmp/registry-cold.XXXXXX)
PORT=${BENCH_PORT:-18090}; WPORT=${BENCH_WHEEL_PORT:-18445}
PID=
cleanup() { [ -n "$PID" ] && kill "$PID" 2>/dev/null; kill $(jobs -p) 2>/dev/null || true; rm -rf "$WORK"; }
trap cleanup EXIT

# HTTPS wheel server on 127.0.0.1 with its own CA, and a token signed with the test key (as bench/run does).
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 2 -subj "/CN=bench CA" \
  -keyout "$WORK/ca.key" -out "$WORK/ca.pem" 2>/dev/null
openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -subj "/CN=127.0.0.1" \
  -keyout "$WORK/srv.key" -out "$WORK/srv.csr" 2>/dev/null
printf 'subjectAltName=IP:127.0.0.1\nextendedKeyUsage=serverAuth\n' > "$WORK/ext"
openssl x509 -req -in "$WORK/srv.csr" -CA "$WORK/ca.pem" -CAkey "$WORK/ca.key" -CAcreateserial -days 2 \
  -extfile "$WORK/ext" -out "$WORK/srv.pem" 2>/dev/null
mkdir -p "$WORK/www"
STAMP=$(date +%s)
for i in $(seq 1 "$RUNS"); do
  python3 bench/make_wheel.py "$WORK/www/cold_pkg-1.$STAMP.$i-py3-none-any.whl" cold_pkg "1.$STAMP.$i" 1
done
python3 bench/serve_https.py 127.0.0.1 "$WPORT" "$WORK/www" "$WORK/srv.pem" "$WORK/srv.key" 2>/dev/null &
b64() { openssl base64 -A | tr '+/' '-_' | tr -d '='; }
NOW=$(date +%s)
HEADER=$(printf '{"alg":"RS256","typ":"JWT"}' | b64)
PAYLOAD=$(printf '{"iss":"https://bench.registry.test","sub":"bench","org_slug":"bench","org_id":"org_bench","iat":%d,"exp":%d}' "$NOW" $((NOW+3600)) | b64)
SIG=$(printf '%s.%s' "$HEADER" "$PAYLOAD" | openssl dgst -sha256 -sign src/test/resources/jwt/test-private.pem | b64)
TOKEN="$HEADER.$PAYLOAD.$SIG"

DB_ARGS=(-Dregistry.embedded-db.enabled=true -Dregistry.embedded-db.data-dir="$WORK/pg")
# A configured database: Flyway checks it at every start (as before migrations became a deploy step in production).
[ -n "${QUARKUS_DATASOURCE_REACTIVE_URL:-}" ] && DB_ARGS=(-Dquarkus.flyway.migrate-at-start=true)
now_ms() { echo $(( $(date +%s%N) / 1000000 )); }
rss_mib() { awk '/VmRSS/{printf "%d", $2 / 1024}' "/proc/$PID/status"; }
# CPU time (user + system) of the JVM so far, in ms: robust against other load on the machine, unlike wall time.
cpu_ms() { awk -v hz="$(getconf CLK_TCK)" '{printf "%d", ($14 + $15) * 1000 / hz}' "/proc/$PID/stat"; }

: > "$WORK/results"
for i in $(seq 1 "$RUNS"); do
  (cd "$APP" && exec "$JAVA" "$@" -Dquarkus.http.port="$PORT" "${DB_ARGS[@]}" \
    -Dregistry.runtime.bootstrap-version=1.0.0 -Dregistry.runtime.bootstrap-image=bench \
    -Dregistry.fetch.allow=127.0.0.1/32 -Dregistry.fetch.extra-ca-certs="$WORK/ca.pem" \
    -Dmp.jwt.verify.issuer=https://bench.registry.test \
    -Dmp.jwt.verify.publickey.location="file:$OLDPWD/src/test/resources/jwt/test-public.pem" \
    -jar quarkus-run.jar > "$WORK/service-$i.log" 2>&1) &
  PID=$!
  START=$(now_ms)
  until curl -sf -o /dev/null "http://127.0.0.1:$PORT/q/health/ready"; do
    kill -0 "$PID" 2>/dev/null || { tail -20 "$WORK/service-$i.log"; exit 1; }
    sleep 0.05 # coarse on purpose: polling faster steals CPU from the start-up being measured (2 cores here)
  done
  READY=$(now_ms); RSS_READY=$(rss_mib); CPU_READY=$(cpu_ms)
  CODE=$(curl -s -o "$WORK/answer.json" -w '%{http_code}' -X POST "http://127.0.0.1:$PORT/provider-versions" \
    -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' \
    -d "{\"name\":\"bench/cold-pkg\",\"version\":\"1.$STAMP.$i\",\"wheel_url\":\"https://127.0.0.1:$WPORT/cold_pkg-1.$STAMP.$i-py3-none-any.whl\"}")
  PUBLISHED=$(now_ms); RSS_PUB=$(rss_mib)
  [ "$CODE" = 201 ] || { echo "publish answered $CODE: $(cat "$WORK/answer.json")"; tail -20 "$WORK/service-$i.log"; exit 1; }
  PG=$(grep -o 'Embedded PostgreSQL started on [^ ]* (data in [^)]*) in [0-9]* ms' "$WORK/service-$i.log" | grep -o '[0-9]* ms$' | tr -dc 0-9 || true)
  echo "$((READY - START)) $((PUBLISHED - START)) $RSS_READY $RSS_PUB ${PG:-0} $CPU_READY" >> "$WORK/results"
  kill "$PID"; wait "$PID" 2>/dev/null || true; PID=
done
median() { sort -n | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR + 1) / 2] : int((a[NR / 2] + a[NR / 2 + 1]) / 2)}'; }
col() { awk -v c="$1" '{print $c}' "$WORK/results" | median; }
minimum() { sort -n | head -n 1; }
sed "s/^/# $LABEL raw (ready ms, publish ms, RSS ready, RSS publish, PG ms, CPU ms to ready): /" "$WORK/results" >&2
# | label | ready ms (median / best) | first publish ms (median / best) | CPU ms to ready | RSS ready | RSS after publish | PG ms |
printf '| %s | %s / %s | %s / %s | %s | %s | %s | %s |\n' "$LABEL" "$(col 1)" "$(awk '{print $1}' "$WORK/results" | minimum)" \
  "$(col 2)" "$(awk '{print $2}' "$WORK/results" | minimum)" "$(col 6)" "$(col 3)" "$(col 4)" "$(col 5)"
