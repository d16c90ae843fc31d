"""Running notebooks: parameter cells as signatures (`signature`), the plan and its checks
(`render`), kernels (`engine`, `session`), worker pools (`executors`) and sweeps (`sweeps`)."""
