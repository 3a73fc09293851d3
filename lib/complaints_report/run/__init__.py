"""The year's run: Papermill executing the section notebooks, warm kernels, the cache and the staging folder."""
