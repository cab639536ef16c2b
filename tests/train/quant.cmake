# int8 ONNX (issue #8): quantizeOnnx() on exportOnnx() graphs of a smallcnn trained
# on tiny images; OpenCV dnn runs the int8 file, the python checker accepts it, it
# is ~4x smaller and agrees with fp32. Internal headers, hence torch, onnx and OpenCV dnn.
if(NOT TORCH_LIBRARIES)
  find_package(Torch REQUIRED)
endif()
salient_add_test(tst_onnxquant SOURCES tst_onnxquant.cpp
  LIBS salient_train ${TORCH_LIBRARIES} onnx onnx_proto ${OpenCV_LIBS})
