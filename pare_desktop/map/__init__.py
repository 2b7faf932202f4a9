"""The map page: built by Qt-free code (folium + our JS), data passed as JSON."""
