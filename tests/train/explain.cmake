# The explanation engine (issue #7): the CAM maths and the tapped blocks of
# every architecture (internal headers, hence torch), and Explainer end to end
# on a tiny project whose class is decided by where a marker is.
if(NOT TORCH_LIBRARIES)
  find_package(Torch REQUIRED)
endif()
salient_add_test(tst_explainer_maths SOURCES tst_explainer_maths.cpp
  LIBS salient_train ${TORCH_LIBRARIES})
salient_add_test(tst_explainer SOURCES tst_explainer.cpp trainerfixture.h
  ${PROJECT_SOURCE_DIR}/tests/support/markerdataset.h ${PROJECT_SOURCE_DIR}/tests/support/markerdataset.cpp
  LIBS salient_train SQLite::SQLite3)
