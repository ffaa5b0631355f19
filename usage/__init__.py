"""What people asked and how they rated the answers: the question log, feedback and reports.

It sits above the engine and below the adapters: the API, the chat channels and the command line
hand it records (:mod:`usage.record`); it keeps them in a database (:mod:`usage.schema`) and
reports on them. Nothing here holds personal data in clear.
"""
