# Debian package helpers shared by scripts/dev and bench/run-all (sourced, not run).
# Packages are installed only when missing and only as root; otherwise the exact apt-get
# line is printed and the calling script stops.

# Every list here must pass scripts/fresh-check (a bare Debian 12 root, `scripts/dev run` and
# `scripts/dev test` from nothing): --no-install-recommends brings no extras, so name each one.
# What the build needs (scripts/dev run, build and test). libgtest-dev does not bring libgmock-dev.
build_packages=(g++ cmake make pkg-config libevent-dev libssl-dev libsqlite3-dev libsodium-dev
                libsimdjson-dev libspdlog-dev libfmt-dev libyaml-cpp-dev libcli11-dev libgtest-dev
                libgmock-dev libnghttp2-dev libpq-dev liblua5.4-dev)
# What only the tests need (scripts/dev test), on top of build_packages; node is below.
# postgresql-15: the PostgreSQL store's tests start their own server from
# /usr/lib/postgresql/15/bin (initdb as the postgres user the package creates).
# ca-certificates: npm ci fetches the conformance SDKs over https.
# chromium: the console's browser tests drive Debian's build (never a downloaded browser).
test_packages=(curl sqlite3 nghttp2-client openssl clang libclang-rt-14-dev postgresql-15
               ca-certificates chromium)

missing_packages() {
  local pkg
  for pkg in "$@"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || echo "$pkg"
  done
}

# Node for the conformance tests (NEED_NODE=1): the SDKs pinned in tests/conformance need
# node >= 20.19 (@linear/sdk; @slack/bolt's undici fails to load on 18), and Debian 12's
# nodejs is 18. So: Debian's nodejs and npm when there is no node with npm, then, when that
# node is older, node_version from the npm registry (the `node` package: a prebuilt binary,
# installed into /usr/local/bin, ahead of /usr/bin on PATH).
node_min=20.19.0
node_version=20.20.2

node_is_recent() {
  local have
  have=$(node -p process.versions.node 2>/dev/null) || return 1
  [[ "$(printf '%s\n%s\n' "$node_min" "$have" | sort -V | head -1)" == "$node_min" ]]
}

ensure_packages() {
  local missing
  missing=$(missing_packages "$@")
  if [[ "${NEED_NODE:-0}" == 1 ]] && ! { command -v node && command -v npm; } >/dev/null 2>&1; then
    missing="$missing nodejs npm"
  fi
  missing=$(echo $missing)
  if [[ -n "$missing" ]]; then
    if [[ $(id -u) -ne 0 ]]; then
      echo "hookgate needs these Debian packages; as root run:" >&2
      echo "  apt-get update && apt-get install -y --no-install-recommends $missing" >&2
      exit 1
    fi
    echo "installing: $missing" >&2
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    # shellcheck disable=SC2086
    apt-get install -y -qq --no-install-recommends $missing >/dev/null
  fi
  if [[ "${NEED_NODE:-0}" == 1 ]] && ! node_is_recent; then
    if [[ $(id -u) -ne 0 ]]; then
      echo "hookgate's tests need node >= $node_min (this one is $(node --version)); as root run:" >&2
      echo "  npm install -g --no-audit --no-fund node@$node_version" >&2
      exit 1
    fi
    echo "installing: node $node_version (npm registry; node $(node --version) is older than $node_min)" >&2
    npm install -g --no-audit --no-fund --loglevel=error "node@$node_version" >/dev/null
    hash -r
    node_is_recent || { echo "node is still $(node --version) after installing node@$node_version" >&2; exit 1; }
  fi
}
