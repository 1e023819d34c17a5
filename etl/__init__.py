"""The ETL: `python -m etl` validates data/, builds the database and publishes the open data and feeds."""
