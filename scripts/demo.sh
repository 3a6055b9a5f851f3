#!/usr/bin/env bash
# The demo: starts DynamoDB Local, fills a source table with 5,000 items and copies it with ddbcopy at 400 WCU/s.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
bash scripts/install-tools.sh
dotnet run --project samples/DdbCopy.Demo -c Release
