# Using exported models (issue #8): the LibTorch export's round trip and bad
# files, Predictor against the run's evaluation and OpenCV dnn against
# LibTorch on real images (with python's torch.onnx.export as a peer), and
# `salient-cli predict` on the built binary.
if(NOT TORCH_LIBRARIES)
  find_package(Torch REQUIRED)
endif()
salient_add_test(tst_modelfile SOURCES tst_modelfile.cpp
  LIBS salient_train ${TORCH_LIBRARIES})
salient_add_test(tst_predictor SOURCES tst_predictor.cpp trainerfixture.h
  LIBS salient_train ${TORCH_LIBRARIES} onnx_proto SQLite::SQLite3)
salient_add_test(tst_cli_predict SOURCES tst_cli_predict.cpp
  LIBS salient_train ${TORCH_LIBRARIES})
target_compile_definitions(tst_cli_predict PRIVATE SALIENT_CLI_PATH="$<TARGET_FILE:salient-cli>")
add_dependencies(tst_cli_predict salient-cli)
