#!/usr/bin/env bash
# Copies the manifests that the build generated (target/kubernetes/, `./mvnw package`) to deploy/, or with --check
# fails when deploy/ differs from them. One normalisation: the Knative generator writes `port: null` in the probes
# (it leaves the port to Knative), which the Kubernetes schema refuses (httpGet.port is required); it becomes the
# container port 8080, which Knative accepts (a probe port must equal the container port).
set -euo pipefail
cd "$(dirname "$0")/.."
normalise() { sed 's/^\( *\)port: null$/\1port: 8080/' "$1"; }
status=0
for name in kubernetes knative; do
  generated=target/kubernetes/$name.yml
  [ -f "$generated" ] || { echo "missing $generated: run ./mvnw package first"; exit 1; }
  if [ "${1:-}" = "--check" ]; then
    # Compared as data: the generator does not keep the order of map keys (labels) stable between builds.
    if ! node deploy/validate/same-manifests.mjs deploy/$name.yml "$generated"; then
      echo "deploy/$name.yml differs from the generated $generated: run deploy/sync.sh and commit"; status=1
    fi
  else
    normalise "$generated" > deploy/$name.yml
  fi
done
exit $status
