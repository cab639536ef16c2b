# ExportWorker (issue #8): exportModel() and Predictor on their own thread behind
# the ExportController seam, on a tiny trained run: signals on the owner's
# thread, answers per image, a bad file named, cancel, the destructor joins.
salient_add_test(tst_exportworker SOURCES tst_exportworker.cpp explainfixture.h
  LIBS salient_train)
set_tests_properties(tst_exportworker PROPERTIES TIMEOUT ${salient_long_test_timeout})
