#!/usr/bin/env bash
# Builds the JVM and the native container images with podman and runs each under a memory limit against a
# PostgreSQL server and an HTTPS wheel server of its own on loopback: ready, publish a wheel, read it back, SIGTERM,
# clean exit within the grace period. Fails on the first failure. `.ci/run` calls it after the native build.
#
#   src/main/docker/smoke.sh [jvm] [native]     (both by default)
#
# Env: SMOKE_EXECUTABLE  the native executable (default: the newest target/*-runner)
#      SMOKE_PORT_BASE   ports BASE (service), BASE+1 (PostgreSQL), BASE+2 (wheels); default 18510
#      SMOKE_GRACE       seconds between SIGTERM and SIGKILL (default 30); the exit must come before
#      SMOKE_WHEEL_MIB   size of the published wheel (default 2)
#      SMOKE_KEEP=1      keeps the work directory (logs) and the container of a failed run
# The bases come from src/main/docker/build-local-base.sh (Debian packages: no registry is reachable here).
# The verification executable does not detect the container's memory limit (../shared/native-toolchain/README.md):
# its heap is given explicitly (-Xmx64m under the 128 MiB limit). A Mandrel build sizes its heap from the limit.
# Prints one line per image with its size, start-to-ready, RSS and cgroup memory; SMOKE_REPORT=FILE appends them.
set -euo pipefail
cd "$(dirname "$0")/../../.."

KINDS=("$@"); [ ${#KINDS[@]} -gt 0 ] || KINDS=(jvm native)
for k in "${KINDS[@]}"; do case $k in jvm|native) ;; *) echo "usage: $0 [jvm] [native]" >&2; exit 2 ;; esac; done
PORT_BASE=${SMOKE_PORT_BASE:-18510}
SPORT=$PORT_BASE; PGPORT=$((PORT_BASE + 1)); WPORT=$((PORT_BASE + 2))
GRACE=${SMOKE_GRACE:-30}
WHEEL_MIB=${SMOKE_WHEEL_MIB:-2}
RUNC=/usr/sbin/runc
# crun (podman's default) fails on this machine kind's cgroup layout; the ulimits are those runc can set here.
PODMAN_RUN=(podman --runtime "$RUNC" run --ulimit nofile=1024:1024 --ulimit nproc=1024:1024 --network=host)

