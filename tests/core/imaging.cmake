# Imaging: header probing, decoding and thumbnails, import into a project.
salient_add_test(tst_probe SOURCES imaging_probe.cpp imaging_corpus.h LIBS salient_core_imaging)
salient_add_test(tst_decode SOURCES imaging_decode.cpp LIBS salient_core_imaging)
salient_add_test(tst_import SOURCES imaging_import.cpp imaging_corpus.h LIBS salient_core_imaging)
