"""`degrade-ml app`: the interface view and the screen view as a local web page (Dash), answering as the command
line does. `server.create_app` builds it around a loaded predictor; `server.serve` runs it."""
