#!/bin/sh
# Assembles a distroless-style root filesystem in DEST for the given glibc executables: the shared
# libraries they link (found with ldd, so the base image decides the exact files), the dynamic
# loader, a nonroot user (65532, as in the distroless images), /tmp and /run. Nothing else: no
# shell, no package manager.
# Runs inside a Debian-based build stage (ldd comes from libc-bin, which every Debian image has).
#
# Usage: assemble-runtime.sh DEST EXECUTABLE...
set -eu
dest="$1"
shift
mkdir -p "$dest/etc" "$dest/tmp" "$dest/run" "$dest/home/nonroot"
chmod 1777 "$dest/tmp"
for exe in "$@"; do
  # "libx.so => /lib/x86_64-linux-gnu/libx.so (0x…)" or "/lib64/ld-linux-x86-64.so.2 (0x…)"
  ldd "$exe" | awk '$2 == "=>" && $3 ~ /^\// { print $3 } $1 ~ /^\// { print $1 }'
done | sort -u | while read -r lib; do
  # --parents keeps each library at the path the loader and the executable's interpreter expect.
  cp --parents --dereference "$lib" "$dest"
done
cat >"$dest/etc/passwd" <<'PASSWD'
root:x:0:0:root:/root:/sbin/nologin
nonroot:x:65532:65532:nonroot:/home/nonroot:/sbin/nologin
PASSWD
cat >"$dest/etc/group" <<'GROUP'
root:x:0:
nonroot:x:65532:
GROUP
# glibc reads this for name lookups (Kubernetes mounts /etc/hosts and /etc/resolv.conf).
echo 'hosts: files dns' >"$dest/etc/nsswitch.conf"
chown 65532:65532 "$dest/home/nonroot"
