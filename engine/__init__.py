"""The answer engine: reading a question, choosing the clause, the verdict, the refusal, and the
service object the adapters (API, chat channels, CLI, eval) call."""
