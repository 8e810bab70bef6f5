"""Qt item models over core records: lists cached by id (id_cached.py) and two-level trees
(two_level_tree.py). They read through the core on the UI thread's connection and never write."""
