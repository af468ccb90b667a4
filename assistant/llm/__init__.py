"""The LLM layer: one door for every model call.

Entry points (see docs/llm.md):

- :func:`assistant.llm.tasks.run_structured` — one structured task → (validated object, usage)
- :func:`assistant.llm.tasks.run_batch` — many tasks, concurrently, under a budget
- :func:`assistant.llm.budget.estimate` — offline token and cost estimate of planned calls
- :func:`assistant.llm.client.ping` — one tiny call to check an endpoint (`persona doctor`)

Heavy imports (langchain, openai, vcrpy) are deferred to the modules that need them.
"""
