# Two programs on one project (core/project/projectlock): a second writer is
# refused or reads only, a dead holder's lock is taken over, the CLI refuses.
add_executable(lockholder ${CMAKE_CURRENT_LIST_DIR}/lockholder.cpp)
target_link_libraries(lockholder PRIVATE salient_core_project Qt6::Core)
salient_add_test(tst_projectlock
  SOURCES ${CMAKE_CURRENT_LIST_DIR}/locktest.cpp
  LIBS salient_core_project SQLite::SQLite3)
target_compile_definitions(tst_projectlock PRIVATE
  LOCKHOLDER_PATH="$<TARGET_FILE:lockholder>" SALIENT_CLI_PATH="$<TARGET_FILE:salient-cli>")
add_dependencies(tst_projectlock lockholder salient-cli)
