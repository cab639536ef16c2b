# Grad-CAM in bulk and behind the review seam: explainRole over a run's split
# (chunks, cancel, skipped images, flat memory), the ExplainWorker's thread and
# signals, and `salient-cli gradcam` / `review-report` on the built binary.
salient_add_test(tst_explainbatch SOURCES tst_explainbatch.cpp explainfixture.h
  LIBS salient_train salient_core)
salient_add_test(tst_explainworker SOURCES tst_explainworker.cpp explainfixture.h
  LIBS salient_train salient_core)
set_tests_properties(tst_explainbatch tst_explainworker PROPERTIES TIMEOUT ${salient_long_test_timeout})

salient_add_test(tst_cli_gradcam SOURCES tst_cli_gradcam.cpp
  LIBS salient_core Qt6::Core)
target_compile_definitions(tst_cli_gradcam PRIVATE SALIENT_CLI_PATH="$<TARGET_FILE:salient-cli>")
add_dependencies(tst_cli_gradcam salient-cli)
set_tests_properties(tst_cli_gradcam PROPERTIES TIMEOUT ${salient_long_test_timeout})
