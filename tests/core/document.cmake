# F1: shapes in the store, the annotation document and its commands, crash safety of edits.
salient_add_test(tst_shapestore
  SOURCES ${CMAKE_CURRENT_LIST_DIR}/document_shapestore.cpp
  LIBS salient_core_project)
salient_add_test(tst_annotationdocument
  SOURCES ${CMAKE_CURRENT_LIST_DIR}/document_annotationdocument.cpp
  LIBS salient_core_document salient_core_models)
salient_add_test(tst_annotation_crash
  SOURCES ${CMAKE_CURRENT_LIST_DIR}/document_crashtest.cpp
  LIBS salient_core_document SQLite::SQLite3)
