# Issue #9, hostile input: decompression bombs and the pixel limit on every
# decode path; paths in dataset files, exports and foreign project files.
salient_add_test(tst_hostile_sizes SOURCES hostile_sizes.cpp hostile_files.h
  LIBS salient_core_formats salient_core_imaging ZLIB::ZLIB)
salient_add_test(tst_hostile_paths SOURCES hostile_paths.cpp hostile_files.h
  LIBS salient_core_formats salient_core_imaging SQLite::SQLite3 ZLIB::ZLIB)
# salient-cli's global --max-megapixels, through the real binary.
salient_add_test(tst_hostile_cli SOURCES hostile_cli.cpp LIBS Qt6::Core)
target_compile_definitions(tst_hostile_cli PRIVATE SALIENT_CLI_PATH="$<TARGET_FILE:salient-cli>")
add_dependencies(tst_hostile_cli salient-cli)
