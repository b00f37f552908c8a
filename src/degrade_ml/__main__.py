"""`python -m degrade_ml …`, and the file to hand to `spark-submit` (`spark-submit …/degrade_ml/__main__.py screen …`):
the `degrade-ml` command."""

from degrade_ml.cli.main import main

if __name__ == "__main__":
    main()
