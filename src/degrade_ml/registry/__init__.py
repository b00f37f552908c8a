"""Where trained predictors live: the bundled model in models/ and the MLflow tracking server and registry."""
