# Inference of the exported forms (issue #8): fp32 / int8 ONNX through OpenCV dnn
# and LibTorch, ResNet-18 and MobileNetV3-Large at 224, 1 and 2 threads, and
# Fashion-MNIST accuracy of each; the python peer is bench/export_peer.py.
if(SALIENT_BUILD_TRAIN)
  if(NOT TORCH_LIBRARIES)
    find_package(Torch REQUIRED)
  endif()
  add_executable(bench_export bench_export.cpp)
  target_link_libraries(bench_export PRIVATE salient_train salient_core Qt6::Core ${TORCH_LIBRARIES} ${OpenCV_LIBS})
endif()
