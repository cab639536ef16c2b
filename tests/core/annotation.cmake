salient_add_test(tst_geometry SOURCES tst_geometry.cpp LIBS salient_core_annotation ${OpenCV_LIBS})
