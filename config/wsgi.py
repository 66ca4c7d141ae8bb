import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.production")
application = get_wsgi_application()

# Loaded once per worker (gunicorn imports this in each worker): the views, then the
# collector told to leave what the process keeps (bastion.core.startup).
from bastion.core.startup import freeze_loaded  # noqa: E402

freeze_loaded()
