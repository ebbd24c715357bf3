"""Data contracts: record types, their Parquet schemas, DuckDB views and named queries."""
