# Sanitised and fuzzing builds (issue #9).
#
# SALIENT_SANITIZE: every target (libraries, tests, apps) with AddressSanitizer
# and UndefinedBehaviorSanitizer; undefined behaviour aborts (no recovery), so a
# finding fails the test that hit it. `./test.sh --sanitize` builds this in
# build-asan/ and runs the suites (see README.md).
#
# SALIENT_FUZZ: the libFuzzer targets in fuzz/ (clang only: configure with
# CC=clang-14 CXX=clang++-14). Our code is compiled with coverage
# instrumentation and both sanitisers; Qt, OpenCV and SQLite are Debian's.
option(SALIENT_SANITIZE "Build every target with ASan + UBSan" OFF)
option(SALIENT_FUZZ "Build the libFuzzer targets in fuzz/ (needs clang)" OFF)

set(salient_sanitizer_flags
  -fsanitize=address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer)

if(SALIENT_SANITIZE OR SALIENT_FUZZ)
  add_compile_options(${salient_sanitizer_flags} -g)
  add_link_options(-fsanitize=address,undefined)
endif()

if(SALIENT_FUZZ)
  if(NOT CMAKE_CXX_COMPILER_ID MATCHES "Clang")
    message(FATAL_ERROR "SALIENT_FUZZ needs clang: CC=clang-14 CXX=clang++-14 cmake ...")
  endif()
  # Coverage feedback for libFuzzer on every file; the fuzz executables add
  # -fsanitize=fuzzer (libFuzzer's main) themselves.
  add_compile_options(-fsanitize=fuzzer-no-link)
endif()
