# Exporting a run's model (issue #8): exportModel() and checkParity() on a
# tiny trained run (ONNX fp32 / int8 through OpenCV dnn, LibTorch round trip,
# errors that leave no file), and `salient-cli export-model` on the binary.
if(NOT TORCH_LIBRARIES)
  find_package(Torch REQUIRED)
endif()
salient_add_test(tst_exporter SOURCES tst_exporter.cpp trainerfixture.h
  LIBS salient_train ${TORCH_LIBRARIES})
salient_add_test(tst_cli_exportmodel SOURCES tst_cli_exportmodel.cpp LIBS Qt6::Core)
target_compile_definitions(tst_cli_exportmodel PRIVATE SALIENT_CLI_PATH="$<TARGET_FILE:salient-cli>")
add_dependencies(tst_cli_exportmodel salient-cli)
set_tests_properties(tst_cli_exportmodel PROPERTIES TIMEOUT ${salient_long_test_timeout})
