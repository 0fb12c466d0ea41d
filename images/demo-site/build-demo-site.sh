#!/usr/bin/env bash
# Builds scrapegrid/demo-site: the bundled demo site (the fixture shop of scripts/demo.sh,
# packages/test-support/src/fixture-site) served on 0.0.0.0:8080, for k8s/overlays/demo. Node runs
# the site's TypeScript as it is (type stripping); nothing else is in /app. Tagged like the images
# of scripts/build-images.sh (localhost/scrapegrid/demo-site:0.1.0, buildah's local storage).
# A demo prop, not a product image: never pushed, built on the stand-in Node base
# (images/standin/build-standin-bases.sh) because that is what this machine has.
# Cached by content: a rebuild with the same inputs returns at once.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
site="$root/packages/test-support/src/fixture-site"
ref=localhost/scrapegrid/demo-site:0.1.0
buildah=(buildah --storage-driver "${STORAGE_DRIVER:-vfs}")
"$root/images/standin/build-standin-bases.sh"
node_ref="$("$root/images/standin/build-standin-bases.sh" --print-build-args | sed -n 's/^--build-arg=NODE_IMAGE=//p')"
sources=()
for f in "$site"/*.ts; do [[ "$f" == *.test.ts ]] || sources+=("$f"); done
base_id="$("${buildah[@]}" inspect --type image --format '{{.FromImageID}}' "$node_ref")"
key="$( { cat "${BASH_SOURCE[0]}" "${sources[@]}"; echo "$base_id"; } | sha256sum | cut -c1-16)"
label=org.scrapegrid.demo-site.key
if [ "$("${buildah[@]}" inspect --type image --format "{{index .ImageAnnotations \"$label\"}}" "$ref" 2>/dev/null || true)" = "$key" ]; then
  echo "build-demo-site: present for key $key" >&2
  exit 0
fi
started=$SECONDS
ctr=$("${buildah[@]}" from "$node_ref")
"${buildah[@]}" copy --quiet --chmod 0644 "$ctr" "${sources[@]}" /app/fixture-site/
echo '{ "type": "module" }' >"${TMPDIR:-/tmp}/demo-site-package.json.$$"
"${buildah[@]}" copy --quiet --chmod 0644 "$ctr" "${TMPDIR:-/tmp}/demo-site-package.json.$$" /app/package.json
rm -f "${TMPDIR:-/tmp}/demo-site-package.json.$$"
# Node as PID 1 has no default SIGTERM action: the handler closes the server and exits.
# DEMO_SITE_PRODUCTS sizes the catalogue (default 200, 10 a listing page; fixture-site/demo-site-options.ts):
# a Deployment sets it to serve thousands of pages with the same content per product. A bad value exits 2.
serve="import { demoSiteOptions } from '/app/fixture-site/demo-site-options.ts';
import { startFixtureSite } from '/app/fixture-site/server.ts';
let options;
try { options = demoSiteOptions(process.env); } catch (error) { console.error(error.message); process.exit(2); }
const site = await startFixtureSite({ ...options, host: '0.0.0.0', port: 8080 });
console.log(JSON.stringify({ msg: 'demo site listening', url: site.url, pages: site.pages }));
process.on('SIGTERM', () => site.close().then(() => process.exit(0)));"
"${buildah[@]}" config --user 1000:1000 --workingdir /app --port 8080 \
  --entrypoint "$(node -e 'console.log(JSON.stringify(["node", "--input-type=module", "--eval", process.argv[1]]))' "$serve")" \
  --cmd '[]' --env NODE_ENV=production \
  --annotation "$label=$key" --label "$label=$key" \
  --label org.opencontainers.image.title="scrapegrid demo-site" \
  --label org.opencontainers.image.description="the bundled demo shop (packages/test-support fixture site) on port 8080, for k8s/overlays/demo" "$ctr"
"${buildah[@]}" commit --quiet --rm "$ctr" "$ref" >/dev/null
echo "build-demo-site: built $ref for key $key in $((SECONDS - started)) s" >&2
