#!/usr/bin/env bash
# Builds a minimal base image from Debian packages, for machines that cannot pull from a container registry
# (this project's CI). The Dockerfiles keep the real upstream bases as their default; pass this one instead with
# `--build-arg BASE_IMAGE=...`:
#
#   src/main/docker/build-local-base.sh jvm                      -> localhost/provider-registry-base:jvm
#   src/main/docker/build-local-base.sh native [EXECUTABLE]      -> localhost/provider-registry-base:native
#
# How: `apt-get download` of the packages, `dpkg -x` of each into a root file system (no maintainer scripts run),
# a few files written here, `podman import`. Smaller and faster than debootstrap (which installs apt, dpkg, perl and
# runs every package's scripts): see deploy/README.md "Container images".
#   jvm     the OpenJDK 17 headless JRE of Debian and the libraries its server-side parts link (checked with the
#           dynamic loader), the build machine's Java trust store (/etc/ssl/certs/java/cacerts, from
#           ca-certificates-java), a user 185, and /opt/jboss/container/java/run/run-java.sh: a stand-in for the UBI
#           OpenJDK image's script (JAVA_OPTS, JAVA_OPTS_APPEND, JAVA_APP_JAR, JAVA_MAX_RAM_RATIO default 80).
#   native  glibc and zlib (what a Mandrel-built executable links). Given EXECUTABLE, also every library it links
#           (`ldd`): those of a Debian package through that package, the others (the verification toolchain's shared
#           JDK libraries, ../shared/native-toolchain/README.md) copied to /opt/native-libs, on LD_LIBRARY_PATH. A
#           Mandrel build links no such library: its base needs nothing beyond glibc and zlib. The executable's
#           trust store is built into it (GraalVM captures the JDK's at build time): no CA bundle needed.
# Both have busybox (static) for /bin/sh, chown and chmod: the Dockerfiles' RUN and the JVM stand-in script need
# them, as the UBI images have bash and coreutils.
set -euo pipefail

usage() { echo "usage: $0 jvm | native [EXECUTABLE]" >&2; exit 2; }
die() { echo "build-local-base: $*" >&2; exit 1; }
KIND=${1:-}; EXECUTABLE=${2:-}
case "$KIND" in jvm) [ -z "$EXECUTABLE" ] || usage ;; native) ;; *) usage ;; esac
[ -z "$EXECUTABLE" ] || [ -x "$EXECUTABLE" ] || die "$EXECUTABLE is not an executable"
TAG=localhost/provider-registry-base:$KIND
command -v podman >/dev/null || die "podman is not installed (apt-get install podman runc)"

WORK=$(mktemp -d /tmp/registry-base.XXXXXX)
trap 'rm -rf "$WORK"' EXIT
ROOT=$WORK/rootfs
mkdir -p "$ROOT" "$WORK/debs"

packages=(libc6 zlib1g busybox-static)
if [ "$KIND" = jvm ]; then
  packages+=(openjdk-17-jre-headless libgcc-s1 libstdc++6)
  [ -s /etc/ssl/certs/java/cacerts ] || die "no /etc/ssl/certs/java/cacerts on this machine: apt-get install ca-certificates-java"
fi
# The executable's libraries: a Debian package's through the package, the others copied below.
foreign_libs=()
if [ -n "$EXECUTABLE" ]; then
  while read -r lib; do
    real=$(readlink -f "$lib")
    pkg=$(dpkg -S "$lib" 2>/dev/null || dpkg -S "$real" 2>/dev/null || dpkg -S "/usr$real" 2>/dev/null \
      || dpkg -S "${real#/usr}" 2>/dev/null || true)
    if [ -n "$pkg" ]; then packages+=("${pkg%%:*}"); else foreign_libs+=("$lib"); fi
  done < <(ldd "$EXECUTABLE" | awk '$2 == "=>" && $3 ~ /^\// {print $3}')
fi
mapfile -t packages < <(printf '%s\n' "${packages[@]}" | sort -u)

