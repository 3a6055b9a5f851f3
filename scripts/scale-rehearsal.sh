#!/usr/bin/env bash
# The scale rehearsal (docs/scale.md): 4 sections and a follower as separate ddbcopy processes against one DynamoDB Local
# it starts, while `ddbcopy generate` changes the source; one section is killed (SIGKILL) half-way and resumed; exits 0
# when `ddbcopy verify` finds source and destination equal. Options: --items N --sections N --wcu N --endpoint URL.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
bash scripts/install-tools.sh
dotnet run --project samples/DdbCopy.ScaleRehearsal -c Release -- "$@"
