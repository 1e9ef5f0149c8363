"""A fleet: many workers on many machines archive a queue of blogs into one archive.

One Redis holds the queue of blogs (``queue.py``: one blog per worker at a time under an
expiring, heartbeat-renewed lease, never two blogs of one host group at once) and a stream of
what the workers archived (``messages.py``).  A worker (``worker.py``) runs each blog it leases
in a crawl process of its own (``blog_crawl.py``: the ``wordpress`` spider with its usual
pipelines, whose writes go to the stream instead of a file).  One writer (``writer.py``)
owns ``archive.db``: it applies the stream with the archive's own writer and acknowledges an
entry only once it is committed.
"""
