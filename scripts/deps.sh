# Sourced by run.sh and test.sh: make sure the Debian packages bufview needs are present.
# As root it installs what is missing with apt-get; otherwise it prints the exact command
# and stops, because a half-configured build is harder to debug than a clear request.

bufview_missing_packages() {
    local pkg missing=()
    for pkg in "$@"; do
        if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed'; then
            missing+=("$pkg")
        fi
    done
    printf '%s\n' "${missing[@]}"
}

# usage: bufview_ensure_packages pkg...
bufview_ensure_packages() {
    if ! command -v dpkg-query >/dev/null 2>&1; then
        echo "bufview: dpkg-query not found; this script expects Debian 12. Install: $*" >&2
        return 2
    fi
    local missing
    missing=$(bufview_missing_packages "$@" | tr '\n' ' ')
    missing=${missing% }
    [ -z "$missing" ] && return 0
    if [ "$(id -u)" -ne 0 ]; then
        echo "bufview: missing Debian packages: $missing" >&2
        echo "Install them with:" >&2
        echo "  sudo apt-get update && sudo apt-get install -y $missing" >&2
        return 2
    fi
    echo "bufview: installing missing Debian packages: $missing"
    export DEBIAN_FRONTEND=noninteractive
    if ! apt-get update -qq >/dev/null 2>&1 || ! apt-get install -y -qq $missing >/dev/null; then
        echo "bufview: apt-get install failed for: $missing" >&2
        return 2
    fi
}

# What every build needs.
# python3-dev: the CPython headers lesson 14's extension module (lessons/ext/) is built with.
BUFVIEW_BUILD_PACKAGES="cmake ninja-build gcc g++ clang libclang-rt-14-dev pkg-config libcmocka-dev libbenchmark-dev jq python3-dev"

# What the tests need beyond a build: NumPy, the reference of the diff.numpy differential
# test and of lesson 18's Python twin (both look for an interpreter that imports it).
BUFVIEW_TEST_PACKAGES="python3-numpy"
