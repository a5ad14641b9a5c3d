# The Kalasag Rasa server: ghcr.io/kalasag/kalasag-rasa.
#
# NOT BUILT HERE: there was no Docker engine where this file was written. tests/deploy/
# checks that every file it copies exists and every pin matches requirements.lock; it has
# never been built or run.
#
# Build from the repository root (the build context) after `make model`, naming the model:
#   MODEL=$(.venv/bin/python -c 'from bot import settings, training;
#     print(training.model_path(settings.load()).relative_to(settings.ROOT))')
#   docker build -f deploy/docker/rasa.Dockerfile --build-arg MODEL="$MODEL" \
#     -t ghcr.io/kalasag/kalasag-rasa:<tag> .
FROM rasa/rasa:3.6.21

# The base image runs as 1001; installing needs root for a moment.
USER root
# What our server-side code imports beyond Rasa: the hotline registry (phonenumbers,
# pycountry), the content checker (textstat), and the topic selector's scikit-learn and
# joblib at the versions the model was trained with. The lock pins their dependencies too.
COPY requirements.lock /opt/kalasag/requirements.lock
RUN pip install --no-cache-dir -c /opt/kalasag/requirements.lock \
      phonenumbers==9.0.43 pycountry==26.2.16 textstat==0.7.4 \
      scikit-learn==1.1.3 joblib==1.6.0

WORKDIR /app
COPY bot/ /app/bot/
COPY data/content/ /app/data/content/
COPY data/hotlines/ /app/data/hotlines/
# Served at /privacy (bot/channels/web.py).
COPY docs/privacy.md /app/docs/privacy.md
# In Kubernetes the chart mounts its own endpoints.yml and credentials.yml over these two
# (deploy/helm/rasa-values.yaml); this endpoints.yml points at localhost:5055.
COPY config.yml domain.yml endpoints.yml credentials.yml /app/
# One model, trained beforehand by `make model` (models/ is not in git).
ARG MODEL
COPY ${MODEL} /app/models/kalasag.tar.gz

ENV PYTHONPATH=/app \
    RASA_TELEMETRY_ENABLED=false
USER 1001
EXPOSE 5005
# Rasa's command line through our entry point, which serves without TensorFlow (bot/server.py;
# about 500 MB less). The chart replaces these arguments with its own list
# (deploy/helm/rasa-values.yaml `args`), which adds the school origins for CORS.
ENTRYPOINT ["python", "-m", "bot.server"]
CMD ["run", "--model", "models/kalasag.tar.gz", "--endpoints", "endpoints.yml", \
     "--credentials", "credentials.yml", "--port", "5005"]
