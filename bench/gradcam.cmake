# The cost of one explanation against one training step: ResNet-18 at 224,
# batch 1, forward+backward vs Grad-CAM, Grad-CAM++, LayerCAM and the
# deletion score (internal headers, hence torch).
if(SALIENT_BUILD_TRAIN)
  if(NOT TORCH_LIBRARIES)
    find_package(Torch REQUIRED)
  endif()
  add_executable(bench_gradcam bench_gradcam.cpp)
  target_link_libraries(bench_gradcam PRIVATE salient_train salient_core Qt6::Core ${TORCH_LIBRARIES})
endif()
