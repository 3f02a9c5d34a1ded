#!/bin/sh
# Regenerates the test TLS material for the provider registry tests.
# TEST DATA ONLY: these private keys are public; never trust test-ca.pem outside tests.
#
#   test-ca.pem / test-ca.key   self-signed CA "CN=Provider Registry Test CA"
#                               (basicConstraints CA:true, keyUsage keyCertSign,cRLSign)
#   wheels.pem  / wheels.key    server cert, CN=wheels.registry.test, SAN DNS:wheels.registry.test,
#                               DNS:mirror.registry.test, DNS:blocked.registry.test, IP:127.0.0.1, EKU serverAuth
#                               (the IP lets the integration tests, which run the packaged jar without the test
#                               resolver, fetch from https://127.0.0.1:PORT/...)
#   other.pem   / other.key     server cert for other.example.test ONLY, EKU serverAuth
#
# All keys: EC P-256, unencrypted PKCS#8 PEM ("-----BEGIN PRIVATE KEY-----").
# Validity: fixed dates, 2025-01-01T00:00:00Z .. 2126-01-01T00:00:00Z (notBefore is in the
# past so that machines with a slightly wrong clock still accept them).
#
# Usage: sh make-certs.sh            regenerates everything, including the CA
#        KEEP_CA=1 sh make-certs.sh  re-issues only the leaf certs with the existing CA key
# Requires the openssl CLI (tested with OpenSSL 3.0).
set -eu
cd "$(dirname "$0")"
START=20250101000000Z
END=21260101000000Z
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT

# Minimal 'openssl ca' setup (used because it accepts explicit start/end dates)
: > "$TMP/index.txt"
# random 128-bit starting serial; openssl ca increments it for each certificate
openssl rand -hex 16 > "$TMP/serial"
cat > "$TMP/ca.cnf" <<CNF
[ ca ]
default_ca = testca
[ testca ]
database = $TMP/index.txt
serial = $TMP/serial
new_certs_dir = $TMP
default_md = sha256
policy = anything
unique_subject = no
copy_extensions = none
[ anything ]
commonName = supplied
[ ca_ext ]
basicConstraints = critical, CA:true
keyUsage = critical, keyCertSign, cRLSign
subjectKeyIdentifier = hash
[ wheels_ext ]
basicConstraints = critical, CA:false
keyUsage = critical, digitalSignature
extendedKeyUsage = serverAuth
subjectAltName = DNS:wheels.registry.test, DNS:mirror.registry.test, DNS:blocked.registry.test, IP:127.0.0.1
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
[ other_ext ]
basicConstraints = critical, CA:false
keyUsage = critical, digitalSignature
extendedKeyUsage = serverAuth
subjectAltName = DNS:other.example.test
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
CNF

newkey() {
  # EC P-256 private key as unencrypted PKCS#8 PEM
  openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$1"
  chmod 644 "$1"
}

if [ "${KEEP_CA:-0}" != "1" ]; then
  newkey test-ca.key
  openssl req -new -key test-ca.key -subj "/CN=Provider Registry Test CA" -out "$TMP/ca.csr"
  openssl ca -batch -config "$TMP/ca.cnf" -selfsign -keyfile test-ca.key -in "$TMP/ca.csr" \
    -startdate "$START" -enddate "$END" -extensions ca_ext -notext -out test-ca.pem
fi

leaf() {
  # $1 = file base name (also the extension section prefix), $2 = CN
  newkey "$1.key"
  openssl req -new -key "$1.key" -subj "/CN=$2" -out "$TMP/$1.csr"
  openssl ca -batch -config "$TMP/ca.cnf" -cert test-ca.pem -keyfile test-ca.key -in "$TMP/$1.csr" \
    -startdate "$START" -enddate "$END" -extensions "$1_ext" -notext -out "$1.pem"
}

leaf wheels wheels.registry.test
leaf other other.example.test

openssl verify -CAfile test-ca.pem wheels.pem other.pem
