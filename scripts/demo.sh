#!/usr/bin/env bash
# The README's first command: installs what it needs (Node 24 + pnpm + workspace, Chromium +
# ChromeDriver), builds the worker and pod-tools (the sidecar-reaper's executable), and runs the scrape Job's whole life
# locally (scripts/demo.ts). EMBULK_JAR=/path/to/embulk-0.11.5.jar also runs the transfer.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
. scripts/bootstrap.sh
bash scripts/setup-system.sh --browser-only
turbo run build --filter=@scrapegrid/worker --filter=@scrapegrid/pod-tools --output-logs=errors-only >/dev/null
exec node scripts/demo.ts
