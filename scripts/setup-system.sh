#!/usr/bin/env bash
# Installs the Debian packages the tests and the demo need: Chromium + ChromeDriver (the browser
# the real Grid drives), PostgreSQL (Embulk's destination; the package also creates the `postgres`
# system user the server runs as under root), Maven + a JDK + unzip (scripts/install-embulk.sh obtains
# Embulk from Maven Central and builds our output plugin), Prometheus/promtool (the exporter's
# scrape test), buildah + mmdebstrap (image builds), docker-registry (Distribution 2.8: the images
# test pushes to a throwaway local registry), and the local Kubernetes cluster's node
# (scripts/cluster.sh): containerd + runc, the CNI plugins, conntrack and iptables for kube-proxy,
# ipset for kube-router (the cluster's NetworkPolicy enforcement), busybox-static for test pods. kubectl is on the machine already.
# Idempotent; quiet when all present. --demo: only what scripts/demo.sh needs.
set -euo pipefail
want=(chromium chromium-driver postgresql maven openjdk-17-jdk-headless unzip prometheus buildah mmdebstrap
  docker-registry containerd runc containernetworking-plugins conntrack iptables ipset busybox-static)
if [ "${1:-}" = "--demo" ]; then want=(chromium chromium-driver postgresql maven openjdk-17-jdk-headless unzip); fi
missing=()
for pkg in "${want[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" -ne 0 ]; then
  echo "setup-system: missing Debian packages ${missing[*]}; run as root or install them: apt-get install -y ${missing[*]}" >&2
  exit 1
fi
echo "setup-system: installing ${missing[*]} (apt)" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq >/dev/null
apt-get install -y -qq "${missing[@]}" >/dev/null
