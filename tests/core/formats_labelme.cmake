# labelme reader/writer, with peer tests against Debian's labelme (python3-labelme,
# package `labelme`), and the classification formats (ImageFolder, CSV).
salient_add_test(tst_formats_labelme
  SOURCES formats_labelme_test.h formats_labelme.cpp formats_labelme_peer.cpp
    formats_labelme_project.cpp
  LIBS salient_core_formats)
target_compile_definitions(tst_formats_labelme PRIVATE
  SALIENT_LABELME_SCRIPTS="${PROJECT_SOURCE_DIR}/tests/data/labelme")
salient_add_test(tst_formats_classify SOURCES formats_classify.cpp LIBS salient_core_formats)
