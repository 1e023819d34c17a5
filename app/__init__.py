"""UNCAT Universality Dashboard application package (plain Python, no Streamlit at import)."""
