# Class balance and leak-free, stratified splits.
salient_add_test(tst_splitter SOURCES ${CMAKE_CURRENT_LIST_DIR}/splittertest.cpp LIBS salient_core_project)
salient_add_test(tst_balance SOURCES ${CMAKE_CURRENT_LIST_DIR}/balancetest.cpp LIBS salient_core_project)

# `salient-cli split` and `salient-cli augment-preview`, run on the built binary.
salient_add_test(tst_cli_analysis
  SOURCES ${CMAKE_CURRENT_LIST_DIR}/tst_cli_analysis.cpp
  LIBS salient_core_project salient_core_imaging)
target_compile_definitions(tst_cli_analysis PRIVATE SALIENT_CLI_PATH="$<TARGET_FILE:salient-cli>")
add_dependencies(tst_cli_analysis salient-cli)
