"""Asking the question: search field controller, filters, chips, « près de »."""
