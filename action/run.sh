#!/usr/bin/env bash
# The step of the ddbcopy GitHub Action (action.yml): installs the release binary for this runner (verified against
# the release's SHA256SUMS), runs ddbcopy with the action's inputs and -o json, and sets the step outputs `summary`
# (the JSON summary) and `exit-code`. DDBCOPY_BINARY names a ddbcopy to use instead of downloading one (tests).
set -euo pipefail

binary="${DDBCOPY_BINARY:-}"
if [ -z "$binary" ]; then
  case "$(uname -s)-$(uname -m)" in
    Linux-x86_64) rid=linux-x64 ;;
    Linux-aarch64 | Linux-arm64) rid=linux-arm64 ;;
    Darwin-arm64) rid=osx-arm64 ;;
    MINGW* | MSYS* | CYGWIN*) rid=win-x64 ;;
    *) echo "::error::ddbcopy has no release binary for $(uname -s) $(uname -m)"; exit 1 ;;
  esac
  repository="${INPUT_REPOSITORY:-${GITHUB_ACTION_REPOSITORY:-}}"
  [ -n "$repository" ] || { echo "::error::no repository to download ddbcopy from (set the 'repository' input)"; exit 1; }
  version="${INPUT_VERSION:-latest}"
  if [ "$version" = latest ]; then base="https://github.com/$repository/releases/latest/download"; else base="https://github.com/$repository/releases/download/$version"; fi
  archive="ddbcopy-$rid.tar.gz"
  [ "$rid" = win-x64 ] && archive="ddbcopy-$rid.zip"
  dir="${RUNNER_TEMP:-/tmp}/ddbcopy-$rid"
  mkdir -p "$dir"
  curl -fsSL --retry 3 -o "$dir/$archive" "$base/$archive"
  curl -fsSL --retry 3 -o "$dir/SHA256SUMS" "$base/SHA256SUMS"
  (cd "$dir" && grep " $archive\$" SHA256SUMS | sha256sum -c -) || { echo "::error::$archive does not match the release's SHA256SUMS"; exit 1; }
  if [ "$rid" = win-x64 ]; then (cd "$dir" && unzip -oq "$archive"); binary="$dir/ddbcopy.exe"; else tar xzf "$dir/$archive" -C "$dir"; binary="$dir/ddbcopy"; fi
fi

args=(--sourceTable "${INPUT_SOURCETABLE:?the sourceTable input is required}" --destinationTable "${INPUT_DESTINATIONTABLE:?the destinationTable input is required}")
for pair in readThroughputRatio:INPUT_READTHROUGHPUTRATIO writeThroughputRatio:INPUT_WRITETHROUGHPUTRATIO \
            sourceRegion:INPUT_SOURCEREGION destinationRegion:INPUT_DESTINATIONREGION \
            sourceEndpoint:INPUT_SOURCEENDPOINT destinationEndpoint:INPUT_DESTINATIONENDPOINT; do
  flag="${pair%%:*}"
  variable="${pair#*:}"
  value="${!variable:-}"
  if [ -n "$value" ]; then args+=("--$flag" "$value"); fi
done
if [ -n "${INPUT_ARGS:-}" ]; then
  read -r -a extra <<< "$INPUT_ARGS" # extra flags, split on spaces (no quoting)
  args+=("${extra[@]}")
fi

summary="$(mktemp)"
set +e
"$binary" "${args[@]}" --output json > "$summary"
code=$?
set -e
cat "$summary"
if [ -n "${GITHUB_OUTPUT:-}" ]; then
  delimiter="ddbcopy_$(date +%s%N)"
  { echo "summary<<$delimiter"; cat "$summary"; echo "$delimiter"; echo "exit-code=$code"; } >> "$GITHUB_OUTPUT"
fi
rm -f "$summary"
exit "$code"
