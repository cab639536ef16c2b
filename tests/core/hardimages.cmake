# Hard images: window/level on the full bit depth, progressive loading of large images.
salient_add_test(tst_windowlevel SOURCES windowleveltest.cpp LIBS salient_core_imaging)
salient_add_test(tst_largeimage SOURCES largeimagetest.cpp LIBS salient_core_imaging)
