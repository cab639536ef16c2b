# Scale fixes of issue #9 (H3): class_stats totals, query plans (figures: bench/bench_scale).
salient_add_test(tst_scale_stats SOURCES ${CMAKE_CURRENT_LIST_DIR}/scalestatstest.cpp LIBS SQLite::SQLite3)
salient_add_test(tst_scale_model SOURCES ${CMAKE_CURRENT_LIST_DIR}/scalemodeltest.cpp LIBS salient_core_models SQLite::SQLite3)
