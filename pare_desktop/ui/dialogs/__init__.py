"""Stand-alone dialogs: about, local structure, imports, exports."""
