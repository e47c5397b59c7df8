import os

from django.core.wsgi import get_wsgi_application

from kinrw.core.runtime import tune_gc

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kinrw.conf.settings")
application = get_wsgi_application()
tune_gc()
