# The training engine: losses, freeze policies, schedule and checkpoints on
# their own (internal headers, hence torch), runTraining end to end on the
# tiny project, and the TrainingWorker's signals.
if(NOT TORCH_LIBRARIES)
  find_package(Torch REQUIRED)
endif()
salient_add_test(tst_trainer_parts SOURCES tst_trainer_parts.cpp LIBS salient_train ${TORCH_LIBRARIES})
salient_add_test(tst_trainer SOURCES tst_trainer.cpp trainerfixture.h LIBS salient_train SQLite::SQLite3)
salient_add_test(tst_trainingworker SOURCES tst_trainingworker.cpp trainerfixture.h LIBS salient_train)
salient_add_test(tst_trainer_recipes SOURCES tst_trainer_recipes.cpp trainerfixture.h
  LIBS salient_train ${TORCH_LIBRARIES})
# Cancel agreed across the ranks of a data-parallel run: the test starts itself
# twice more as rank 0 and rank 1 (see its main()).
find_package(Qt6 REQUIRED COMPONENTS Network)
salient_add_test(tst_distributed_cancel SOURCES tst_distributed_cancel.cpp trainerfixture.h
  LIBS salient_train Qt6::Network)
