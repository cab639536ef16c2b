#!/usr/bin/env bash
# Runs every libFuzzer target for SECONDS each, one after another, and prints
# the executions and findings of each.
#
#   fuzz/run-all.sh SECONDS [TARGET...]      (default: every target)
#
# Builds build-fuzz/ with clang-14 first (-DSALIENT_FUZZ=ON; FUZZ_BUILD_DIR
# names another folder). New inputs libFuzzer finds go to
# build-fuzz/fuzz-corpus/<target>/ (seeded from fuzz/corpus/<target>/, which
# stays small); crashes, leaks, timeouts and out-of-memory inputs to
# build-fuzz/findings/<target>/. Copy each finding into
# fuzz/regressions/<target>/ once mended: tst_fuzzreplay re-runs it in ./test.sh.
# Extra libFuzzer flags: FUZZ_FLAGS="-jobs=2 -workers=2" etc.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
seconds="${1:?usage: fuzz/run-all.sh SECONDS [TARGET...]}"
shift
build="${FUZZ_BUILD_DIR:-$root/build-fuzz}"
all=(coco voc yolo labelme csv cocorle project weightfile pickle)
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=("${all[@]}")

if ! command -v clang++-14 >/dev/null; then
    echo "error: clang++-14 not found: apt-get install clang-14 libclang-rt-14-dev" >&2
    exit 1
fi
CC=clang-14 CXX=clang++-14 cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    -DSALIENT_FUZZ=ON -DSALIENT_BUILD_TRAIN=OFF -DSALIENT_BUILD_TESTS=OFF -DSALIENT_BUILD_BENCH=OFF >/dev/null
cmake --build "$build" -j"$(nproc)" $(printf -- '--target fuzz_%s ' "${targets[@]}")

export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1:allocator_may_return_null=1}"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}"
export QT_QPA_PLATFORM=offscreen
# Qt's warnings about odd input ("Broken filename passed to function"...) are
# expected here and, a million times over, slow a target down several-fold.
export QT_LOGGING_RULES="${QT_LOGGING_RULES:-*.warning=false}"
summary="$build/fuzz-results.txt"
printf '%-11s %12s %9s %9s  %s\n' target executions exec/s seconds findings >"$summary"
status=0
for t in "${targets[@]}"; do
    work="$build/fuzz-corpus/$t"
    findings="$build/findings/$t"
    log="$build/fuzz-$t.log"
    mkdir -p "$work" "$findings"
    echo "== fuzz_$t for ${seconds}s (log: $log)"
    # -timeout: one input running 25 s is a finding (a hang); -rss_limit_mb: so is 2 GB.
    # -purge_allocator_interval=-1: libFuzzer otherwise hands ASan's free memory
    # back to the kernel every second once the peak RSS passes half the limit;
    # fuzz_yolo then spent 31% of its time in madvise and fell to 100 inputs a second.
    # shellcheck disable=SC2086
    "$build/fuzz/fuzz_$t" -max_total_time="$seconds" -timeout=25 -rss_limit_mb=2048 \
        -purge_allocator_interval=-1 \
        -print_final_stats=1 -artifact_prefix="$findings/" ${FUZZ_FLAGS:-} \
        "$work" "$root/fuzz/corpus/$t" >"$log" 2>&1 || true
    execs="$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)"
    rate="$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -1)"
    found="$(find "$findings" -type f | wc -l)"
    [ "$found" -eq 0 ] || status=1
    printf '%-11s %12s %9s %9s  %s\n' "$t" "${execs:-?}" "${rate:-?}" "$seconds" "$found" | tee -a "$summary"
    find "$findings" -type f -printf '    %p\n'
done
echo
cat "$summary"
exit "$status"
