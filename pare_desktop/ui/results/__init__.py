"""The results list: its item model, its view and the badge painter."""
