# The Kalasag Messenger bridge: ghcr.io/kalasag/kalasag-messenger.
#
# NOT BUILT HERE: there was no Docker engine where this file was written. tests/deploy/
# checks that every file it copies exists and every pin matches requirements.lock; it has
# never been built or run.
#
# Build from the repository root (the build context):
#   docker build -f deploy/docker/messenger.Dockerfile -t ghcr.io/kalasag/kalasag-messenger:<tag> .
FROM python:3.10-slim

# No rasa here: the bridge only talks to the REST channel, and `python -m bot messenger`
# imports nothing of Rasa (tests/deploy checks what its modules import).
# requirements.lock pins everything.
COPY requirements.lock /opt/kalasag/requirements.lock
RUN pip install --no-cache-dir -c /opt/kalasag/requirements.lock \
      aiohttp==3.9.5 httpx==0.28.1 \
      pyyaml==6.0.3 redis==4.6.0 phonenumbers==9.0.43 pycountry==26.2.16 textstat==0.7.4 \
 && useradd --system --uid 1001 --gid 0 --home-dir /app --no-create-home kalasag

WORKDIR /app
COPY bot/ /app/bot/
COPY data/content/ /app/data/content/
COPY data/hotlines/ /app/data/hotlines/

ENV PYTHONPATH=/app \
    PYTHONUNBUFFERED=1
USER 1001
# MESSENGER_WEBHOOK_PORT's default (bot/settings.py); plain HTTP, TLS ends at the ingress.
EXPOSE 5010
CMD ["python", "-m", "bot", "messenger"]
