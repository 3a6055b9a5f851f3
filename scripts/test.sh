#!/usr/bin/env bash
# Runs every test: unit tests, then integration tests against a DynamoDB Local that the test fixture starts itself.
# Set DDBCOPY_TEST_ENDPOINT=http://host:port to use an already running DynamoDB-compatible endpoint instead.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
bash scripts/install-tools.sh
dotnet build DdbCopy.sln -c Release

log="$(mktemp)"
trap 'rm -f "$log"' EXIT
status=0
for project in tests/DdbCopy.Tests tests/DdbCopy.IntegrationTests; do
  dotnet test "$project" -c Release --no-build --logger "console;verbosity=normal" 2>&1 | tee -a "$log" || status=1
done

# One closing line for whoever reads the log: "N passed, N failed".
passed=$(awk '/^[[:space:]]+Passed: [0-9]+/ {s += $2} END {print s + 0}' "$log")
failed=$(awk '/^[[:space:]]+Failed: [0-9]+/ {s += $2} END {print s + 0}' "$log")
echo "$passed passed, $failed failed"
if [ "$failed" -gt 0 ] || [ "$passed" -eq 0 ]; then status=1; fi
exit "$status"
