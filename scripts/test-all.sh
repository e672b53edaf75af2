#!/usr/bin/env bash
# The whole test suite: build, typecheck, lint, Node tests of every package (against a real
# SQLite file and the real PostgreSQL), browser tests in Chromium, and end-to-end tests.
set -uo pipefail
cd "$(dirname "$0")/.."
export CHROME_PATH="${CHROME_PATH:-/usr/bin/chromium}"

failed=()
step() {
  local name=$1; shift
  echo
  echo "=== $name ==="
  if "$@"; then echo "=== $name: ok ==="; else echo "=== $name: FAILED ==="; failed+=("$name"); fi
}

step build pnpm build
# Quick checks of what was just built: the drop-in's gzip budget, each published package's
# tarball (publint, arethetypeswrong) and its public surface against the API reports in etc/.
step embed-size pnpm size:check
step check-packages pnpm check:packages
step api-report pnpm api:check
# The documentation site and the framework examples, whose browser tests run with the node tests.
step docs-build pnpm docs:build
step examples-build pnpm examples:build
step typecheck pnpm typecheck
step lint pnpm lint
step node-tests pnpm -r --no-bail --workspace-concurrency=1 --filter "./packages/**" --filter "./examples/**" --filter "./docs/**" --filter "./test" run test:node
step browser-tests pnpm exec web-test-runner --config web-test-runner.config.mjs

echo
if [ ${#failed[@]} -gt 0 ]; then
  echo "test suite failed in: ${failed[*]}"
  exit 1
fi
echo "test suite passed"
