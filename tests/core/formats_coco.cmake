# COCO JSON reader/writer and its run-length mask codec (core/formats/coco.cpp, cocorle.cpp).
salient_add_test(tst_formats_coco SOURCES ${CMAKE_CURRENT_LIST_DIR}/formats_coco.cpp
  LIBS salient_core_formats)
