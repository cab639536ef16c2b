# ONNX export core (issue #8): the GraphBuilder, exportOnnx and the ResNet /
# small-CNN emitters, checked on runs trained for a few steps (BatchNorm
# statistics that are not the defaults): trace = forward(), the python ONNX
# checker, OpenCV dnn = LibTorch within 1e-4 on decoded images, metadata.
if(NOT TORCH_LIBRARIES)
  find_package(Torch REQUIRED)
endif()
if(NOT TARGET onnx_proto)
  find_package(ONNX REQUIRED)
endif()
salient_add_test(tst_onnxexport SOURCES tst_onnxexport.cpp trainerfixture.h
  LIBS salient_train ${TORCH_LIBRARIES} onnx onnx_proto ${OpenCV_LIBS})
