"""Browser tests: JupyterLab in headless Chromium (a package, so its module names never clash with tests/)."""
