#!/usr/bin/env bash
# Obtains a runnable Embulk from Maven Central, the one way the demo, the tests and the worker image
# get it, and prints the directory that holds it:
#   DIR/embulk-<version>.jar   run it as: EMBULK_HOME=DIR/home java -jar DIR/embulk-<version>.jar run x.yml
#   DIR/home/embulk.properties selects the Maven-style plugins in DIR/home/lib/m2/repository
# DIR is <cache>/embulk-<version> (the cache root: packages/local-cluster/scripts/lib/cache-root.sh,
# SCRAPEGRID_CACHE moves it), or the argument --into DIR.
# Every downloaded file is checked against embulk/embulk.lock (sha256); a cache whose inputs (this
# script and embulk/) are unchanged is reused in a second or two. `--update-lock` rewrites the lock
# from what Maven resolved (review the diff before committing it).
# How the jar is laid out, and why the PostgreSQL output is our own plugin: embulk/README.md.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
version=0.11.4
. "$root/packages/local-cluster/scripts/lib/cache-root.sh"
dir="$scrapegrid_cache/embulk-$version"
update_lock=false
while [ $# -gt 0 ]; do
  case "$1" in
    --into) dir="$2"; shift 2 ;;
    --update-lock) update_lock=true; shift ;;
    *) echo "install-embulk: unknown argument $1" >&2; exit 2 ;;
  esac
done
lock="$root/embulk/embulk.lock"
inputs="$(cd "$root" && find embulk scripts/install-embulk.sh -type f ! -path '*/target/*' -print0 | sort -z | xargs -0 sha256sum | sha256sum | cut -c1-16)"

cached() { [ "$update_lock" = false ] && [ -f "$dir/.inputs" ] && [ "$(cat "$dir/.inputs")" = "$inputs" ]; }
if cached; then
  echo "$dir"
  exit 0
fi
# Two runs at once (two test processes on a cold cache) take turns; the second finds the cache filled.
mkdir -p "$(dirname "$dir")"
exec 9>"$dir.lock"
flock 9
if cached; then
  echo "$dir"
  exit 0
fi

command -v mvn >/dev/null || { echo "install-embulk: mvn is missing (scripts/setup-system.sh installs it)" >&2; exit 1; }
work="$(mktemp -d "${TMPDIR:-/tmp}/install-embulk.XXXXXX")"
trap 'rm -rf "$work"' EXIT
mvn_() { mvn -B -q -Dstyle.color=never -Dmaven.repo.local="${EMBULK_M2_REPO:-$HOME/.m2/repository}" "$@" >&2; }

# 1. Download: Embulk's classes, embulk-deps, and the plugins in Maven repository layout.
mvn_ -f "$root/embulk/runtime/pom.xml" dependency:copy-dependencies -DincludeScope=runtime -DoutputDirectory="$work/runtime"
mvn_ -f "$root/embulk/deps/pom.xml" dependency:copy-dependencies -DincludeScope=runtime -DoutputDirectory="$work/deps"
m2="$work/home/lib/m2/repository"
for pom in "$root/embulk/plugins/pom.xml" "$root/embulk/output-pgcopy/pom.xml"; do
  mvn_ -f "$pom" dependency:copy-dependencies -DincludeScope=runtime \
    -Dmdep.useRepositoryLayout=true -Dmdep.copyPom=true -DoutputDirectory="$m2"
done
find "$m2" -name 'maven-metadata-local.xml*' -delete

# 2. Check every download against the lock (paths relative to $work).
(cd "$work" && find runtime deps home -type f | sort | xargs sha256sum) >"$work/resolved.lock"
if [ "$update_lock" = true ]; then
  cp "$work/resolved.lock" "$lock"
  echo "install-embulk: wrote $lock" >&2
elif ! diff -u "$lock" "$work/resolved.lock" >&2; then
  echo "install-embulk: the files Maven resolved differ from embulk/embulk.lock (above): refusing them" >&2
  exit 1
fi

# 3. Our PostgreSQL output plugin, built from embulk/output-pgcopy and installed beside its pom.
cp -r "$root/embulk/output-pgcopy" "$work/pgcopy-src"
mvn_ -f "$work/pgcopy-src/pom.xml" package
plugin="$m2/org/scrapegrid/embulk-output-pgcopy/0.1.0"
install -D -m 0644 "$work/pgcopy-src/target/embulk-output-pgcopy-0.1.0.jar" "$plugin/embulk-output-pgcopy-0.1.0.jar"
install -m 0644 "$root/embulk/output-pgcopy/pom.xml" "$plugin/embulk-output-pgcopy-0.1.0.pom"

# 4. The executable jar, laid out as Embulk's release jar: embulk-core and what it needs at the top
# (Main-Class org.embulk.cli.Main), embulk-deps and its libraries nested under /lib/ and named in
# Embulk-Resource-Class-Path (org.embulk.cli.SelfContainedJarFiles loads them from there).
stage="$work/stage"
mkdir -p "$stage/lib"
for jar in "$work"/runtime/*.jar; do
  (cd "$stage" && unzip -q -o "$jar" -x 'META-INF/MANIFEST.MF' 'META-INF/*.SF' 'META-INF/*.RSA' 'META-INF/*.DSA' 'module-info.class' 'META-INF/versions/*' 2>/dev/null)
done
cp "$work"/deps/*.jar "$stage/lib/"
{
  echo "Main-Class: org.embulk.cli.Main"
  echo "Implementation-Title: embulk"
  echo "Implementation-Version: $version"
  # A manifest line continues on the next one after a single leading space, so each further
  # jar needs two: the continuation mark and the separator.
  first=1
  for jar in "$stage"/lib/*.jar; do
    if [ "$first" = 1 ]; then echo "Embulk-Resource-Class-Path: /lib/$(basename "$jar")"; first=0
    else echo "  /lib/$(basename "$jar")"; fi
  done
} >"$work/manifest.txt"
(cd "$stage" && jar cfm "$work/embulk-$version.jar" "$work/manifest.txt" .)

cat >"$work/home/embulk.properties" <<EOF
plugins.input.file=maven:org.embulk:file:0.11.1
plugins.parser.json=maven:org.embulk:json:0.11.2
plugins.output.file=maven:org.embulk:file:0.11.1
plugins.formatter.csv=maven:org.embulk:csv:0.11.2
plugins.output.pgcopy=maven:org.scrapegrid:pgcopy:0.1.0
EOF

# 5. Into place: a new directory, renamed over the old one, so a reader never sees half of it.
rm -rf "$dir.new"
mkdir "$dir.new"
mv "$work/embulk-$version.jar" "$work/home" "$dir.new/"
echo "$inputs" >"$dir.new/.inputs"
chmod -R a+rX "$dir.new"
rm -rf "$dir.old"
[ -e "$dir" ] && mv "$dir" "$dir.old"
mv "$dir.new" "$dir"
rm -rf "$dir.old"
echo "$dir"
