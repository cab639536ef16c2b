# Augmentation engine: recipes, determinism, shapes that follow the pixels.
salient_add_test(tst_augment SOURCES ${CMAKE_CURRENT_LIST_DIR}/augmenttest.cpp LIBS salient_core_imaging)
