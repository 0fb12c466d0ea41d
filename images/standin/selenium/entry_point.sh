#!/bin/bash
# STAND-IN for docker-selenium's /opt/bin/entry_point.sh (selenium/hub, selenium/node-chrome), which
# cannot be pulled here. It reads the same SE_* variables our manifests set and starts the same
# Selenium server jar version, but directly (no supervisord, no Xvfb: Chromium runs headless).
# SE_STANDIN_ROLE (set by the image) says which of the two images this is.
set -euo pipefail
jar=/opt/selenium/selenium-server.jar
config=/opt/selenium/config.toml
# shellcheck disable=SC2206 # SE_JAVA_OPTS is a list of JVM flags, split on spaces as the real images do
java_opts=(${SE_JAVA_OPTS:--Xmx512m -XX:+UseSerialGC -XX:TieredStopAtLevel=1})
secret=()
if [ -n "${SE_REGISTRATION_SECRET:-}" ]; then secret=(--registration-secret "$SE_REGISTRATION_SECRET"); fi

case "${SE_STANDIN_ROLE:?}" in
  hub)
    args=(hub --port "${SE_HUB_PORT:-4444}" --publish-events "tcp://*:${SE_EVENT_BUS_PUBLISH_PORT:-4442}"
      --subscribe-events "tcp://*:${SE_EVENT_BUS_SUBSCRIBE_PORT:-4443}" --bind-host false)
    if [ -n "${SE_NEW_SESSION_THREAD_POOL_SIZE:-}" ]; then args+=(--newsession-threadpool-size "$SE_NEW_SESSION_THREAD_POOL_SIZE"); fi
    if [ -n "${SE_SESSION_REQUEST_TIMEOUT:-}" ]; then args+=(--session-request-timeout "$SE_SESSION_REQUEST_TIMEOUT"); fi
    # Router basic auth, as the real image's start script passes it when both are set: every
    # request but /readyz then needs the credentials.
    if [ -n "${SE_ROUTER_USERNAME:-}" ] && [ -n "${SE_ROUTER_PASSWORD:-}" ]; then
      args+=(--username "$SE_ROUTER_USERNAME" --password "$SE_ROUTER_PASSWORD")
    fi
    ;;
  node-chrome)
    version="$(chromium --version | awk '{print $2}')"
    max="${SE_NODE_MAX_SESSIONS:-1}"
    # Like the real image: the stereotype carries the browser's version.
    cat >"$config" <<TOML
[node]
detect-drivers = false
max-sessions = $max
override-max-sessions = ${SE_NODE_OVERRIDE_MAX_SESSIONS:-false}
session-timeout = ${SE_NODE_SESSION_TIMEOUT:-300}
# As the real image writes it: 0 never drains; N drains the node after N sessions, then the JVM
# exits (0), so a Job's pod completes (a ScaledJob's one-session pods set 1).
drain-after-session-count = ${SE_DRAIN_AFTER_SESSION_COUNT:-0}
[[node.driver-configuration]]
display-name = "chrome"
webdriver-executable = "/usr/bin/chromedriver"
max-sessions = $max
stereotype = '{"browserName": "chrome", "browserVersion": "${version%%.*}.0", "platformName": "Linux", "goog:chromeOptions": {"binary": "/usr/bin/chromium", "args": ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking", "--disable-component-update", "--no-first-run"]}}'
TOML
    host="${SE_EVENT_BUS_HOST:-127.0.0.1}"
    args=(node --port "${SE_NODE_PORT:-5555}" --config "$config" --bind-host false
      --publish-events "tcp://$host:${SE_EVENT_BUS_PUBLISH_PORT:-4442}"
      --subscribe-events "tcp://$host:${SE_EVENT_BUS_SUBSCRIBE_PORT:-4443}")
    if [ -n "${SE_NODE_HOST:-}" ]; then args+=(--host "$SE_NODE_HOST"); fi
    if [ -n "${SE_HUB_HOST:-}" ]; then args+=(--hub "http://$SE_HUB_HOST:${SE_HUB_PORT:-4444}"); fi
    ;;
  *)
    echo "entry_point.sh: unknown SE_STANDIN_ROLE $SE_STANDIN_ROLE" >&2
    exit 2
    ;;
esac
# exec: the server is this container's main process and gets the kubelet's (or the reaper's) SIGTERM.
exec java "${java_opts[@]}" -jar "$jar" "${args[@]}" "${secret[@]}"
