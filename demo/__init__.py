"""Demo governance of four systems from the seeds: data files in ``demo/data/``, loaded by
``manage.py load_demo``."""
