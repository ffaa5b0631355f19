"""The bottom layer: the exception tree and the answer contract, which every other package uses."""
