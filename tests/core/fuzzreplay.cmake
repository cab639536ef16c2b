# Replays every fuzz target's seed corpus and every past finding (fuzz/corpus,
# fuzz/regressions) through the entry functions, built by gcc (fuzz/entries.h).
salient_add_test(tst_fuzzreplay SOURCES ${CMAKE_CURRENT_LIST_DIR}/tst_fuzzreplay.cpp
  LIBS salient_fuzz_entries)
