# Issue #9: disk full while writing (SQLite page limit, RLIMIT_FSIZE in a child).
salient_add_test(tst_diskfull
  SOURCES ${CMAKE_CURRENT_LIST_DIR}/diskfulltest.cpp
  LIBS salient_core_document salient_core_imaging SQLite::SQLite3)
