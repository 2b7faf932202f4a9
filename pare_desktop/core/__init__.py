"""The Qt-free core: data model, referentials, search, import and export."""
