# shellcheck shell=bash
# Sourced by scripts/test and scripts/demo.
#
# ensure_packages pkg...
#   Makes sure the named Debian packages are installed. Missing ones are installed with apt-get
#   when running as root; otherwise the exact command to run is printed and the script exits 1.
#   On a system without dpkg/apt (not Debian-like) it only warns and carries on.

# Installed when a line of its status (one per architecture) says so. Compared in bash, not piped
# into `grep -q`: under a caller's pipefail, grep's early exit can fail the pipe.
_zkcnn_pkg_installed() {
    local status
    status=$(dpkg-query -W -f='${db:Status-Status}\n' "$1" 2>/dev/null) || true
    [[ $'\n'"$status"$'\n' == *$'\n'installed$'\n'* ]]
}

ensure_packages() {
    local pkg
    local -a missing=()

    if ! command -v dpkg-query >/dev/null 2>&1 || ! command -v apt-get >/dev/null 2>&1; then
        echo "note: not a Debian-like system; make sure these (or equivalents) are installed: $*" >&2
        return 0
    fi

    for pkg in "$@"; do
        _zkcnn_pkg_installed "$pkg" || missing+=("$pkg")
    done
    if ((${#missing[@]} == 0)); then
        echo "packages: all present ($*)"
        return 0
    fi

    if [[ $(id -u) -ne 0 ]]; then
        echo "error: missing Debian packages: ${missing[*]}" >&2
        echo "install them with:" >&2
        echo "  sudo apt-get install -y --no-install-recommends ${missing[*]}" >&2
        exit 1
    fi

    echo "packages: installing ${missing[*]}"
    # Wait for another apt/dpkg run (e.g. unattended-upgrades) instead of failing on its lock.
    apt-get -o DPkg::Lock::Timeout=600 update
    DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 install -y \
        --no-install-recommends "${missing[@]}"

    for pkg in "${missing[@]}"; do
        if ! _zkcnn_pkg_installed "$pkg"; then
            echo "error: package $pkg is still not installed" >&2
            exit 1
        fi
    done
}
