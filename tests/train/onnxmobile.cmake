# ONNX export of MobileNetV3-Small/Large and EfficientNet-B0 (issue #8): traced
# graph = forward(), the C++ and python ONNX checkers, OpenCV dnn = LibTorch
# within 1e-4 on decoded images. Internal headers, hence torch, onnx and OpenCV dnn.
if(NOT TORCH_LIBRARIES)
  find_package(Torch REQUIRED)
endif()
salient_add_test(tst_onnxmobile SOURCES tst_onnxmobile.cpp
  LIBS salient_train ${TORCH_LIBRARIES} onnx onnx_proto ${OpenCV_LIBS})
