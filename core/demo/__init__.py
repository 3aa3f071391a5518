"""Demo governance of four systems from the seeds, loaded by ``manage.py load_demo``."""
