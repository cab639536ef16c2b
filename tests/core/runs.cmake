# Training runs without LibTorch (core/runs): config, metrics, run records, the runs list model.
salient_add_test(tst_runs_config SOURCES runs_config.cpp LIBS salient_core_runs)
salient_add_test(tst_runs_store SOURCES runs_store.cpp LIBS salient_core_runs SQLite::SQLite3)
salient_add_test(tst_runs_metrics SOURCES runs_metrics.cpp LIBS salient_core_runs)
salient_add_test(tst_runs_model SOURCES runs_model.cpp LIBS salient_core_models salient_core_runs)
