# Smaller models (issue #8): pruning with its mask held through fine-tuning,
# knowledge distillation, the figures that compare runs (internal headers,
# hence torch), and `salient-cli prune` / `distill` on the built binary.
if(NOT TORCH_LIBRARIES)
  find_package(Torch REQUIRED)
endif()
salient_add_test(tst_shrink SOURCES tst_shrink.cpp trainerfixture.h
  LIBS salient_train ${TORCH_LIBRARIES})
set_tests_properties(tst_shrink PROPERTIES TIMEOUT ${salient_long_test_timeout})

salient_add_test(tst_cli_shrink SOURCES tst_cli_shrink.cpp
  LIBS salient_core Qt6::Core)
target_compile_definitions(tst_cli_shrink PRIVATE SALIENT_CLI_PATH="$<TARGET_FILE:salient-cli>")
add_dependencies(tst_cli_shrink salient-cli)
set_tests_properties(tst_cli_shrink PROPERTIES TIMEOUT ${salient_long_test_timeout})
