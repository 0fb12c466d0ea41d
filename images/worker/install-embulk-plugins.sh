#!/bin/sh
# Installs Maven-style Embulk plugins into an Embulk home and selects them in its
# embulk.properties, so `java -jar embulk.jar run` finds them with EMBULK_HOME set to that home.
#   org.embulk:embulk-output-postgresql:0.11.1
#   -> installed under HOME/lib/m2/repository by `embulk install`
#   -> plugins.output.postgresql=maven:org.embulk:postgresql:0.11.1
# Usage: install-embulk-plugins.sh EMBULK_HOME EMBULK_JAR [GROUP:embulk-CATEGORY-TYPE:VERSION ...]
set -eu
home="$1"
jar="$2"
shift 2
mkdir -p "$home"
touch "$home/embulk.properties"
for coordinate in "$@"; do
  group="${coordinate%%:*}"
  rest="${coordinate#*:}"
  artifact="${rest%%:*}"
  version="${rest#*:}"
  case "$artifact" in
    embulk-input-* | embulk-output-* | embulk-filter-* | embulk-parser-* | embulk-formatter-* | \
      embulk-decoder-* | embulk-encoder-* | embulk-guess-* | embulk-executor-*) ;;
    *)
      echo "install-embulk-plugins: $coordinate: expected GROUP:embulk-<category>-<type>:VERSION" >&2
      exit 2
      ;;
  esac
  if [ -z "$group" ] || [ -z "$version" ] || [ "$version" = "$rest" ]; then
    echo "install-embulk-plugins: $coordinate: expected GROUP:embulk-<category>-<type>:VERSION" >&2
    exit 2
  fi
  category_type="${artifact#embulk-}"
  category="${category_type%%-*}"
  type="${category_type#*-}"
  java -jar "$jar" -X "embulk_home=$home" install "$coordinate"
  echo "plugins.$category.$type=maven:$group:$type:$version" >>"$home/embulk.properties"
done
chmod -R a+rX "$home"
