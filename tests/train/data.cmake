# The training data loader: order, sampling, sharding, threads (tst_dataloader)
# and pixels, orientation, unreadable files, mixing (tst_dataloader_pixels).
salient_add_test(tst_dataloader SOURCES tst_dataloader.cpp loaderfixtures.h LIBS salient_train salient_core)
# tst_dataloader_pixels also checks evalLoaderOptions (evaluate.h, internal: torch types).
if(NOT TORCH_LIBRARIES)
  find_package(Torch REQUIRED)
endif()
salient_add_test(tst_dataloader_pixels SOURCES tst_dataloader_pixels.cpp loaderfixtures.h
  LIBS salient_train salient_core ${TORCH_LIBRARIES})
