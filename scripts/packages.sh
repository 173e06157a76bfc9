# Debian package helpers shared by scripts/dev and bench/run-all (sourced, not run).
# Packages are installed only when missing and only as root; otherwise the exact apt-get
# line is printed and the calling script stops.

build_packages=(g++ cmake make pkg-config libevent-dev libssl-dev libsqlite3-dev libsodium-dev
                libsimdjson-dev libspdlog-dev libfmt-dev libyaml-cpp-dev libcli11-dev libgtest-dev
                libgmock-dev libnghttp2-dev libpq-dev)  # libgtest-dev does not bring libgmock-dev

missing_packages() {
  local pkg
  for pkg in "$@"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || echo "$pkg"
  done
}

ensure_packages() {
  local missing
  missing=$(missing_packages "$@")
  # node and npm: the Debian packages, unless a node with npm is already there.
  if [[ "${NEED_NODE:-0}" == 1 ]] && ! { command -v node && command -v npm; } >/dev/null 2>&1; then
    missing="$missing nodejs npm"
  fi
  missing=$(echo $missing)
  [[ -z "$missing" ]] && return 0
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
}
