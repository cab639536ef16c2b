# Dataset import/export pipeline (core/formats/datasetio.h, shapecheck.h) and the
# `salient-cli import --format` / `export` contract.
salient_add_test(tst_formats_shapecheck
  SOURCES ${CMAKE_CURRENT_LIST_DIR}/formats_pipeline_shapecheck.cpp
  LIBS salient_core_formats salient_core_imaging)
salient_add_test(tst_formats_pipeline
  SOURCES ${CMAKE_CURRENT_LIST_DIR}/formats_pipeline.cpp
  LIBS salient_core_formats salient_core_imaging)

# Runs the real binary on a small COCO file, as scripts will.
salient_add_test(tst_cli_formats
  SOURCES ${CMAKE_CURRENT_LIST_DIR}/tst_cli_formats.cpp
  LIBS Qt6::Core)
target_compile_definitions(tst_cli_formats PRIVATE SALIENT_CLI_PATH="$<TARGET_FILE:salient-cli>")
add_dependencies(tst_cli_formats salient-cli)
