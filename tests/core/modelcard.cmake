# The model card written beside every export (issue #8): content from a run
# written by hand through RunStore, an escaped self-contained HTML page, and
# files written whole or not at all.
salient_add_test(tst_modelcard SOURCES ${CMAKE_CURRENT_LIST_DIR}/tst_modelcard.cpp
  LIBS salient_core_runs)
