"""Studies around the product that are not part of what it ships: the SE window-edge regressor and the validation
of the phase-energy table. Each has its own command (`degrade-ml experiment …`) and its own MLflow run; `train`
and `evaluate` never run them."""
