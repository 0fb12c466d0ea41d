#!/usr/bin/env bash
# Runs every check of the project on this machine, installing what it needs first:
# Node 24 + pnpm + the workspace (bootstrap.sh), Chromium/ChromeDriver, Prometheus, buildah
# (setup-system.sh). Then typecheck, lint and build every package, and run every package's unit
# and integration tests one package at a time (they start real Grids; two cores are shared).
# Ends with one line: "N passed, N failed".
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
# Free disk, said at each phase: a cold run takes about 20 GiB (vfs image copies, the Go build
# cache, the cluster builds), and a full disk shows up later as unrelated failures (etcd's WAL).
free_disk() { echo "test.sh: $(df -h --output=avail / | tail -1 | tr -d ' ') free on / ($1)" >&2; }
free_disk start
. scripts/bootstrap.sh
bash scripts/setup-system.sh
# The local Kubernetes cluster's binaries (about half an hour cold on 2 cores, seconds when cached):
# built in the background, under nice, while the checks below run; the tests wait for it.
mkdir -p .cache
# Then real KEDA and its images (over half an hour cold, every scaler's SDK compiles). Each build
# takes its cache target's lock, so a second run (a user's cluster.sh up) waits for this one.
lc=packages/local-cluster/scripts
# kube-router: the NetworkPolicy enforcement k8s/test/cluster/network-policy starts the cluster with.
( nice -n 10 bash $lc/build-kubernetes.sh && nice -n 10 bash $lc/build-coredns.sh \
  && nice -n 10 bash $lc/build-kube-router.sh && nice -n 10 bash $lc/keda/build-images.sh ) \
  >.cache/cluster-build.log 2>&1 &
cluster_build=$!
# Embulk from Maven Central (cached; the tests that run it call the same script).
bash scripts/install-embulk.sh >/dev/null

turbo_flags=(--output-logs=new-only)

status=0
# The root scripts are not a workspace package: check them here.
tsc -p scripts || status=$?
biome check scripts || status=$?
turbo run typecheck lint build "${turbo_flags[@]}" --continue || status=$?
# Reports are rewritten by this run (or restored from turbo's cache with the result they record).
rm -f packages/*/.vitest-report.json k8s/.vitest-report.json images/.vitest-report.json
# The packages whose tests need no cluster run while it builds (a cold build is most of CI's time);
# the three that start the local cluster (local-cluster's own tests, the reaper's pod watch, k8s)
# run once the build is there.
cluster_tests=(--filter=@scrapegrid/local-cluster --filter=@scrapegrid/sidecar-reaper --filter=@scrapegrid/k8s)
turbo run test "${turbo_flags[@]}" --concurrency=1 --continue "${cluster_tests[@]/--filter=/--filter=!}" || status=$?
if ! wait "$cluster_build"; then
  echo "test.sh: the local cluster build failed (its tests will say what is missing):" >&2
  tail -20 .cache/cluster-build.log >&2
  status=1
fi
free_disk 'before the cluster tests'
turbo run test "${turbo_flags[@]}" --concurrency=1 --continue "${cluster_tests[@]}" || status=$?
free_disk end
echo
node scripts/test-summary.ts || status=1
exit "$status"
