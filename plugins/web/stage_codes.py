"""A unit's stage codes in an official round, in order — framework-free, so the models (which
add the labels) and the dashboard (which counts units per stage) share one list. Who moves a
unit from which stage to which is ``patuh.plugins.web.stages``."""

DRAFT, SUBMITTED, IN_VERIFICATION = "draft", "submitted", "in_verification"
REVISION, VERIFIED, FINAL = "revision_requested", "verified", "final"
ORDER = (DRAFT, SUBMITTED, IN_VERIFICATION, REVISION, VERIFIED, FINAL)
