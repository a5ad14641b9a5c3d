# The Kalasag action server: ghcr.io/kalasag/kalasag-actions.
#
# NOT BUILT HERE: there was no Docker engine where this file was written. tests/deploy/
# checks that every file it copies exists, that the bot/ modules the actions import are all
# copied and import no rasa, and that every pin matches requirements.lock; it has never
# been built or run.
#
# Build from the repository root (the build context):
#   docker build -f deploy/docker/actions.Dockerfile -t ghcr.io/kalasag/kalasag-actions:<tag> .
FROM rasa/rasa-sdk:3.6.2

USER root
# What the actions import beyond rasa-sdk: yaml (content and hotlines), the hotline
# registry's phonenumbers and pycountry, the content checker's textstat.
COPY requirements.lock /opt/kalasag/requirements.lock
RUN pip install --no-cache-dir -c /opt/kalasag/requirements.lock \
      pyyaml==6.0.3 phonenumbers==9.0.43 pycountry==26.2.16 textstat==0.7.4

WORKDIR /app
COPY actions/ /app/actions/
# Only the bot/ modules the actions import. This image has no rasa (only rasa-sdk), and
# none of these modules imports it when the actions load.
COPY bot/__init__.py bot/settings.py bot/audience.py bot/language.py /app/bot/
COPY bot/content/ /app/bot/content/
COPY bot/hotlines/ /app/bot/hotlines/
COPY bot/safety/ /app/bot/safety/
COPY data/content/ /app/data/content/
COPY data/hotlines/ /app/data/hotlines/

ENV PYTHONPATH=/app
USER 1001
EXPOSE 5055
# The base image's entrypoint runs `python -m rasa_sdk` with what follows `start`.
CMD ["start", "--actions", "actions", "--port", "5055"]
