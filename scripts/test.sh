#!/usr/bin/env bash
# Runs every test: unit tests, then integration tests against a DynamoDB Local that the test fixture starts itself,
# with the JIT build and then with the NativeAOT binary.
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

# The integration suite once more with the NativeAOT binary (what the release ships): the same CLI behaviour, built
# ahead of time. DDBCOPY_SKIP_NATIVE=1 skips it (e.g. on a machine without clang and no root to install it).
if [ "${DDBCOPY_SKIP_NATIVE:-0}" != 1 ]; then
  if bash scripts/publish-native.sh linux-x64; then
    DDBCOPY_TEST_BINARY="$root/artifacts/native/linux-x64/ddbcopy" \
      dotnet test tests/DdbCopy.IntegrationTests -c Release --no-build --logger "console;verbosity=normal" 2>&1 | tee -a "$log" || status=1
  else
    echo "test.sh: the native binary could not be built" >&2
    status=1
  fi
fi

# One closing line for whoever reads the log: "N passed, N failed".
passed=$(awk '/^[[:space:]]+Passed: [0-9]+/ {s += $2} END {print s + 0}' "$log")
failed=$(awk '/^[[:space:]]+Failed: [0-9]+/ {s += $2} END {print s + 0}' "$log")
# The failed tests' names again at the very end, so a log cut to its tail still says which ones failed.
if [ "$failed" -gt 0 ]; then
  echo "Failed tests:"
  # each name with the first lines of its error message
  awk '/^[[:space:]]+Failed [A-Za-z]/ {n = 5} n > 0 {print "  " substr($0, 1, 300); n--}' "$log" || true
fi
echo "$passed passed, $failed failed"
if [ "$failed" -gt 0 ] || [ "$passed" -eq 0 ]; then status=1; fi
exit "$status"
