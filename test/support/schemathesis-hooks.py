# Loaded by schemathesis (SCHEMATHESIS_HOOKS) in test/api/schemathesis.test.ts. Debian's Python 3.11.2
# can raise "SystemError: AST constructor recursion depth mismatch" from ast.parse deep in a call stack
# (a parser bug of that release). Hypothesis parses source only to describe a filter's lambda in a
# strategy's repr; when that fails, the lambda is described by a plain name and generation goes on.
import hypothesis.internal.lambda_sources as lambda_sources

_describe = lambda_sources.lambda_description


def _describe_or_name(f):
    try:
        return _describe(f)
    except SystemError:
        return "lambda"


lambda_sources.lambda_description = _describe_or_name
