"""The API's routes, one module per area: answers, the corpus, administration, the service."""
