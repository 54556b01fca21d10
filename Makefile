# Two commands do everything: `make start` and `make test`. Both bootstrap first (idempotent).
.PHONY: bootstrap start test lint typecheck check bench

bootstrap:
	@scripts/bootstrap

start: bootstrap
	@node_modules/.bin/tsx workers/stack.ts

test: bootstrap
	@node_modules/.bin/tsc --noEmit -p tsconfig.json
	@node_modules/.bin/eslint --max-warnings=0 .
	@node_modules/.bin/tsx scripts/run-tests.ts

lint:
	@node_modules/.bin/eslint .

typecheck:
	@node_modules/.bin/tsc --noEmit -p tsconfig.json

bench: bootstrap
	@node_modules/.bin/tsx --expose-gc bench/main.ts $(BENCH)