log() { printf '[smoke %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
die() { log "FAILED: $*"; exit 1; }
# A command that fails outside a check of its own ends the run under `set -e`: say which one, and where.
set -E
trap 'log "FAILED (exit $?) at line $LINENO: $BASH_COMMAND"' ERR

# --- what it needs --------------------------------------------------------------------------------------------------
need_apt=()
command -v podman >/dev/null 2>&1 || need_apt+=(podman)
[ -x $RUNC ] || need_apt+=(runc)
ls -d /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || need_apt+=(postgresql)
command -v psql >/dev/null 2>&1 || need_apt+=(postgresql-client)
for c in curl openssl python3 bc; do command -v $c >/dev/null 2>&1 || need_apt+=("$c"); done
[ -s /etc/ssl/certs/java/cacerts ] || need_apt+=(ca-certificates-java)
if [ ${#need_apt[@]} -gt 0 ]; then
  log "installing ${need_apt[*]} (apt)"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq "${need_apt[@]}" >/dev/null
fi
PGBIN=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)

EXECUTABLE=
if [[ " ${KINDS[*]} " == *" native "* ]]; then
  EXECUTABLE=${SMOKE_EXECUTABLE:-$(ls -t target/*-runner 2>/dev/null | head -n 1 || true)}
  [ -x "$EXECUTABLE" ] || die "no native executable (target/*-runner or SMOKE_EXECUTABLE)"
fi
if [[ " ${KINDS[*]} " == *" jvm "* ]] && [ ! -f target/quarkus-app/quarkus-run.jar ]; then
  log "building the jar (./mvnw -DskipTests package)"
  ./mvnw -B -q -DskipTests package
fi

WORK=$(mktemp -d /tmp/registry-smoke.XXXXXX)
chmod 755 "$WORK"
CONTAINER=; WHEEL_PID=; PG_UP=
as_pg() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
cleanup() {
  if [ -n "$CONTAINER" ] && [ -z "${SMOKE_KEEP:-}" ]; then podman rm -f "$CONTAINER" >/dev/null 2>&1 || true; fi
  if [ -n "$WHEEL_PID" ]; then kill "$WHEEL_PID" 2>/dev/null || true; fi
  if [ -n "$PG_UP" ]; then as_pg "$PGBIN/pg_ctl" -D "$WORK/pg" -m immediate stop >/dev/null 2>&1 || true; fi
  if [ -z "${SMOKE_KEEP:-}" ]; then rm -rf "$WORK"; else log "kept $WORK"; fi
}
trap cleanup EXIT

# --- images -------------------------------------------------------------------------------------------------------
build_image() { # KIND -> localhost/provider-registry:KIND
  local kind=$1 ctx=$WORK/context-$1 dockerfile
  mkdir -p "$ctx/target"
  if [ "$kind" = jvm ]; then
    src/main/docker/build-local-base.sh jvm
    cp -r target/quarkus-app "$ctx/target/"
    dockerfile=src/main/docker/Dockerfile.jvm
  else
    src/main/docker/build-local-base.sh native "$EXECUTABLE"
    cp "$EXECUTABLE" "$ctx/target/provider-registry-runner"
    dockerfile=src/main/docker/Dockerfile.native-micro
  fi
  local t0; t0=$(date +%s)
  podman build --runtime $RUNC -q -f $dockerfile --build-arg BASE_IMAGE=localhost/provider-registry-base \
    --build-arg BASE_TAG="$kind" -t "localhost/provider-registry:$kind" "$ctx" >/dev/null \
    || die "podman build of the $kind image failed"
  rm -rf "$ctx"
  podman image prune -f --filter label=dev.providers.registry.local-base=true >/dev/null   # the previous run's
  log "built localhost/provider-registry:$kind in $(( $(date +%s) - t0 )) s"
}

# --- TLS: a CA of this run and a certificate for 127.0.0.1 ----------------------------------------------------------
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 1 -subj "/CN=smoke CA" \
  -keyout "$WORK/ca.key" -out "$WORK/ca.pem" 2>/dev/null
openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -subj "/CN=127.0.0.1" \
  -keyout "$WORK/srv.key" -out "$WORK/srv.csr" 2>/dev/null
printf 'subjectAltName=IP:127.0.0.1\nextendedKeyUsage=serverAuth\n' > "$WORK/ext"
openssl x509 -req -in "$WORK/srv.csr" -CA "$WORK/ca.pem" -CAkey "$WORK/ca.key" -CAcreateserial -days 1 \
  -extfile "$WORK/ext" -out "$WORK/srv.pem" 2>/dev/null
chmod 644 "$WORK/ca.pem"

# --- the wheel server (HTTPS on loopback) ------------------------------------------------------------------------
mkdir -p "$WORK/www"
WHEEL=smoke_demo-1.0.0-py3-none-any.whl
python3 bench/make_wheel.py "$WORK/www/$WHEEL" smoke_demo 1.0.0 "$WHEEL_MIB"
WHEEL_SHA=$(sha256sum "$WORK/www/$WHEEL" | cut -d' ' -f1)
python3 bench/serve_https.py 127.0.0.1 $WPORT "$WORK/www" "$WORK/srv.pem" "$WORK/srv.key" 2> "$WORK/wheels.log" &
WHEEL_PID=$!
for _ in $(seq 1 50); do curl -sf --cacert "$WORK/ca.pem" -o /dev/null "https://127.0.0.1:$WPORT/$WHEEL" && break; sleep 0.1; done
curl -sf --cacert "$WORK/ca.pem" -o /dev/null "https://127.0.0.1:$WPORT/$WHEEL" || die "the wheel server does not answer"

# --- PostgreSQL (the machine's binaries, a cluster of this run) --------------------------------------------------
mkdir -p "$WORK/pg"; [ "$(id -u)" = 0 ] && chown postgres "$WORK/pg"
as_pg "$PGBIN/initdb" -D "$WORK/pg" -U postgres -A trust -E UTF8 --no-sync >/dev/null
as_pg "$PGBIN/pg_ctl" -D "$WORK/pg" -l "$WORK/pg/server.log" -w -t 60 start \
  -o "-p $PGPORT -c listen_addresses=127.0.0.1 -c unix_socket_directories=''" >/dev/null || die "PostgreSQL did not start"
PG_UP=1
export PGOPTIONS="-c client_min_messages=warning"
PSQL=(psql -X -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$PGPORT" -U postgres -d postgres)

# --- a publisher token (RS256, the test key pair) ------------------------------------------------------------------
ISSUER=https://smoke.registry.test
b64() { openssl base64 -A | tr '+/' '-_' | tr -d '='; }
NOW=$(date +%s)
HEADER=$(printf '{"alg":"RS256","typ":"JWT"}' | b64)
PAYLOAD=$(printf '{"iss":"%s","sub":"smoke","org_slug":"smoke","org_id":"org_smoke","groups":["platform-publisher"],"iat":%d,"exp":%d}' \
  "$ISSUER" "$NOW" $((NOW + 3600)) | b64)
SIG=$(printf '%s.%s' "$HEADER" "$PAYLOAD" | openssl dgst -sha256 -sign src/test/resources/jwt/test-private.pem | b64)
TOKEN="$HEADER.$PAYLOAD.$SIG"
cp src/test/resources/jwt/test-public.pem "$WORK/jwt-public.pem"; chmod 644 "$WORK/jwt-public.pem"

# --- one image: run, ready, publish, read, SIGTERM ----------------------------------------------------------------
SERVICE=http://127.0.0.1:$SPORT
# Resident memory of the process: all of it (VmRSS, with the executable's and the jars' file pages) and its anonymous
# part (RssAnon: heap, stacks, malloc); and what the container's memory cgroup is charged (includes page cache, but
# not the file pages that another cgroup read first).
rss_mib() { awk -v k="${2:-VmRSS}:" '$1 == k {printf "%d", $2/1024}' "/proc/$1/status"; }
cgroup_mem_mib() {
  local path; path=$(awk -F: '$2 == "memory" || $2 == "" {print $3; exit}' "/proc/$1/cgroup")
  if [ -f "/sys/fs/cgroup/memory$path/memory.usage_in_bytes" ]; then
    awk '{printf "%d", $1/1048576}' "/sys/fs/cgroup/memory$path/memory.usage_in_bytes"
  else
    awk '{printf "%d", $1/1048576}' "/sys/fs/cgroup$path/memory.current"
  fi
}
# When the process started, in seconds since the epoch: now minus its age (field 22 of /proc/PID/stat is its start in
# clock ticks after boot, /proc/uptime the time since boot).
process_start_s() {
  local ticks now up; ticks=$(sed 's/.*) //' "/proc/$1/stat" | awk '{print $20}')
  now=$(date +%s.%N); up=$(cut -d' ' -f1 /proc/uptime)
  echo "$now - ($up - $ticks / $(getconf CLK_TCK))" | bc -l
}

smoke() { # KIND MEMORY [ARGS...]
  local kind=$1 memory=$2; shift 2
  local db=smoke_$kind name=provider-registry-smoke-$kind image=localhost/provider-registry:$kind
  local logf=$WORK/$kind.log
  "${PSQL[@]}" -c "DROP DATABASE IF EXISTS $db" -c "CREATE DATABASE $db"
  podman rm -f "$name" >/dev/null 2>&1 || true
  local env=(
    -e "QUARKUS_HTTP_PORT=$SPORT"
    -e "QUARKUS_DATASOURCE_REACTIVE_URL=postgresql://127.0.0.1:$PGPORT/$db"
    -e "QUARKUS_DATASOURCE_JDBC_URL=jdbc:postgresql://127.0.0.1:$PGPORT/$db"
    -e QUARKUS_DATASOURCE_USERNAME=postgres -e QUARKUS_DATASOURCE_PASSWORD=unused
    -e "MP_JWT_VERIFY_ISSUER=$ISSUER" -e REGISTRY_JWT_PUBLIC_KEY_LOCATION=file:/config/jwt-public.pem
    -e REGISTRY_FETCH_ALLOW=127.0.0.1/32 -e REGISTRY_FETCH_EXTRA_CA_CERTS=/config/wheel-ca.pem
    -e REGISTRY_RUNTIME_BOOTSTRAP_VERSION=1.0.0 -e REGISTRY_RUNTIME_BOOTSTRAP_IMAGE=ghcr.io/example/provider-runtime:1.0.0
  )
  # Loopback only: the images listen on 0.0.0.0 (-Dquarkus.http.host); with the host's network that would be every
  # interface of the machine, so the host is set back to 127.0.0.1 (a system property, as the image sets it).
  if [ "$kind" = jvm ]; then
    env+=(-e "JAVA_OPTS_APPEND=-Dquarkus.http.host=127.0.0.1 -Djava.util.logging.manager=org.jboss.logmanager.LogManager")
  else
    set -- "$@" -Dquarkus.http.host=127.0.0.1
  fi
  # Migrations are a deploy step (deploy/migrate-job.yml): the same image, migrating and exiting, before the service.
  "${PODMAN_RUN[@]}" --rm --name "$name-migrate" --memory "$memory" --memory-swap "$memory" \
    --read-only --tmpfs /tmp --cap-drop=all --security-opt=no-new-privileges \
    -v "$WORK/ca.pem:/config/wheel-ca.pem:ro" -v "$WORK/jwt-public.pem:/config/jwt-public.pem:ro" \
    "${env[@]}" -e QUARKUS_INIT_AND_EXIT=true -e QUARKUS_FLYWAY_MIGRATE_AT_START=true "$image" "$@" \
    > "$WORK/$kind.migrate.log" 2>&1 || { tail -40 "$WORK/$kind.migrate.log" >&2; die "$kind: the migration run failed"; }
  local migrated
  migrated=$(psql -X -qtA -h 127.0.0.1 -p "$PGPORT" -U postgres -d "$db" -c "SELECT count(*) FROM flyway_schema_history WHERE success") \
    || die "$kind: the migration run left no schema history"
  [ "$migrated" -gt 0 ] || die "$kind: the migration run applied no migration"
  log "$kind: the migration run applied $migrated migrations and exited"
  local user; user=$(podman image inspect -f '{{.Config.User}}' "$image")
  case $user in ""|0|root|0:*|root:*) die "$kind: the image runs as root" ;; esac
  # As the manifests run it (src/main/kubernetes: read-only root file system, /tmp writable, no capabilities, no
  # privilege escalation).
  local t0 pid; t0=$(date +%s.%N)
  CONTAINER=$name
  "${PODMAN_RUN[@]}" -d --name "$name" --memory "$memory" --memory-swap "$memory" \
    --read-only --tmpfs /tmp --cap-drop=all --security-opt=no-new-privileges \
    -v "$WORK/ca.pem:/config/wheel-ca.pem:ro" -v "$WORK/jwt-public.pem:/config/jwt-public.pem:ro" \
    "${env[@]}" "$image" "$@" >/dev/null || die "$kind: podman run failed"
  pid=$(podman inspect -f '{{.State.Pid}}' "$name")
  local pstart; pstart=$(process_start_s "$pid")
  local ready=
  for _ in $(seq 1 3000); do
    if [ "$(curl -s -o /dev/null -w '%{http_code}' --max-time 2 "$SERVICE/q/health/ready")" = 200 ]; then ready=$(date +%s.%N); break; fi
    [ "$(podman inspect -f '{{.State.Running}}' "$name")" = true ] || break
    sleep 0.01
  done
  [ -n "$ready" ] || { podman logs "$name" > "$logf" 2>&1; tail -40 "$logf" >&2; die "$kind: not ready"; }
  local to_ready_ms run_to_ready_ms rss_ready anon_ready cg_ready
  to_ready_ms=$(printf '%.0f' "$(echo "($ready - $pstart) * 1000" | bc -l)")
  run_to_ready_ms=$(printf '%.0f' "$(echo "($ready - $t0) * 1000" | bc -l)")
  rss_ready=$(rss_mib "$pid"); anon_ready=$(rss_mib "$pid" RssAnon); cg_ready=$(cgroup_mem_mib "$pid")
  log "$kind: ready $to_ready_ms ms after the process started ($run_to_ready_ms ms after podman run), RSS $rss_ready MiB"

  local code
  code=$(curl -s -o "$WORK/publish.json" -w '%{http_code}' --max-time 120 -X POST "$SERVICE/provider-versions" \
    -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' \
    -d "{\"name\":\"smoke/demo-$kind\",\"version\":\"1.0.0\",\"wheel_url\":\"https://127.0.0.1:$WPORT/$WHEEL\",\"sha256\":\"$WHEEL_SHA\"}")
  [ "$code" = 201 ] || { cat "$WORK/publish.json" >&2; podman logs "$name" 2>&1 | tail -40 >&2; die "$kind: publish answered $code"; }
  code=$(curl -s -o "$WORK/read.json" -w '%{http_code}' --max-time 10 "$SERVICE/providers/smoke/demo-$kind/versions/1.0.0")
  [ "$code" = 200 ] || { cat "$WORK/read.json" >&2; die "$kind: reading the version answered $code"; }
  python3 - "$WORK/read.json" "$WHEEL_SHA" <<'EOF' || die "$kind: the version read back is not the published wheel"
import json, sys
v = json.load(open(sys.argv[1]))
assert v["status"] == "published", v
assert v["wheel_sha256"] == sys.argv[2], v
assert v["package_name"] == "smoke_demo", v
EOF
  local rss_pub anon_pub cg_pub; rss_pub=$(rss_mib "$pid"); anon_pub=$(rss_mib "$pid" RssAnon); cg_pub=$(cgroup_mem_mib "$pid")
  log "$kind: published and read back; RSS $rss_pub MiB, cgroup $cg_pub MiB of $memory"

  local s0 stop_ms exit_code
  s0=$(date +%s.%N)
  podman --runtime $RUNC stop -t "$GRACE" "$name" >/dev/null
  stop_ms=$(printf '%.0f' "$(echo "($(date +%s.%N) - $s0) * 1000" | bc -l)")
  exit_code=$(podman inspect -f '{{.State.ExitCode}}' "$name")
  podman logs "$name" > "$logf" 2>&1
  case $exit_code in 0|143) ;; *) tail -40 "$logf" >&2; die "$kind: exit code $exit_code after SIGTERM" ;; esac
  [ "$stop_ms" -lt $((GRACE * 1000)) ] || die "$kind: SIGTERM to exit took $stop_ms ms (grace ${GRACE}s)"
  grep -q 'Listening on: http://127.0.0.1:' "$logf" || die "$kind: not listening on loopback only"
  grep -q 'stopped in' "$logf" || { tail -20 "$logf" >&2; die "$kind: the log does not show the graceful shutdown"; }
  if grep -E '"level":"(ERROR|FATAL)"|^[0-9:,]+ (ERROR|FATAL) ' "$logf" >&2; then die "$kind: errors in the log ($logf)"; fi
  podman rm "$name" >/dev/null; CONTAINER=
  local size; size=$(podman image inspect -f '{{.Size}}' "$image" | awk '{printf "%.0f", $1/1e6}')
  local line="$kind image $size MB | ready ${to_ready_ms} ms after process start (${run_to_ready_ms} ms after podman run) | RSS at ready ${rss_ready} MiB (anonymous ${anon_ready}), after a ${WHEEL_MIB} MiB publish ${rss_pub} MiB (anonymous ${anon_pub}) | cgroup ${cg_ready} / ${cg_pub} MiB of $memory | SIGTERM to exit ${stop_ms} ms, code $exit_code"
  log "$line"
  [ -z "${SMOKE_REPORT:-}" ] || echo "$line" >> "$SMOKE_REPORT"
}

for kind in "${KINDS[@]}"; do
  build_image "$kind"
  if [ "$kind" = jvm ]; then smoke jvm 512m; else smoke native 128m -Xmx64m; fi
done
log "passed: ${KINDS[*]}"
