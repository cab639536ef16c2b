salient_add_test(tst_formats_voc SOURCES formats_voc.cpp LIBS salient_core_formats)
salient_add_test(tst_formats_yolo SOURCES formats_yolo.cpp LIBS salient_core_formats)
# project -> files -> project through the real pipeline (datasetio.h).
salient_add_test(tst_formats_vocyolo_project SOURCES formats_voc_project.cpp
  LIBS salient_core_formats salient_core_imaging)
