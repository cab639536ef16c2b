# E3: undoable edit commands, the item models and the thumbnailer.
salient_add_test(tst_editcommands SOURCES commands_editcommands.cpp LIBS salient_core_models)
salient_add_test(tst_imagelistmodel SOURCES models_imagelistmodel.cpp LIBS salient_core_models)
salient_add_test(tst_classlistmodel SOURCES models_classlistmodel.cpp LIBS salient_core_models)
salient_add_test(tst_thumbnailer SOURCES thumbnailer_test.cpp LIBS salient_core_imaging)
