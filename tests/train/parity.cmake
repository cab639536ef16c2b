# End to end: a state_dict file written by Debian's torch.save, read by our
# pickle-free reader, loaded into our model by name, gives torchvision's logits.
if(NOT TORCH_LIBRARIES)
  find_package(Torch REQUIRED)
endif()
salient_add_test(tst_weightparity SOURCES tst_weightparity.cpp LIBS salient_train ${TORCH_LIBRARIES})
