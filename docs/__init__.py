"""patuh's documentation, installed as ``patuh.docs``: the source documentation of the rules
(``sources/``: the regulations' facts and the bibliography) and the rule reference (``rules/``)."""
