#!/usr/bin/env bash
# Runs every test project from a fresh clone and ends with one line: "N passed, N failed".
# Installs what is missing (the .NET SDK is expected on the machine; NuGet packages are restored).
set -uo pipefail
cd "$(dirname "$0")/.."

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

if ! command -v dotnet >/dev/null 2>&1; then
  echo "dotnet SDK not found: install the .NET 10 SDK (https://dot.net) and re-run" >&2
  echo "0 passed, 1 failed"
  exit 1
fi

results="$(pwd)/TestResults"
rm -rf "$results"
mkdir -p "$results"

echo "== build"
if ! dotnet build Pretzel.slnx -c Release -nologo -clp:ErrorsOnly; then
  echo "build failed" >&2
  echo "0 passed, 1 failed"
  exit 1
fi

# ClickHouse tests run against a real local two-shard cluster (scripts/clickhouse.sh). If it cannot
# start, the run fails: ClickHouse tests are never skipped silently. The trap stops the servers
# however the script ends; the explicit stop below keeps the final line last.
echo "== clickhouse"
stop_clickhouse() { bash scripts/clickhouse.sh stop >/dev/null 2>&1 || true; }
trap stop_clickhouse EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
if ! ch_url=$(bash scripts/clickhouse.sh start) || [ -z "$ch_url" ]; then
  echo "could not start the local ClickHouse cluster (bash scripts/clickhouse.sh start)" >&2
  echo "0 passed, 1 failed"
  exit 1
fi
export PRETZEL_TEST_CLICKHOUSE="$ch_url"
echo "PRETZEL_TEST_CLICKHOUSE=$PRETZEL_TEST_CLICKHOUSE"

# The collector's end-to-end test drives the official Segment Node client (npm), and the browser test
# drives Debian's Chromium. Failures here are not fatal on their own: the tests that need these tools
# fail with a clear message instead (they never skip).
echo "== segment node client"
if command -v npm >/dev/null 2>&1; then
  npm ci --prefix tests/segment-node --no-audit --no-fund --loglevel=error >/dev/null || echo "npm ci in tests/segment-node failed" >&2
else
  echo "npm not found: the Segment Node client test will fail" >&2
fi
echo "== chromium"
bash scripts/chromium.sh || echo "could not install chromium: the browser tests will fail" >&2

echo "== test"
dotnet test Pretzel.slnx -c Release --no-build -nologo \
  --logger "trx" --logger "console;verbosity=minimal" --results-directory "$results"
status=$?
bash scripts/clickhouse.sh stop

# The browser tests' screenshots of every dashboard view and of the report file, kept with the results.
if [ -d tests/Pretzel.Browser.Tests/bin/Release/net10.0/TestResults/screenshots ]; then
  mkdir -p "$results/screenshots"
  cp tests/Pretzel.Browser.Tests/bin/Release/net10.0/TestResults/screenshots/*.png "$results/screenshots/" 2>/dev/null || true
fi

# Sum the counters of every TRX file (one per test project).
passed=0
failed=0
while IFS= read -r -d '' trx; do
  counters=$(grep -o '<Counters [^>]*>' "$trx" | head -1)
  for key in passed failed error timeout aborted; do
    n=$(printf '%s' "$counters" | grep -o " $key=\"[0-9]*\"" | grep -o '[0-9]*' || true)
    n=${n:-0}
    if [ "$key" = passed ]; then passed=$((passed + n)); else failed=$((failed + n)); fi
  done
done < <(find "$results" -name '*.trx' -print0)

projects=$(ls tests/*/*.csproj | wc -l)
trx=$(find "$results" -name '*.trx' | wc -l)
if [ "$trx" -lt "$projects" ]; then
  echo "only $trx of $projects test projects produced results" >&2
  failed=$((failed + projects - trx))
fi
if [ "$status" -ne 0 ] && [ "$failed" -eq 0 ]; then
  failed=1
fi

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
