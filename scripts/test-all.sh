#!/usr/bin/env bash
# `npm test`: every test tier, in the order that fails fastest.
set -euo pipefail
cd "$(dirname "$0")/.."
export NEXT_TELEMETRY_DISABLED=1

# The browser tests drive Debian's Chromium headless shell (playwright.config.ts says why), or the full
# Chromium given by CHROMIUM_PATH or installed alone.
if [ -z "${CHROMIUM_PATH:-}" ] && [ ! -x /usr/lib/chromium/chromium-headless-shell ]; then
  if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null; then
    echo "Installing Debian's Chromium for the browser tests (apt-get install chromium chromium-headless-shell)..."
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-headless-shell >/dev/null
  elif [ ! -x /usr/bin/chromium ]; then
    echo "The browser tests need Chromium. Run: sudo apt-get install -y chromium chromium-headless-shell" >&2
    exit 1
  fi
fi
if ! pg_isready -h 127.0.0.1 -p 5432 -q 2>/dev/null; then
  echo "PostgreSQL is not answering on 127.0.0.1:5432. Start it with: pg_ctlcluster --skip-systemctl-redirect \$(ls /etc/postgresql) main start" >&2
  exit 1
fi

# Every test's temporary files (test CAs' and stores' keys, certificates, exports, browser profiles) go under one
# folder of this run, removed when the run ends, passing or failing; one that a killed run left behind goes at the
# start of a later run, once it is six hours old (runs of other checkouts may share the machine).
for stale in /tmp/guildhall-test-run-*; do
  if [ -d "$stale" ] && [ -n "$(find "$stale" -maxdepth 0 -mmin +360)" ]; then rm -rf "$stale"; fi
done
run_tmp="$(mktemp -d /tmp/guildhall-test-run-XXXXXX)"
chmod 755 "$run_tmp"
export TMPDIR="$run_tmp"
deploy_pid=""
cleanup() {
  if [ -n "$deploy_pid" ]; then kill -- -"$deploy_pid" 2>/dev/null || true; fi
  rm -rf "$run_tmp"
}
trap cleanup EXIT

[ -d node_modules ] || npm ci --no-audit --no-fund
echo "== prisma generate"
PRISMA_SCHEMA_ENGINE_BINARY="$(command -v node)" node node_modules/prisma/build/index.js generate >/dev/null
# The static checks are single-threaded and independent of each other: they run side by side, and each
# prints its output whole, in this order, once all have ended.
static_checks=(
  "migrations agree with schema.prisma|npx tsx --conditions=react-server scripts/check-migrations.ts"
  "typecheck|npx tsc --noEmit"
  "format and lint|npx biome check --error-on-warnings ."
  "import rules|npx depcruise --config .dependency-cruiser.cjs --output-type err lib app cli tools instrumentation.ts instrumentation-node.ts proxy.ts"
)
static_dir="$(mktemp -d)"
pids=()
for i in "${!static_checks[@]}"; do
  bash -c "${static_checks[$i]#*|}" >"$static_dir/$i.log" 2>&1 &
  pids+=($!)
done
failed=0
for i in "${!static_checks[@]}"; do
  echo "== ${static_checks[$i]%%|*}"
  if wait "${pids[$i]}"; then cat "$static_dir/$i.log"; else cat "$static_dir/$i.log"; echo "FAILED: ${static_checks[$i]%%|*}"; failed=1; fi
done
rm -rf "$static_dir"
[ "$failed" = 0 ] || exit 1
echo "== unit tests"
npx vitest run --project unit
echo "== build"
GUILDHALL_TEST_RUN_BUILD=1 node node_modules/next/dist/bin/next build >/tmp/guildhall-build.log 2>&1 || { cat /tmp/guildhall-build.log; exit 1; }
node scripts/assemble-standalone.mjs
# The deployment tests spend most of their minute waiting for servers to start and stop: they run in their
# own process group while the integration tests use the cores, and print their output once those end.
# Their servers take fixed ports (4510-4570) that no integration test uses, and databases of their own.
deploy_log="$(mktemp)"
setsid npx vitest run --project deploy >"$deploy_log" 2>&1 &
deploy_pid=$!
echo "== integration tests on embedded PGlite"
TEST_DB=pglite npx vitest run --project integration
echo "== integration tests on PostgreSQL"
TEST_DB=postgres npx vitest run --project integration
echo "== deployment: the standalone server (the container's start command), manifests, several instances"
deploy_status=0
wait "$deploy_pid" || deploy_status=$?
deploy_pid=""
cat "$deploy_log"
rm -f "$deploy_log"
[ "$deploy_status" = 0 ] || { echo "FAILED: deployment tests"; exit 1; }
echo "== end-to-end tests in Chromium"
npx playwright test
