#!/usr/bin/env bash
# Installs what is missing (Debian 12), builds Release in build/ and runs every
# test suite. Arguments go to ctest, e.g. ./test.sh -R store
#
# ./test.sh --sanitize [ctest args]: the same with AddressSanitizer and
# UndefinedBehaviorSanitizer (-DSALIENT_SANITIZE=ON) in build-asan/; any
# memory error, leak or undefined behaviour fails the test that hit it.
set -euo pipefail
cd "$(dirname "$0")"
if [ "${1:-}" = "--sanitize" ]; then
    shift
    export SALIENT_BUILD_DIR="${SALIENT_BUILD_DIR:-$PWD/build-asan}"
    export SALIENT_CMAKE_ARGS="-DSALIENT_SANITIZE=ON ${SALIENT_CMAKE_ARGS:-}"
    supp="$PWD/tests/sanitize"
    export ASAN_OPTIONS="${ASAN_OPTIONS:-check_initialization_order=1:strict_init_order=1}"
    export LSAN_OPTIONS="${LSAN_OPTIONS:-suppressions=$supp/lsan.supp:print_suppressions=0}"
    export UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1:suppressions=$supp/ubsan.supp}"
    # Qt Test stops a test function after 5 minutes; the slowest ones need longer here.
    export QTEST_FUNCTION_TIMEOUT="${QTEST_FUNCTION_TIMEOUT:-1200000}"
fi
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
