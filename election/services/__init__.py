"""Services: the only code that changes the database.

Invariants (what every module here keeps):

* A public service takes the session first, then the acting ``Actor`` (user and role), and
  ``now`` where time matters; it never reads the clock or imports Flask.
* It either makes its whole change and commits, or raises an ``election.errors`` error and
  changes nothing (``election.services.base.service``); services called from another
  service join its transaction.
* It checks the actor's role in the congress (``require_role``), applies the rules engine
  (``election.rules``) where a rule applies, and writes one entry to the hash-chained event
  log (``election.services.events``) for each change, in the same transaction.

Modules: ``congress`` (setup), ``roster`` (import), ``candidates`` (nominations, open
votes, checked lists), ``credentials`` (review, attendance, public credentials),
``eligibility`` (who votes, N), ``ceremony`` (the key ceremony's result),
``ceremony_relay`` (the key ceremony relayed between the board's devices), ``rounds`` (the
round state machine), ``tally`` (the homomorphic tally and its threshold decryption),
``minutes`` (the vote-count minutes and their signatures), ``export`` (the election record
built from the database), ``users`` (accounts, roles, terminals), ``serverkey``,
``inspection`` (the register of cases), ``audit`` (verifying round records in the
background), ``checkpoints`` (the event log's signed checkpoints and its whole check),
``definition`` (definition files), ``demo``, ``events``, ``base``.
Modules are imported by name (``from election.services import rounds``); this package
imports none of them, so importing one does not load the others.
"""
