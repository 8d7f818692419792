"""patuh's web platform (`patuh serve`): a Django app over the same engine."""
