# Local Neo4j Community server for development and tests.
# Include from the top-level Makefile:  include deploy/neo4j/neo4j.mk
# and export TOILES_NEO4J_PASSWORD (needed by neo4j-start; status and the
# start-up check use it too). See deploy/neo4j/README.md.

# Path of the control script, taken from this fragment's own location so the
# include works whatever the including Makefile's name.
NEO4J_SH := $(dir $(lastword $(MAKEFILE_LIST)))neo4j.sh

.PHONY: neo4j-jars neo4j-start neo4j-stop neo4j-status neo4j-log

neo4j-jars: ## Download the Neo4j server jars into .neo4j/lib (once)
	@bash $(NEO4J_SH) jars

neo4j-start: ## Start Neo4j on 127.0.0.1 and wait until Bolt answers
	@bash $(NEO4J_SH) start

neo4j-stop: ## Stop Neo4j
	@bash $(NEO4J_SH) stop

neo4j-status: ## Exit 0 if Neo4j runs and answers, 3 if it is not running
	@bash $(NEO4J_SH) status

neo4j-log: ## Show the end of the Neo4j console log
	@bash $(NEO4J_SH) log
