# bench_scale (issue #9): peak RSS of a 100,000-image project while browsing
# and labelling, and every user action on a 1,000,000-row shapes table.
# Run: bench/bench_scale [--work DIR] (builds the project once: ~130 MB, 100k hard links).
add_executable(bench_scale bench_scale.cpp scalestages.h scaleproject.h scalememory.cpp scaleactions.cpp)
target_link_libraries(bench_scale PRIVATE salient_core_models salient_core_document
  salient_core_imaging salient_core_project Qt6::Gui SQLite::SQLite3)
