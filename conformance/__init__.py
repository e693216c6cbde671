"""`make conformance` (`python -m conformance`): TM Forum's conformance test kits (CTKs) against
the sandbox. Each kit is copied unmodified from `$TMF_KITS` (default `../shared/tmf/ctk`) to a
scratch folder under `.conformance/`, only its `config.json` is written (the sandbox's URL for
that API, its token, the kit's own payloads), and it is run as its README says (`npm install`,
`npm start`: Newman from npm, no terminal needed). Its JSON results give one line of the table;
any failed assertion, or a kit that did not run, fails the command."""
