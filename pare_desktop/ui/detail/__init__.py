"""One structure: the detail pane, its actions and how values are worded."""
