"""teamspace's policy rules, as a package so that its modules import each other one way."""
