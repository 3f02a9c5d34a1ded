#!/usr/bin/env bash
# Publishes one large wheel through the packaged service (embedded PostgreSQL) and reports the publish time,
# a same-run baseline (curl | openssl dgst -sha256 against the same server), the heap used and the RSS growth.
# Usage: bench/large-wheel.sh [SIZE_MIB]   (default 100). Loopback only.
set -euo pipefail
cd "$(dirname "$0")/.."
SIZE=${1:-100}
WORK=$(mktemp -d /tmp/registry-bench.XXXXXX)
PORT=18089; WPORT=18443
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$WORK"' EXIT

[ -f target/quarkus-app/quarkus-run.jar ] || ./mvnw -B -q package -DskipTests

# TLS for the wheel server: a CA and a certificate for 127.0.0.1 (the service trusts the CA in addition to the JVM's).
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 2 -subj "/CN=bench CA" \
  -keyout "$WORK/ca.key" -out "$WORK/ca.pem" 2>/dev/null
openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -subj "/CN=127.0.0.1" \
  -keyout "$WORK/srv.key" -out "$WORK/srv.csr" 2>/dev/null
printf 'subjectAltName=IP:127.0.0.1\nextendedKeyUsage=serverAuth\n' > "$WORK/ext"
openssl x509 -req -in "$WORK/srv.csr" -CA "$WORK/ca.pem" -CAkey "$WORK/ca.key" -CAcreateserial -days 2 \
  -extfile "$WORK/ext" -out "$WORK/srv.pem" 2>/dev/null

mkdir -p "$WORK/www"
python3 bench/make_wheel.py "$WORK/www/bench_pkg-1.0.0-py3-none-any.whl" bench_pkg 1.0.0 "$SIZE"
python3 bench/make_wheel.py "$WORK/www/bench_pkg-0.9.0-py3-none-any.whl" bench_pkg 0.9.0 "$SIZE"
SHA=$(sha256sum "$WORK/www/bench_pkg-1.0.0-py3-none-any.whl" | cut -d' ' -f1)
python3 bench/serve_https.py 127.0.0.1 $WPORT "$WORK/www" "$WORK/srv.pem" "$WORK/srv.key" 2>/dev/null &
URL="https://127.0.0.1:$WPORT/bench_pkg-1.0.0-py3-none-any.whl"

# An RS256 token signed with the test key (the service verifies it with the test public key).
b64() { openssl base64 -A | tr '+/' '-_' | tr -d '='; }
NOW=$(date +%s)
HEADER=$(printf '{"alg":"RS256","typ":"JWT"}' | b64)
PAYLOAD=$(printf '{"iss":"https://bench.registry.test","sub":"bench","org_slug":"bench","org_id":"org_bench","groups":["platform-publisher"],"iat":%d,"exp":%d}' "$NOW" $((NOW+3600)) | b64)
SIG=$(printf '%s.%s' "$HEADER" "$PAYLOAD" | openssl dgst -sha256 -sign src/test/resources/jwt/test-private.pem | b64)
TOKEN="$HEADER.$PAYLOAD.$SIG"

java -Xmx${BENCH_XMX:-512m} -Dquarkus.http.port=$PORT \
  -Dregistry.embedded-db.enabled=true -Dregistry.embedded-db.data-dir="$WORK/pg" \
  -Dregistry.runtime.bootstrap-version=1.0.0 -Dregistry.runtime.bootstrap-image=bench \
  -Dregistry.fetch.allow=127.0.0.1/32 -Dregistry.fetch.extra-ca-certs="$WORK/ca.pem" \
  -Dregistry.fetch.max-wheel-size=2G \
  -Dmp.jwt.verify.issuer=https://bench.registry.test \
  -Dmp.jwt.verify.publickey.location="file:$PWD/src/test/resources/jwt/test-public.pem" \
  -jar target/quarkus-app/quarkus-run.jar > "$WORK/service.log" 2>&1 &
PID=$!
for i in $(seq 1 60); do curl -sf "localhost:$PORT/q/health/ready" >/dev/null && break; sleep 0.5; done

# A warm-up publish of a wheel of the same size (JIT, TLS, pools), then the baseline, then the measured publish.
curl -s -o /dev/null -X POST "localhost:$PORT/provider-versions" -H "Authorization: Bearer $TOKEN" \
  -H 'Content-Type: application/json' \
  -d "{\"name\":\"bench/bench-pkg\",\"version\":\"0.9.0\",\"wheel_url\":\"https://127.0.0.1:$WPORT/bench_pkg-0.9.0-py3-none-any.whl\"}"
curl -s --cacert "$WORK/ca.pem" "$URL" | openssl dgst -sha256 >/dev/null
BASE_START=$(date +%s.%N)
BASE_SHA=$(curl -s --cacert "$WORK/ca.pem" "$URL" | openssl dgst -sha256 | awk '{print $NF}')
BASE_END=$(date +%s.%N)
[ "$BASE_SHA" = "$SHA" ] || { echo "baseline digest mismatch"; exit 1; }

rss() { awk '/VmRSS/{print $2}' /proc/$PID/status; }
heap() { curl -s "localhost:$PORT/q/metrics" | awk 'index($1, "jvm_memory_used_bytes{area=\"heap\"") == 1 {s += $NF} END {printf "%d", s / 1048576}'; }
RSS0=$(rss); HEAP0=$(heap)
( MAXR=0; MAXH=0; while kill -0 $PID 2>/dev/null; do r=$(rss); h=$(heap); [ "$r" -gt "$MAXR" ] && MAXR=$r; [ "$h" -gt "$MAXH" ] && MAXH=$h; echo "$MAXR $MAXH" > "$WORK/peak"; sleep 0.2; done ) &
SAMPLER=$!
RESULT=$(curl -s -o "$WORK/answer.json" -w '%{http_code} %{time_total}' -X POST "localhost:$PORT/provider-versions" \
  -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' \
  -d "{\"name\":\"bench/bench-pkg\",\"version\":\"1.0.0\",\"wheel_url\":\"$URL\",\"sha256\":\"$SHA\"}")
sleep 0.5; kill $SAMPLER 2>/dev/null || true
read -r PEAK_RSS PEAK_HEAP < "$WORK/peak"
CODE=${RESULT%% *}; SECONDS_SERVICE=${RESULT##* }
BASELINE=$(echo "$BASE_END - $BASE_START" | bc -l)
printf '| wheel | status | service s | baseline s (curl\\|openssl) | ratio | heap before MiB | heap peak MiB | RSS growth MiB |\n'
printf '|---|---|---|---|---|---|---|---|\n'
printf '| %d MiB | %s | %.2f | %.2f | %.2f | %d | %d | %d |\n' "$SIZE" "$CODE" "$SECONDS_SERVICE" "$BASELINE" \
  "$(echo "$SECONDS_SERVICE / $BASELINE" | bc -l)" "$HEAP0" "$PEAK_HEAP" $(( (PEAK_RSS - RSS0) / 1024 ))
[ "$CODE" = 201 ] || { cat "$WORK/answer.json"; tail -20 "$WORK/service.log"; exit 1; }
kill $PID
