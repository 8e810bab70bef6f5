"""The only place with SQL: opening and migrating the database, one module per table family."""
