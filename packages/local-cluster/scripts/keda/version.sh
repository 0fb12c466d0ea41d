# The one pinned KEDA release: the newest 2.x the Go module proxy has that builds with the
# machine's Go (1.26). Change it here only; the cache directory is keyed by it.
KEDA_VERSION=v2.21.0
