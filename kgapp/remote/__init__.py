"""A build held by a remote SPARQL 1.1 store, behind the same interface and protections as the
embedded one: settings, authentication, the HTTP client, how terms and queries are put to the
store, how its answers are read, the view pages read, the engine the endpoint runs, and the
writing of a build."""
