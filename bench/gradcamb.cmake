# Grad-CAM over a whole split (explainRole's engine): images/s and RSS after
# 100, 500 and 1,000 images. Generates its images with the tests' tiny dataset.
if(SALIENT_BUILD_TRAIN AND TARGET salient_test_support)
  add_executable(bench_gradcam_batch bench_gradcam_batch.cpp)
  target_link_libraries(bench_gradcam_batch PRIVATE salient_train salient_core
    salient_test_support Qt6::Core)
endif()
