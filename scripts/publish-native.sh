#!/usr/bin/env bash
# Builds the NativeAOT binary of ddbcopy (one self-contained executable, no .NET runtime needed) for a runtime id,
# default linux-x64, into artifacts/native/<rid>/; further arguments go to dotnet publish (e.g. -p:Version=1.2.3). NativeAOT links with clang: the 'clang' command is used when there
# is one, else clang-14/15/..., else (as root, on Debian/Ubuntu) 'apt-get install clang zlib1g-dev' installs it.
# Cross-compiling to another OS is not possible: build osx-arm64 on macOS and win-x64 on Windows (the release workflow does).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
rid="${1:-linux-x64}"
shift || true
out="$root/artifacts/native/$rid"
linker=()
if [[ "$rid" == linux-* ]]; then
  compiler=""
  for candidate in clang clang-19 clang-18 clang-17 clang-16 clang-15 clang-14; do
    if command -v "$candidate" >/dev/null; then compiler="$candidate"; break; fi
  done
  if [ -z "$compiler" ]; then
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
      echo "publish-native: installing clang (NativeAOT links with it)" >&2
      DEBIAN_FRONTEND=noninteractive apt-get install -y -q clang zlib1g-dev >/dev/null
      compiler=clang
    else
      echo "publish-native: NativeAOT needs clang: install it (e.g. apt-get install clang zlib1g-dev)" >&2
      exit 1
    fi
  fi
  linker=("-p:CppCompilerAndLinker=$compiler")
fi
dotnet publish "$root/src/DdbCopy.Cli/DdbCopy.Cli.csproj" -c Release -r "$rid" -p:PublishAot=true "${linker[@]}" "$@" -o "$out" -nologo -v q
echo "publish-native: $out/ddbcopy$([[ "$rid" == win-* ]] && echo .exe)"
