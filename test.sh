#!/usr/bin/env bash
# Installs what is missing (Debian 12), builds Release in build/ and runs every
# test suite. Arguments go to ctest, e.g. ./test.sh -R store
set -euo pipefail
cd "$(dirname "$0")"
# shellcheck source=packaging/deps.sh
source packaging/deps.sh

salient_install_deps
# shellcheck disable=SC2119
salient_build # all targets (the arguments are for ctest)

log="$(mktemp)"
trap 'rm -f "$log"' EXIT
status=0
(cd "$salient_build_dir" && QT_QPA_PLATFORM=offscreen ctest --output-on-failure --no-tests=error -j2 "$@") \
    2>&1 | tee "$log" || status=$?
echo
grep -E '^[0-9]+% tests passed' "$log" || echo "ctest gave no summary (exit status $status)"
exit "$status"
