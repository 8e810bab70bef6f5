"""Where SQL lives: connecting (db.py; cipher.py for an encrypted store), the migrations (frozen
history, registered on migration_runner.migrations) and one module per table family. Below every
stage: a store module takes the rules it needs from its caller and imports no stage."""
