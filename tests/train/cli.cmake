# `salient-cli train`, `eval` and `runs` on the built binary and the tiny project
# (the source sits with the other tst_cli* suites; it runs only when the trainer is built).
salient_add_test(tst_cli_train
  SOURCES ${CMAKE_CURRENT_LIST_DIR}/../core/tst_cli_train.cpp
  LIBS Qt6::Core)
target_compile_definitions(tst_cli_train PRIVATE SALIENT_CLI_PATH="$<TARGET_FILE:salient-cli>")
add_dependencies(tst_cli_train salient-cli)
set_tests_properties(tst_cli_train PROPERTIES TIMEOUT ${salient_long_test_timeout})
# Training crash test (issue #9): SIGKILL mid-epoch, --resume, the same run as an uninterrupted one.
salient_add_test(tst_crashtrain
  SOURCES tst_crashtrain.cpp
  LIBS Qt6::Core SQLite::SQLite3 salient_test_support)
target_compile_definitions(tst_crashtrain PRIVATE SALIENT_CLI_PATH="$<TARGET_FILE:salient-cli>")
add_dependencies(tst_crashtrain salient-cli)
set_tests_properties(tst_crashtrain PROPERTIES TIMEOUT ${salient_long_test_timeout})
