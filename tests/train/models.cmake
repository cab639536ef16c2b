# The model zoo against python3-torchvision (keys, BatchNorm settings, logits), head
# replacement and a small CNN that learns. Includes core/train/models.h, hence torch.
if(NOT TORCH_LIBRARIES)
  find_package(Torch REQUIRED)
endif()
salient_add_test(tst_models SOURCES tst_models.cpp LIBS salient_train ${TORCH_LIBRARIES})