echo "build-local-base: $TAG from ${packages[*]}"
download() { (cd "$WORK/debs"; apt-get download -qq "${packages[@]}" 2>&1 | grep -v '^W: Download is performed unsandboxed' || true); }
downloaded() { find "$WORK/debs" -name '*.deb' | wc -l; }
download
if [ "$(downloaded)" -ne "${#packages[@]}" ]; then   # package lists missing or stale: update, retry
  apt-get update -qq
  rm -f "$WORK/debs"/*; download
fi
[ "$(downloaded)" -eq "${#packages[@]}" ] || die "apt-get download did not fetch every package"
for deb in "$WORK/debs"/*.deb; do dpkg -x "$deb" "$ROOT"; done
rm -rf "$ROOT"/usr/share/doc "$ROOT"/usr/share/man "$ROOT"/usr/share/lintian "$ROOT"/usr/share/locale

# busybox as /bin/sh and the usual commands (links only where no file of a package is)
mkdir -p "$ROOT/bin" "$ROOT/usr/bin" "$ROOT/sbin" "$ROOT/usr/sbin"
for applet in $("$ROOT/bin/busybox" --list-full); do
  [ -e "$ROOT/$applet" ] || [ -L "$ROOT/$applet" ] || ln -s /bin/busybox "$ROOT/$applet"
done

mkdir -p "$ROOT/etc" "$ROOT/tmp" "$ROOT/root"
chmod 1777 "$ROOT/tmp"
printf 'root:x:0:0:root:/root:/bin/sh\n' > "$ROOT/etc/passwd"
printf 'root:x:0:\n' > "$ROOT/etc/group"
printf 'hosts: files dns\n' > "$ROOT/etc/nsswitch.conf"
changes=(--change 'LABEL dev.providers.registry.local-base=true' --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' --change 'CMD ["/bin/sh"]')
# ELF files that must load inside the image (checked below with the image's own dynamic loader), and the library
# path the process that loads them has
checked=(); check_path=/opt/native-libs

if [ "$KIND" = jvm ]; then
  JAVA_HOME=/usr/lib/jvm/java-17-openjdk-amd64
  [ -x "$ROOT$JAVA_HOME/bin/java" ] || die "no $JAVA_HOME/bin/java in openjdk-17-jre-headless"
  mkdir -p "$ROOT/etc/ssl/certs/java"
  cp /etc/ssl/certs/java/cacerts "$ROOT/etc/ssl/certs/java/cacerts"
  ln -sf "$JAVA_HOME/bin/java" "$ROOT/usr/bin/java"
  printf 'jboss:x:185:0:jboss:/home/jboss:/bin/sh\n' >> "$ROOT/etc/passwd"
  mkdir -p "$ROOT/home/jboss" "$ROOT/deployments" "$ROOT/opt/jboss/container/java/run"
  chown 185:0 "$ROOT/home/jboss" "$ROOT/deployments"
  cat > "$ROOT/opt/jboss/container/java/run/run-java.sh" <<'EOF'
#!/bin/sh
# Stand-in for the UBI OpenJDK image's run-java.sh (local base image only): the heap at JAVA_MAX_RAM_RATIO percent
# of the container's memory limit, then JAVA_OPTS and JAVA_OPTS_APPEND, then the jar JAVA_APP_JAR.
# shellcheck disable=SC2086 # the option variables are word lists
exec java -XX:MaxRAMPercentage="${JAVA_MAX_RAM_RATIO:-80}" -XX:+ExitOnOutOfMemoryError \
  $JAVA_OPTS $JAVA_OPTS_APPEND -jar "${JAVA_APP_JAR:?JAVA_APP_JAR is not set}" "$@"
EOF
  chmod 755 "$ROOT/opt/jboss/container/java/run/run-java.sh"
  changes+=(--change "ENV JAVA_HOME=$JAVA_HOME" --change 'WORKDIR /home/jboss' --change 'USER 185')
  # What a headless server loads: the VM, the launcher and the libraries of java.base, java.management, jdk.net,
  # jdk.zipfs. The AWT, font, sound and smart-card libraries are left without their (desktop) dependencies.
  for f in bin/java lib/server/libjvm.so lib/libjli.so lib/libjava.so lib/libnio.so lib/libnet.so lib/libzip.so \
           lib/libjimage.so lib/libverify.so lib/libextnet.so lib/libmanagement.so lib/libmanagement_ext.so; do
    checked+=("$JAVA_HOME/$f")
  done
  check_path=$JAVA_HOME/lib/server:$JAVA_HOME/lib   # libjvm.so, loaded by the launcher before the others
else
  printf 'app:x:1001:0:app:/work:/bin/sh\n' >> "$ROOT/etc/passwd"
  if [ ${#foreign_libs[@]} -gt 0 ]; then
    mkdir -p "$ROOT/opt/native-libs"
    cp -L "${foreign_libs[@]}" "$ROOT/opt/native-libs/"
    changes+=(--change 'ENV LD_LIBRARY_PATH=/opt/native-libs')
    echo "build-local-base: copied to /opt/native-libs (not from Debian): ${foreign_libs[*]##*/}"
  fi
  if [ -n "$EXECUTABLE" ]; then
    cp "$EXECUTABLE" "$ROOT/tmp/executable-check"
    checked+=(/tmp/executable-check)
  fi
fi

# Every checked ELF file resolves all its libraries inside the image, with the image's loader.
for f in "${checked[@]}"; do
  out=$(chroot "$ROOT" /usr/bin/env LD_LIBRARY_PATH="$check_path" /lib64/ld-linux-x86-64.so.2 --list "$f" 2>&1) \
    || die "$f does not load in the image: $out"
  if grep -q "not found" <<<"$out"; then die "$f: libraries missing from the image: $(grep 'not found' <<<"$out")"; fi
done
rm -f "$ROOT/tmp/executable-check"

tar -C "$ROOT" --numeric-owner -c . | podman import -q "${changes[@]}" \
  --message "built by src/main/docker/build-local-base.sh from ${packages[*]}" - "$TAG" >/dev/null
# The previous images of this script (dangling now; their label is inherited by the images built on them)
podman image prune -f --filter label=dev.providers.registry.local-base=true >/dev/null
echo "build-local-base: $TAG ($(podman image inspect -f '{{.Size}}' "$TAG" | awk '{printf "%.1f MB", $1/1e6}'))"
