#!/usr/bin/env bash
# The README's first command: installs what it needs (Node 24 + pnpm + workspace, Chromium +
# ChromeDriver, PostgreSQL, Maven; Embulk from Maven Central through scripts/install-embulk.sh),
# builds the worker and pod-tools (the sidecar-reaper's executable), and runs the scrape Job's whole
# life locally (scripts/demo.ts): scrape → JSON Lines → Embulk → a table in a private PostgreSQL.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
. scripts/bootstrap.sh
bash scripts/setup-system.sh --demo
bash scripts/install-embulk.sh >/dev/null
turbo run build --filter=@scrapegrid/worker --filter=@scrapegrid/pod-tools --output-logs=errors-only >/dev/null
exec node scripts/demo.ts
