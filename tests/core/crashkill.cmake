# Issue #9 annotation crash test: crashchild edits through the studio's paths,
# tst_crashkill kills it with SIGKILL over 200 times and checks every acknowledged edit.
# crashchild is started 200 times, so it takes the edit commands' own sources
# rather than all of salient_core_models (whose item models pull in OpenCV's
# codecs and their hundred-odd shared libraries: a second of start-up each).
add_executable(crashchild ${CMAKE_CURRENT_LIST_DIR}/crashchild.cpp
  ${PROJECT_SOURCE_DIR}/core/commands/editcommands.cpp
  ${PROJECT_SOURCE_DIR}/core/commands/labelcommands.cpp)
target_link_libraries(crashchild PRIVATE salient_core_document salient_core_project Qt6::Gui Qt6::Core)
target_link_options(crashchild PRIVATE "LINKER:--as-needed")
salient_add_test(tst_crashkill
  SOURCES ${CMAKE_CURRENT_LIST_DIR}/crashkilltest.cpp
  LIBS salient_core_project salient_core_annotation SQLite::SQLite3)
target_compile_definitions(tst_crashkill PRIVATE CRASHCHILD_PATH="$<TARGET_FILE:crashchild>")
add_dependencies(tst_crashkill crashchild)
