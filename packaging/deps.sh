# shellcheck shell=bash
# Shared by run.sh and test.sh (sourced, not run). Installs the Debian packages
# in packaging/debian-packages.txt that are missing, and builds the tree.

salient_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# The build folder: build/ unless SALIENT_BUILD_DIR names another.
salient_build_dir="${SALIENT_BUILD_DIR:-$salient_root/build}"

salient_packages() {
    sed -e 's/#.*//' "$salient_root/packaging/debian-packages.txt" | tr -s ' \t' '\n' | sed '/^$/d'
}

# Installs what is missing; apt-get update runs only when something is.
salient_install_deps() {
    if ! command -v dpkg-query >/dev/null 2>&1; then
        echo "error: this script installs Debian packages; dpkg-query was not found." >&2
        echo "Install the packages in packaging/debian-packages.txt by hand." >&2
        return 1
    fi
    local missing=() pkg
    for pkg in $(salient_packages); do
        if ! dpkg-query -W -f='${db:Status-Abbrev}' "$pkg" 2>/dev/null | grep -q '^ii'; then
            missing+=("$pkg")
        fi
    done
    if [ ${#missing[@]} -eq 0 ]; then
        return 0
    fi
    echo "Installing ${#missing[@]} missing Debian packages: ${missing[*]}"
    local sudo=()
    if [ "$(id -u)" -ne 0 ]; then
        if ! command -v sudo >/dev/null 2>&1; then
            echo "error: not root and no sudo; as root run: apt-get install ${missing[*]}" >&2
            return 1
        fi
        sudo=(sudo)
    fi
    "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -q
    "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive \
        apt-get install -y -q --no-install-recommends "${missing[@]}"
}

# Configures Release with Ninja in the build folder and builds the given targets (all if none).
salient_build() {
    local build="$salient_build_dir"
    # SALIENT_CMAKE_ARGS: further -D options, space separated (./test.sh --sanitize).
    # shellcheck disable=SC2086
    cmake -S "$salient_root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release ${SALIENT_CMAKE_ARGS:-}
    local targets=()
    local t
    for t in "$@"; do
        targets+=(--target "$t")
    done
    cmake --build "$build" -j"$(nproc)" "${targets[@]}"
}
