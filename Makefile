# Thin entry points; the work is in scripts/.
.PHONY: setup run test lint i18n bench letters guarantees clean

setup:
	bash scripts/bootstrap.sh

run:
	bash scripts/run.sh

test:
	bash scripts/test.sh

lint:
	bash scripts/lint.sh

i18n:
	bash scripts/i18n.sh

bench:
	bash scripts/bench.sh

letters:
	bash scripts/letters.sh

guarantees:
	bash scripts/guarantees.sh

clean:
	rm -rf .local
