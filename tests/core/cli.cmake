# The demo project (Fashion-MNIST reader) and the salient-cli contract.
salient_add_test(tst_demo
  SOURCES ${CMAKE_CURRENT_LIST_DIR}/tst_demo.cpp
  LIBS salient_core_demo salient_core_project ZLIB::ZLIB)

# tst_cli runs the real binary, as scripts and later issues will.
salient_add_test(tst_cli
  SOURCES ${CMAKE_CURRENT_LIST_DIR}/tst_cli.cpp
  LIBS Qt6::Core)
target_compile_definitions(tst_cli PRIVATE SALIENT_CLI_PATH="$<TARGET_FILE:salient-cli>")
add_dependencies(tst_cli salient-cli)
